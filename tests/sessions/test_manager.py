"""SessionManager: live-session cap, per-client creation rate, idle TTL, lifetime cap and training budget.

Time is a hand-moved clock, so hours pass instantly.
"""

import pytest

from app.engine.spec import TrainingSpec
from app.sessions.backend import InProcessBackend, NotHosted
from app.sessions.manager import (
    BudgetExhausted, SessionLost, SessionManager, SessionNotFound, TooManyRequests, TooManySessions,
)
from tests.conftest import run_in_thread as run

SPEC = TrainingSpec(hidden_layers=(2,), num_samples=40)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def backend():
    b = InProcessBackend(workers=1, jit_compile=False)
    yield b
    b.close()


@pytest.fixture
def clock():
    return Clock()


def make(backend, clock, **limits) -> SessionManager:
    options = {"max_sessions": 10, "ttl_seconds": 900.0, **limits}
    return SessionManager(backend, clock=clock, **options)


def create(manager: SessionManager, client: str = "10.0.0.1") -> str:
    return run(manager.create(SPEC, client=client))[0]


def test_an_idle_session_is_reaped_after_the_ttl(backend, clock):
    manager = make(backend, clock)
    sid = create(manager)
    clock.now += 900
    assert manager.reap() == [] and manager.exists(sid)
    clock.now += 1
    assert manager.reap() == [sid] and len(manager) == 0


def test_use_restarts_the_idle_ttl(backend, clock):
    manager = make(backend, clock)
    sid = create(manager)
    clock.now += 800
    manager.entry(sid)
    clock.now += 800
    assert manager.reap() == []


def test_a_connected_session_outlives_the_ttl_but_not_the_lifetime_cap(backend, clock):
    manager = make(backend, clock, max_lifetime_seconds=4 * 3600)
    sid = create(manager)
    manager.entry(sid).connections += 1  # what the live stream does while a tab is open
    clock.now += 3 * 3600
    assert manager.reap() == []
    clock.now += 3600 + 1
    assert manager.reap() == [sid]


def test_a_session_past_its_lifetime_is_gone_before_the_next_sweep(backend, clock):
    manager = make(backend, clock, max_lifetime_seconds=60)
    sid = create(manager)
    manager.entry(sid).connections += 1
    clock.now += 61
    assert not manager.exists(sid)
    with pytest.raises(SessionNotFound):
        manager.entry(sid)


def test_an_idle_session_past_the_ttl_is_not_revived_by_a_late_request(backend, clock):
    manager = make(backend, clock)
    sid = create(manager)
    clock.now += 901
    with pytest.raises(SessionNotFound):
        manager.entry(sid)


def test_live_sessions_are_capped(backend, clock):
    manager = make(backend, clock, max_sessions=2)
    create(manager, "a")
    create(manager, "b")
    with pytest.raises(TooManySessions, match="maximum of 2 sessions"):
        create(manager, "c")
    clock.now += 901  # reaping makes room
    create(manager, "c")


def test_a_full_server_says_when_its_first_session_is_due_to_go(backend, clock):
    manager = make(backend, clock, max_sessions=2, ttl_seconds=100.0, max_lifetime_seconds=1000.0)
    first = create(manager, "a")
    clock.now += 30
    create(manager, "b")
    clock.now += 10
    with pytest.raises(TooManySessions) as full:
        create(manager, "c")
    assert full.value.retry_after == 60  # the first, idle since it was made 40 s ago
    manager.entry(first).connections += 1  # a tab keeps it; the second goes at 30 + 100
    with pytest.raises(TooManySessions) as full:
        create(manager, "c")
    assert full.value.retry_after == 90


def test_each_client_creates_at_most_its_rate(backend, clock):
    manager = make(backend, clock, creations_per_minute=2)
    create(manager, "a")
    create(manager, "a")
    with pytest.raises(TooManyRequests, match="at most 2 per minute") as e:
        create(manager, "a")
    assert e.value.retry_after == 30
    assert len(manager) == 2
    create(manager, "b")  # another client is not held back
    clock.now += 30
    create(manager, "a")


def test_training_is_charged_to_the_session_until_its_budget_runs_out(backend, clock):
    manager = make(backend, clock, train_seconds_per_minute=1.0)
    sid, other = create(manager), create(manager)
    trained = run(manager.train(sid, 3))
    spent = 1.0 - manager.budget_left(sid)
    assert 0 < spent == pytest.approx(trained["seconds"])
    manager.charge(sid, 1.0)  # e.g. what the live stream reports
    assert manager.budget_left(sid) <= 0 and manager.budget_retry_after(sid) == pytest.approx(61, abs=1)
    with pytest.raises(BudgetExhausted, match="training budget of 1 s per 60 s"):
        run(manager.train(sid, 1))
    assert run(manager.call(sid, "describe"))["epoch"] == 3
    run(manager.train(other, 1))  # the other session has its own budget
    clock.now += 62
    run(manager.train(sid, 1))
    assert run(manager.call(sid, "describe"))["epoch"] == 4


def test_without_a_budget_training_is_never_refused(backend, clock):
    manager = make(backend, clock)
    sid = create(manager)
    manager.charge(sid, 1e9)
    run(manager.train(sid, 1))


def test_charging_a_deleted_session_is_harmless(backend, clock):
    manager = make(backend, clock, train_seconds_per_minute=1.0)
    sid = create(manager)
    manager.delete(sid)
    manager.charge(sid, 1.0)


def test_deleting_and_reaping_free_the_session_in_the_backend(backend, clock):
    manager = make(backend, clock)
    kept, deleted, reaped = create(manager), create(manager), create(manager)
    manager.delete(deleted)
    clock.now += 800
    manager.entry(kept)
    clock.now += 101
    assert manager.reap() == [reaped]
    for sid in (deleted, reaped):
        with pytest.raises(NotHosted):
            run(backend.call(sid, "describe"))
    assert run(backend.call(kept, "describe"))["epoch"] == 0


class LosingBackend(InProcessBackend):
    """Sessions whose ids are in ``dead`` behave as if their worker process had died."""

    def __init__(self) -> None:
        super().__init__(workers=1, jit_compile=False)
        self.dead: set[str] = set()

    def lost(self, session_id: str) -> bool:
        return session_id in self.dead

    async def call(self, session_id: str, op: str, **kwargs):
        if session_id in self.dead:
            raise SessionLost(session_id)
        return await super().call(session_id, op, **kwargs)


def test_a_lost_session_says_so_and_stops_counting_against_the_cap(clock):
    backend = LosingBackend()
    manager = make(backend, clock, max_sessions=2)
    lost, kept = create(manager), create(manager)
    backend.dead.add(lost)
    with pytest.raises(SessionLost):
        run(manager.call(lost, "describe"))
    with pytest.raises(SessionLost):  # and every time after
        manager.entry(lost)
    assert not manager.exists(lost) and len(manager) == 1
    create(manager)  # its place is free
    assert run(manager.call(kept, "describe"))["epoch"] == 0
    manager.delete(lost)  # forgets it
    with pytest.raises(SessionNotFound):
        manager.entry(lost)
    backend.close()


def test_reaping_notices_lost_sessions_nobody_asked_about(clock):
    backend = LosingBackend()
    manager = make(backend, clock)
    sid = create(manager)
    backend.dead.add(sid)
    manager.reap()
    assert len(manager) == 0
    with pytest.raises(SessionLost):
        manager.entry(sid)
    backend.close()
