"""What every command module shares: output to the terminal or a file, input files, the library."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from ..i18n import t
from ..printable import json_safe, printable

if TYPE_CHECKING:  # loaded by library(): a command module's import stays light
    from pathlib import Path

    from ..domain.loader import Library


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
    A file in a store folder is refused. Control and bidi characters are shown escaped (printable;
    JSON from dumps() has them as \\u escapes already, which this leaves as they are)."""
    text = printable(text, crlf=newline == "")
    if out and out != "-":
        check_out(out, lang)
        from pathlib import Path  # pathlib and json are not loaded for --help (issue 14 §2)

        try:
            Path(out).write_text(text, encoding="utf-8", newline=newline)
        except OSError as e:
            raise OutputError(t("cli.err.write", "zh" if lang == "zh" else "en", path=out,
                                error=e.strerror or e)) from None
        print(("已写入 " if lang == "zh" else "Written to ") + out, file=sys.stderr)
    else:
        sys.stdout.write(text)


def rich_text(renderable: Any, width: int | None = None) -> str:
    """`renderable` as plain text `width` columns wide (100), its lines broken as the chat's are."""
    from rich.console import Console

    from ..rich_linebreak import broken

    console = Console(record=True, width=width or 100, file=open(os.devnull, "w"), force_terminal=False,
                      color_system=None)
    console.print(broken(renderable))
    return console.export_text()


def print_rich(renderable: Any) -> None:
    """`renderable` on the terminal, every text in it printable(): the renderers escape what users
    typed; this is the net under them (the styles' own escape codes are not text and stay). Lines
    break as the chat's do (assistant/linebreak.py)."""
    from rich.console import Console
    from rich.segment import Segment, Segments

    from ..rich_linebreak import broken

    console = Console()
    segments = [s if s.control else Segment(printable(s.text), s.style, s.control)
                for s in console.render(broken(renderable), console.options)]
    console.print(Segments(segments), end="")


def read_text(path: str, lang: str = "en") -> str:
    """A UTF-8 input file (or standard input for "-"), a byte-order mark dropped; one that cannot be
    read is bad input. At most MAX_FILE_BYTES are read: a larger file (or /dev/zero) is refused."""
    from ..domain.answers import MAX_FILE_BYTES

    source = t("cli.stdin", "zh" if lang == "zh" else "en") if path == "-" else path
    try:
        if path == "-":
            stream = getattr(sys.stdin, "buffer", None)
            data: bytes | str = stream.read(MAX_FILE_BYTES + 1) if stream else sys.stdin.read(MAX_FILE_BYTES + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise UserError(t("input.too_big", "zh" if lang == "zh" else "en", source=source, limit=MAX_FILE_BYTES,
                              mib=MAX_FILE_BYTES // (1024 * 1024)))
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{source}: cannot be read ({getattr(e, 'strerror', None) or e})") from None
    return text.removeprefix("\ufeff")


def dumps(data: Any) -> str:
    """JSON for output: control and bidi characters, and lone surrogates, as \\u escapes (json_safe)."""
    import json

    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def library() -> Library:
    from ..domain.loader import BankError, load_library

    try:
        return load_library()
    except BankError as e:
        raise UserError(f"a question bank cannot be loaded: {e}") from None


def report_session(store: Any, lib: Library, args: Any) -> Any:
    """The stored session args.session_id, in --lang's language and --rules' profile when given;
    one that uses a bank this version does not ship is bad input."""
    session = store.get_session(args.session_id)
    missing = [b for b in session.banks if b not in lib.banks]
    if missing:
        raise UserError(t("cli.err.bank_missing", args.lang or "zh", session=session.id, bank=missing[0]))
    update = {k: v for k, v in (("lang", args.lang), ("rules_profile", getattr(args, "rules", None))) if v}
    return session.model_copy(update=update) if update else session
