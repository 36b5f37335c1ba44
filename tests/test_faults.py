"""Real faults under the store, the command line and the chat app: a full disk (a small tmpfs), store
files damaged on disk, and a read-only store folder (a read-only bind mount).

Each fault is real, not simulated: the disk really fills up (ENOSPC from the kernel), the folder really
refuses writes (EROFS). Mounting needs root (CAP_SYS_ADMIN); where mount(2) answers EPERM the test is
skipped and says so. Every mount is undone in a `finally`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.domain.answers import Answer
from assistant.store import StoreDamaged, StoreError, TinyStore
from assistant.tui.app import SelfcheckApp
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.widgets.transcript import Bubble

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "answers.json"
BANK = "activities.design"
BANKS = {BANK: "2026.1"}
EFFECT = {"activities.effect": "2026.1"}  # D7.1-1 D7.1-2 D7.1-3 D7.2-1 D7.2-2 7.evidence
ENOSPC_TEXT = os.strerror(errno.ENOSPC)  # "No space left on device"
EROFS_TEXT = os.strerror(errno.EROFS)  # "Read-only file system"


# -- mounting (mount(2) through libc: the errno tells EPERM from a real failure) ----------------------

MS_RDONLY, MS_REMOUNT, MS_BIND, MNT_DETACH = 1, 32, 4096, 2


def _libc():
    if not sys.platform.startswith("linux"):
        pytest.skip("the fault tests mount a tmpfs and a read-only bind mount: Linux only")
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
    return libc


def _mount(source: str | None, target: Path, fstype: str | None, flags: int, data: str | None) -> None:
    libc = _libc()
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    if libc.mount(enc(source), str(target).encode(), enc(fstype), flags, enc(data)) != 0:
        err = ctypes.get_errno()
        if err == errno.EPERM:
            pytest.skip(f"cannot mount {target} (mount(2) failed with EPERM: needs root with CAP_SYS_ADMIN)")
        raise OSError(err, os.strerror(err), str(target))


def _umount(target: Path) -> None:
    libc = _libc()
    if libc.umount2(str(target).encode(), 0) != 0:
        err = ctypes.get_errno()
        if libc.umount2(str(target).encode(), MNT_DETACH) != 0:  # busy: detach it anyway
            raise OSError(err, os.strerror(err), f"umount {target}")


@pytest.fixture
def tmpfs(tmp_path):
    """A 256 KiB tmpfs: a disk that really fills up."""
    folder = tmp_path / "tmpfs"
    folder.mkdir()
    _mount("tmpfs", folder, "tmpfs", 0, "size=256k")
    try:
        yield folder
    finally:
        _umount(folder)


@pytest.fixture
def read_only(tmp_path):
    """read_only(src) -> a read-only view of the folder src (a bind mount, remounted ro)."""
    mounted: list[Path] = []

    def view(src: Path) -> Path:
        dst = tmp_path / f"ro{len(mounted)}"
        dst.mkdir()
        _mount(str(src), dst, None, MS_BIND, None)
        mounted.append(dst)
        _mount(None, dst, None, MS_REMOUNT | MS_BIND | MS_RDONLY, None)
        return dst

    try:
        yield view
    finally:
        for dst in reversed(mounted):
            _umount(dst)


def fill(folder: Path) -> Path:
    """Fill the file system of `folder` until the kernel answers ENOSPC; returns the filler file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for size in (65536, 1):  # big writes, then single bytes into the last partial page
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as e:
                    assert e.errno == errno.ENOSPC, e
                    break
    finally:
        os.close(fd)
    st = os.statvfs(folder)
    assert st.f_bavail == 0, "the tmpfs is not full"
    return filler


# -- what "intact" means -------------------------------------------------------------------------------


def files_of(root: Path) -> dict[str, bytes]:
    """The store's data files and their bytes (lock files, empty and holding nothing, left out)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.parent.name != "locks"}


def assert_intact(root: Path, acknowledged: dict[str, dict[str, Answer]], bank: str = BANK) -> None:
    """Every store file parses, every acknowledged answer is there, no temp file is left behind."""
    leftovers = [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == [], f"temp files left behind: {leftovers}"
    for p in root.rglob("*.json"):
        assert isinstance(json.loads(p.read_text(encoding="utf-8")), dict), p
    fresh = TinyStore(root)
    listed = {s.session_id for s in fresh.list_sessions()}
    assert fresh.problems == [], fresh.problems
    for sid, answers in acknowledged.items():
        assert sid in listed
        stored = fresh.get_session(sid).answers.get(bank, {})
        for qid, answer in answers.items():
            assert stored.get(qid) == answer, (sid, qid, stored.get(qid), answer)


def one_error_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(("selfcheck: error: ", "selfcheck：错误：")), lines[0]  # English, or Chinese by default
    return lines[0]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def subprocess_cli(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SELFCHECK_DB", None)
    return subprocess.run([sys.executable, "-m", "assistant", *argv], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, cwd=cwd, env=env)


# -- a full disk ---------------------------------------------------------------------------------------


def test_disk_full_refuses_the_answer_keeps_the_store_and_recovers(tmpfs, clock):
    store = TinyStore(tmpfs / "sessions", clock=clock)
    s = store.create_session("Acme", BANKS, "王芳")
    acknowledged = {}
    for qid, level in (("5.1.1", 3), ("5.1.2", 4), ("5.1.3", 2)):
        store.record_answer(s.id, BANK, qid, Answer(level=level, note=f"evidence for {qid}"))
        acknowledged[qid] = Answer(level=level, note=f"evidence for {qid}")
    before = files_of(store.root)

    filler = fill(tmpfs)
    with pytest.raises(StoreError) as err:
        store.record_answer(s.id, BANK, "5.2.1", Answer(level=5, note="x" * 2000))
    message = str(err.value)
    assert ENOSPC_TEXT in message and str(store.root / "s" / f"{s.id}.json") in message, message
    assert "Nothing was changed" in message
    # the other writers refuse as cleanly
    with pytest.raises(StoreError, match=ENOSPC_TEXT):
        store.set_status(s.id, "completed")
    with pytest.raises(StoreError, match=ENOSPC_TEXT):
        store.create_session("Beta", BANKS)

    assert files_of(store.root) == before  # not one byte changed, nothing added
    assert_intact(store.root, {s.id: acknowledged})
    assert "5.2.1" not in TinyStore(store.root).get_session(s.id).answers[BANK]
    assert TinyStore(store.root).get_session(s.id).status == "in_progress"

    filler.unlink()  # room again: the same save now works, and nothing was lost on the way
    store.record_answer(s.id, BANK, "5.2.1", Answer(level=5, note="x" * 2000))
    acknowledged["5.2.1"] = Answer(level=5, note="x" * 2000)
    assert_intact(store.root, {s.id: acknowledged})
    assert len(TinyStore(store.root).list_sessions()) == 1


def test_disk_full_between_the_session_file_and_the_index_leaves_no_half_session(tmpfs, clock, tmp_path):
    """Room for the new session file but not for the index: create_session fails naming the index,
    and the session file it had written is taken away again (no session the user was told failed)."""
    ids = iter(["20261121-aaaaaa", "20261121-bbbbbb"])
    store = TinyStore(tmpfs / "sessions", clock=clock, ids=lambda now: next(ids))
    first = store.create_session("Acme", BANKS)
    answers = {BANK: {f"q{i}": Answer(level=3, note="n" * 300) for i in range(20)}}
    # the size of the second session file, measured on a scratch store made the same way
    scratch = TinyStore(tmp_path / "scratch", clock=type(clock)(), ids=lambda now: "20261121-bbbbbb")
    scratch.create_session("Acme", BANKS, answers=answers, status="completed")
    size = (scratch.root / "s" / "20261121-bbbbbb.json").stat().st_size
    page = os.statvfs(tmpfs).f_frsize
    pages = -(-size // page)
    before = files_of(store.root)

    filler = fill(tmpfs)
    os.truncate(filler, os.stat(filler).st_size - pages * page)  # room for exactly that file
    with pytest.raises(StoreError) as err:
        store.create_session("Acme", BANKS, answers=answers, status="completed")
    assert str(store.root / "index.json") in str(err.value) and ENOSPC_TEXT in str(err.value), err.value
    assert not (store.root / "s" / "20261121-bbbbbb.json").exists()
    assert files_of(store.root) == before
    assert_intact(store.root, {first.id: {}})


def test_disk_full_cli_exits_1_with_one_line_and_recovers(tmpfs, tmp_path):
    db = tmpfs / "sessions"
    ok = subprocess_cli("run", "--answers", str(EXAMPLE), "--format", "json", "--db", str(db), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    first = json.loads(ok.stdout)["session_id"]
    acknowledged = {k: Answer(level=v) for k, v in json.loads(EXAMPLE.read_text("utf-8"))["answers"][BANK].items()
                    if isinstance(v, int)}
    before = files_of(db)

    filler = fill(tmpfs)
    p = subprocess_cli("run", "--answers", str(EXAMPLE), "--format", "json", "--db", str(db), cwd=tmp_path)
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    line = one_error_line(p.stderr)
    assert "磁盘空间不足" in line and ENOSPC_TEXT not in line and str(db) in line, line  # Chinese by default
    assert p.stdout == ""
    en = subprocess_cli("run", "--answers", str(EXAMPLE), "--format", "json", "--db", str(db), "--lang", "en",
                        cwd=tmp_path)
    assert en.returncode == 1 and ENOSPC_TEXT in one_error_line(en.stderr), en.stderr
    assert files_of(db) == before
    assert_intact(db, {first: acknowledged})

    filler.unlink()
    again = subprocess_cli("run", "--answers", str(EXAMPLE), "--format", "json", "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert {s.session_id for s in TinyStore(db).list_sessions()} == {first, json.loads(again.stdout)["session_id"]}
    assert_intact(db, {first: acknowledged})


def test_run_out_to_a_full_device_says_the_session_was_stored(tmpfs, tmp_path, capsys):
    """The store has room, the output file's device has none: the session is stored before its result
    is written, so the message says it was stored (and where), never that nothing was."""
    db = tmp_path / "db"
    out = tmpfs / "result.json"
    fill(tmpfs)
    code, stdout, err = run_cli(capsys, "run", "--answers", str(EXAMPLE), "--format", "json", "--out", str(out),
                                "--db", str(db), "--lang", "en")
    [stored] = TinyStore(db).list_sessions()
    line = one_error_line(err)
    assert code == 1, (code, err)
    assert ENOSPC_TEXT in line and str(out) in line, line
    assert stored.session_id in line and "Stored as session" in line and str(db) in line, line
    assert stdout == ""
    code, _, err = run_cli(capsys, "run", "--answers", str(EXAMPLE), "--format", "json", "--out", str(out),
                           "--db", str(db), "--lang", "zh")
    assert code == 1 and "已保存为会话" in one_error_line(err)
    assert len(TinyStore(db).list_sessions()) == 2


def bubbles(app) -> list[Bubble]:
    return list(app.screen.query(Bubble))


def texts(app) -> list[str]:
    return [b.plain for b in bubbles(app)]


def progress(app) -> str:
    return str(app.screen.query_one("#progress-text").render())


async def test_disk_full_in_the_chat_shows_save_failed_and_recovers(tmpfs, clock, library):
    store = TinyStore(tmpfs / "sessions", clock=clock)
    session = store.create_session("测试医院", EFFECT, "张三")
    app = SelfcheckApp(store, library, "en", chat=session.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        assert "question 2 of 6" in progress(app)
        saved_before = [b for b in bubbles(app) if b.has_class("user")]
        assert len(saved_before) == 1

        filler = fill(tmpfs)
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen) and app.is_running
        shown = texts(app)
        failed = [t for t in shown if "Saving failed" in t]
        assert len(failed) == 1, shown
        assert ENOSPC_TEXT in failed[0] and "NOT saved" in failed[0]
        assert shown.index(failed[0]) == len(shown) - 2  # the notice, then the question asked again
        assert "· 2/6" in shown[-1]
        assert [b for b in bubbles(app) if b.has_class("user")] == saved_before  # not shown as saved
        assert "question 2 of 6" in progress(app)
        assert "D7.1-2" not in TinyStore(store.root).get_session(session.id).answers.get("activities.effect", {})
        assert_intact(store.root, {session.id: {"D7.1-1": Answer(level=5)}}, bank="activities.effect")

        filler.unlink()
        await pilot.press("4")
        await pilot.pause()
        assert "question 3 of 6" in progress(app)
        stored = TinyStore(store.root).get_session(session.id).answers["activities.effect"]
        assert stored["D7.1-1"] == Answer(level=5) and stored["D7.1-2"] == Answer(level=4)
        assert len([b for b in bubbles(app) if b.has_class("user")]) == 2


# -- store files damaged on disk -------------------------------------------------------------------------


def _session_record(raw: bytes, change) -> bytes:
    data = json.loads(raw)
    change(data["session"]["1"])
    return json.dumps(data).encode()


def _set(key, value):
    return lambda rec: rec.__setitem__(key, value)


SESSION_DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) * 2 // 3],
    "garbage bytes": lambda raw: raw[:40] + b"\x00\xff\xfe\x80garbage" + raw[40:],
    "not UTF-8": lambda raw: raw.replace(b'"Acme"', b'"\xff\xfeAcme"'),
    "empty": lambda raw: b"",
    "an array": lambda raw: b"[]",
    "a table that is a list": lambda raw: b'{"session": []}',
    "a record that is a number": lambda raw: b'{"session": {"1": 5}}',
    "a record key that is no number": lambda raw: raw.replace(b'{"1":', b'{"one":'),
    "two records": lambda raw: (lambda d: json.dumps({"session": {"1": d["session"]["1"], "2": d["session"]["1"]}})
                                .encode())(json.loads(raw)),
    "no records": lambda raw: b'{"session": {}}',
    "answers of the wrong type": lambda raw: _session_record(raw, _set("answers", [1, 2])),
    "an impossible level": lambda raw: _session_record(raw, _set("answers", {BANK: {"5.1.1": {"level": 9}}})),
    "no schema": lambda raw: _session_record(raw, lambda rec: rec.pop("schema")),
    "another session's id": lambda raw: _session_record(raw, _set("id", "20200101-000000")),
    "a huge number": lambda raw: raw.replace(b'"level":3', b'"level":' + b"9" * 5000),
    "deep nesting": lambda raw: b"[" * 100000 + b"]" * 100000,
}


def _populated(store: TinyStore) -> tuple[str, str]:
    """An in-progress session with an answer, and a completed one."""
    s = store.create_session("Acme", BANKS)
    store.record_answer(s.id, BANK, "5.1.1", Answer(level=3))
    done = store.create_session("Acme", BANKS, status="completed", answers={BANK: {"5.1.1": Answer(level=4)}})
    return s.id, done.id


STAMP = re.compile(r"^(\d{8}T\d{6}Z)(-\d+)?$")


@pytest.mark.parametrize("how", SESSION_DAMAGE.values(), ids=SESSION_DAMAGE.keys())
def test_damaged_session_file_is_named_kept_aside_and_skipped_by_listing(store, clock, capsys, how):
    sid, done = _populated(store)
    path = store.root / "s" / f"{sid}.json"
    path.write_bytes(how(path.read_bytes()))
    damaged = path.read_bytes()
    start = clock.now

    with pytest.raises(StoreDamaged) as err:
        TinyStore(store.root, clock=clock).get_session(sid)
    assert err.value.path == path
    [kept] = list((store.root / "damaged").iterdir())
    assert err.value.kept == kept
    message = str(err.value)
    assert str(path) in message and str(kept) in message, message
    # <store>/damaged/<file name>.<UTC time>, byte for byte; the original stays where it was
    assert kept.name.startswith(f"{path.name}.")
    stamp = STAMP.match(kept.name[len(path.name) + 1:])
    assert stamp, kept.name
    when = datetime.strptime(stamp.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert start.replace(microsecond=0) <= when <= clock.now, (when, start, clock.now)  # the store's clock, in UTC
    assert kept.read_bytes() == damaged and path.read_bytes() == damaged

    # writing to it is refused too, and nothing is overwritten; finding it again adds no second copy
    with pytest.raises(StoreDamaged, match=re.escape(str(kept))):
        TinyStore(store.root, clock=clock).record_answer(sid, BANK, "5.1.2", Answer(level=4))
    assert path.read_bytes() == damaged
    assert list((store.root / "damaged").iterdir()) == [kept]

    # listing does not fail as a whole: the damaged session is left out, with the problem recorded
    lister = TinyStore(store.root, clock=clock)
    assert [s.session_id for s in lister.list_sessions()] == [done]
    [problem] = lister.problems
    assert str(path) in problem and str(kept) in problem

    code, out, err_text = run_cli(capsys, "sessions", "list", "--db", str(store.root))
    assert code == 0 and done in out and sid not in out
    warnings = [line for line in err_text.splitlines() if line.strip()]
    assert len(warnings) == 1 and warnings[0].startswith(("selfcheck: warning: ", "selfcheck：警告：")) and str(path) in warnings[0]
    code, out, err_text = run_cli(capsys, "report", sid, "--db", str(store.root))
    assert code == 1 and out == ""
    line = one_error_line(err_text)
    assert str(path) in line and str(kept) in line
    assert path.read_bytes() == damaged and list((store.root / "damaged").iterdir()) == [kept]


def test_newer_session_schema_is_refused_not_called_damage(store, capsys):
    sid, done = _populated(store)
    path = store.root / "s" / f"{sid}.json"
    path.write_bytes(_session_record(path.read_bytes(), _set("schema", 2)))
    newer = path.read_bytes()
    with pytest.raises(StoreError, match="newer") as err:
        TinyStore(store.root).get_session(sid)
    assert not isinstance(err.value, StoreDamaged) and str(path) in str(err.value)
    with pytest.raises(StoreError, match="newer"):
        TinyStore(store.root).record_answer(sid, BANK, "5.1.2", Answer(level=4))
    lister = TinyStore(store.root)
    assert [s.session_id for s in lister.list_sessions()] == [done]
    assert any("newer" in p and str(path) in p for p in lister.problems)
    code, _, err_text = run_cli(capsys, "report", sid, "--db", str(store.root))
    assert code == 1 and "newer" in one_error_line(err_text)
    assert path.read_bytes() == newer


def test_damaged_index_cli_warns_and_lists_everything(store, capsys):
    sid, done = _populated(store)
    index = store.root / "index.json"
    index.write_bytes(index.read_bytes()[:25])
    damaged = index.read_bytes()
    code, out, err = run_cli(capsys, "sessions", "list", "--format", "json", "--db", str(store.root))
    assert code == 0, err
    assert {row["session_id"] for row in json.loads(out)} == {sid, done}
    [kept] = store.root.glob("index.json.damaged-*")
    assert re.fullmatch(r"index\.json\.damaged-\d{8}T\d{6}Z(-\d+)?", kept.name)
    assert kept.read_bytes() == damaged
    [warning] = [line for line in err.splitlines() if line.strip()]
    assert warning.startswith(("selfcheck: warning: ", "selfcheck：警告：")) and str(index) in warning and str(kept) in warning
    assert json.loads(index.read_text("utf-8"))["orgs"]  # rebuilt on disk
    code, out, err = run_cli(capsys, "sessions", "list", "--db", str(store.root))
    assert code == 0 and err == ""


def test_damaged_index_beside_a_damaged_session_loses_nothing_else(store):
    sid, done = _populated(store)
    other = store.create_session("Beta", BANKS)
    bad = store.root / "s" / f"{sid}.json"
    bad.write_bytes(b"{{{")
    (store.root / "index.json").write_bytes(b"\x00")
    fresh = TinyStore(store.root)
    assert {s.session_id for s in fresh.list_sessions()} == {done, other.id}
    assert any(str(bad) in p for p in fresh.problems) and any("index.json" in p for p in fresh.problems)
    assert bad.read_bytes() == b"{{{" and len(list((store.root / "damaged").iterdir())) == 1


MARKER_DAMAGE = {
    "truncated": b'{"format": "selfcheck-st',
    "garbage": b"\x89PNG\r\n\x1a\n\x00\x00",
    "wrong shape": b'{"format": ["selfcheck-store"], "schema": "1"}',
    "newer schema": b'{"format": "selfcheck-store", "schema": 7}',
}


@pytest.mark.parametrize("raw", MARKER_DAMAGE.values(), ids=MARKER_DAMAGE.keys())
def test_damaged_or_newer_store_marker_is_refused_naming_it(store, capsys, raw):
    sid, _ = _populated(store)
    marker = store.root / "store.json"
    marker.write_bytes(raw)
    before = files_of(store.root)
    for action in (lambda s: s.list_sessions(), lambda s: s.get_session(sid),
                   lambda s: s.record_answer(sid, BANK, "5.1.2", Answer(level=2))):
        with pytest.raises(StoreError) as err:
            action(TinyStore(store.root))
        assert str(marker) in str(err.value)
        if raw == MARKER_DAMAGE["newer schema"]:
            assert "newer" in str(err.value)
    for argv in (("sessions", "list"), ("report", sid), ("history", "--org", "Acme")):
        code, out, err_text = run_cli(capsys, *argv, "--db", str(store.root))
        assert code == 1 and out == "" and str(marker) in one_error_line(err_text)
    assert files_of(store.root) == before


WORKSHOP_DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: b"\xde\xad\xbe\xef",
    "table is a list": lambda raw: b'{"workshops": [1, 2]}',
    "record without a name": lambda raw: b'{"workshops": {"1": {"org": "Acme", "created": "x", "banks": []}}}',
    "banks not a list": lambda raw: b'{"workshops": {"1": {"name": "\xe5\x9f\xb9\xe8\xae\xad\xe7\x8f\xad", '
                                    b'"org": "Acme", "created": "x", "banks": "activities.design"}}}',
}


@pytest.mark.parametrize("how", WORKSHOP_DAMAGE.values(), ids=WORKSHOP_DAMAGE.keys())
def test_damaged_workshops_file_is_refused_naming_it(store, capsys, how):
    store.create_workshop("培训班", "Acme", [BANK])
    path = store.root / "workshops.json"
    path.write_bytes(how(path.read_bytes()))
    before = path.read_bytes()
    for action in (lambda s: s.list_workshops(), lambda s: s.get_workshop("培训班"),
                   lambda s: s.create_workshop("another", "Acme")):
        with pytest.raises(StoreDamaged) as err:
            action(TinyStore(store.root))
        assert err.value.path == path and str(path) in str(err.value)
    for argv in (("workshop", "list"), ("workshop", "report", "培训班")):
        code, out, err_text = run_cli(capsys, *argv, "--db", str(store.root))
        assert code == 1 and str(path) in one_error_line(err_text)
    assert path.read_bytes() == before


# -- a read-only store folder ------------------------------------------------------------------------------


def _store_with_history(root: Path) -> tuple[TinyStore, str, str]:
    store = TinyStore(root)
    code = main(["run", "--answers", str(EXAMPLE), "--format", "json", "--out", str(root.parent / "r.json"),
                 "--db", str(root)])
    assert code == 0
    [done] = store.list_sessions()
    s = store.create_session("湘潭市中心医院", BANKS, "李四")
    store.record_answer(s.id, BANK, "5.1.1", Answer(level=4, alpha=Decimal("0.7")))
    return store, done.session_id, s.id


def test_read_only_store_refuses_saving_and_still_shows_results(tmp_path, read_only, capsys):
    src = tmp_path / "store"
    _, done, open_id = _store_with_history(src)
    before = files_of(src)
    ro = read_only(src)
    with pytest.raises(OSError) as probe:  # the mount really refuses writes, even to root
        (ro / "probe").write_text("x")
    assert probe.value.errno == errno.EROFS

    store = TinyStore(ro)
    for action in (lambda: store.record_answer(open_id, BANK, "5.1.2", Answer(level=3)),
                   lambda: store.set_status(open_id, "completed"),
                   lambda: store.create_session("Acme", BANKS),
                   lambda: store.create_workshop("w", "Acme")):
        with pytest.raises(StoreError) as err:
            action()
        message = str(err.value)
        assert "cannot write to the store" in message and "Results can still be viewed" in message, message
        assert EROFS_TEXT in message
    assert {s.session_id for s in store.list_sessions()} == {done, open_id}
    assert store.get_session(open_id).answers[BANK]["5.1.1"].alpha == Decimal("0.7")

    code, out, err = run_cli(capsys, "sessions", "list", "--db", str(ro))
    assert code == 0 and done in out and open_id in out and err == ""
    code, out, err = run_cli(capsys, "report", done, "--format", "json", "--db", str(ro))
    assert code == 0 and json.loads(out)["session_id"] == done, err
    code, out, err = run_cli(capsys, "report", done, "--format", "md", "--db", str(ro))
    assert code == 0 and out, err
    code, out, err = run_cli(capsys, "history", "--org", "湘潭市中心医院", "--format", "json", "--db", str(ro))
    assert code == 0 and len(json.loads(out)) == 2, err
    code, out, err = run_cli(capsys, "run", "--answers", str(EXAMPLE), "--db", str(ro), "--lang", "en")
    assert code == 1 and out == ""
    line = one_error_line(err)
    assert "cannot write to the store" in line and "Results can still be viewed" in line
    assert files_of(src) == before


def test_read_only_store_with_a_damaged_index_still_lists(tmp_path, read_only):
    src = tmp_path / "store"
    _, done, open_id = _store_with_history(src)
    (src / "index.json").write_bytes(b"{broken")
    ro = read_only(src)
    store = TinyStore(ro)
    assert {s.session_id for s in store.list_sessions()} == {done, open_id}
    [problem] = store.problems
    assert "could not be rebuilt" in problem and str(ro / "index.json") in problem
    assert (src / "index.json").read_bytes() == b"{broken"


def test_read_only_store_of_schema_1_is_read_from_its_files(tmp_path, read_only):
    """A store of an older selfcheck (one index.json) cannot be upgraded where it cannot be written:
    its sessions are read from their files, and nothing is written."""
    src = tmp_path / "store"
    _, done, open_id = _store_with_history(src)
    before = {s.session_id: s for s in TinyStore(src).list_sessions()}
    for path in [*(src / "index").iterdir(), src / "index.json"]:
        path.unlink()
    (src / "index").rmdir()
    (src / "index.json").write_text(json.dumps({"sessions": {}}), encoding="utf-8")
    (src / "store.json").write_text('{"format": "selfcheck-store", "schema": 1}', encoding="utf-8")
    old = files_of(src)
    ro = read_only(src)
    store = TinyStore(ro)
    assert {s.session_id: s for s in store.list_sessions()} == before
    assert [s.session_id for s in store.list_sessions(org="湘潭市中心医院")] == [open_id, done]
    assert files_of(src) == old


def test_read_only_store_with_a_change_its_writer_left_marked_lists_the_files_truth(tmp_path, read_only, capsys):
    """A writer stopped between the session file and the index left a mark; on a read-only copy the
    listing applies what the file says in memory (the index cannot be written) and says nothing."""
    src = tmp_path / "store"
    store, done, open_id = _store_with_history(src)

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt  # as a kill would: after the session file, before the index

    store._apply = stopped
    with pytest.raises(KeyboardInterrupt):
        store.set_workshop(done, "培训班")
    assert list((src / "pending").iterdir())
    old = files_of(src)
    ro = read_only(src)
    reader = TinyStore(ro)
    assert {s.session_id: s.workshop for s in reader.list_sessions()}[done] == "培训班"
    assert [s.id for s in reader.sessions(workshop="培训班")] == [done]
    assert reader.problems == []
    code, out, err = run_cli(capsys, "sessions", "list", "--format", "json", "--db", str(ro))
    assert code == 0 and err == "" and {row["session_id"]: row["workshop"] for row in json.loads(out)}[done] == "培训班"
    assert files_of(src) == old


async def test_read_only_store_in_the_chat_says_the_answer_was_not_saved(tmp_path, read_only, library):
    src = tmp_path / "store"
    session = TinyStore(src).create_session("测试医院", EFFECT, "张三")
    ro = read_only(src)
    store = TinyStore(ro)
    app = SelfcheckApp(store, library, "en", chat=session.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ChatScreen)
        shown = texts(app)
        assert any("Saving failed" in t and "cannot write to the store" in t for t in shown), shown
        assert not [b for b in bubbles(app) if b.has_class("user")]
        assert "question 1 of 6" in progress(app)
    assert TinyStore(src).get_session(session.id).answers == {}


def test_read_only_store_with_a_damaged_session_names_it_and_says_no_copy_was_kept(tmp_path, read_only, capsys):
    src = tmp_path / "store"
    _, done, open_id = _store_with_history(src)
    bad = src / "s" / f"{open_id}.json"
    bad.write_bytes(bad.read_bytes()[:30])
    damaged = bad.read_bytes()
    ro = read_only(src)
    store = TinyStore(ro)
    with pytest.raises(StoreDamaged) as err:
        store.get_session(open_id)
    message = str(err.value)
    assert str(ro / "s" / f"{open_id}.json") in message and "no copy could be kept aside" in message
    assert EROFS_TEXT in message
    assert [s.session_id for s in store.list_sessions()] == [done]
    code, out, err_text = run_cli(capsys, "report", open_id, "--db", str(ro))
    assert code == 1 and "无法另存副本" in one_error_line(err_text)  # Chinese by default
    assert not (src / "damaged").exists() and bad.read_bytes() == damaged


@pytest.mark.parametrize("lang, says", [("zh", "无法写入 标准输出：磁盘空间不足"), ("en", "cannot write the standard output: " + ENOSPC_TEXT)])
def test_run_to_a_full_standard_output_says_the_session_was_stored(tmp_path, lang, says):
    """`selfcheck run > /dev/full`: one clear line (exit 1) saying the session is stored, no traceback."""
    db = tmp_path / "db"
    with open("/dev/full", "w") as full:
        p = subprocess.run([sys.executable, "-m", "assistant", "run", "--answers", str(EXAMPLE), "--db", str(db),
                            "--lang", lang], stdout=full, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
    [stored] = TinyStore(db).list_sessions()
    line = one_error_line(p.stderr)
    assert says in line and stored.session_id in line, line
