"""Playing streams trained together: the player gathers the due streams of one host and architecture into one
call, each member keeps its own numbers (bit-identical to a group of one under XLA), and a member that
diverges, pauses, changes shape or goes away leaves the others as they were."""

import asyncio
import json
import time

import numpy as np
import pytest

from app.engine.group import BACKGROUND_SIZES, GroupTrainer, ready_size
from app.engine.session import TrainingSession
from app.engine.spec import TrainingSpec
from app.sessions import operations
from app.sessions.backend import InProcessBackend, NotHosted
from app.sessions.manager import SessionManager, SessionNotFound
from app.sessions.player import Player
from app.sessions.processes import ProcessBackend
from tests.conftest import run_in_thread as run  # after the browser tests a loop runs in the main thread

BASE = dict(dataset="spiral", num_samples=200, hidden_layers=(6, 4), activation="tanh", optimizer="adam",
            batch_size=10)


def spec(i: int, **changes) -> TrainingSpec:
    return TrainingSpec(**{**BASE, "seed": i + 1, "init_seed": 3 * i + 1, "learning_rate": 0.003 * (1 + i),
                           **changes})


class Classroom:
    """Sessions in one in-process backend, each with a playing stream whose frames' headers are kept."""

    def __init__(self, specs: list[TrainingSpec]) -> None:
        self.backend = InProcessBackend(workers=2, jit_compile=True)
        self.manager = SessionManager(self.backend, max_sessions=100, ttl_seconds=600)
        self.player = Player(self.manager, resolution=10, neuron_resolution=5, max_epochs_per_call=1000)
        self.ids = [run(self.manager.create(s))[0] for s in specs]
        self.headers: dict[str, list[dict]] = {i: [] for i in self.ids}
        self.playbacks = []
        for session_id in self.ids:
            async def send(text, data, session_id=session_id):
                self.headers[session_id].append(json.loads(text))
            playback = self.player.playback(session_id, send)
            playback.playing = True
            self.playbacks.append(playback)

    def session(self, i: int) -> TrainingSession:
        return self.backend._sessions[self.ids[i]]

    def warm(self, *sizes: int) -> None:
        """Compile the group functions of these sizes, as the background compile does during play."""
        for size in sizes:
            GroupTrainer().warm([self.session(i) for i in range(size)])

    def round(self, epochs: list[int | None]) -> list:
        """One turn of every playing stream given epochs (None: that stream has no turn now), all due at once."""
        async def turns():
            return await asyncio.gather(*(p.train(e) for p, e in zip(self.playbacks, epochs) if e is not None),
                                        return_exceptions=True)
        return run(turns())

    def calls(self, count: int) -> list[int]:
        """The members of the last ``count`` calls the player made."""
        return sorted(list(self.player.gatherer.sizes)[-count:]) if count else []

    def close(self) -> None:
        self.backend.close()


def twin_in_a_group_of_one(s: TrainingSpec, calls: list[int]) -> TrainingSession:
    twin = TrainingSession(s)
    for epochs in calls:
        assert GroupTrainer().train([twin], epochs) == [None]
    return twin


def assert_same_numbers(a: TrainingSession, b: TrainingSession) -> None:
    for x, y in zip(a.parameters() + [s.numpy() for s in a.slots], b.parameters() + [s.numpy() for s in b.slots],
                    strict=True):
        np.testing.assert_array_equal(x, y)
    assert (a.epoch, int(a.step), a.state()) == (b.epoch, int(b.step), b.state())


def test_due_streams_of_one_architecture_train_in_one_call_bit_identical_to_a_group_of_one():
    specs = [spec(i) for i in range(4)]
    room = Classroom(specs)
    room.warm(4)
    plan = [[2, 3, 4, 5], [5, 1, 3, 2], [1, 1, 1, 1]]
    for epochs in plan:
        assert room.round(epochs) == [None] * 4
    assert room.calls(3) == [4, 4, 4]  # one call per round
    for i, s in enumerate(specs):
        calls = [epochs[i] for epochs in plan]
        assert [h["epoch"] for h in room.headers[room.ids[i]]] == list(np.cumsum(calls))
        assert all(h["playing"] for h in room.headers[room.ids[i]])
        assert_same_numbers(room.session(i), twin_in_a_group_of_one(s, calls))
        # and with today's solo path, to float rounding (tests/engine/test_group.py measured the tolerance)
        solo = TrainingSession(s)
        for epochs in calls:
            solo.train(epochs)
        for ours, theirs in zip(room.session(i).parameters(), solo.parameters(), strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=2e-6)
    room.close()


def test_a_diverging_member_stops_alone_and_the_others_play_on_in_their_group():
    plane = dict(dataset="plane", num_samples=100, hidden_layers=(8, 8), activation="relu", loss="mse",
                 optimizer="sgd", batch_size=10)
    specs = [TrainingSpec(**plane, learning_rate=lr, seed=i + 1, init_seed=i + 1)
             for i, lr in enumerate((0.01, 10.0, 0.02))]
    room = Classroom(specs)
    room.warm(3, 2)
    assert room.round([20, 20, 20]) == [None] * 3
    wild = room.headers[room.ids[1]][-1]
    assert wild["status"] == "diverged" and not wild["playing"] and wild["epoch"] == 0
    assert [room.headers[room.ids[i]][-1]["status"] for i in (0, 2)] == ["idle", "idle"]
    assert not room.playbacks[1].playing and room.playbacks[0].playing and room.playbacks[2].playing
    assert room.round([5, None, 5]) == [None, None]
    assert room.calls(2) == [2, 3]
    for i in (0, 2):
        assert_same_numbers(room.session(i), twin_in_a_group_of_one(specs[i], [20, 5]))
    room.close()


def test_pause_and_a_live_learning_rate_keep_a_stream_in_its_group_and_a_new_batch_size_takes_it_out():
    specs = [spec(i) for i in range(3)]
    room = Classroom(specs)
    room.warm(3, 2)
    room.round([3, 3, 3])
    room.playbacks[2].playing = False  # paused: no turn, no place in a call
    room.round([2, 2, None])
    run(room.manager.call(room.ids[1], "update", changes={"learning_rate": 0.05}))
    room.playbacks[2].playing = True
    room.round([4, 4, 4])
    assert room.calls(3) == [2, 3, 3]
    twins = [TrainingSession(s) for s in specs]
    for calls, twin_of in (([3, 2, 4], 0), ([3, 2, "lr", 4], 1), ([3, 4], 2)):
        for epochs in calls:
            if epochs == "lr":
                twins[twin_of].update(learning_rate=0.05)
            else:
                GroupTrainer().train([twins[twin_of]], epochs)
    for i in range(3):
        assert_same_numbers(room.session(i), twins[i])
    keys = {room.manager.group_key(i) for i in room.ids}
    assert len(keys) == 1
    run(room.manager.call(room.ids[0], "update", changes={"batch_size": 20}))  # another architecture
    assert room.manager.group_key(room.ids[0]) not in keys
    room.round([1, 1, 1])
    assert room.calls(2) == [1, 2]  # it trains alone; the other two still together
    assert [room.headers[i][-1]["epoch"] for i in room.ids] == [10, 10, 8]
    room.close()


def test_a_member_removed_while_due_answers_not_found_and_the_others_get_their_frames():
    room = Classroom([spec(i) for i in range(3)])
    room.warm(3)
    room.round([2, 2, 2])
    room.manager.delete(room.ids[1])
    outcome = room.round([2, 2, 2])
    assert outcome[0] is None and outcome[2] is None and isinstance(outcome[1], SessionNotFound)
    assert [room.headers[room.ids[i]][-1]["epoch"] for i in (0, 2)] == [4, 4]
    room.close()


def test_a_group_whose_function_is_not_compiled_plays_alone_while_it_compiles_in_the_background():
    new = dict(hidden_layers=(5, 3), batch_size=9)  # an architecture no other test groups
    specs = [spec(i, **new) for i in range(2)]
    room = Classroom(specs)
    arch = room.session(0).architecture
    assert ready_size(arch, 2) is None
    for session_id in room.ids:  # the solo functions are compiled, as for any network played before
        run(room.manager.call(session_id, "train", epochs=1))
    started = time.perf_counter()
    assert room.round([3, 3]) == [None, None]
    assert time.perf_counter() - started < 1.0  # trained alone: no group compile waited for
    deadline, rounds = time.monotonic() + 60, 0
    while ready_size(arch, 2) is None and time.monotonic() < deadline:  # each call asks for it while it is missing
        assert room.round([1, 1]) == [None, None]
        rounds += 1
        time.sleep(0.1)
    assert ready_size(arch, 2) == BACKGROUND_SIZES[0]  # one of the few sizes compiled during play
    assert room.round([2, 2]) == [None, None]
    assert [room.headers[i][-1]["epoch"] for i in room.ids] == [6 + rounds] * 2
    room.close()


def test_custom_data_and_refused_specs_never_group():
    points = ((1.0, 1.0, 1.0), (-1.0, -1.0, 0.0), (1.0, -1.0, 1.0), (-1.0, 1.0, 0.0))
    assert operations.group_key(TrainingSpec(dataset="custom", points=points), True) is None
    assert operations.group_key(TrainingSpec(batch_size=10_000), True) is None
    assert operations.group_key(spec(0), True) == operations.group_key(spec(1, learning_rate=0.3), True)


@pytest.mark.timeout(180)
def test_worker_processes_train_a_group_in_one_request_and_answer_each_member():
    async def scenario():
        backend = ProcessBackend(workers=1, jit_compile=True)
        try:
            for i in range(3):
                await backend.add(f"s{i}", spec(i))
            keys = {backend.group_key(f"s{i}") for i in range(3)}
            assert len(keys) == 1 and next(iter(keys))[0] == backend.workers()[0].pid
            frames = await backend.call_group(["s0", "gone", "s1", "s2"], [2, 2, 3, 4], resolution=10,
                                              neuron_resolution=5)
            assert isinstance(frames[1], NotHosted)
            assert [f.epoch for f in (frames[0], *frames[2:])] == [2, 3, 4]
            await backend.call("s2", "update", changes={"batch_size": 20})
            assert backend.group_key("s2") != backend.group_key("s0")
            backend.remove("s1")
            assert backend.group_key("s1") is None
        finally:
            backend.close()

    run(scenario())


def test_a_session_two_tabs_play_takes_its_turns_one_after_the_other_and_its_group_plays_on():
    specs = [spec(i) for i in range(3)]
    room = Classroom(specs)
    room.warm(3, 2)

    async def send(text, data):
        room.headers[room.ids[0]].append(json.loads(text))
    second_tab = room.player.playback(room.ids[0], send)
    second_tab.playing = True
    room.playbacks.append(second_tab)
    assert room.round([2, 2, 2, 3]) == [None] * 4
    assert room.session(0).epoch == 5  # both tabs' turns trained, one call after the other
    assert max(h["epoch"] for h in room.headers[room.ids[0]]) == 5
    for i in (1, 2):
        assert_same_numbers(room.session(i), twin_in_a_group_of_one(specs[i], [2]))
    room.close()


def test_a_session_listed_twice_in_one_group_call_trains_both_turns():
    sessions = [TrainingSession(spec(i)) for i in range(2)]
    GroupTrainer().warm(sessions)
    frames = operations.frame_group([sessions[0], sessions[1], sessions[0]], [2, 2, 3], resolution=5,
                                    neuron_resolution=3)
    assert [f.header()["epoch"] for f in frames] == [5, 2, 5] and sessions[0].epoch == 5
