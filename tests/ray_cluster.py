"""One local Ray cluster for a test run: a head and two worker nodes, all on 127.0.0.1, no dashboard, and the
web apps tests build on it.

Starting Ray takes 10-16 s and each host actor ~10 s (TensorFlow's import), so the cluster is started once per
test run (the ``ray_cluster`` fixture of tests/conftest.py) and each group of apps uses a namespace of its own
(its own directory and hosts), removed when the group closes.
"""

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Every node listens on 127.0.0.1 only (Ray's single-machine mode, read when Ray is imported; as
# app.sessions.ray_backend sets it for a Ray on this machine): else Ray binds all interfaces, and rewrites a
# loopback address to the machine's own when a driver connects.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
try:
    import ray
    from ray.cluster_utils import Cluster
except ModuleNotFoundError:  # each Ray test module skips itself, saying so (NEEDS_RAY)
    ray = Cluster = None

from fastapi import FastAPI  # noqa: E402

from app.config import get_settings  # noqa: E402
from app.main import create_app  # noqa: E402
from tests.apps import MANY_CLIENTS, TEST_HOST  # noqa: E402

NEEDS_RAY = "the Ray backend's tests need the ray extra: pip install '.[ray]'"

LOOPBACK = {"node_ip_address": "127.0.0.1", "num_cpus": 2, "object_store_memory": 100 * 2**20}


@contextmanager
def local_cluster() -> Iterator["Cluster"]:
    """Three nodes on 127.0.0.1, this process connected to them as the driver; all stopped on exit."""
    from app.sessions.ray_backend import connect

    cluster = Cluster(initialize_head=True, head_node_args={**LOOPBACK, "include_dashboard": False})
    try:
        for _ in range(2):
            cluster.add_node(**LOOPBACK)
        connect(cluster.address)
        yield cluster
    finally:
        ray.shutdown()
        cluster.shutdown()


class RayApps:
    """Web apps on the test cluster that share one namespace (one directory, its hosts)."""

    def __init__(self, cluster: "Cluster", **settings: Any) -> None:
        self.cluster = cluster
        self.namespace = f"tp-test-{uuid.uuid4().hex[:8]}"
        self.settings = {"backend": "ray", "ray_address": cluster.address, "ray_namespace": self.namespace,
                         "ray_hosts": 2, "jit_compile": False, "prewarm": False, **MANY_CLIENTS, **TEST_HOST,
                         **settings}
        self.apps: list[FastAPI] = []

    def app(self) -> FastAPI:
        data_dir = Path(tempfile.mkdtemp(prefix="tp-test-data-"))
        app = create_app(get_settings().model_copy(update={**self.settings, "data_dir": data_dir}))
        self.apps.append(app)
        return app

    def close(self) -> None:
        """Stop the apps' backends and every actor of the namespace (hosts, replacements, the directory)."""
        for app in self.apps:
            app.state.sessions.backend.close()
        for actor in ray.util.list_named_actors(all_namespaces=True):
            if actor["namespace"] == self.namespace:
                try:
                    ray.kill(ray.get_actor(actor["name"], namespace=self.namespace))
                except ValueError:
                    pass  # gone already
