"""Text from users and files made safe to show on a terminal: control characters (an escape
sequence, a carriage return, NUL), bidirectional overrides and lone surrogates are shown as
visible escapes instead of being sent to the terminal, where they could clear the screen or
reorder text (issue 11, point 8). This is the one place that decides what is unsafe:

- `printable` for text, Markdown, HTML and CSV: each unsafe character becomes visible (␛ for ESC,
  \\x9b for a C1 control, \\u202e for a bidi override, \\ud800 for a lone surrogate);
- `json_safe` for JSON: each unsafe character becomes a JSON \\uXXXX escape, so the output stays
  valid JSON and a reader gets the stored text back unchanged.
"""

from __future__ import annotations

import re
import unicodedata

# bidirectional embedding/override/isolate marks (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C)
# and the line/paragraph separators, which move a terminal's cursor like a newline
_INVISIBLE = {0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def UNSAFE(c: str) -> bool:  # noqa: N802 (a predicate used like a character class)
    """A character never sent as it is: a C0 or C1 control or DEL, a bidi mark, a lone surrogate."""
    code = ord(c)
    return code in _INVISIBLE or unicodedata.category(c) in ("Cc", "Cs")


_UNSAFE_RX = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(c: str) -> str:
    code = ord(c)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␀ for NUL, ␍ for CR
    if code == 0x7F:
        return "␡"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def printable(text: str, newlines: bool = True, crlf: bool = False) -> str:
    """`text` with every unsafe character made visible; newlines and tabs kept if asked, and
    with `crlf` (CSV) a carriage return that ends a line with its newline."""
    keep = "\n\t" if newlines else ""

    def one(m: re.Match[str]) -> str:
        c = m.group()
        if c in keep or (crlf and c == "\r" and text.startswith("\n", m.end())):
            return c
        return _escape(c)

    return _UNSAFE_RX.sub(one, text)


def json_safe(json_text: str) -> str:
    """JSON text (as json.dumps writes it, ensure_ascii=False) with every unsafe character left
    raw inside a string written as a \\uXXXX escape: still valid JSON, and the same value. (json.dumps
    escapes C0 controls inside strings itself: a raw newline, tab or CR is the layout's whitespace.)"""
    return _UNSAFE_RX.sub(lambda m: m.group() if m.group() in "\n\r\t" else f"\\u{ord(m.group()):04x}", json_text)


def clipped(text: str, limit: int = 300) -> str:
    """`text` cut to `limit` characters with an ellipsis: a name stored before there were limits
    (issue 11, point 7) can be megabytes long, and a table would lay it out for minutes."""
    return text if len(text) <= limit else text[:limit] + "…"
