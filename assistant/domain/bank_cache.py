"""The validated banks kept between runs, so that a start-up reads them instead of parsing and
validating every TOML file again (issue 14).

The cache is a file in the per-user cache folder (platformdirs: ~/.cache/selfcheck/banks on Linux)
named by a fingerprint of everything the result depends on: the bank files' bytes, the source of
every module of assistant/domain (the models and their checks live there, and the scores a store
keeps with its summaries are computed there), the program's, Python's and pydantic's versions. A bank
file edited, a check added to bank.py or an upgrade gives another fingerprint: the cache is not read
and a new one is written. Nothing in it is trusted blindly: a file whose header, fingerprint or
content does not check out (damaged, cut short, written by someone else) is ignored and replaced,
and only the domain's own classes, Decimal and paths may be built from it (a restricted unpickler).
Writing is best effort: a read-only cache folder costs speed, never a start.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any, Iterable

MAGIC = b"selfcheck-banks 1\n"
KEEP = 8  # cache files kept (several checkouts or versions on one machine each keep theirs)
ENV_OFF = "SELFCHECK_NO_BANK_CACHE"  # set (to anything) to read the TOML files every time
DOMAIN = Path(__file__).resolve().parent


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("selfcheck", appauthor=False) / "banks"


def fingerprint(files: Iterable[Path]) -> str:
    """The identity of what loading `files` gives: their bytes and the code that checks and scores them.

    Raises OSError when a file cannot be read (the loader then reports it)."""
    from pydantic import VERSION

    from .. import __version__

    h = hashlib.sha256(f"{__version__}|{sys.version_info[:2]}|{VERSION}\n".encode())
    for source in sorted(DOMAIN.glob("*.py")):
        h.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    for f in files:
        h.update(str(f).encode() + b"\0" + Path(f).read_bytes() + b"\0")
    return h.hexdigest()


class _Unpickler(pickle.Unpickler):
    """Builds only what a library is made of: the domain's classes, Decimal, paths, enums' values."""

    ALLOWED = {("decimal", "Decimal"), ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "Path"),
               ("copyreg", "_reconstructor"), ("builtins", "object"), ("builtins", "set"), ("builtins", "frozenset")}

    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("assistant.domain.") or (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a bank library")


def read(key: str) -> Any | None:
    """The library cached under `key`, or None (no cache, another key, damage: never an error)."""
    if os.environ.get(ENV_OFF):
        return None
    try:
        raw = (cache_dir() / f"{key[:32]}.pickle").read_bytes()
    except OSError:
        return None
    head = MAGIC + key.encode() + b"\n"
    if not raw.startswith(head) or len(raw) < len(head) + 32:
        return None
    digest, body = raw[len(head):len(head) + 32], raw[len(head) + 32:]
    if hashlib.sha256(body).digest() != digest:  # cut short or changed since it was written
        return None
    try:
        return _Unpickler(io.BytesIO(body)).load()
    except Exception:  # anything a damaged or foreign file could raise: rebuild instead
        return None


def write(key: str, library: Any) -> None:
    """Keep `library` under `key` (atomically; best effort), and only the newest KEEP files."""
    if os.environ.get(ENV_OFF):
        return
    from ..cache_files import keep

    try:
        body = pickle.dumps(library, protocol=pickle.HIGHEST_PROTOCOL)
        keep(cache_dir(), f"{key[:32]}.pickle", MAGIC + key.encode() + b"\n" + hashlib.sha256(body).digest() + body,
             KEEP)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass
