"""Which Ray the app joins: RAY_ADDRESS as Ray's own tools read it, and loopback-only for a Ray on this machine."""

import pytest

from app.config import Settings
from tests.ray.conftest import NEEDS_RAY

pytest.importorskip("ray", reason=NEEDS_RAY)
from app.sessions.ray_backend import on_this_machine  # noqa: E402


def test_ray_address_is_read_from_rays_own_variable(monkeypatch):
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    assert Settings().ray_address is None
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.5:6379")
    assert Settings().ray_address == "10.0.0.5:6379"
    assert Settings(backend="ray", ray_hosts=3).ray_hosts == 3


@pytest.mark.parametrize(("address", "local"), [
    (None, True), ("127.0.0.1:6379", True), ("localhost:6379", True), ("ray://127.0.0.1:10001", True),
    ("10.0.0.5:6379", False), ("ray://head.example:10001", False)])
def test_a_ray_on_this_machine_is_told_apart_from_a_cluster(address, local):
    assert on_this_machine(address) is local
