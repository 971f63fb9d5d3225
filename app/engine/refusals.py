"""A ``ValueError`` that also names its cause with a stable code and parameters.

The message stays the English sentence an API user reads; ``code`` and ``params`` let a page say the same
refusal in its own language (the HTTP layer passes them on, see app/error_codes.py).
"""

from typing import Any


class Refusal(ValueError):
    def __init__(self, message: str, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params
