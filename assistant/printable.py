"""Text from users and files made safe to show on a terminal: control characters (an escape
sequence, a carriage return, NUL) and bidirectional overrides are shown as visible escapes
instead of being sent to the terminal, where they could clear the screen or reorder text."""

from __future__ import annotations

import unicodedata

# bidirectional embedding/override/isolate marks and line/paragraph separators
_INVISIBLE = {0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _escape(c: str) -> str:
    code = ord(c)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␀ for NUL, ␍ for CR
    if code == 0x7F:
        return "␡"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def printable(text: str, newlines: bool = True) -> str:
    """`text` with every control character made visible; newlines (and tabs) kept if asked."""
    keep = "\n\t" if newlines else ""
    return "".join(
        c if c in keep or (unicodedata.category(c) != "Cc" and ord(c) not in _INVISIBLE) else _escape(c)
        for c in text
    )
