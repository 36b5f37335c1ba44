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
import hmac
import ipaddress
import json
import math
import os
import secrets
import shlex
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .domain.group import same_person
from .i18n import t
from .store import StoreError, TinyStore

JOIN_CODE_ENV = "SELFCHECK_JOIN_CODE"  # no longer given to participant processes (the server checks the code)
COOKIE = "selfcheck_room"
PARTICIPANT_MIB = 80  # budget per participant process (tests/bench/bench_serve.py: RSS 54 MiB, PSS 39 MiB at start)
READY = {"type": "selfcheck_ready"}  # a participant's chat is up (tui/screens/join.py sends it)
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


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


def available_memory() -> int | None:
    """Bytes of memory available to new processes (Linux: MemAvailable), or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def default_max_participants(memory: int | None = -1, cpus: int | None = -1) -> int:
    """Participant processes at a time: half the available memory at PARTICIPANT_MIB each, and
    at most 40 per processor (a participant uses about 0.6 % of a processor while answering, and
    0.8–1.1 s of one to start: tests/bench/bench_serve.py)."""
    if memory == -1:
        memory = available_memory()
    if cpus == -1:
        cpus = os.cpu_count()
    by_memory = memory // 2 // (PARTICIPANT_MIB * 2**20) if memory else 30
    by_cpu = 40 * cpus if cpus else 30
    return max(2, min(by_memory, by_cpu, 400))


# -- the room: who may join, resume tokens, places ------------------------------------------------------


@dataclass
class Admission:
    session_id: str
    resumed: bool


@dataclass
class Connection:
    address: str
    failures: int = 0


@dataclass
class _Address:
    failures: deque = field(default_factory=deque)  # monotonic times of wrong codes
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Room:
    """The state of one served workshop, in the server process."""

    FREE = 5  # wrong codes from one address without a wait (typos)
    WINDOW = 600.0  # seconds a wrong code counts against its address
    MAX_DELAY = 30.0  # the longest wait before a code is checked: the right code always gets in
    DOORS_PER_PLACE = 4  # pages at the join prompt (no process) per participant place

    def __init__(self, store: TinyStore, workshop: dict[str, Any], lang: str = "zh", join_code: str | None = None,
                 max_participants: int | None = None, host: str = "127.0.0.1",
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep):
        self.store, self.workshop, self.lang = store, workshop, lang
        self.join_code = join_code
        self.max_participants = max_participants or default_max_participants()
        self.loopback = is_loopback(host)
        self.clock, self.sleep = clock, sleep
        self.tokens: dict[str, str] = {}  # browser token (cookie) -> session id
        self.running = 0
        self.doors = 0
        self._queue: deque[asyncio.Future] = deque()
        self._addresses: dict[str, _Address] = {}
        self._store_lock = asyncio.Lock()

    # the store is used one call at a time, off the event loop (its locks are per process)
    async def _store(self, fn: Callable, *args: Any, **kwargs: Any) -> Any:
        async with self._store_lock:
            return await asyncio.to_thread(fn, *args, **kwargs)

    def connection(self, address: str) -> Connection:
        return Connection(address)

    # -- the join code ------------------------------------------------------------------------
    def _delay(self, conn: Connection) -> float:
        now = self.clock()
        record = self._addresses.get(conn.address)
        recent = 0
        if record is not None:
            while record.failures and now - record.failures[0] > self.WINDOW:
                record.failures.popleft()
            recent = len(record.failures)
        by_address = 2.0 ** (recent - self.FREE) if recent >= self.FREE else 0.0
        by_connection = 2.0 ** (conn.failures - 1) if conn.failures else 0.0
        return min(max(by_address, by_connection), self.MAX_DELAY)

    async def check_code(self, conn: Connection, typed: str, door: Any) -> bool:
        """Attempts from one address are checked one at a time, each after its back-off; other
        addresses are not slowed at all."""
        if not self.join_code:
            return True
        record = self._addresses.setdefault(conn.address, _Address())
        async with record.lock:
            delay = self._delay(conn)
            if delay > 0:
                await door.say(t("room.wait", self.lang, s=math.ceil(delay)))
                await self.sleep(delay)
            if hmac.compare_digest(typed.strip().encode(), self.join_code.encode()):
                return True
            conn.failures += 1
            record.failures.append(self.clock())
            if len(self._addresses) > 10_000:  # forget quiet addresses
                for key in [k for k, v in self._addresses.items() if not v.failures and not v.lock.locked()]:
                    del self._addresses[key]
            return False

    # -- members ------------------------------------------------------------------------------
    async def members(self) -> list:
        return await self._store(self.store.sessions, org=self.workshop["org"], workshop=self.workshop["name"])

    async def member(self, session_id: str | None):
        if not session_id:
            return None
        return next((s for s in await self.members() if s.id == session_id), None)

    async def twin(self, name: str):
        return next((s for s in await self.members() if same_person(s.respondent, name)), None)

    def banks(self) -> dict[str, str]:
        """The workshop's banks at this program's versions (loaded once: before serving)."""
        if not hasattr(self, "_banks"):
            from .domain.loader import load_library

            library = load_library()
            wanted = self.workshop.get("banks") or [b.id for b in library.group("activities")]
            self._banks = {b.id: b.version for b in library.banks.values() if b.id in wanted}
        return self._banks

    async def create(self, name: str, role: str | None):
        if not hasattr(self, "_banks"):
            await asyncio.to_thread(self.banks)
        return await self._store(self.store.create_session, self.workshop["org"], dict(self._banks), name,
                                 role=role, workshop=self.workshop["name"], lang=self.lang)

    # -- places (participant processes) -------------------------------------------------------
    async def take_place(self, door: Any) -> None:
        if self.running < self.max_participants and not self._queue:
            self.running += 1
            return
        await door.say(t("room.full", self.lang, n=self.running, max=self.max_participants))
        waiting = asyncio.get_running_loop().create_future()
        self._queue.append(waiting)
        try:
            await waiting  # a leaving participant hands their place over
        except asyncio.CancelledError:
            if waiting.done() and not waiting.cancelled():
                self.release_place()  # handed over just as this page closed: pass it on
            elif waiting in self._queue:
                self._queue.remove(waiting)
            raise

    def release_place(self) -> None:
        while self._queue:
            waiting = self._queue.popleft()
            if not waiting.done():
                waiting.set_result(None)
                return
        self.running -= 1

    # -- the websocket's origin ---------------------------------------------------------------
    def refusal(self, headers: Any, public_url: str | None) -> str | None:
        """Why this websocket may not join (None: it may). A web page of another site, opened in a
        browser on this machine, sends its own Origin; after DNS rebinding also its own Host."""
        host = (headers.get("Host") or "").strip().lower()
        hostname = urlsplit(f"//{host}").hostname or ""
        if self.loopback and not (hostname in LOOPBACK_NAMES or is_loopback(hostname)):
            return "host"
        origin = headers.get("Origin")
        if origin is None:
            return None  # not a web page (browsers always send it)
        parts = urlsplit(origin.strip().lower())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return "origin"
        allowed = {host}
        if public_url:
            allowed.add(urlsplit(public_url.lower()).netloc)
        if parts.netloc not in allowed:
            return "origin"
        if self.loopback and not is_loopback(parts.hostname or ""):
            return "origin"
        return None


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
    os.environ["SELFCHECK_DB"] = str(store.root.resolve())
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
