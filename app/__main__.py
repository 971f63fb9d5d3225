"""``python -m app`` serves the app on the configured host and port, with the server's own limits
(``app/server.py``)."""

import uvicorn

from app.config import get_settings
from app.server import reserve_file_descriptors, uvicorn_options


def main() -> None:
    settings = get_settings()
    reserve_file_descriptors(settings.max_connections)
    uvicorn.run("app.main:app", **uvicorn_options(settings))


if __name__ == "__main__":
    main()
