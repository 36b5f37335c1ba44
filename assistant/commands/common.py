"""What every command module shares: output to the terminal or a file, input files, the library."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from ..domain.loader import BankError, Library, load_library
from ..errors import UserError
from ..i18n import t
from ..printable import printable


def one_line(message: object) -> str:
    """A message as one printable line: control characters that came from a file (a newline, an
    escape sequence) are shown escaped, never sent to the terminal."""
    return printable(str(message), newlines=False)


class OutputError(UserError):
    """An output file (--out) that cannot be written: exit 2, before anything was stored."""


def check_out(out: str, lang: str = "en", store: str | Path | None = None) -> None:
    """Refuse an output file inside a store folder (`store`, which may not exist yet, or any folder
    holding a selfcheck store): the store's files are its own, and a result there could overwrite one."""
    from ..store.folder import store_holding

    root = store_holding(out, store)
    if root is not None:
        why = (f"它位于存储文件夹 {root} 中，那里只放存储自己的文件；请写到别处" if lang == "zh" else
               f"it is inside the store folder {root}, which holds only the store's own files; write it elsewhere")
        raise OutputError(t("cli.err.write", "zh" if lang == "zh" else "en", path=out, error=why))


def emit(text: str, out: str | None, lang: str = "en", newline: str | None = None) -> None:
    """`text` to the file `out` (saying so on standard error), else (also for `-`) to standard output.
    `newline=""` writes line ends as they are in `text` (CSV's \r\n), not translated for the platform.
    A file in a store folder is refused."""
    if out and out != "-":
        check_out(out, lang)
        try:
            Path(out).write_text(text, encoding="utf-8", newline=newline)
        except OSError as e:
            raise OutputError(t("cli.err.write", "zh" if lang == "zh" else "en", path=out,
                                error=e.strerror or e)) from None
        print(("已写入 " if lang == "zh" else "Written to ") + out, file=sys.stderr)
    else:
        sys.stdout.write(text)


def rich_text(renderable: Any, width: int | None = None) -> str:
    from rich.console import Console

    console = Console(record=True, width=width or 100, file=open(os.devnull, "w"), force_terminal=False,
                      color_system=None)
    console.print(renderable)
    return console.export_text()


def print_rich(renderable: Any) -> None:
    from rich.console import Console

    Console().print(renderable)


def read_text(path: str) -> str:
    """A UTF-8 input file (or standard input for "-"); one that cannot be read is bad input."""
    source = "standard input" if path == "-" else path
    try:
        return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{source}: cannot be read ({getattr(e, 'strerror', None) or e})") from None


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def library() -> Library:
    try:
        return load_library()
    except BankError as e:
        raise UserError(f"a question bank cannot be loaded: {e}") from None
