"""`selfcheck pack SESSION_ID --out DIR|F.zip [--english]`: the certification application pack
(assistant/report/pack.py) written to a new or empty folder, or to one zip file."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from ..errors import UserError
from ..i18n import t

if TYPE_CHECKING:  # `selfcheck --help` imports this module: pathlib is loaded where a pack is written
    from pathlib import Path

NAME = "pack"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.pack", lang), description=t("cli.pack.description", lang))
    p.add_argument("session_id", metavar="SESSION_ID", help=t("cli.session_id", lang))
    p.add_argument("--out", required=True, metavar="DIR|FILE.zip", help=t("cli.pack.out", lang))
    p.add_argument("--english", action="store_true", help=t("cli.pack.english", lang))
    p.add_argument("--rules", choices=["clause-text", "table-rows"], default=None, help=t("cli.rules.session", lang))


def run(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from ..domain.evaluate import evaluate
    from ..report import document
    from ..report.pack import build_pack
    from ..store import open_store
    from .common import check_out, library, report_session

    lib = library()
    store = open_store(args.db)
    session = report_session(store, lib, args)
    lang = session.lang
    from pathlib import Path

    out = Path(args.out)
    check_out(args.out, lang, store=args.db)
    as_zip = out.suffix.lower() == ".zip"
    if not as_zip and out.is_dir() and any(out.iterdir()):
        raise UserError(t("office.err.pack_not_empty", lang, path=args.out))
    if not as_zip and out.exists() and not out.is_dir():
        raise UserError(t("office.err.pack_out", lang, path=args.out, error=os.strerror(20)))
    data = document.report_data(store, lib, session, evaluate(lib, session), datetime.now(timezone.utc).astimezone())
    files = build_pack(data, args.english)
    try:
        if as_zip:
            _write_zip(out, files)
        else:
            _write_folder(out, files)
    except OSError as e:
        raise UserError(t("office.err.pack_out", lang, path=args.out, error=e.strerror or e)) from None
    print(t("office.pack.written", lang, path=args.out, n=len(files)), file=sys.stderr)
    return 0


def _write_zip(out: Path, files: list) -> None:
    """The zip whole or not at all: written beside `out` and renamed over it."""
    import tempfile  # here, not at the top: `selfcheck --help` imports this module
    import zipfile
    from pathlib import Path

    fd, tmp = tempfile.mkstemp(prefix=".selfcheck-", suffix=".zip", dir=out.parent if str(out.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
            for f in files:
                z.writestr(f.name, f.data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_folder(out: Path, files: list) -> None:
    """The folder whole or not at all: filled beside `out` and renamed to it (an empty `out` is replaced)."""
    import shutil
    import tempfile
    from pathlib import Path

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".selfcheck-pack-", dir=out.parent))
    try:
        for f in files:
            (tmp / f.name).write_bytes(f.data)
        if out.is_dir():
            out.rmdir()  # empty: checked before anything was built
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
