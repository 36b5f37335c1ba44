"""The session store: round trips, listing, id prefixes, and refusing damaged files without touching them.

Tests taking `any_store` are the store contract: they run on a folder store and on a PostgreSQL store
(tests/pg_fixture.py); the rest are about the folder store's files."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.domain.answers import Answer, Position
from assistant.store import SessionNotFound, StoreDamaged, StoreError, TinyStore
from assistant.store.tiny import SCHEMA

from .pg_fixture import reopen
from .test_store_index import index_state
from .test_store_index import index_rows as raw_index_rows

BANK = "activities.design"
BANKS = {BANK: "2026.1"}
OTHER = "activities.effect"


def session_file(store: TinyStore, sid: str) -> Path:
    return store.root / "s" / f"{sid}.json"


def index_rows(store: TinyStore) -> dict[str, dict]:
    """The index on disk, by session id (read raw, not through the store)."""
    return raw_index_rows(store.root)


def shortest_unique_prefix(sid: str, others: list[str]) -> str:
    for n in range(1, len(sid) + 1):
        prefix = sid[:n]
        if not any(o != sid and o.startswith(prefix) for o in others):
            return prefix
    raise AssertionError(f"{sid} is a prefix of another id")


# -- round trips ---------------------------------------------------------------------------------


def test_answers_survive_reopening(any_store):
    s = any_store.create_session("Acme 酒店", {BANK: "2026.1", OTHER: "2026.1"}, "王芳", role="quality", workshop="w1")
    any_store.record_answer(s.id, BANK, "5.1.1", Answer(level=3))
    any_store.record_answer(s.id, BANK, "5.1.2", Answer(level=4, alpha=Decimal("0.75")))
    any_store.record_answer(s.id, BANK, "5.2.1", Answer(na="we run no design office"))
    any_store.record_answer(s.id, BANK, "5.2.2", Answer(skipped=True))
    any_store.record_answer(s.id, OTHER, "6.1.1", Answer(level=2, note="evidence: minutes of 2026-03"))

    again = reopen(any_store).get_session(s.id)
    assert again.id == s.id
    assert again.org == "Acme 酒店" and again.respondent == "王芳"
    assert again.role == "quality" and again.workshop == "w1"
    assert again.banks == {BANK: "2026.1", OTHER: "2026.1"}
    design = again.answers[BANK]
    assert design["5.1.1"] == Answer(level=3)
    alpha = design["5.1.2"].alpha
    assert isinstance(alpha, Decimal) and alpha == Decimal("0.75") and str(alpha) == "0.75"
    assert design["5.1.2"].level == 4
    assert design["5.2.1"] == Answer(na="we run no design office")
    assert design["5.2.2"].skipped and not design["5.2.2"].answered
    assert again.answers[OTHER]["6.1.1"] == Answer(level=2, note="evidence: minutes of 2026-03")
    assert again.answered_count() == 4  # the skip is recorded but not counted
    assert again.status == "in_progress"
    assert again.updated > again.created


def test_answer_can_be_replaced(any_store):
    s = any_store.create_session("Acme", BANKS)
    any_store.record_answer(s.id, BANK, "5.1.1", Answer(level=2))
    any_store.record_answer(s.id, BANK, "5.1.1", Answer(level=5, alpha=Decimal("0.9")))
    got = reopen(any_store).get_session(s.id).answers[BANK]
    assert got == {"5.1.1": Answer(level=5, alpha=Decimal("0.9"))}


def test_answer_to_a_bank_the_session_lacks_is_refused_and_writes_nothing(any_store):
    s = any_store.create_session("Acme", BANKS)
    before = reopen(any_store).get_session(s.id)
    with pytest.raises(StoreError, match="does not include bank"):
        any_store.record_answer(s.id, OTHER, "6.1.1", Answer(level=3))
    assert reopen(any_store).get_session(s.id) == before


def test_position_is_saved(any_store):
    s = any_store.create_session("Acme", BANKS)
    any_store.record_answer(s.id, BANK, "5.1.1", Answer(level=3), position=Position(bank=BANK, question="5.1.2"))
    assert reopen(any_store).get_session(s.id).position == Position(bank=BANK, question="5.1.2")

    any_store.set_position(s.id, Position(bank=BANK, question="5.3.1"))
    assert reopen(any_store).get_session(s.id).position == Position(bank=BANK, question="5.3.1")

    # an answer without a position leaves the saved position alone
    any_store.record_answer(s.id, BANK, "5.1.2", Answer(level=4))
    assert reopen(any_store).get_session(s.id).position == Position(bank=BANK, question="5.3.1")

    any_store.set_position(s.id, None)
    assert reopen(any_store).get_session(s.id).position is None


def test_created_session_has_its_options(any_store):
    s = any_store.create_session("Acme", BANKS, rules_profile="table-rows", lang="en")
    again = reopen(any_store).get_session(s.id)
    assert again.rules_profile == "table-rows" and again.lang == "en"
    assert again.answers == {} and again.position is None


# -- listing -------------------------------------------------------------------------------------


def test_empty_or_missing_store_lists_nothing(tmp_path):
    assert TinyStore(tmp_path / "nowhere").list_sessions() == []
    assert not (tmp_path / "nowhere").exists()  # listing does not create a store


def test_sessions_list_newest_first_and_filter_by_org(any_store):
    a = any_store.create_session("Acme", BANKS)
    b = any_store.create_session("Beta", BANKS)
    c = any_store.create_session("Acme", BANKS)

    listed = reopen(any_store).list_sessions()
    assert [x.session_id for x in listed] == [c.id, b.id, a.id]
    assert [x.created for x in listed] == sorted((x.created for x in listed), reverse=True)

    acme = reopen(any_store).list_sessions(org="Acme")
    assert [x.session_id for x in acme] == [c.id, a.id]
    assert [x.session_id for x in any_store.list_sessions(org="Beta")] == [b.id]
    assert any_store.list_sessions(org="Nobody") == []


def test_in_progress_summary_shows_live_answered_count(store):
    s = store.create_session("Acme", BANKS, "王芳")
    index_before = index_state(store.root)
    store.record_answer(s.id, BANK, "5.1.1", Answer(level=3))
    store.record_answer(s.id, BANK, "5.1.2", Answer(na="no design office"))
    store.record_answer(s.id, BANK, "5.1.3", Answer(skipped=True))

    # the index is not rewritten per answer ...
    assert index_state(store.root) == index_before
    assert index_rows(store)[s.id]["answered"] == 0
    # ... yet the list shows the live count
    [summary] = TinyStore(store.root).list_sessions()
    assert summary.session_id == s.id
    assert summary.answered == 2
    assert summary.status == "in_progress"
    assert summary.respondent == "王芳" and summary.banks == [BANK]


def test_set_status_completed_updates_the_index(store):
    s = store.create_session("Acme", BANKS)
    other = store.create_session("Acme", BANKS)
    store.record_answer(s.id, BANK, "5.1.1", Answer(level=3))
    store.record_answer(s.id, BANK, "5.1.2", Answer(level=4))

    done = store.set_status(s.id, "completed")
    assert done.status == "completed"

    rows = index_rows(store)
    assert rows[s.id]["status"] == "completed"
    assert rows[s.id]["answered"] == 2
    assert rows[other.id]["status"] == "in_progress"
    assert len(rows) == 2  # upserted, not appended

    again = TinyStore(store.root)
    assert again.get_session(s.id).status == "completed"
    by_id = {x.session_id: x for x in again.list_sessions()}
    assert by_id[s.id].status == "completed" and by_id[s.id].answered == 2

    store.set_status(s.id, "in_progress")
    assert index_rows(store)[s.id]["status"] == "in_progress"
    assert len(index_rows(store)) == 2


def test_invalid_status_is_refused_and_writes_nothing(store):
    s = store.create_session("Acme", BANKS)
    before = session_file(store, s.id).read_bytes()
    index_before = index_state(store.root)
    with pytest.raises(StoreError):
        store.set_status(s.id, "abandoned")
    assert session_file(store, s.id).read_bytes() == before
    assert index_state(store.root) == index_before
    assert not list((store.root / "pending").iterdir())


# -- resolving references ------------------------------------------------------------------------


def test_resolve_unique_prefix(any_store):
    ids = [any_store.create_session("Acme", BANKS).id for _ in range(6)]
    for sid in ids:
        prefix = shortest_unique_prefix(sid, ids)
        assert any_store.resolve(prefix) == sid
        assert any_store.resolve(sid) == sid
        assert reopen(any_store).get_session(prefix).id == sid


def test_ambiguous_prefix_raises(any_store):
    a = any_store.create_session("Acme", BANKS)
    b = any_store.create_session("Acme", BANKS)
    common = a.id[:9]  # the shared date part "YYYYMMDD-" (the fixed clock gives one day)
    assert b.id.startswith(common)
    with pytest.raises(SessionNotFound, match="ambiguous") as err:
        any_store.resolve(common)
    assert a.id in str(err.value) and b.id in str(err.value)
    with pytest.raises(SessionNotFound):
        any_store.get_session(common)


@pytest.mark.parametrize("ref", ["nope", "19990101-000000", "../index", "s/x", ".hidden", "..\\x"])
def test_unknown_ref_raises(any_store, ref):
    any_store.create_session("Acme", BANKS)
    with pytest.raises(SessionNotFound):
        any_store.resolve(ref)
    with pytest.raises(SessionNotFound):
        any_store.get_session(ref)
    with pytest.raises(SessionNotFound):
        any_store.record_answer(ref, BANK, "5.1.1", Answer(level=3))


@pytest.mark.parametrize("ref", ["", "*", "2026*", "?"])
def test_empty_ref_and_glob_characters_name_no_session(any_store, ref):
    """A reference is an id or a prefix of one, never a pattern: with one session in the any_store,
    "" must not pick it, and "*" must not crash the lookup."""
    any_store.create_session("Acme", BANKS)
    with pytest.raises(SessionNotFound):
        any_store.resolve(ref)


def test_unknown_ref_in_missing_store_raises(tmp_path):
    with pytest.raises(SessionNotFound):
        TinyStore(tmp_path / "nowhere").get_session("20260101-abcdef")


# -- damaged files -------------------------------------------------------------------------------


def _garbage(raw: bytes) -> bytes:
    return b"\x00\xff\xfe not json at all {{{"


def _truncated(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _empty(raw: bytes) -> bytes:
    return b""


def _array(raw: bytes) -> bytes:
    return b"[]"


DAMAGE = {"garbage": _garbage, "truncated": _truncated, "empty": _empty, "array": _array}


def _newer_session(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["session"]["1"]["schema"] = 2
    return json.dumps(data).encode()


def _newer_index(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["schema"] = data["schema"] + 1
    return json.dumps(data).encode()


def _newer_marker(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["schema"] = data["schema"] + 1
    return json.dumps(data).encode()


def _wrong_marker(raw: bytes) -> bytes:
    return json.dumps({"format": "something-else", "schema": 1}).encode()


def _wrong_session(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["session"]["1"]["answers"] = {BANK: {"5.1.1": {"level": 9}}}
    return json.dumps(data).encode()


def _wrong_index(raw: bytes) -> bytes:
    data = json.loads(raw)
    for entry in data["orgs"].values():
        entry["sessions"] = str(entry["sessions"])
    return json.dumps(data).encode()


def _old_index(raw: bytes) -> bytes:
    """The single index.json of a schema 1 store, in a store of schema 2."""
    return json.dumps({"sessions": {"1": {"session_id": "20261121-000000"}}}).encode()


def _populated(store: TinyStore) -> str:
    s = store.create_session("Acme", BANKS)
    store.record_answer(s.id, BANK, "5.1.1", Answer(level=3))
    return s.id


def _refused(path: Path, action) -> None:
    """`action` must raise a StoreError naming `path`, and leave the bytes of `path` as they were."""
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        action()
    assert str(path) in str(err.value), f"the message does not name {path}: {err.value}"
    assert path.read_bytes() == before, f"{path} was changed by a refused operation"


def _damage(path: Path, how) -> None:
    path.write_bytes(how(path.read_bytes()))


SESSION_DAMAGE = {**DAMAGE, "newer-schema": _newer_session, "wrong-record": _wrong_session}


@pytest.mark.parametrize("how", SESSION_DAMAGE.values(), ids=SESSION_DAMAGE.keys())
def test_damaged_session_file_is_refused_and_left_alone(store, how):
    sid = _populated(store)
    path = session_file(store, sid)
    _damage(path, how)

    _refused(path, lambda: TinyStore(store.root).get_session(sid))
    _refused(path, lambda: TinyStore(store.root).record_answer(sid, BANK, "5.1.2", Answer(level=4)))
    _refused(path, lambda: TinyStore(store.root).set_position(sid, Position(bank=BANK, question="5.1.2")))
    _refused(path, lambda: TinyStore(store.root).reindex())
    # listing (in progress: read live) does not fail as a whole: it leaves the session out and says why
    before = path.read_bytes()
    listing = TinyStore(store.root)
    assert listing.list_sessions() == []
    assert any(str(path) in problem for problem in listing.problems), listing.problems
    assert path.read_bytes() == before


@pytest.mark.parametrize("how", SESSION_DAMAGE.values(), ids=SESSION_DAMAGE.keys())
def test_damaged_session_file_is_refused_by_set_status(store, how):
    sid = _populated(store)
    path = session_file(store, sid)
    _damage(path, how)
    index_before = index_state(store.root)
    _refused(path, lambda: TinyStore(store.root).set_status(sid, "completed"))
    assert index_state(store.root) == index_before


def test_damage_kinds_raise_store_damaged(store):
    """Unreadable bytes are StoreDamaged (a newer schema is a plain StoreError: upgrade, not restore)."""
    sid = _populated(store)
    path = session_file(store, sid)
    good = path.read_bytes()
    for how in (_garbage, _truncated, _empty, _array, _wrong_session):
        path.write_bytes(how(good))
        with pytest.raises(StoreDamaged) as err:
            TinyStore(store.root).get_session(sid)
        assert err.value.path == path


INDEX_DAMAGE = {**DAMAGE, "newer-schema": _newer_index, "invalid-rows": _wrong_index, "schema-1": _old_index}


def _kept_index(store: TinyStore, damaged: bytes) -> Path:
    """The one copy of the damaged index kept aside beside it, holding exactly the damaged bytes."""
    [kept] = sorted(store.root.glob("index.json.damaged-*"))
    assert kept.read_bytes() == damaged
    return kept


@pytest.mark.parametrize("how", INDEX_DAMAGE.values(), ids=INDEX_DAMAGE.keys())
def test_damaged_index_is_kept_aside_and_rebuilt_by_list(store, how):
    """The index is derived from the session files: a damaged one is kept aside and rebuilt, with a
    warning, and nothing is lost."""
    sid = _populated(store)
    done = store.create_session("Acme", BANKS, status="completed", answers={BANK: {"5.1.1": Answer(level=4)}})
    path = store.root / "index.json"
    _damage(path, how)
    damaged = path.read_bytes()

    fresh = TinyStore(store.root)
    listed = {x.session_id: x for x in fresh.list_sessions()}
    assert set(listed) == {sid, done.id}
    assert listed[sid].answered == 1 and listed[done.id].status == "completed" and listed[done.id].answered == 1
    kept = _kept_index(store, damaged)
    [warning] = fresh.problems
    assert str(path) in warning and str(kept) in warning and "rebuilt" in warning
    assert set(index_rows(store)) == {sid, done.id}  # the rebuilt index is on disk

    again = TinyStore(store.root)
    assert [x.session_id for x in again.list_sessions(org="Acme")] == [done.id, sid]
    assert again.problems == []  # rebuilt once, not every time
    _kept_index(store, damaged)


@pytest.mark.parametrize("how", INDEX_DAMAGE.values(), ids=INDEX_DAMAGE.keys())
def test_damaged_index_is_kept_aside_and_rebuilt_by_writers(store, how):
    sid = _populated(store)
    path = store.root / "index.json"
    _damage(path, how)
    damaged = path.read_bytes()

    creator = TinyStore(store.root)
    beta = creator.create_session("Beta", BANKS)
    assert set(index_rows(store)) == {sid, beta.id}  # the old session was not dropped from the index
    kept = _kept_index(store, damaged)
    assert any(str(kept) in p for p in creator.problems)

    _damage(path, how)
    damaged_again = path.read_bytes()
    setter = TinyStore(store.root)
    setter.set_status(sid, "completed")
    rows = index_rows(store)
    assert set(rows) == {sid, beta.id} and rows[sid]["status"] == "completed"
    assert any("rebuilt" in p for p in setter.problems)
    kept_bytes = [k.read_bytes() for k in store.root.glob("index.json.damaged-*")]
    assert sorted(kept_bytes) == sorted({damaged, damaged_again})  # each damaged version kept, once


def test_missing_index_is_rebuilt_from_the_session_files(store):
    sid = _populated(store)
    (store.root / "index.json").unlink()
    fresh = TinyStore(store.root)
    assert [x.session_id for x in fresh.list_sessions()] == [sid]
    assert any("missing" in p for p in fresh.problems)
    assert set(index_rows(store)) == {sid}


def test_first_session_of_a_new_store_gives_no_warning(store):
    store.create_session("Acme", BANKS)
    assert store.problems == []
    assert TinyStore(store.root).list_sessions()[0].org == "Acme"


MARKER_DAMAGE = {**DAMAGE, "newer-schema": _newer_marker, "wrong-format": _wrong_marker}


@pytest.mark.parametrize("how", MARKER_DAMAGE.values(), ids=MARKER_DAMAGE.keys())
def test_damaged_store_marker_is_refused_and_left_alone(store, how):
    sid = _populated(store)
    path = store.root / "store.json"
    _damage(path, how)
    index_before = index_state(store.root)
    session_before = session_file(store, sid).read_bytes()

    _refused(path, lambda: TinyStore(store.root).list_sessions())
    _refused(path, lambda: TinyStore(store.root).get_session(sid))
    _refused(path, lambda: TinyStore(store.root).record_answer(sid, BANK, "5.1.2", Answer(level=4)))
    _refused(path, lambda: TinyStore(store.root).create_session("Beta", BANKS))
    _refused(path, lambda: TinyStore(store.root).reindex())

    assert index_state(store.root) == index_before
    assert session_file(store, sid).read_bytes() == session_before
    assert sorted(p.name for p in (store.root / "s").iterdir()) == [f"{sid}.json"]


def test_newer_store_schema_is_refused(store):
    sid = _populated(store)
    path = store.root / "store.json"
    path.write_text(json.dumps({"format": "selfcheck-store", "schema": SCHEMA + 1}), encoding="utf-8")
    with pytest.raises(StoreError, match="newer"):
        TinyStore(store.root).list_sessions()
    with pytest.raises(StoreError, match="newer"):
        TinyStore(store.root).get_session(sid)
    with pytest.raises(StoreError, match="newer"):
        TinyStore(store.root).create_session("Acme", BANKS)
    assert json.loads(path.read_text(encoding="utf-8")) == {"format": "selfcheck-store", "schema": SCHEMA + 1}


def test_missing_marker_beside_an_index_is_refused(store):
    _populated(store)
    (store.root / "store.json").unlink()
    with pytest.raises(StoreDamaged) as err:
        TinyStore(store.root).list_sessions()
    assert str(store.root / "store.json") in str(err.value)
    with pytest.raises(StoreDamaged):
        TinyStore(store.root).create_session("Acme", BANKS)
    assert not (store.root / "store.json").exists()  # not silently recreated


# -- reindex -------------------------------------------------------------------------------------


def test_reindex_rebuilds_a_deleted_index(store):
    a = store.create_session("Acme", BANKS, "王芳")
    b = store.create_session("Beta", BANKS)
    c = store.create_session("Acme", BANKS)
    store.record_answer(a.id, BANK, "5.1.1", Answer(level=3))
    store.record_answer(b.id, BANK, "5.1.1", Answer(level=4))
    store.record_answer(b.id, BANK, "5.1.2", Answer(level=4))
    store.set_status(b.id, "completed")
    before = {x.session_id: x for x in TinyStore(store.root).list_sessions()}

    (store.root / "index.json").unlink()
    assert TinyStore(store.root).reindex() == 3

    fresh = TinyStore(store.root)
    listed = fresh.list_sessions()
    assert [x.session_id for x in listed] == [c.id, b.id, a.id]
    after = {x.session_id: x for x in listed}
    assert after == before
    rows = index_rows(store)
    assert set(rows) == {a.id, b.id, c.id}
    assert rows[b.id]["status"] == "completed" and rows[b.id]["answered"] == 2
    assert [x.session_id for x in fresh.list_sessions(org="Acme")] == [c.id, a.id]

    # and the rebuilt index keeps working
    d = fresh.create_session("Acme", BANKS)
    assert set(index_rows(store)) == {a.id, b.id, c.id, d.id}


def test_temp_files_of_killed_writers_are_swept_and_live_ones_kept(store):
    import subprocess
    import sys

    sid = store.create_session("Acme", {"activities.design": "2026.1"}).id
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale = store.root / "s" / f".{sid}.json.{dead_pid}.tmp"
    stale.write_text('{"half": ', encoding="utf-8")
    live = store.root / "s" / f".{sid}.json.{os.getppid()}.tmp"  # another live process's (not this one's)
    live.write_text("{}", encoding="utf-8")
    again = TinyStore(store.root)
    assert again.get_session(sid).id == sid
    assert stale.exists(), "a reader leaves them (it never reads them): the first write sweeps"
    again.set_position(sid, None)
    assert not stale.exists(), "the temp file of a process that is gone should be removed"
    assert live.exists(), "a live writer's temp file must be left alone"
