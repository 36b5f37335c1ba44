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

from .i18n import t
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


def room_url(host: str, port: int, public_url: str | None) -> str:
    """The address participants type. Listening on 0.0.0.0 (every interface) is not an address a
    browser elsewhere can reach, and the page loads its scripts from this URL: use this machine's
    name's address instead (looked up locally, nothing is sent)."""
    if public_url:
        return public_url.rstrip("/")
    if host in ("0.0.0.0", "::", ""):
        import socket

        try:
            host = socket.gethostbyname(socket.gethostname())
        except OSError:
            host = socket.gethostname()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve(store: TinyStore, workshop: dict[str, Any], host: str, port: int, join_code: str | None, lang: str,
          public_url: str | None = None) -> int:
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
    url = room_url(host, port, public_url)
    print(t("serve.serving", lang, name=workshop["name"], org=workshop["org"], url=url))
    if join_code:
        print(t("serve.join_code", lang, code=join_code))
    else:
        print(t("serve.loopback", lang))
    print(t("serve.watch", lang, name=shlex.quote(workshop["name"])))
    Server(command, host=host, port=port, title=f"卓越服务自评助手 · {workshop['name']}", public_url=url).serve()
    return 0
