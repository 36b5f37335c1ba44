"""`selfcheck serve`: the chat assistant for a room of browsers, with Textual's own web server.

A browser that connects first talks to this server itself, in its terminal (no process yet): the
join code when the room has one, the participant's name and role. Only then does a participant
process start (`selfcheck participant --session ID`, one per browser, at most --max-participants
at a time; the others are told the room is full and wait). Wrong codes are limited per connection
and per address with a growing, bounded back-off, so guessing is slow and the right code always
gets in. A reload continues the participant's own session: the page's cookie names the browser,
and without it the same name (after the code) is asked about. On loopback the websocket's Origin
and Host must be this machine's, so that a web page in a local browser cannot add participants.
All processes write to this machine's store, which is safe for several processes at once.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shlex
import sys
import time
from typing import Any, Awaitable, Callable

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .room import Admission, Connection, Room, is_loopback
from .i18n import t
from .store import StoreError, TinyStore

JOIN_CODE_ENV = "SELFCHECK_JOIN_CODE"  # no longer given to participant processes (the server checks the code)
COOKIE = "selfcheck_room"
READY = {"type": "selfcheck_ready"}  # a participant's chat is up (tui/screens/join.py sends it)
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


# -- the join prompt, drawn by the server in the page's terminal --------------------------------------


class Door:
    """A line-by-line prompt in the browser's terminal (xterm.js), before any process starts."""

    YES, NO = ("y", "是"), ("n", "否")

    def __init__(self, send: Callable[[bytes], Awaitable[Any]], width: int = 80):
        self.send, self.width = send, width
        self.keys: asyncio.Queue[tuple[float, str]] = asyncio.Queue()
        self._buffer = ""
        self._buffer_at = 0.0

    def feed(self, data: str) -> None:
        self.keys.put_nowait((time.monotonic(), data))

    def leftover(self) -> list[tuple[float, str]]:
        """What was typed and not read yet, with when: the app gets it when it starts."""
        rest = [(self._buffer_at, self._buffer)] if self._buffer else []
        self._buffer = ""
        while not self.keys.empty():
            rest.append(self.keys.get_nowait())
        return rest

    async def write(self, text: str) -> None:
        await self.send(text.replace("\n", "\r\n").encode("utf-8"))

    async def say(self, text: str, style: str = "") -> None:
        from .printable import printable

        codes = {"error": "\x1b[31m", "bold": "\x1b[1m", "dim": "\x1b[2m"}.get(style, "")
        await self.write(f"\r\x1b[2K{codes}{printable(text, newlines=False)}\x1b[0m\n")

    @staticmethod
    def _text(data: str) -> str:
        """Typed characters without escape sequences (arrows, function keys, bracketed paste marks)."""
        out, i = [], 0
        while i < len(data):
            if data[i] == "\x1b":
                i += 1
                if i < len(data) and data[i] in "[O":
                    i += 1
                    while i < len(data) and not ("@" <= data[i] <= "~"):
                        i += 1
                i += 1
                continue
            out.append(data[i])
            i += 1
        return "".join(out)

    async def _char(self) -> str:
        while not self._buffer:
            self._buffer_at, data = await self.keys.get()
            self._buffer = self._text(data)
        c, self._buffer = self._buffer[0], self._buffer[1:]
        return c

    async def ask(self, prompt: str, secret: bool = False, max_len: int = 80) -> str:
        from rich.cells import cell_len

        value = ""

        async def draw() -> None:
            shown = "*" * len(value) if secret else value
            room = max(8, self.width - cell_len(prompt) - 2)
            while cell_len(shown) > room:
                shown = shown[1:]
            await self.write(f"\r\x1b[2K\x1b[1m{prompt}\x1b[0m{shown}")

        await draw()
        while True:
            c = await self._char()
            if c in "\r\n":
                await self.write("\n")
                return value
            if c in "\x7f\x08":
                value = value[:-1]
            elif c == "\x15":  # Ctrl+U
                value = ""
            elif c.isprintable() and len(value) < max_len:
                value += c
            else:
                continue
            await draw()

    async def confirm(self, prompt: str, enter: bool | None = None) -> bool:
        """One key: y or n (是 / 否); Enter means `enter` when given."""
        await self.write(f"\r\x1b[2K\x1b[1m{prompt}\x1b[0m")
        while True:
            c = (await self._char()).casefold()
            if c in "\r\n" and enter is not None:
                await self.write("\n")
                return enter
            if c in self.YES or c in self.NO:
                await self.write(c + "\n")
                return c in self.YES


async def admit(room: Room, door: Door, conn: Connection, token: str | None) -> Admission:
    """The join prompt: resume by the browser's token, or the code, the name (the same name asks
    whether it is that person) and the role."""
    lang = room.lang
    await door.write("\x1b[2J\x1b[H")
    await door.say(f"{t('app.title', lang)} · {room.workshop['name']}", "bold")
    await door.say(t("join.welcome", lang, org=room.workshop["org"]))
    await door.write("\n")
    mine = await room.member(room.tokens.get(token or ""))
    if mine is not None:
        if await door.confirm(t("room.back", lang, name=mine.respondent or "—", n=mine.answered_count()), enter=True):
            return Admission(mine.id, True)
        room.tokens.pop(token or "", None)
    if room.join_code:
        while not await room.check_code(conn, await door.ask(t("room.code", lang), secret=True, max_len=32), door):
            await door.say(t("room.wrong", lang), "error")
    while True:
        name = " ".join((await door.ask(t("room.name", lang), max_len=80)).split())
        if not name:
            await door.say(t("join.name_missing", lang), "error")
            continue
        twin = await room.twin(name)
        if twin is None:
            break
        when = twin.updated.astimezone().strftime("%H:%M")
        if await door.confirm(t("room.twin", lang, name=twin.respondent, n=twin.answered_count(), when=when)):
            return Admission(twin.id, True)
        await door.say(t("room.other_name", lang))
    role = " ".join((await door.ask(t("room.role", lang), max_len=40)).split()) or None
    session = await room.create(name, role)
    return Admission(session.id, False)


# -- the web server ---------------------------------------------------------------------------------


class RoomApp(AppService):
    """A participant process. Keys typed while it starts are held until its chat is ready (it
    says so with a meta packet, READY) and then replayed with the pauses they were typed with
    (a lone 1–5 waits a moment for more typing)."""

    LONGEST_START = 20.0  # seconds: held keys go anyway after this

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._held: list[tuple[float, bytes]] | None = []
        self._ready = asyncio.Event()
        self._flusher: asyncio.Task | None = None

    async def start(self, width: int, height: int) -> None:
        await super().start(width, height)
        self._flusher = asyncio.create_task(self._flush_when_ready())

    async def on_meta(self, data: bytes) -> None:
        try:
            ready = json.loads(data).get("type") == READY["type"]
        except (ValueError, AttributeError):
            ready = False
        if ready:
            self._ready.set()
        else:
            await super().on_meta(data)

    async def _flush_when_ready(self) -> None:
        try:
            await asyncio.wait_for(self._ready.wait(), self.LONGEST_START)
        except asyncio.TimeoutError:
            pass
        previous = None
        while self._held:
            at, data = self._held.pop(0)
            if previous is not None and at > previous:
                await asyncio.sleep(min(at - previous, 2.0))
            previous = at
            await AppService.send_bytes(self, data)
        self._held = None

    async def send_bytes(self, data: bytes, at: float | None = None) -> bool:
        if self._held is not None:
            self._held.append((at or time.monotonic(), data))
            return True
        return await super().send_bytes(data)

    async def wait(self) -> None:
        if self._task is not None:
            await asyncio.shield(self._task)


def _int(value: Any, default: int) -> int:
    try:
        return max(10, min(int(value), 1000))
    except (TypeError, ValueError):
        return default


class RoomServer(Server):
    """textual-serve's server with the join prompt, the places and the Origin check in front."""

    def __init__(self, room: Room, command: str, title: str | None = None, host: str = "127.0.0.1",
                 port: int = 8000, public_url: str | None = None):
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self.room = room
        self.explicit_public_url = public_url

    async def on_startup(self, app: web.Application) -> None:
        pass  # serve() has said where and how to join

    def command_for(self, admission: Admission) -> str:
        extra = ["--session", admission.session_id, *(["--resumed"] if admission.resumed else [])]
        return self.command + " " + " ".join(shlex.quote(p) for p in extra)

    def open_app(self, admission: Admission, ws: web.WebSocketResponse) -> Any:
        return RoomApp(self.command_for(admission), write_bytes=ws.send_bytes, write_str=ws.send_str,
                       close=ws.close, download_manager=self.download_manager, debug=self.debug)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        response = await super().handle_index(request)
        if not request.cookies.get(COOKIE):  # names this browser: a reload continues its session
            response.set_cookie(COOKIE, secrets.token_urlsafe(18), httponly=True, samesite="Strict")
        return response

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        room = self.room
        if room.refusal(request.headers, self.explicit_public_url):
            return web.Response(status=403, text=t("room.forbidden", room.lang))
        ws = web.WebSocketResponse(heartbeat=15)
        size = [_int(request.query.get("width"), 80), _int(request.query.get("height"), 24)]
        await ws.prepare(request)
        door = Door(ws.send_bytes, size[0])
        if room.doors - room.running >= room.max_participants * room.DOORS_PER_PLACE:
            await door.say(t("room.too_many", room.lang), "error")
            await ws.close()
            return ws
        room.doors += 1
        app: Any = None
        placed = False
        token = request.cookies.get(COOKIE)

        async def run() -> None:
            nonlocal app, placed
            try:
                admission = await admit(room, door, room.connection(request.remote or "?"), token)
                if token:
                    room.tokens[token] = admission.session_id
                await room.take_place(door)
                placed = True
                await door.say(t("room.starting", room.lang), "dim")
                app = self.open_app(admission, ws)
                await app.start(*size)
                for at, typed in door.leftover():
                    await app.send_bytes(typed.encode("utf-8"), at)
                await app.wait()
            except StoreError as e:
                await door.say(str(e), "error")
            except (ConnectionError, RuntimeError):
                pass  # the page went away
            await ws.close()

        task = asyncio.create_task(run())
        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    envelope = json.loads(message.data)
                    kind = envelope[0]
                    data = envelope[1] if len(envelope) > 1 else None
                except (ValueError, TypeError, IndexError, KeyError):
                    continue
                if kind == "stdin" and isinstance(data, str):
                    if app is not None:
                        await app.send_bytes(data.encode("utf-8"))
                    else:
                        door.feed(data[:1000])
                elif kind == "resize" and isinstance(data, dict):
                    size[:] = [_int(data.get("width"), size[0]), _int(data.get("height"), size[1])]
                    door.width = size[0]
                    if app is not None:
                        await app.set_terminal_size(*size)
                elif kind == "ping":
                    await ws.send_json(["pong", data])
                elif kind in ("blur", "focus") and app is not None:
                    await (app.blur() if kind == "blur" else app.focus())
        finally:
            room.doors -= 1
            task.cancel()

            async def finish() -> None:  # to the end even when this handler is cancelled
                await asyncio.gather(task, return_exceptions=True)
                try:
                    if app is not None:
                        await app.stop()
                finally:
                    if placed:
                        room.release_place()

            await asyncio.shield(asyncio.ensure_future(finish()))
        return ws


def participant_command(workshop: dict[str, Any], lang: str) -> str:
    exec_ = "exec " if os.name == "posix" else ""  # the shell becomes the participant: one process each
    return exec_ + " ".join(shlex.quote(part) for part in (
        sys.executable, "-m", "assistant", "participant", "--workshop", workshop["name"], "--lang", lang))


def serve(store: TinyStore, workshop: dict[str, Any], host: str, port: int, join_code: str | None, lang: str,
          public_url: str | None = None, max_participants: int | None = None) -> int:
    if not is_loopback(host) and not join_code:
        join_code = new_join_code()
    # the participants' processes open the same store: a server's URL (store.url), else the folder
    os.environ["SELFCHECK_DB"] = getattr(store, "url", None) or str(store.root.resolve())
    os.environ.pop(JOIN_CODE_ENV, None)  # the code stays in this process
    url = room_url(host, port, public_url)
    room = Room(store, workshop, lang, join_code, max_participants, host)
    room.banks()
    print(t("serve.serving", lang, name=workshop["name"], org=workshop["org"], url=url))
    if join_code:
        print(t("serve.join_code", lang, code=join_code))
    else:
        print(t("serve.loopback", lang))
    print(t("serve.max", lang, n=room.max_participants))
    print(t("serve.watch", lang, name=shlex.quote(workshop["name"])))
    server = RoomServer(room, participant_command(workshop, lang), title=f"卓越服务自评助手 · {workshop['name']}",
                        host=host, port=port, public_url=url)
    server.serve()
    return 0
