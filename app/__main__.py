"""``python -m app`` serves the app on the configured host and port, with the server's own limits
(``app/server.py``)."""

import uvicorn

from app.config import get_settings
from app.server import uvicorn_options


def main() -> None:
    uvicorn.run("app.main:app", **uvicorn_options(get_settings()))


if __name__ == "__main__":
    main()
