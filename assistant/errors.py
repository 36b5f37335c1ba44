"""The errors the command line turns into an exit code: 2 for bad input, 1 for an unusable store.

Its own module so that the app's launcher and the command modules can raise them without
importing `assistant.cli` (which imports them).
"""

from __future__ import annotations

EXIT_STORE = 1
EXIT_INPUT = 2


class UserError(Exception):
    def __init__(self, message: str, code: int = EXIT_INPUT):
        super().__init__(message)
        self.code = code
