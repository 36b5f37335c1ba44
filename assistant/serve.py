"""`selfcheck serve`: the chat assistant for a room of browsers, with Textual's own web server.

Each browser that connects gets its own process running `selfcheck participant` (textual-serve
starts one per connection); all of them write to this machine's store, which is safe for several
processes at once. Loopback by default; serving beyond this machine needs a join code.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import shlex
import sys
from typing import Any

from .store import TinyStore

JOIN_CODE_ENV = "SELFCHECK_JOIN_CODE"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_join_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def serve(store: TinyStore, workshop: dict[str, Any], host: str, port: int, join_code: str | None, lang: str) -> int:
    from textual_serve.server import Server

    if not is_loopback(host) and not join_code:
        join_code = new_join_code()
    os.environ["SELFCHECK_DB"] = str(store.root.resolve())
    if join_code:
        os.environ[JOIN_CODE_ENV] = join_code
    else:
        os.environ.pop(JOIN_CODE_ENV, None)
    command = " ".join(shlex.quote(part) for part in (
        sys.executable, "-m", "assistant", "participant", "--workshop", workshop["name"], "--lang", lang))
    url = f"http://{host}:{port}"
    print(f"selfcheck: serving workshop {workshop['name']!r} ({workshop['org']}) at {url}")
    if join_code:
        print(f"selfcheck: join code: {join_code}  (participants type it before they start)")
    else:
        print("selfcheck: loopback only (this machine); use --host to serve the room, with a join code")
    print(f"selfcheck: follow progress in another terminal: selfcheck workshop watch {shlex.quote(workshop['name'])}")
    Server(command, host=host, port=port, title=f"卓越服务自评助手 · {workshop['name']}").serve()
    return 0
