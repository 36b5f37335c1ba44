"""JSON from a file the user gave us, read so that every way it can be wrong is one error type."""

from __future__ import annotations

import json
from typing import Any


def parse_json(text: str) -> Any:
    """The parsed value, or ValueError saying what is wrong, in words fit for a one-line message."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except (ValueError, RecursionError) as e:  # a number of thousands of digits, arrays nested thousands deep
        raise ValueError(f"not usable JSON ({str(e)[:80]})") from None
