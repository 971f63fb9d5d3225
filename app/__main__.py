"""``python -m app`` serves the app on the configured host and port, with the server's own limits
(``app/server.py``)."""

import sys

import uvicorn

from app.config import get_settings
from app.server import reserve_file_descriptors, uvicorn_options


def main() -> None:
    settings = get_settings()
    reserve_file_descriptors(settings.max_connections)
    # A concept lab runs hundreds of small TensorFlow ops, each giving up the interpreter lock and taking it
    # back; while streams keep other threads busy, every take-back can wait a whole switch interval (5 ms by
    # default), so one lab call took a second. A shorter interval hands the lock back sooner.
    sys.setswitchinterval(settings.switch_interval_seconds)
    uvicorn.run("app.main:app", **uvicorn_options(settings))


if __name__ == "__main__":
    main()
