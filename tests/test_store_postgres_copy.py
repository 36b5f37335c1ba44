"""`selfcheck store copy FROM TO`: a folder store into PostgreSQL and back, run twice (nothing doubled),
verified (every session identical and scored the same, workshops and actions there); what FROM cannot
read is named and makes it exit 1; a session newer in TO is left as it is."""

from __future__ import annotations

from pathlib import Path

from assistant.domain.answers import Answer
from assistant.store import TinyStore
from assistant.store.postgres import PostgresStore

from .test_store_postgres import BANK, BANKS, QUESTIONS, cli, sql


def filled_folder(root: Path) -> TinyStore:
    store = TinyStore(root)
    for n, org in enumerate(["Acme", "Beta", "Acme"]):
        s = store.create_session(org, BANKS, f"p{n}", workshop="w1" if n else None)
        for q in QUESTIONS[: 3 + n * 3]:
            store.record_answer(s.id, BANK, q, Answer(level=1 + (len(q) + n) % 5))
        if n != 1:
            store.set_status(s.id, "completed")
    store.create_workshop("w1", "Acme", [BANK])
    store.add_action("Acme", [f"{BANK}:5.1.1"], "改进需求调研", owner="质量办")
    store.add_action("Acme", [f"{BANK}:5.1.2"], "second", status="done")
    store.add_action("Beta", [f"{BANK}:5.2.1"], "third")
    return store


def everything(store) -> tuple:
    orgs = sorted({s.org for s in store.sessions()})
    return (store.sessions(), store.list_workshops(), {org: store.list_actions(org) for org in orgs})


def test_store_copy_both_ways_is_idempotent_and_verified(pg_url, tmp_path, capsys):
    folder = filled_folder(tmp_path / "a")
    first = cli(capsys, "store", "copy", str(folder.root), pg_url, "--lang", "en")
    assert first.code == 0, first.err
    assert "3 sessions (3 added" in first.out and "Verified: 3 sessions" in first.out
    assert "Copying sessions: 3/3" in first.err
    assert everything(PostgresStore(pg_url)) == everything(folder)
    again = cli(capsys, "store", "copy", str(folder.root), pg_url, "--lang", "en")
    assert again.code == 0 and "(0 added, 0 updated, 3 already there)" in again.out
    assert "3 actions (0 added, 0 updated)" in again.out
    assert sql(pg_url, "SELECT count(*) FROM selfcheck_sessions") == [(3,)]
    assert sql(pg_url, "SELECT count(*) FROM selfcheck_actions") == [(3,)]

    back = cli(capsys, "store", "copy", pg_url, str(tmp_path / "b"))  # into a new folder, in Chinese
    assert back.code == 0, back.err
    assert "已核对：3 个会话" in back.out
    assert everything(TinyStore(tmp_path / "b")) == everything(folder)


def test_store_copy_from_nothing_is_refused(pg_url, tmp_path, capsys):
    run = cli(capsys, "store", "copy", str(tmp_path / "missing"), pg_url, "--lang", "en")
    assert run.code == 2 and "no store at" in run.err
    assert not (tmp_path / "missing").exists()


def test_store_copy_names_a_session_it_could_not_read_and_exits_1(pg_url, tmp_path, capsys):
    folder = filled_folder(tmp_path / "a")
    [damaged] = [s for s in folder.list_sessions() if s.status == "in_progress"]
    (folder.root / "s" / f"{damaged.session_id}.json").write_text("{not json", encoding="utf-8")
    run = cli(capsys, "store", "copy", str(folder.root), pg_url, "--lang", "en")
    assert run.code == 1
    assert damaged.session_id in run.err and "Not verified" in run.err
    assert sql(pg_url, "SELECT count(*) FROM selfcheck_sessions") == [(2,)]  # the others are copied


def test_store_copy_leaves_a_newer_session_in_the_destination_as_it_is(pg_url, tmp_path, capsys):
    folder = filled_folder(tmp_path / "a")
    assert cli(capsys, "store", "copy", str(folder.root), pg_url).code == 0
    sid = folder.list_sessions()[0].session_id
    newer = PostgresStore(pg_url).record_answer(sid, BANK, "5.3.2", Answer(level=5))  # answered there since
    run = cli(capsys, "store", "copy", str(folder.root), pg_url, "--lang", "en")
    assert run.code == 0, run.err
    assert f"session {sid} is newer in the destination and was left as it is" in run.err
    assert "Verified: 2 sessions" in run.out
    assert PostgresStore(pg_url).get_session(sid) == newer
