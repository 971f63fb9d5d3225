"""The Ray backend's own tests: one cluster for the run (``ray_cluster``, tests/conftest.py), a namespace per
test module (``ray_apps``). Skipped, with the reason, where Ray is not installed (``pip install '.[ray]'``)."""

from collections.abc import Iterator

import pytest

from tests.ray_cluster import LOOPBACK, NEEDS_RAY, RayApps

__all__ = ["LOOPBACK", "NEEDS_RAY", "RayApps"]


@pytest.fixture(scope="module")
def ray_apps(ray_cluster, request) -> Iterator[RayApps]:
    apps = RayApps(ray_cluster, **getattr(request.module, "RAY_SETTINGS", {}))
    yield apps
    apps.close()
