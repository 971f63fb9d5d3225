import pytest

from tests.store.databases import NO_POSTGRES, POSTGRES_URL, emptied


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'runs.db'}"
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    return emptied(POSTGRES_URL)
