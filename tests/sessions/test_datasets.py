"""DatasetStore: uploads held like sessions (a cap, per-client limits, an idle TTL), and dataset ids turned
into points where a configuration or a live change names one. Time is a hand-moved clock."""

import pytest

from app.engine.custom_data import from_rows
from app.engine.spec import TrainingSpec
from app.sessions.datasets import DatasetNotFound, DatasetStore, TooManyDatasets, TooManyUploads, UnknownDataset
from tests.sessions.test_manager import Clock

DATA = from_rows([[0, 0, "a"], [1, 1, "b"], [2, 2, "a"]])


def store(clock, **limits) -> DatasetStore:
    return DatasetStore(**{"max_datasets": 10, "max_per_client": 5, "ttl_seconds": 900.0, **limits}, clock=clock)


def test_a_dataset_is_found_by_its_id_until_it_idles_past_its_ttl():
    clock = Clock()
    s = store(clock)
    dataset_id = s.add(DATA)
    assert len(dataset_id) >= 22  # 128 random bits
    clock.now += 800
    assert s.get(dataset_id) is DATA  # reading it renews it
    clock.now += 800
    assert s.get(dataset_id) is DATA
    clock.now += 901
    with pytest.raises(DatasetNotFound):
        s.get(dataset_id)
    assert len(s) == 0


def test_the_reaper_drops_idle_datasets():
    clock = Clock()
    s = store(clock)
    old = s.add(DATA)
    clock.now += 500
    new = s.add(DATA)
    clock.now += 450
    assert s.reap() == [old] and len(s) == 1 and s.get(new) is DATA


def test_a_full_store_refuses_with_the_wait_until_the_first_one_goes():
    clock = Clock()
    s = store(clock, max_datasets=3, max_per_client=3)
    for client in ("a", "b", "c"):
        s.add(DATA, client=client)
        clock.now += 100
    with pytest.raises(TooManyDatasets) as caught:
        s.add(DATA, client="d")
    assert caught.value.retry_after == 900 - 300


def test_a_client_at_its_cap_makes_room_with_its_own_least_recently_used_one():
    clock = Clock()
    s = store(clock, max_per_client=2)
    first, second = s.add(DATA, client="a"), s.add(DATA, client="a")
    other = s.add(DATA, client="b")
    s.get(first)  # used: now the second is the least recently used
    third = s.add(DATA, client="a")
    with pytest.raises(DatasetNotFound):
        s.get(second)
    assert s.get(first) is s.get(third) is s.get(other) is DATA


def test_uploads_per_minute_are_limited_per_client():
    clock = Clock()
    s = store(clock, uploads_per_minute=2)
    s.add(DATA, client="a")
    s.add(DATA, client="a")
    with pytest.raises(TooManyUploads) as caught:
        s.add(DATA, client="a")
    assert caught.value.retry_after == 30
    s.add(DATA, client="b")
    clock.now += 30
    s.add(DATA, client="a")


def test_a_named_dataset_puts_its_points_into_the_change():
    s = store(Clock())
    dataset_id = s.add(DATA)
    changes = s.resolve({"dataset": "custom", "dataset_id": dataset_id})
    assert changes["points"] == DATA.rows and changes["class_names"] == ("a", "b")
    assert changes["problem_type"] == "classification" and changes["dataset_id"] == dataset_id


def test_an_unknown_id_without_points_is_refused_and_with_points_keeps_them():
    s = store(Clock())
    with pytest.raises(UnknownDataset, match="unknown or expired"):
        s.resolve({"dataset": "custom", "dataset_id": "gone"})
    assert isinstance(UnknownDataset("x"), ValueError)  # a 422 / a stream error, like any engine refusal
    spec = TrainingSpec(dataset="custom", dataset_id="gone", points=DATA.rows)
    assert s.resolve_spec(spec) == spec


def test_inline_points_above_the_row_cap_are_refused_naming_the_setting():
    s = store(Clock(), max_rows=2)
    with pytest.raises(ValueError, match="TP_MAX_SAMPLES"):
        s.resolve({"points": DATA.rows})
