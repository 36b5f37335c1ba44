"""The index against the session files (issue 11, points 10–12): a kill between the two hides
nothing, one lock order keeps them agreeing, and an index in doubt is rebuilt, never trusted.

The kills are real: a child process SIGKILLs itself at the moment named (right after the session
file was renamed into place, or removed), as a power cut or `kill -9` would stop it.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.domain.answers import Answer
from assistant.store import StoreDamaged, StoreError, TinyStore
from assistant.store.tiny import SCHEMA

BANK = "activities.design"
BANKS = {BANK: "2026.1"}
PROJECT = Path(__file__).resolve().parents[1]


# -- the index on disk, read raw (not through the store) ------------------------------------------


def index_rows(root: Path) -> dict[str, dict]:
    """Every summary in the index, by session id: the organisations' files with their logs replayed."""
    rows: dict[str, dict] = {}
    folder = root / "index"
    for snap in sorted(folder.glob("*.json")):
        rows.update(json.loads(snap.read_text(encoding="utf-8"))["sessions"])
    for log in sorted(folder.glob("*.log")):
        for line in log.read_text(encoding="utf-8").splitlines():
            change = json.loads(line)
            if "put" in change:
                rows[change["put"]["session_id"]] = change["put"]
            else:
                rows.pop(change["drop"], None)
    return rows


def index_state(root: Path) -> dict[str, bytes]:
    """The bytes of every file of the index (to tell that nothing in it changed)."""
    files = [root / "index.json", *sorted((root / "index").glob("*"))]
    return {p.name: p.read_bytes() for p in files if p.is_file()}


def rewrite_rows(root: Path, edit) -> None:
    """Replace the index's summaries by edit(rows) (a dict by session id): each organisation's file
    gets the rows of its organisation, the logs go, index.json stays as it is."""
    folder = root / "index"
    rows = edit(index_rows(root))
    for log in folder.glob("*.log"):
        log.unlink()
    manifest = json.loads((root / "index.json").read_text(encoding="utf-8"))
    for h, entry in manifest["orgs"].items():
        mine = {sid: row for sid, row in rows.items() if not isinstance(row, dict) or row.get("org") == entry["org"]
                or not isinstance(row.get("org"), str)}
        doc = {"format": "selfcheck-index-org", "schema": 2, "org": entry["org"], "sessions": mine}
        (folder / f"{h}.json").write_text(json.dumps(doc), encoding="utf-8")


def _populated(store: TinyStore) -> dict[str, str]:
    """Three sessions of two organisations: one in progress with an answer, two completed."""
    a = store.create_session("Acme", BANKS, "王芳")
    store.record_answer(a.id, BANK, "5.1.1", Answer(level=3))
    b = store.create_session("Acme", BANKS, status="completed", answers={BANK: {"5.1.1": Answer(level=4)}})
    c = store.create_session("Beta", BANKS, status="completed", answers={BANK: {"5.1.2": Answer(level=2)}})
    return {"open": a.id, "done": b.id, "beta": c.id}


# -- a child that kills itself at a chosen moment ---------------------------------------------------

KILLER = r"""
import os, pathlib, signal, sys
from assistant.domain.answers import Session
from assistant.store import TinyStore

root, when, what = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3:]

def die_after(path):
    path = pathlib.Path(path)
    if path.parent.name == "s" and path.name.endswith(".json"):
        os.kill(os.getpid(), signal.SIGKILL)

if when == "session-file-written":
    real_replace = os.replace
    def replace(src, dst, *a, **k):
        real_replace(src, dst, *a, **k)
        die_after(dst)
    os.replace = replace
elif when == "session-file-removed":
    real_unlink = pathlib.Path.unlink
    def unlink(self, *a, **k):
        real_unlink(self, *a, **k)
        die_after(self)
    pathlib.Path.unlink = unlink

store = TinyStore(root, ids=lambda now: "20261121-bbbbbb")
op = what[0]
if op == "create":
    store.create_session("Acme", {"activities.design": "2026.1"}, "killed")
elif op == "import":
    store.put_session(Session.model_validate_json(pathlib.Path(what[1]).read_text(encoding="utf-8")))
elif op == "workshop":
    store.set_workshop(what[1], what[2])
elif op == "status":
    store.set_status(what[1], what[2])
elif op == "discard":
    store.discard_if_empty(what[1])
print("not killed", flush=True)
"""


def killed_at(root: Path, when: str, *what: str) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT), env.get("PYTHONPATH")]))
    p = subprocess.run([sys.executable, "-c", KILLER, str(root), when, *what], capture_output=True, text=True,
                       env=env, cwd=PROJECT, timeout=60)
    assert p.returncode == -signal.SIGKILL, (p.returncode, p.stdout, p.stderr)


pytestmark_posix = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


# -- point 10: a kill between the session file and the index hides nothing -------------------------


@pytestmark_posix
def test_a_session_created_by_a_process_killed_before_the_index_is_listed(store):
    ids = _populated(store)
    killed_at(store.root, "session-file-written", "create")
    path = store.root / "s" / "20261121-bbbbbb.json"
    assert path.exists()  # the file was written: it is the truth

    fresh = TinyStore(store.root)
    assert "20261121-bbbbbb" in {s.session_id for s in fresh.list_sessions()}
    assert {s.session_id for s in fresh.list_sessions(org="Acme")} == {ids["open"], ids["done"], "20261121-bbbbbb"}
    assert fresh.problems == []
    assert "20261121-bbbbbb" in index_rows(store.root)  # and the index was brought up to date on disk


@pytestmark_posix
def test_an_import_killed_before_the_index_is_listed_and_importing_again_keeps_it_listed(store, tmp_path):
    _populated(store)
    elsewhere = TinyStore(tmp_path / "elsewhere", ids=lambda now: "20261121-bbbbbb")
    made = elsewhere.create_session("Acme", BANKS, "张三", status="completed",
                                    answers={BANK: {"5.1.1": Answer(level=5)}})
    doc = tmp_path / "session.json"
    doc.write_text(made.model_dump_json(), encoding="utf-8")

    killed_at(store.root, "session-file-written", "import", str(doc))
    assert (store.root / "s" / f"{made.id}.json").exists()
    assert TinyStore(store.root).put_session(made) == "unchanged"  # the file is there: nothing to add
    fresh = TinyStore(store.root)
    listed = {s.session_id: s for s in fresh.list_sessions(org="Acme")}
    assert made.id in listed and listed[made.id].status == "completed" and listed[made.id].answered == 1
    assert made.id in {s.session_id for s in fresh.list_sessions()}


@pytestmark_posix
def test_a_workshop_change_killed_before_the_index_is_seen_by_the_workshop(store):
    ids = _populated(store)
    killed_at(store.root, "session-file-written", "workshop", ids["done"], "培训班")
    assert TinyStore(store.root).get_session(ids["done"]).workshop == "培训班"
    fresh = TinyStore(store.root)
    assert [s.id for s in fresh.sessions(workshop="培训班")] == [ids["done"]]
    assert {s.session_id: s.workshop for s in fresh.list_sessions()}[ids["done"]] == "培训班"


@pytestmark_posix
def test_a_status_change_killed_before_the_index_is_listed_as_it_is_in_the_file(store):
    ids = _populated(store)
    killed_at(store.root, "session-file-written", "status", ids["done"], "in_progress")
    fresh = TinyStore(store.root)
    assert {s.session_id: s.status for s in fresh.list_sessions(org="Acme")}[ids["done"]] == "in_progress"
    assert index_rows(store.root)[ids["done"]]["status"] == "in_progress"


@pytestmark_posix
def test_a_discarded_session_killed_before_the_index_leaves_no_entry_and_no_warning(store):
    ids = _populated(store)
    empty = store.create_session("Acme", BANKS, "left without answering")
    killed_at(store.root, "session-file-removed", "discard", empty.id)
    assert not (store.root / "s" / f"{empty.id}.json").exists()

    fresh = TinyStore(store.root)
    assert {s.session_id for s in fresh.list_sessions()} == set(ids.values())
    assert {s.session_id for s in fresh.list_sessions(org="Acme")} == {ids["open"], ids["done"]}
    assert fresh.problems == []
    assert empty.id not in index_rows(store.root)


# -- point 11: one lock order for the session file and the index ------------------------------------


def test_two_concurrent_workshop_changes_leave_the_file_and_the_index_agreeing(store):
    ids = _populated(store)
    sid = ids["done"]
    first, second = TinyStore(store.root), TinyStore(store.root)
    waiting, second_done = threading.Event(), threading.Event()
    real_lock = first._lock

    def delayed_lock(name, *args, **kwargs):
        # the first writer is held up just before it asks for the index lock, once
        if name == "index" and not waiting.is_set():
            waiting.set()
            second_done.wait(10)
        return real_lock(name, *args, **kwargs)

    first._lock = delayed_lock
    errors: list[BaseException] = []

    def run_first() -> None:
        try:
            first.set_workshop(sid, "first")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    thread = threading.Thread(target=run_first)
    thread.start()
    assert waiting.wait(10)
    second.set_workshop(sid, "second")
    second_done.set()
    thread.join(20)
    assert not thread.is_alive() and errors == []

    fresh = TinyStore(store.root)
    in_file = fresh.get_session(sid).workshop
    assert {s.session_id: s.workshop for s in fresh.list_sessions()}[sid] == in_file
    assert index_rows(store.root)[sid]["workshop"] == in_file
    assert [s.id for s in fresh.sessions(workshop=in_file)] == [sid]


# -- point 12: an index in doubt is rebuilt, never trusted ---------------------------------------------


def _set_field(field, value):
    def edit(rows):
        for row in rows.values():
            row[field] = value
        return rows
    return edit


def _drop_field(field):
    def edit(rows):
        for row in rows.values():
            row.pop(field, None)
        return rows
    return edit


ROW_DAMAGE = {
    "unknown status": _set_field("status", "weird"),
    "answered as text": _set_field("answered", "3"),
    "answered negative": _set_field("answered", -1),
    "answered a bool": _set_field("answered", True),
    "banks as text": _set_field("banks", "activities.design"),
    "created a number": _set_field("created", 5),
    "created without its offset": _set_field("created", "2026-11-21T09:00:00"),
    "workshop a number": _set_field("workshop", 5),
    "org a list": _set_field("org", ["Acme"]),
    "respondent missing": _drop_field("respondent"),
    "an unknown field": _set_field("colour", "red"),
    "a row that is a list": lambda rows: {sid: [1, 2] for sid in rows},
}


@pytest.mark.parametrize("edit", ROW_DAMAGE.values(), ids=ROW_DAMAGE.keys())
def test_index_rows_of_the_wrong_type_are_rebuilt_from_the_files(store, capsys, edit):
    ids = _populated(store)
    before = {s.session_id: s for s in TinyStore(store.root).list_sessions()}
    rewrite_rows(store.root, edit)

    fresh = TinyStore(store.root)
    assert {s.session_id: s for s in fresh.list_sessions()} == before
    assert any("rebuilt" in p for p in fresh.problems), fresh.problems
    again = TinyStore(store.root)
    assert {s.session_id for s in again.list_sessions(org="Acme")} == {ids["open"], ids["done"]}
    assert again.problems == []

    rewrite_rows(store.root, edit)
    for fmt in ("text", "json"):
        capsys.readouterr()
        code = main(["sessions", "list", "--format", fmt, "--db", str(store.root)])
        out, err = capsys.readouterr()
        assert code == 0 and "Traceback" not in err, err
        assert all(sid in out for sid in ids.values())


def test_an_index_row_naming_a_file_outside_the_store_is_never_read(store):
    ids = _populated(store)
    # a valid session file outside s/, and an index row whose id leads there
    outside = store.root / "evil.json"
    raw = json.loads((store.root / "s" / f"{ids['open']}.json").read_text(encoding="utf-8"))
    raw["session"]["1"]["id"] = "evil"
    outside.write_text(json.dumps(raw), encoding="utf-8")

    def edit(rows):
        row = dict(rows[ids["open"]], session_id="../evil", org="Acme")
        return {**rows, "../evil": row}

    rewrite_rows(store.root, edit)
    fresh = TinyStore(store.root)
    listed = {s.session_id for s in fresh.list_sessions()}
    assert listed == set(ids.values())
    assert "evil" not in {s.id for s in fresh.sessions(org="Acme")}


EMPTY_MANIFEST = {"format": "selfcheck-index", "schema": 2, "orgs": {}}


def _no_rows(root: Path) -> None:
    rewrite_rows(root, lambda rows: {})


def _no_organisations(root: Path) -> None:
    (root / "index.json").write_text(json.dumps(EMPTY_MANIFEST), encoding="utf-8")


def _nothing(root: Path) -> None:
    _no_organisations(root)
    for path in (root / "index").iterdir():
        path.unlink()


EMPTY = {"no summaries": _no_rows, "no organisations": _no_organisations, "nothing at all": _nothing}


@pytest.mark.parametrize("empty", EMPTY.values(), ids=EMPTY.keys())
def test_a_valid_but_empty_index_hides_no_session(store, capsys, empty):
    ids = _populated(store)
    empty(store.root)

    fresh = TinyStore(store.root)
    assert {s.session_id for s in fresh.list_sessions(org="Acme")} == {ids["open"], ids["done"]}
    assert {s.session_id for s in fresh.list_sessions()} == set(ids.values())
    assert fresh.problems, "the repaired index says so"
    assert set(index_rows(store.root)) == set(ids.values())
    again = TinyStore(store.root)
    assert {s.session_id for s in again.list_sessions(org="Beta")} == {ids["beta"]} and again.problems == []

    empty(store.root)
    code = main(["sessions", "list", "--format", "json", "--lang", "en", "--db", str(store.root)])
    out, err = capsys.readouterr()
    assert code == 0 and {row["session_id"] for row in json.loads(out)} == set(ids.values())
    assert err.startswith("selfcheck: warning: ")


def test_an_index_missing_one_organisations_sessions_lists_them(store):
    ids = _populated(store)
    rewrite_rows(store.root, lambda rows: {sid: row for sid, row in rows.items() if row["org"] != "Acme"})
    fresh = TinyStore(store.root)
    assert {s.session_id for s in fresh.list_sessions(org="Acme")} == {ids["open"], ids["done"]}
    assert {s.session_id for s in TinyStore(store.root).list_sessions()} == set(ids.values())


@pytest.mark.parametrize("schema", [0, -1, "2", True, 1.5, None])
def test_a_store_marker_with_an_impossible_schema_is_refused(store, schema):
    ids = _populated(store)
    marker = store.root / "store.json"
    marker.write_text(json.dumps({"format": "selfcheck-store", "schema": schema}), encoding="utf-8")
    before = marker.read_bytes()
    for action in (lambda s: s.list_sessions(), lambda s: s.get_session(ids["open"]),
                   lambda s: s.create_session("Acme", BANKS), lambda s: s.reindex()):
        with pytest.raises(StoreDamaged) as err:
            action(TinyStore(store.root))
        assert err.value.path == marker and str(marker) in str(err.value)
    assert marker.read_bytes() == before


def test_a_store_of_schema_1_is_upgraded_and_loses_nothing(store):
    """A store written before the index per organisation: its single index.json is replaced by the
    new index, rebuilt from the session files, and store.json says the current schema."""
    ids = _populated(store)
    before = {s.session_id: s for s in TinyStore(store.root).list_sessions()}
    old = {"sessions": {str(i): s.to_json() for i, s in enumerate(before.values(), 1)}}
    for path in [*(store.root / "index").glob("*"), store.root / "index.json"]:
        path.unlink()
    (store.root / "index").rmdir()
    (store.root / "index.json").write_text(json.dumps(old), encoding="utf-8")
    (store.root / "store.json").write_text('{"format": "selfcheck-store", "schema": 1}', encoding="utf-8")

    fresh = TinyStore(store.root)
    assert {s.session_id: s for s in fresh.list_sessions()} == before
    assert fresh.problems == []
    assert json.loads((store.root / "store.json").read_text(encoding="utf-8"))["schema"] == SCHEMA
    assert set(index_rows(store.root)) == set(ids.values())
    assert {s.session_id for s in TinyStore(store.root).list_sessions(org="Beta")} == {ids["beta"]}


@pytest.mark.parametrize("which", ["json", "log"])
@pytest.mark.parametrize("damage", [b"{torn", b'{"put": {"session_id": "x"}}\n', b"[]\n", b"\xff\xfe\n"])
def test_a_damaged_file_of_one_organisation_is_kept_aside_and_rebuilt(store, which, damage):
    ids = _populated(store)
    if which == "json":
        TinyStore(store.root).reindex()  # the organisations' summaries are in their .json files now
    path = store.root / "index" / f"{hashlib.sha1('Beta'.encode()).hexdigest()}.{which}"
    assert path.exists()
    path.write_bytes(damage)

    fresh = TinyStore(store.root)
    assert {s.session_id for s in fresh.list_sessions(org="Beta")} == {ids["beta"]}
    [kept] = (store.root / "index").glob(f"{path.name}.damaged-*")
    assert kept.read_bytes() == damage
    assert any(str(path) in p and str(kept) in p and "rebuilt" in p for p in fresh.problems), fresh.problems
    again = TinyStore(store.root)
    assert {s.session_id for s in again.list_sessions()} == set(ids.values()) and again.problems == []
    # the store keeps working on the rebuilt index
    new = again.create_session("Beta", BANKS)
    assert {s.session_id for s in TinyStore(store.root).list_sessions(org="Beta")} == {ids["beta"], new.id}


def test_a_log_line_cut_short_is_not_part_of_the_index_and_the_next_write_keeps_it_apart(store):
    """A write stopped half way through a line (a power cut) leaves a last line without its newline:
    readers skip it; the next append starts a new line, so the cut one is found damaged, kept aside
    and the index rebuilt (nothing read from the session files is lost)."""
    ids = _populated(store)
    log = store.root / "index" / f"{hashlib.sha1('Beta'.encode()).hexdigest()}.log"
    whole = log.read_bytes()
    log.write_bytes(whole + b'{"put": {"session_id": "2026')
    fresh = TinyStore(store.root)
    assert {s.session_id for s in fresh.list_sessions(org="Beta")} == {ids["beta"]} and fresh.problems == []
    new = fresh.create_session("Beta", BANKS)
    assert log.read_bytes().startswith(whole + b'{"put": {"session_id": "2026\n')
    again = TinyStore(store.root)
    assert {s.session_id for s in again.list_sessions(org="Beta")} == {ids["beta"], new.id}
    assert any("rebuilt" in p for p in again.problems)


def test_session_ids_from_the_index_are_never_paths(store):
    _populated(store)
    for ref in ("../index", "../store", "s/../x"):
        with pytest.raises(StoreError):
            TinyStore(store.root).get_session(ref)


def test_an_organisations_log_is_folded_into_its_file_as_it_grows(store):
    """Each write appends a line to the organisation's log; once the log outgrows its share it is
    folded into the organisation's file and emptied, and nothing is lost on the way."""
    from assistant.store.index_files import COMPACT_BYTES

    made = [store.create_session("Acme", BANKS, f"第{i}位").id for i in range(80)]
    for sid in made[::3]:
        store.set_status(sid, "completed")
    h = hashlib.sha1("Acme".encode()).hexdigest()
    snap, log = store.root / "index" / f"{h}.json", store.root / "index" / f"{h}.log"
    assert snap.exists() and log.stat().st_size <= COMPACT_BYTES + snap.stat().st_size // 8
    listed = {s.session_id: s for s in TinyStore(store.root).list_sessions(org="Acme")}
    assert set(listed) == set(made)
    assert {sid for sid, s in listed.items() if s.status == "completed"} == set(made[::3])
    assert {sid: row["status"] for sid, row in index_rows(store.root).items()} == {
        sid: s.status for sid, s in listed.items()}
