import asyncio
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests import devserver
from tests.apps import MANY_CLIENTS, TEST_BACKEND, in_process_app


@pytest.fixture(scope="session")
def ray_cluster():
    """One local Ray cluster on 127.0.0.1 for the whole run, started by the first test that needs it."""
    from tests.ray_cluster import local_cluster

    with local_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def app(request):
    """The app the API tests call in-process; under ``TP_TEST_BACKEND=ray`` its sessions live in host actors
    of the run's Ray cluster instead of the test's own process."""
    if TEST_BACKEND == "ray":
        from tests.ray_cluster import RayApps

        apps = RayApps(request.getfixturevalue("ray_cluster"))
        yield apps.app()
        apps.close()
    else:
        yield in_process_app(**MANY_CLIENTS)


@pytest.fixture
def app_with(request) -> Iterator[Callable[..., Any]]:
    """Builds apps with settings of their own on the run's backend (``TP_TEST_BACKEND``): in-process, or a
    namespace of their own on the run's Ray cluster, whose hosts stop at the test's end."""
    groups: list[Any] = []

    def build(**settings: Any) -> Any:
        if TEST_BACKEND != "ray":
            return in_process_app(**settings)
        from tests.ray_cluster import RayApps

        groups.append(RayApps(request.getfixturevalue("ray_cluster"), **settings))
        return groups[-1].app()

    yield build
    for group in groups:
        group.close()


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


def run_in_thread(coro: Coroutine[Any, Any, Any]) -> Any:
    """``asyncio.run`` in a thread of its own: Playwright's sync API leaves an event loop running in the main
    thread once the browser tests have run, and ``asyncio.run`` refuses to nest."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture
def run_async() -> Callable[[Coroutine[Any, Any, Any]], Any]:
    return run_in_thread


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app served by uvicorn on 127.0.0.1 (shared by the browser, fault and load tests)."""
    limit = str(MANY_CLIENTS["max_sessions_per_client_per_minute"])
    data_dir = str(tmp_path_factory.mktemp("live-server-data"))  # its saved runs: not the worktree's
    with devserver.serve({"TP_MAX_SESSIONS_PER_CLIENT_PER_MINUTE": limit, "TP_DATA_DIR": data_dir}) as url:
        yield url


@pytest.fixture
def focal_loss() -> Iterator[str]:
    """A loss the app does not ship, registered for one test and removed afterwards: Keras's binary focal cross
    entropy with a gamma of its own, fed logits as binary cross entropy is. Only sessions in the test's own
    process (the engine, the in-process app) see it."""
    import keras

    from app.engine.losses import LOGITS, LOSSES, Loss
    from app.engine.problems import Problem

    name = "binary_focal_crossentropy"
    LOSSES.register(name, Loss(keras.losses.binary_focal_crossentropy, "BinaryFocalCrossentropy",
                               {Problem.BINARY: LOGITS, Problem.MULTICLASS: LOGITS}, args={"gamma": 3.0},
                               probabilities=True),
                    label="Binary focal cross entropy", label_zh="二元焦点交叉熵",
                    description="(1 - p_t)^gamma * binary cross entropy")
    try:
        yield name
    finally:
        LOSSES.unregister(name)
