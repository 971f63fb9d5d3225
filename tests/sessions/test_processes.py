"""ProcessBackend with real worker processes: operations across the process boundary, a worker killed with
SIGKILL, recycling a worker without its sessions noticing, and no process left behind."""

import asyncio
import os
import signal
import threading
import time

import numpy as np
import pytest

from app.engine.session import Diverged
from app.engine.spec import TrainingSpec
from app.sessions.backend import InProcessBackend, NotHosted, SessionLost
from app.sessions.processes import ProcessBackend, compile_key, kind_key

SPEC = TrainingSpec(dataset="spiral", num_samples=120, hidden_layers=(4, 3), optimizer="adam")
OTHER = TrainingSpec(dataset="xor", num_samples=80, hidden_layers=(3,))


def kind(n: int) -> TrainingSpec:
    """A small network of its own kind (``n`` picks the width)."""
    return TrainingSpec(dataset="xor", num_samples=80, hidden_layers=(n + 1,))


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(scope="module")
def runner():
    """One event loop for the module, in a thread of its own (a recycling task outlives the call that started
    it; and after the browser tests the main thread already runs a loop)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield lambda coro: asyncio.run_coroutine_threadsafe(coro, loop).result(120)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


@pytest.fixture(scope="module")
def pool():
    backend = ProcessBackend(workers=2, jit_compile=False)
    backend.start()
    pids = [w.pid for w in backend.workers()]
    yield backend
    pids += [w.pid for w in backend.workers()]
    backend.close()
    assert all(gone(pid) for pid in pids)


@pytest.fixture(scope="module")
def local():
    backend = InProcessBackend(workers=1, jit_compile=False)
    yield backend
    backend.close()


def history(runner, backend, sid):
    return runner(backend.call(sid, "history"))


def test_building_the_backend_starts_no_process():
    backend = ProcessBackend(workers=2)
    assert backend.workers() == []
    backend.close()


def test_operations_give_the_same_answers_as_in_process(runner, pool, local):
    for backend in (pool, local):
        runner(backend.add("same", SPEC))
        runner(backend.call("same", "train", epochs=4))
        runner(backend.call("same", "update", changes={"learning_rate": 0.01}))
        runner(backend.call("same", "train", epochs=3))
    assert history(runner, pool, "same") == history(runner, local, "same")
    for a, b in zip(runner(pool.call("same", "weights")), runner(local.call("same", "weights"))):
        np.testing.assert_array_equal(a, b)
    frame = runner(pool.call("same", "frame", resolution=10, neuron_resolution=5, epochs=1))
    header, data = frame.wire()
    assert frame.seconds > 0 and '"epoch": 8' in header and len(data) > 100
    assert runner(pool.call("same", "describe"))["spec"] == runner(local.call("same", "describe"))["spec"]


def test_custom_points_travel_to_a_worker_with_the_spec_and_train_as_in_process(runner, pool, local):
    rng = np.random.default_rng(2)
    points = tuple((float(x), float(y), float(x > 0)) for x, y in np.round(rng.uniform(-5, 5, (30, 2)), 3))
    spec = TrainingSpec(dataset="custom", points=points, hidden_layers=(3,), batch_size=4)
    moved = tuple((x, y, float(y > 0)) for x, y, _ in points[:25])
    for backend in (pool, local):
        runner(backend.add("drawn", spec))
        runner(backend.call("drawn", "train", epochs=5))
        runner(backend.call("drawn", "update", changes={"points": moved}))  # a live change, by value
        runner(backend.call("drawn", "train", epochs=5))
    assert history(runner, pool, "drawn") == history(runner, local, "drawn")
    assert runner(pool.call("drawn", "describe"))["spec"].points == moved


def test_the_in_process_backend_answers_reads_with_settled_numbers_after_provisional_play(runner):
    # With XLA on, a stand-in's numbers differ from the compiled ones in the last bits. A kind of network no
    # other test builds: its first frame trains on a stand-in.
    backend = InProcessBackend(workers=1, jit_compile=True)
    spec = TrainingSpec(dataset="spiral", num_samples=200, hidden_layers=(6, 5), activation="elu", optimizer="adam")
    runner(backend.add("played", spec))
    runner(backend.add("waited", spec))
    header, _ = runner(backend.call("played", "frame", resolution=10, neuron_resolution=5, epochs=3)).wire()
    assert '"compiling": true' in header
    runner(backend.call("waited", "train", epochs=3))
    assert history(runner, backend, "played") == history(runner, backend, "waited")
    backend.close()


def test_engine_errors_cross_the_process_boundary_unchanged(runner, pool):
    runner(pool.add("errors", OTHER))
    with pytest.raises(ValueError, match="layer must be between 0 and 1"):
        runner(pool.call("errors", "set_parameter", layer=5, kind="bias", index=(0,), value=1.0))
    with pytest.raises(ValueError, match="Unknown operation 'fly'"):
        runner(pool.call("errors", "fly"))
    with pytest.raises(ValueError, match="batch_size"):
        runner(pool.add("bad", TrainingSpec(batch_size=10_000)))
    runner(pool.add("diverges", TrainingSpec(dataset="plane", num_samples=100, hidden_layers=(8, 8),
                                             activation="relu", learning_rate=10, loss="mse")))
    assert runner(pool.call("diverges", "train", epochs=50))["diverged"]
    with pytest.raises(Diverged, match="Lower the learning rate"):
        runner(pool.call("diverges", "train", epochs=1))
    with pytest.raises(NotHosted):
        runner(pool.call("never-created", "describe"))


def test_sessions_are_spread_over_the_workers(runner, pool):
    before = {w.pid: len(w.sessions) for w in pool.workers()}
    # Networks of kinds no other test builds: nothing compiled or traced draws them to one worker.
    for i, activation in enumerate(["softsign", "hard_sigmoid", "mish", "gelu"]):
        runner(pool.add(f"spread-{i}", TrainingSpec(dataset="xor", num_samples=80, hidden_layers=(2,),
                                                    activation=activation)))
    after = {w.pid: len(w.sessions) for w in pool.workers()}
    assert all(after[pid] - before[pid] >= 1 for pid in before)
    assert max(after.values()) - min(after.values()) <= 1


def test_a_killed_worker_loses_only_its_sessions_and_is_replaced(runner, pool):
    ids = [f"kill-{i}" for i in range(4)]
    for i, sid in enumerate(ids):
        runner(pool.add(sid, kind(10 + i)))
        runner(pool.call(sid, "train", epochs=2))
    victim = pool.pid_of(ids[0])
    doomed = [sid for sid in ids if pool.pid_of(sid) == victim]
    spared = [sid for sid in ids if pool.pid_of(sid) != victim]
    assert doomed and spared
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while not pool.lost(doomed[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for sid in doomed:
        assert pool.lost(sid)
        with pytest.raises(SessionLost, match="stopped unexpectedly"):
            runner(pool.call(sid, "describe"))
    for sid in spared:
        assert runner(pool.call(sid, "train", epochs=1))["epoch"] == 3
    assert pool.restarts == 1 and len(pool.workers()) == 2 and victim not in [w.pid for w in pool.workers()]
    for i in range(3):  # new sessions work, the replacement included
        runner(pool.add(f"after-{i}", kind(20 + i)))
        assert runner(pool.call(f"after-{i}", "train", epochs=1))["epoch"] == 1
    pool.remove(doomed[0])  # a lost session can be removed like any other
    with pytest.raises(NotHosted):
        runner(pool.call(doomed[0], "describe"))


def test_a_recycled_worker_hands_its_sessions_over_unnoticed(runner, local):
    backend = ProcessBackend(workers=1, jit_compile=False, recycle_after_sessions=3, prewarm=(10, 5))
    backend.start()
    first = backend.workers()[0].pid
    try:
        for i in range(2):
            for b in (backend, local):
                runner(b.add(f"moving-{i}", SPEC))
                runner(b.call(f"moving-{i}", "train", epochs=3 + i))
        assert not backend.workers()[0].retiring
        runner(backend.add("third", OTHER))  # the third session built there: time to recycle
        seen = []

        async def keep_training() -> None:  # a session in use the whole time, as a playing tab is
            while backend.recycled == 0:
                seen.append((await backend.call("moving-0", "train", epochs=1))["epoch"])
                await asyncio.sleep(0.01)

        runner(asyncio.wait_for(keep_training(), 60))
        assert seen == list(range(4, 4 + len(seen)))  # no epoch lost or repeated
        for _ in seen:
            runner(local.call("moving-0", "train", epochs=1))
        assert gone_within(first, 10)
        assert [w.pid for w in backend.workers()] != [first] and all(
            backend.pid_of(s) != first for s in ("moving-0", "moving-1", "third"))
        for sid in ("moving-0", "moving-1"):
            runner(backend.call(sid, "train", epochs=2))
            runner(local.call(sid, "train", epochs=2))
            assert history(runner, backend, sid) == history(runner, local, sid)
            for a, b in zip(runner(backend.call(sid, "export_state"))["slots"],
                            runner(local.call(sid, "export_state"))["slots"]):
                np.testing.assert_array_equal(a, b)
    finally:
        pids = [w.pid for w in backend.workers()]
        backend.close()
    assert all(gone(pid) for pid in [first, *pids])


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_new_session_joins_a_worker_that_compiled_its_network_unless_that_one_is_much_busier(runner, pool):
    same = TrainingSpec(dataset="circle", num_samples=60, hidden_layers=(2, 2))
    runner(pool.add("kind-0", same))
    home = pool.pid_of("kind-0")
    for i in range(1, 3):
        runner(pool.add(f"kind-{i}", same))
        assert pool.pid_of(f"kind-{i}") == home
    loads = {w.pid: len(w.sessions) for w in pool.workers()}
    i = 3
    while loads[home] <= 1.25 * min(loads.values()) + 2:  # past the slack the least loaded wins
        runner(pool.add(f"kind-{i}", same))
        loads = {w.pid: len(w.sessions) for w in pool.workers()}
        i += 1
    runner(pool.add("kind-last", same))
    assert pool.pid_of("kind-last") != home


class Placed:
    """What placement reads of a worker."""

    def __init__(self, sessions: int, *, compiled=(), traced=()) -> None:
        self.alive, self.retiring = True, False
        self.sessions = {f"s{i}" for i in range(sessions)}
        self.compiled, self.traced = set(compiled), set(traced)


def test_a_new_width_goes_to_a_worker_that_traced_its_kind_unless_that_one_is_busier():
    backend = ProcessBackend(workers=2)
    spec = TrainingSpec(dataset="xor", num_samples=80, hidden_layers=(5, 3), activation="elu")
    traced, other = Placed(3, traced={kind_key(spec)}), Placed(2)
    backend._workers = [traced, other]
    assert backend._choose(spec) is traced  # one more than the least loaded: a ready trace is worth it
    traced.sessions.add("s3")
    assert backend._choose(spec) is other
    compiled = Placed(4, compiled={compile_key(spec)})
    backend._workers = [traced, other, compiled]
    assert backend._choose(spec) is compiled  # its exact network: up to 1.25 × the least loaded + 2
    backend._workers = []
    backend.close()


def test_placement_keys_are_the_trainers_own_architecture_and_kind():
    from app.engine.session import TrainingSession

    spec = TrainingSpec(dataset="blobs", num_classes=5, num_samples=60, hidden_layers=(3,), batch_size=5)
    session = TrainingSession(spec, jit_compile=True)
    assert compile_key(spec) == session.architecture and kind_key(spec) == session.architecture.kind
    # the training-set size decides, not the sample count and ratio it comes from: 20 at 0.6 and 30 at 0.4 train 12
    a, b = compile_key(TrainingSpec(num_samples=20, train_ratio=0.6)), compile_key(TrainingSpec(num_samples=30,
                                                                                                train_ratio=0.4))
    assert (a.n_train, b.n_train) == (12, 12) and a.n_test != b.n_test  # the test set is a shape too
    assert TrainingSession(TrainingSpec(num_samples=25, train_ratio=0.5)).architecture.n_train == \
        compile_key(TrainingSpec(num_samples=25, train_ratio=0.5)).n_train
    assert kind_key(spec) != kind_key(TrainingSpec(dataset="blobs", num_classes=4, num_samples=60, hidden_layers=(3,)))
    assert compile_key(TrainingSpec(learning_rate=-1)) is None
