"""The play loop's rules: slices, epochs per call, pace, and the pool size it plans for."""

import pytest

from app.config import Settings
from app.main import create_app
from app.sessions.backend import InProcessBackend
from app.sessions.player import (
    MAX_CATCH_UP_SECONDS, MIN_SLICE_SECONDS, TARGET_SECONDS, next_epochs, owed_epochs, paced_epochs, slice_seconds)
from app.sessions.processes import ProcessBackend


def test_epochs_per_call_adapt_toward_the_target_time_at_most_twofold():
    assert next_epochs(10, TARGET_SECONDS, cap=5000) == 10
    assert next_epochs(10, TARGET_SECONDS / 10, cap=5000) == 20  # fast: grow, but only 2x
    assert next_epochs(10, TARGET_SECONDS * 10, cap=5000) == 5  # slow (e.g. a compile): shrink 2x
    assert next_epochs(1, 5.0, cap=5000) == 1
    assert next_epochs(4000, 0.001, cap=5000) == 5000


def test_slices_shrink_with_more_playing_streams_than_threads():
    assert slice_seconds(1, 2) == TARGET_SECONDS
    assert slice_seconds(2, 2) == TARGET_SECONDS
    assert slice_seconds(10, 2) == pytest.approx(TARGET_SECONDS / 5)
    assert slice_seconds(10_000, 2) == MIN_SLICE_SECONDS
    # a call that took 10x its slice is cut, at most halving per call
    assert next_epochs(100, 0.06, cap=1000, target=0.006) == 50


def test_a_paced_stream_owes_its_pace_times_the_time_played_the_first_epoch_at_once():
    assert owed_epochs(30.0, 0.0, 0) == 1  # play: the first epoch now
    assert owed_epochs(30.0, 1.0, 31) == 0  # on time after a second: nothing owed, so it waits
    assert owed_epochs(30.0, 1.1, 31) == pytest.approx(3)  # 100 ms more: three epochs, whatever the frame rate
    # fell behind by 10 s (a budget wait, a slow compile): at most MAX_CATCH_UP_SECONDS of it is made up
    assert owed_epochs(30.0, 10.0, 0) == pytest.approx(30.0 * MAX_CATCH_UP_SECONDS + 1)


def test_a_paced_call_trains_the_whole_epochs_owed_never_more_than_the_slice_allows():
    assert paced_epochs(5000, 3.7) == 3
    assert paced_epochs(7, 40.0) == 7  # the slice allows only 7 a call: the pace is a ceiling, not a floor
    assert paced_epochs(5000, 1.0) == 1


def test_the_pool_the_player_plans_for_is_the_one_the_settings_built():
    assert InProcessBackend(workers=3, jit_compile=False).capacity == 3
    assert ProcessBackend(workers=2, threads=3).capacity == 6  # builds no process
    from app.api.routes.stream import player_of

    processes = create_app(Settings(backend="processes", workers=3, worker_threads=2, prewarm=False))
    assert player_of(processes).capacity == 6
    inprocess = create_app(Settings(backend="inprocess", prewarm=False))
    assert player_of(inprocess).capacity == inprocess.state.sessions.backend._pool._max_workers
    assert player_of(processes) is player_of(processes) and player_of(processes) is not player_of(inprocess)
