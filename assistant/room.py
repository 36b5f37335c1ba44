"""The state of one served workshop room, in the server process: who may join (the join code, with a
growing, bounded back-off per connection and per address), the browsers' resume tokens, and the
places for participant processes. `assistant/serve.py` draws the door and runs the web server."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import math
import os
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable
from urllib.parse import urlsplit

from .domain.group import same_person
from .i18n import t
from .store import TinyStore

PARTICIPANT_MIB = 80  # budget per participant process (tests/bench/bench_serve.py: RSS 54 MiB, PSS 39 MiB at start)
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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


