"""The PostgreSQL store: the rest of the store contract on both backends (workshops, imports, listing,
8 writer processes at once), then what is the server's own: its schema version, damaged and newer
rows, its addresses (never the password), the CLI's --db and SELFCHECK_DB, and two `selfcheck serve`
processes on one workshop. Elsewhere: kill -9 while saving (tests/test_store_crash.py and
tests/test_actions.py, both backends), `selfcheck store copy` (tests/test_store_postgres_copy.py).

The server: tests/pg_fixture.py (a throwaway cluster, or $SELFCHECK_TEST_PG).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from assistant.cli import main
from assistant.domain.answers import Answer
from assistant.store import SessionNotFound, StoreDamaged, StoreError, TinyStore, WorkshopError, open_store
from assistant.store.postgres import PostgresStore

from . import pg_fixture
from .conftest import Run
from .pg_fixture import reopen

BANK = "activities.design"
BANKS = {BANK: "2026.1"}
QUESTIONS = ["5.1.1", "5.1.2", "5.1.3", "5.2.1", "5.2.2", "5.2.3", "5.2.4", "5.3.1", "5.3.2"]
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "answers.json"


# -- the contract, on both backends --------------------------------------------------------------


def test_both_stores_have_the_same_methods_with_the_same_parameters():
    """Nothing above the store changes with --db: a method the folder store gains, the server's has too."""
    import inspect

    def methods(cls) -> dict[str, str]:
        return {name: str(inspect.signature(getattr(cls, name))) for name in dir(cls)
                if not name.startswith("_") and callable(getattr(cls, name))}

    server = methods(PostgresStore)
    assert {name: server.get(name) for name in methods(TinyStore)} == methods(TinyStore)


def test_workshops_are_kept_named_and_in_order(any_store):
    first = any_store.create_workshop("早班", "Acme", [BANK])
    any_store.create_workshop("late", "Beta")
    with pytest.raises(WorkshopError, match="already exists"):
        any_store.create_workshop("早班", "Other")
    again = reopen(any_store)
    assert [w["name"] for w in again.list_workshops()] == ["早班", "late"]
    assert again.get_workshop("早班") == first and first["banks"] == [BANK]
    with pytest.raises(WorkshopError, match="no workshop named"):
        again.get_workshop("nope")


def test_join_failures_are_shared_and_forgotten_after_an_hour(any_store, clock):
    any_store.record_join_failure("w")
    any_store.record_join_failure("w")
    any_store.record_join_failure("other")
    assert reopen(any_store, clock=clock).join_failures("w", 60) == 2
    clock.now += timedelta(hours=2)
    assert any_store.join_failures("w", 60) == 0


def test_put_session_adds_replaces_only_by_newer_and_refuses_another(any_store, clock):
    s = any_store.create_session("Acme", BANKS, "王芳")
    newer = any_store.record_answer(s.id, BANK, "5.1.1", Answer(level=4))
    other = reopen(any_store)
    assert other.put_session(s) == "unchanged"  # older than what is there
    assert other.get_session(s.id) == newer
    fresh = newer.model_copy(update={"id": "20261121-aaaaaa"})
    assert other.put_session(fresh) == "added"
    assert other.put_session(fresh) == "unchanged"
    later = fresh.model_copy(update={"updated": fresh.updated + timedelta(minutes=1), "status": "completed"})
    assert other.put_session(later) == "updated"
    assert any_store.get_session(fresh.id) == later
    assert [x.status for x in any_store.list_sessions() if x.session_id == fresh.id] == ["completed"]
    with pytest.raises(StoreError, match="different session"):
        other.put_session(later.model_copy(update={"org": "Beta", "updated": later.updated + timedelta(hours=1)}))
    with pytest.raises(StoreError, match="cannot be used"):
        other.put_session(later.model_copy(update={"id": "../x"}))


def test_listing_is_live_and_scoped_to_one_organisation(any_store):
    a = any_store.create_session("Acme", BANKS, workshop="w1")
    b = any_store.create_session("Beta", BANKS, workshop="w1")
    any_store.record_answer(a.id, BANK, "5.1.1", Answer(level=3))
    any_store.record_answer(a.id, BANK, "5.1.2", Answer(skipped=True))
    [summary] = reopen(any_store).list_sessions(org="Acme")  # never Beta's
    assert (summary.session_id, summary.answered, summary.status) == (a.id, 1, "in_progress")
    assert [s.id for s in any_store.sessions(workshop="w1")] == [a.id, b.id]
    assert [s.id for s in any_store.sessions(org="Beta", workshop="w1")] == [b.id]
    assert any_store.sessions(org="Beta", workshop="w2") == []
    any_store.set_status(a.id, "completed")
    any_store.set_workshop(b.id, None, role="")
    assert {x.session_id: x.status for x in reopen(any_store).list_sessions()} == {a.id: "completed", b.id: "in_progress"}
    assert [s.id for s in any_store.sessions(workshop="w1")] == [a.id]
    assert any_store.reindex() == 2


def test_only_empty_sessions_outside_workshops_are_discarded(any_store):
    empty = any_store.create_session("Acme", BANKS)
    answered = any_store.create_session("Acme", BANKS)
    any_store.record_answer(answered.id, BANK, "5.1.1", Answer(level=3))
    joined = any_store.create_session("Acme", BANKS, workshop="w")
    assert not any_store.discard_if_empty(answered.id) and not any_store.discard_if_empty(joined.id)
    assert any_store.discard_if_empty(empty.id)
    with pytest.raises(SessionNotFound):
        reopen(any_store).get_session(empty.id)
    assert {x.session_id for x in any_store.list_sessions()} == {answered.id, joined.id}


# -- the server's own ----------------------------------------------------------------------------


def sql(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else []


def test_schema_is_created_with_its_version_and_a_newer_one_is_refused(pg_url):
    store = PostgresStore(pg_url)
    assert store.list_sessions() == [] and store.list_workshops() == []  # reading creates nothing
    assert sql(pg_url, "SELECT to_regclass('selfcheck_meta') IS NULL") == [(True,)]
    sid = store.create_session("Acme", BANKS).id
    assert sql(pg_url, "SELECT value FROM selfcheck_meta WHERE key = 'schema'") == [("1",)]
    indexes = {row[0] for row in sql(pg_url, "SELECT indexname FROM pg_indexes WHERE tablename = 'selfcheck_sessions'")}
    assert {"selfcheck_sessions_org", "selfcheck_sessions_workshop", "selfcheck_sessions_created"} <= indexes
    sql(pg_url, "UPDATE selfcheck_meta SET value = '2' WHERE key = 'schema'")
    for attempt in (lambda s: s.list_sessions(), lambda s: s.get_session(sid), lambda s: s.create_session("A", BANKS)):
        with pytest.raises(StoreError, match="newer selfcheck .*schema 2, this one reads 1"):
            attempt(PostgresStore(pg_url))
    assert sql(pg_url, "SELECT count(*) FROM selfcheck_sessions") == [(1,)]


def test_each_answer_is_one_committed_transaction_with_its_summary(pg_url):
    store = PostgresStore(pg_url)
    s = store.create_session("Acme", BANKS)
    store.record_answer(s.id, BANK, "5.1.1", Answer(level=3))
    # what another machine reads at once, straight from the table: the document and its summary
    [(doc, summary, status)] = sql(pg_url, "SELECT doc, summary, status FROM selfcheck_sessions")
    assert doc["answers"][BANK]["5.1.1"]["level"] == 3 and doc["schema"] == 1
    assert summary["answered"] == 1 and status == "in_progress"


def test_a_damaged_row_is_refused_left_alone_and_left_out_of_listings(pg_url):
    store = PostgresStore(pg_url)
    good = store.create_session("Acme", BANKS).id
    bad = store.create_session("Acme", BANKS).id
    sql(pg_url, "UPDATE selfcheck_sessions SET doc = jsonb_set(doc, '{status}', '\"lost\"'), "
                "summary = '{}'::jsonb WHERE id = %s", (bad,))
    before = sql(pg_url, "SELECT doc FROM selfcheck_sessions WHERE id = %s", (bad,))
    with pytest.raises(StoreDamaged, match=f"selfcheck_sessions {bad} is damaged: .*status"):
        store.get_session(bad)
    with pytest.raises(StoreDamaged):
        store.record_answer(bad, BANK, "5.1.1", Answer(level=2))
    fresh = PostgresStore(pg_url)
    assert [x.session_id for x in fresh.list_sessions()] == [good]
    assert any(bad in p for p in fresh.problems)
    assert sql(pg_url, "SELECT doc FROM selfcheck_sessions WHERE id = %s", (bad,)) == before


def test_a_session_written_by_a_newer_selfcheck_is_refused_not_called_damage(pg_url, capsys):
    store = PostgresStore(pg_url)
    sid = store.create_session("Acme", BANKS).id
    sql(pg_url, "UPDATE selfcheck_sessions SET doc = jsonb_set(doc, '{schema}', '99') WHERE id = %s", (sid,))
    with pytest.raises(StoreError, match="newer selfcheck") as err:
        store.record_answer(sid, BANK, "5.1.1", Answer(level=2))
    assert not isinstance(err.value, StoreDamaged)
    assert main(["report", sid, "--db", pg_url, "--lang", "zh"]) == 1
    assert "由更新版本的 selfcheck 写入" in capsys.readouterr().err
    assert sql(pg_url, "SELECT doc->>'schema' FROM selfcheck_sessions") == [("99",)]


def test_a_summary_it_cannot_read_is_made_anew_from_the_document_and_kept(pg_url):
    store = PostgresStore(pg_url)
    s = store.create_session("Acme", BANKS)
    store.record_answer(s.id, BANK, "5.1.1", Answer(level=3))
    sql(pg_url, "UPDATE selfcheck_sessions SET summary = '{\"old\": 1}'::jsonb")  # another selfcheck's, say
    [summary] = PostgresStore(pg_url).list_sessions()
    assert summary.answered == 1
    assert sql(pg_url, "SELECT summary->>'answered' FROM selfcheck_sessions") == [("1",)]


def test_scored_listing_gives_scores_under_the_current_banks_and_keeps_them(pg_url, library):
    from assistant.domain.digest import stored_digest

    store = PostgresStore(pg_url)
    done = store.create_session("Acme", BANKS)
    for q in QUESTIONS:
        store.record_answer(done.id, BANK, q, Answer(level=4))
    done = store.set_status(done.id, "completed")
    open_ = store.create_session("Acme", BANKS)
    store.record_answer(open_.id, BANK, "5.1.1", Answer(level=2))
    expected = stored_digest(done)
    assert expected is not None
    [(kept,)] = sql(pg_url, "SELECT summary->'scores' FROM selfcheck_sessions WHERE id = %s", (done.id,))
    assert kept == expected  # scored when it was completed
    sql(pg_url, "UPDATE selfcheck_sessions SET summary = summary - 'scores'")  # as an older selfcheck left it
    listed = {x.session_id: x for x in PostgresStore(pg_url).list_sessions(scored=True)}
    assert listed[done.id].scores == expected
    assert listed[open_.id].scores is not None and listed[open_.id].answered == 1
    [(kept,)] = sql(pg_url, "SELECT summary->'scores' FROM selfcheck_sessions WHERE id = %s", (done.id,))
    assert kept == expected  # kept for the next history
    assert sql(pg_url, "SELECT summary ? 'scores' FROM selfcheck_sessions WHERE id = %s", (open_.id,)) == [(False,)]


def test_no_cli_message_shows_the_password(pg_server, capsys):
    port = pg_fixture._free_port()  # nobody listens there
    url = f"postgresql://quality:s3cr3t-pw@127.0.0.1:{port}/selfcheck"
    for lang, words in (("en", "cannot reach the PostgreSQL store"), ("zh", "无法连接 PostgreSQL 存储")):
        assert main(["sessions", "list", "--db", url, "--lang", lang]) == 1
        err = capsys.readouterr().err
        assert words in err and "quality:***@127.0.0.1" in err and "s3cr3t" not in err
    # a server that answers but refuses the database named
    server, _ = pg_server.rsplit("/", 1)
    wrong = server.replace("postgres@", "postgres:s3cr3t-pw@") + "/no_such_db"
    assert main(["sessions", "list", "--db", wrong, "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert "数据库 no_such_db 不存在" in err and "s3cr3t" not in err


def cli(capsys, *argv: str) -> Run:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return Run(code, out.out, out.err)


def test_db_url_and_selfcheck_db_select_the_server(pg_url, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    ran = cli(capsys, "run", "--answers", str(EXAMPLE), "--format", "json", "--db", pg_url)
    assert ran.code == 0, ran.err
    sid = ran.json()["session_id"]
    assert sql(pg_url, "SELECT id FROM selfcheck_sessions") == [(sid,)]
    assert "s3cr3t" not in ran.err
    monkeypatch.setenv("SELFCHECK_DB", pg_url)
    listed = cli(capsys, "sessions", "list", "--format", "json")
    assert listed.code == 0, listed.err
    assert [row["session_id"] for row in json.loads(listed.out)] == [sid]
    assert not (tmp_path / "sessions").exists()  # nothing went to a folder


def test_ci_never_skips_the_postgres_tests_silently(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        pg_fixture.no_server("no binaries")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="NOT RUN: no binaries"), pytest.warns(UserWarning, match="NOT RUN"):
        pg_fixture.no_server("no binaries")


# -- many processes ------------------------------------------------------------------------------


def child(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)


WRITER = """
    import sys, time
    from assistant.domain.answers import Answer
    from assistant.store import open_store
    url, k, start = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    store = open_store(url)
    store.list_sessions()
    time.sleep(max(0.0, start - time.time()))  # all eight begin together
    for n in range(4):
        s = store.create_session(f"Org{k % 2}", {"activities.design": "2026.1"}, f"w{k}-{n}", workshop="big")
        for q in ["5.1.1", "5.1.2", "5.1.3", "5.2.1", "5.2.2"]:
            store.record_answer(s.id, "activities.design", q, Answer(level=1 + k % 5, note=f"{k}-{n}"))
        store.add_action("Shared", ["activities.design:5.1.1"], f"{k}-{n}")
        print(s.id, flush=True)
    store.create_workshop(f"w{k}", "Shared")
"""


def test_eight_writers_at_once_lose_nothing(store_location):
    """Eight processes at once (a folder store, then PostgreSQL): sessions, answers, one organisation's
    action ids and workshops; nothing lost, no id given twice."""
    start = time.time() + 3
    procs = [child(WRITER, str(store_location), str(k), str(start)) for k in range(8)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    made = [line for out, _ in outs for line in out.split()]
    assert len(made) == len(set(made)) == 32
    store = open_store(store_location)
    sessions = {s.id: s for s in store.sessions(workshop="big")}
    assert set(sessions) == set(made)
    for s in sessions.values():
        k = int(s.respondent[1:].split("-")[0])
        assert s.answered_count() == 5 and all(a.level == 1 + k % 5 for a in s.answers[BANK].values())
    assert len(store.list_sessions(org="Org0")) == len(store.list_sessions(org="Org1")) == 16
    actions = store.list_actions("Shared")
    assert [a.id for a in actions] == [f"A{n}" for n in range(1, 33)]  # every id once, none skipped
    assert sorted(a.what for a in actions) == sorted(f"{k}-{n}" for k in range(8) for n in range(4))
    assert len(store.list_workshops()) == 8


# -- two `selfcheck serve` processes on one workshop ---------------------------------------------


def _serving(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"selfcheck serve on port {port} stopped: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                assert page.status == 200
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"selfcheck serve on port {port} did not answer")


async def test_two_serve_processes_serve_one_workshop_and_the_watch_sees_both(pg_url, capsys, library):
    from textual.widgets import DataTable

    from assistant.room import Room
    from assistant.tui.watch import WatchApp

    assert cli(capsys, "workshop", "create", "joint", "--org", "Acme", "--bank", BANK, "--db", pg_url).code == 0
    ports = [pg_fixture._free_port(), pg_fixture._free_port()]
    procs = [subprocess.Popen([sys.executable, "-m", "assistant", "--db", pg_url, "serve", "--workshop", "joint",
                               "--port", str(port), "--lang", "en"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True) for port in ports]
    try:
        for port, proc in zip(ports, procs):
            _serving(port, proc)
        # each machine's room admits its own participant, with a store of its own on the one server
        rooms = [Room(PostgresStore(pg_url), PostgresStore(pg_url).get_workshop("joint"), "en") for _ in ports]
        ann = await rooms[0].create("Ann", None)
        bob = await rooms[1].create("Bob", "frontline")
        first = library.bank(BANK).questions[0].id
        rooms[0].store.record_answer(ann.id, BANK, first, Answer(level=4))
        rooms[1].store.record_answer(bob.id, BANK, first, Answer(level=2))
        for room in rooms:  # each room knows the other's participant (a returning name is matched)
            assert [s.respondent for s in await room.members()] == ["Ann", "Bob"]
            assert (await room.twin("bob")).id == bob.id
        # the facilitator's watch view, on a third machine, sees both
        watched = PostgresStore(pg_url).sessions(workshop="joint")
        assert [(s.respondent, s.answers[BANK][first].level) for s in watched] == [("Ann", 4), ("Bob", 2)]
        watch = WatchApp(PostgresStore(pg_url), library, PostgresStore(pg_url).get_workshop("joint"), "en")
        async with watch.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            table = watch.query_one(DataTable)
            names = [str(table.get_row(key)[0]) for key in (ann.id, bob.id)]
            assert table.row_count == 2 and names == ["Ann", "Bob"]
        assert all(p.poll() is None for p in procs)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    out = "".join(p.stdout.read() for p in procs)
    assert "s3cr3t" not in out and out.count("joint") >= 2

