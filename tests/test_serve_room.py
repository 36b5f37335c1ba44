"""The workshop room (`selfcheck serve`), in process: the server's own join prompt (code, name,
role) before any participant process starts, resuming after a reload, wrong codes limited per
connection and address, the cap on participant processes, and the websocket's Origin.

The participant process is replaced by a fake here (tests/test_serve_e2e.py runs real ones in
real browsers); everything else is the real aiohttp server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from aiohttp import WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from assistant.domain.answers import Answer

EFFECT = {"activities.effect": "2026.1"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class FakeApp:
    """Stands for a participant process: records what it was started for and the keys it got."""

    started: list["FakeApp"] = []

    def __init__(self, admission, write_bytes, close):
        self.admission, self.write_bytes, self.close = admission, write_bytes, close
        self.keys: list[bytes] = []
        self.ended = asyncio.Event()
        FakeApp.started.append(self)

    async def start(self, width: int, height: int) -> None:
        await self.write_bytes(f"APP {self.admission.session_id} resumed={self.admission.resumed}\r\n".encode())

    async def send_bytes(self, data: bytes, at: float | None = None) -> None:
        self.keys.append(data)

    async def set_terminal_size(self, width: int, height: int) -> None:
        pass

    async def wait(self) -> None:
        await self.ended.wait()

    async def stop(self) -> None:
        self.ended.set()


def fake_server(room, command: str):
    from assistant.serve import RoomServer

    class FakeServer(RoomServer):
        def open_app(self, admission, ws):
            return FakeApp(admission, ws.send_bytes, ws.close)

    return FakeServer(room, command=command)


@pytest.fixture(autouse=True)
def no_fakes_left():
    FakeApp.started = []
    yield


def make_room(store, **kw):
    from assistant.room import Room

    if "培训班" not in {w["name"] for w in store.list_workshops()}:
        store.create_workshop("培训班", "测试医院", ["activities.effect"])
    kw.setdefault("lang", "en")
    return Room(store, store.get_workshop("培训班"), **kw)


async def client_for(room) -> TestClient:
    server = fake_server(room, command="true")
    client = TestClient(TestServer(await server._make_app(), host="127.0.0.1"))
    await client.start_server()
    return client


class Page:
    """One browser page: its websocket and what its terminal shows (escape sequences removed)."""

    def __init__(self, ws):
        self.ws, self.shown = ws, ""

    async def type(self, text: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", text]))

    async def until(self, pattern: str, timeout: float = 5.0) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not re.search(pattern, self.shown):
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"{pattern!r} never shown; the page shows:\n{self.shown}")
            try:
                msg = await self.ws.receive(timeout=left)
            except asyncio.TimeoutError:
                continue
            if msg.type.name == "BINARY":
                self.shown += ANSI.sub("", msg.data.decode("utf-8", "replace"))
            elif msg.type.name in ("CLOSE", "CLOSED", "CLOSING"):
                raise AssertionError(f"closed before {pattern!r}; the page shows:\n{self.shown}")
        return self.shown


async def open_page(client: TestClient, headers: dict | None = None) -> Page:
    base = str(client.make_url("/")).rstrip("/")
    headers = {"Origin": base, **(headers or {})}
    return Page(await client.ws_connect("/ws?width=80&height=24", headers=headers))


async def settle(condition, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


# -- 1. a reload continues the participant's own session -------------------------------------------


async def test_a_reload_continues_the_same_session(store):
    client = await client_for(make_room(store))
    try:
        await client.get("/")  # the page gives the browser its resume token (a cookie)
        page = await open_page(client)
        await page.until("name")
        await page.type("alice\r")
        await page.until("Role")
        await page.type("leaders\r")
        await settle(lambda: len(FakeApp.started) == 1)
        (session,) = store.sessions(workshop="培训班")
        assert (session.respondent, session.role) == ("alice", "leaders")
        await page.ws.close()
        # the reload: the same browser, a new websocket
        page = await open_page(client)
        await page.until("Welcome back, alice")
        await page.type("\r")
        await page.until(f"APP {session.id} resumed=True")
        assert [s.id for s in store.sessions(workshop="培训班")] == [session.id]
    finally:
        await client.close()


async def test_the_same_name_with_the_code_asks_and_continues_that_session(store):
    room = make_room(store, join_code="246810", host="0.0.0.0")
    client = await client_for(room)
    try:
        page = await open_page(client)
        await page.until("Join code")
        await page.type("246810\r")
        await page.until("name")
        await page.type("alice\r\r")
        await settle(lambda: len(FakeApp.started) == 1)
        first = FakeApp.started[0].admission.session_id
        # another browser (no cookie, e.g. the server was restarted): the same name is asked about
        other = await open_page(client)
        await other.until("Join code")
        await other.type("246810\r")
        await other.until("name")
        await other.type(" Alice \r")
        await other.until("Is that you")
        await other.type("n")
        await other.until("another name")
        await other.type("alice\r")
        await other.until("Is that you")
        await other.type("y")
        await other.until(f"APP {first} resumed=True")
        assert [s.id for s in store.sessions(workshop="培训班")] == [first]
    finally:
        await client.close()


def test_a_session_without_an_answer_is_not_a_respondent(store, library):
    from assistant.domain.group import group_result

    store.create_workshop("培训班", "测试医院", ["activities.effect"])
    five = {"activities.effect": {q: Answer(level=5) for q in ("D7.1-1", "D7.1-2", "D7.1-3", "D7.2-1", "D7.2-2")}}
    alice = store.create_session("测试医院", EFFECT, "alice", workshop="培训班", answers=five)
    store.create_session("测试医院", EFFECT, "alice", workshop="培训班")  # a reload's empty twin
    store.create_session("测试医院", EFFECT, "bob", workshop="培训班")  # joined, not started
    group = group_result(library, "培训班", "测试医院", store.sessions(workshop="培训班"))
    assert group.respondents == 1
    alone = group_result(library, "培训班", "测试医院", [store.get_session(alice.id)])
    assert group.grade == alone.grade and group.to_json()["banks"] == alone.to_json()["banks"]
    assert group.to_json()["joined_without_answers"] == 2


def test_workshop_remove_takes_sessions_out(store, capsys):
    from assistant.cli import main

    store.create_workshop("培训班", "测试医院", ["activities.effect"])
    a = store.create_session("测试医院", EFFECT, "alice", workshop="培训班")
    b = store.create_session("测试医院", EFFECT, "alice", workshop="培训班")
    outsider = store.create_session("测试医院", EFFECT, "carol")
    db = str(store.root)
    assert main(["--db", db, "--lang", "en", "workshop", "remove", "培训班", outsider.id]) == 2
    assert store.get_session(b.id).workshop == "培训班"  # nothing changed: every id is checked first
    assert main(["--db", db, "--lang", "en", "workshop", "remove", "培训班", b.id]) == 0
    assert "taken out" in capsys.readouterr().out
    assert [s.id for s in store.sessions(workshop="培训班")] == [a.id]
    assert store.get_session(b.id).workshop is None  # kept in the store, out of the workshop


def test_duplicates_are_flagged_in_the_group_report(store, library):
    from assistant.domain.group import group_result
    from assistant.report.group import group_markdown
    from datetime import datetime, timezone

    store.create_workshop("培训班", "测试医院", ["activities.effect"])
    one = {"activities.effect": {"D7.1-1": Answer(level=4)}}
    a = store.create_session("测试医院", EFFECT, "Alice", workshop="培训班", answers=one)
    b = store.create_session("测试医院", EFFECT, " alice", workshop="培训班", answers=one)
    store.create_session("测试医院", EFFECT, "bob", workshop="培训班", answers=one)
    group = group_result(library, "培训班", "测试医院", store.sessions(workshop="培训班"), lang="en")
    assert [[m.id for m in d] for d in group.duplicates] == [[a.id, b.id]]
    assert group.to_json()["duplicates"] == [[a.id, b.id]]
    md = group_markdown(group, library, datetime.now(timezone.utc), "en")
    assert "same name" in md and a.id in md and b.id in md and "workshop remove" in md


async def test_watch_flags_duplicate_names(store, library):
    from textual.widgets import DataTable

    from assistant.tui.watch import WatchApp

    store.create_workshop("培训班", "测试医院", ["activities.effect"])
    a = store.create_session("测试医院", EFFECT, "alice", workshop="培训班")
    b = store.create_session("测试医院", EFFECT, "ALICE", workshop="培训班")
    c = store.create_session("测试医院", EFFECT, "bob", workshop="培训班")
    app = WatchApp(store, library, store.get_workshop("培训班"), "en")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        rows = {key: " ".join(str(cell) for cell in table.get_row(key)) for key in (a.id, b.id, c.id)}
        assert "same name" in rows[a.id] and "same name" in rows[b.id] and "same name" not in rows[c.id]


# -- 2. wrong codes: limited per connection and address, the right code always gets in ---------------


async def test_wrong_codes_from_one_address_never_lock_out_the_right_code(store):
    waits: list[float] = []
    now = [1000.0]

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    room = make_room(store, join_code="246810", host="0.0.0.0", clock=lambda: now[0], sleep=sleep)

    class Quiet:
        async def say(self, *args, **kwargs) -> None:
            pass

    attacker = room.connection("10.0.0.66")
    for guess in range(60):  # well beyond the old room-wide 20 a minute
        assert not await room.check_code(attacker, f"{guess:06d}", Quiet())
    assert waits and waits == sorted(waits) and max(waits) <= room.MAX_DELAY  # a growing, bounded back-off
    assert sum(waits) > 60 * 10  # 60 guesses took more than ten minutes
    waits.clear()
    assert await room.check_code(room.connection("10.0.0.7"), "246810", Quiet())  # another address: at once
    assert waits == []
    assert await room.check_code(room.connection("10.0.0.66"), " 246810 ", Quiet())  # even there: after a wait
    assert sum(waits) <= room.MAX_DELAY


# -- 3. no process before the code; a cap on processes ------------------------------------------------


async def test_no_participant_process_starts_before_the_code_is_right(store):
    client = await client_for(make_room(store, join_code="246810", host="0.0.0.0"))
    try:
        pages = [await open_page(client) for _ in range(5)]
        for page in pages:
            await page.until("Join code")
        await pages[0].type("111111\r")
        await pages[0].until("wrong")
        assert FakeApp.started == [] and store.sessions(workshop="培训班") == []
        await pages[1].type("246810\rbob\r\r")
        await pages[1].until("APP ")
        assert len(FakeApp.started) == 1
    finally:
        await client.close()


async def test_a_full_room_says_so_and_lets_the_next_in_when_a_place_frees(store):
    client = await client_for(make_room(store, max_participants=1))
    try:
        first = await open_page(client)
        await first.until("name")
        await first.type("alice\r\r")
        await first.until("APP ")
        second = await open_page(client)
        await second.until("name")
        await second.type("bob\r\r")
        await second.until("room is full")
        await asyncio.sleep(0.2)
        assert len(FakeApp.started) == 1
        await first.ws.close()  # alice leaves: bob's app starts
        await second.until("APP ")
        assert len(FakeApp.started) == 2
    finally:
        await client.close()


def test_the_participant_says_ready_the_way_the_server_listens_for():
    from assistant.serve import READY
    from assistant.tui.screens import join

    assert join.READY == READY


def test_the_default_cap_is_sized_to_the_machine():
    from assistant.room import default_max_participants

    small = default_max_participants(memory=2 * 2**30, cpus=2)
    big = default_max_participants(memory=64 * 2**30, cpus=16)
    assert 2 <= small < big
    assert small * 80 * 2**20 <= 2 * 2**30  # leaves room: not more than memory / 80 MiB
    assert default_max_participants(memory=None, cpus=None) >= 2


# -- 4. Origin on loopback ----------------------------------------------------------------------------


async def test_loopback_without_a_code_refuses_websockets_from_other_pages(store):
    client = await client_for(make_room(store))
    try:
        port = client.port
        for headers in ({"Origin": "http://evil.example"},
                        {"Origin": f"http://evil.example:{port}", "Host": f"evil.example:{port}"},  # DNS rebinding
                        {"Origin": "null"}):
            with pytest.raises(WSServerHandshakeError) as refused:
                await open_page(client, headers)
            assert refused.value.status == 403
        assert FakeApp.started == [] and store.sessions(workshop="培训班") == []
        page = await open_page(client, {"Origin": f"http://localhost:{port}", "Host": f"localhost:{port}"})
        await page.until("name")
    finally:
        await client.close()
