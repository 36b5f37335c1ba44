"""The consensus meeting (issue 12): `selfcheck workshop consensus` from a file and as an agenda that
never waits, the consensus session (kind, link to its workshop, reasons and dissent) scored as
`selfcheck run` scores the same answers, resumed after kill -9, shown in history and in the workshop
report; the TUI screen; and the watch's most disputed items. The workshop is test_agreement's three
respondents (its table gives each item's levels and order of disagreement)."""

from __future__ import annotations

import json
import os
import random
from decimal import Decimal
from pathlib import Path

import pytest
from rich.text import Text

from assistant.domain.answers import Answer, Session
from assistant.store import TinyStore

from .test_agreement import BANK, make_workshop, scored, workshop  # noqa: F401  (fixture)
from .test_history_workshop import ORG, cli  # noqa: F401  (fixture)
from .test_store_crash import kill_midway

# the five items as test_agreement's table names them, most disputed first: 7.1.1 7.2.1 7.1.2 7.1.3 7.2.2
ORDER = [0, 3, 1, 2, 4]


def named(library) -> dict[str, str]:
    return dict(zip(["7.1.1", "7.1.2", "7.1.3", "7.2.1", "7.2.2"], scored(library)))


def agreed_file(tmp_path: Path, library, entries: dict[str, object], org: str = ORG, name: str = "agreed.json") -> Path:
    ids = named(library)
    path = tmp_path / name
    path.write_text(json.dumps({"org": org, "answers": {BANK: {ids[k]: v for k, v in entries.items()}}},
                               ensure_ascii=False), encoding="utf-8")
    return path


ALL = {"7.1.1": {"level": 2, "reason": "制度有，执行弱", "dissent": "#2 认为 3 级"},
       "7.2.1": {"level": 3, "alpha": 0.55, "reason": "<b>示范</b> =SUM(A1)"},
       "7.1.2": {"level": 3, "reason": "一致"}, "7.1.3": {"level": 4, "reason": "有数据"},
       "7.2.2": {"level": 5, "reason": "一致"}}


def consensus_sessions(store: TinyStore) -> list[Session]:
    return [s for s in store.sessions(org=ORG) if s.kind == "consensus"]


def test_consensus_from_a_file_is_a_session_scored_like_run(cli, workshop, store, library, tmp_path):
    path = agreed_file(tmp_path, library, ALL)
    run = cli("workshop", "consensus", "W", "--answers", str(path), "--facilitator", "主持人", "--format", "json")
    assert run.code == 0, run.err
    agenda = run.json()
    assert agenda["status"] == "completed" and agenda["agreed"] == 5
    [session] = consensus_sessions(store)
    assert (session.kind, session.consensus_of, session.workshop, session.respondent) == ("consensus", "W", None, "主持人")
    ids = named(library)
    first = session.answers[BANK][ids["7.1.1"]]
    assert (first.level, first.reason, first.dissent) == (2, "制度有，执行弱", "#2 认为 3 级")
    assert session.answers[BANK][ids["7.2.1"]].alpha == Decimal("0.55")
    # the same answers through `selfcheck run` give the same grade and scores
    ran = cli("run", "--answers", str(path), "--format", "json")
    assert ran.code == 0, ran.err
    reported = cli("report", session.id, "--format", "json")
    assert reported.code == 0, reported.err
    assert reported.json()["grade"] == ran.json()["grade"]
    assert [b["percent"] for b in reported.json()["banks"]] == [b["percent"] for b in ran.json()["banks"]]
    # the workshop report: the agreed result beside the mean, with its reasons
    data = cli("workshop", "report", "W", "--format", "json").json()
    assert data["consensus"]["session_id"] == session.id and data["consensus"]["grade"] == ran.json()["grade"]
    items = {i["id"]: i for i in data["consensus"]["items"]}
    assert (items[ids["7.1.1"]]["level"], items[ids["7.1.1"]]["mean_level"]) == (2, 2.0)
    assert items[ids["7.1.1"]]["dissent"] == "#2 认为 3 级"
    # history: the consensus is a session of the organisation, and says what it is
    history = cli("history", "--org", ORG, "--format", "json")
    assert history.code == 0, history.err
    kinds = {r["session_id"]: r["kind"] for r in history.json()}
    assert kinds[session.id] == "consensus"
    text = cli("history", "--org", ORG)
    assert "（共识）" in text.out.split(session.id, 1)[1].splitlines()[1]  # under the session's id
    listed = cli("sessions", "list", "--org", ORG, "--format", "json")
    assert listed.code == 0 and {r["session_id"]: r.get("kind") for r in listed.json()}[session.id] == "consensus"


def test_the_agenda_without_a_terminal_prints_and_never_waits(cli, workshop, library):
    run = cli("workshop", "consensus", "W", "--format", "json")  # standard input is not a TTY under pytest
    assert run.code == 0, run.err
    data = run.json()
    ids = named(library)
    assert [i["id"] for i in data["items"]] == [ids[k] for k in ("7.1.1", "7.2.1", "7.1.2", "7.1.3", "7.2.2")]
    assert data["session_id"] is None and data["agreed"] == 0  # looking creates nothing
    na = next(i for i in data["items"] if i["id"] == ids["7.2.1"])
    assert na["remarks"] == [{"who": "#1", "role": "leaders", "level": None, "text": "本院无对外示范任务", "na": True}]
    text = cli("workshop", "consensus", "W", "--lang", "en")
    assert text.code == 0 and "0 of 5 items agreed (3 respondents)" in text.out and "#1 (leaders)" in text.out
    assert "甲" not in text.out  # names hidden by default


def test_names_are_shown_only_where_the_workshop_allows(cli, store, library):
    make_workshop(cli, store, library, "named", "--names")
    data = cli("workshop", "consensus", "named", "--format", "json").json()
    assert data["names_shown"] is True
    remark = next(r for i in data["items"] for r in i["remarks"])
    assert remark["who"] == "甲"


@pytest.mark.parametrize("case", ["org", "unrated", "alpha", "gate", "reason"])
def test_bad_agreed_files_are_refused_and_store_nothing(cli, workshop, store, library, tmp_path, case):
    if case == "org":
        path = agreed_file(tmp_path, library, {"7.1.1": {"level": 2, "reason": "r"}}, org="别的医院")
    elif case == "unrated":
        design = library.bank("activities.design").questions[0].id
        path = tmp_path / "x.json"
        path.write_text(json.dumps({"org": ORG, "answers": {"activities.design": {design: {"level": 3, "reason": "r"}}}}),
                        encoding="utf-8")
    elif case == "alpha":  # level 2's band is 0.2 < α ≤ 0.4 (003 §5.1.1)
        path = agreed_file(tmp_path, library, {"7.1.2": 3, "7.1.1": {"level": 2, "alpha": 0.9, "reason": "r"}})
    elif case == "reason":  # the first item is fine, the second has no reason: nothing is stored
        path = agreed_file(tmp_path, library, {"7.1.1": {"level": 2, "reason": "r"}, "7.1.2": 3})
    else:
        path = agreed_file(tmp_path, library, {"7.1.1": "yes"})
    run = cli("workshop", "consensus", "W", "--answers", str(path), "--lang", "en")
    assert run.code == 2, (run.out, run.err)
    assert run.err.strip()
    assert consensus_sessions(store) == []


def test_a_meeting_resumes_where_it_stopped(cli, workshop, store, library, tmp_path):
    first = agreed_file(tmp_path, library, {k: ALL[k] for k in ("7.1.1", "7.2.1")}, name="a.json")
    assert cli("workshop", "consensus", "W", "--answers", str(first)).code == 0
    [s] = consensus_sessions(store)
    assert s.status == "in_progress"
    ids = named(library)
    assert s.position is not None and s.position.question == ids["7.1.2"]  # the next most disputed
    rest = agreed_file(tmp_path, library, {k: ALL[k] for k in ("7.1.2", "7.1.3", "7.2.2")}, name="b.json")
    assert cli("workshop", "consensus", "W", "--answers", str(rest)).code == 0
    [s] = consensus_sessions(store)
    assert s.status == "completed" and len(s.answers[BANK]) == 5


# The child agrees the items in the meeting's order, printing each after `agree` returned.
AGREER = r"""
import sys, time
from assistant.consensus import open_meeting
from assistant.domain.consensus import agreed
from assistant.domain.loader import load_library
from assistant.store import TinyStore
root = sys.argv[1]
store = TinyStore(root)
meeting = open_meeting(store, load_library(), store.get_workshop("W"))
for n, item in enumerate(meeting.pending()):
    meeting.agree(item.key, agreed(n % 5 + 1, reason=f"理由 {n}"))
    print(item.key[1], n % 5 + 1, flush=True)
    time.sleep(0.03)
time.sleep(30)  # never ends by itself: the parent kills it
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_kill_9_during_the_meeting_loses_no_agreed_item_and_resumes(cli, workshop, store, library, tmp_path):
    from assistant.consensus import open_meeting
    from assistant.domain.consensus import agreed

    acked = kill_midway(tmp_path / "out.txt", random.Random(12), AGREER, store.root)
    assert acked, "the child acknowledged nothing"
    fresh = TinyStore(store.root)
    meeting = open_meeting(fresh, library, fresh.get_workshop("W"))
    assert meeting.session is not None and meeting.session.kind == "consensus"
    for qid, level in acked:  # every acknowledged item is on disk, whole
        a = meeting.session.answers[BANK][qid]
        assert a.level == int(level) and a.reason
    left = meeting.pending()
    assert len(left) == 5 - len(meeting.session.answers[BANK])
    for item in left:  # the meeting goes on in the same session
        meeting.agree(item.key, agreed(3, reason="续"))
    [s] = consensus_sessions(TinyStore(store.root))
    assert s.status == "completed" and len(s.answers[BANK]) == 5
    assert json.loads(next((store.root / "s").glob(f"{s.id}.json")).read_text())  # not torn


def test_old_sessions_load_and_a_self_check_is_stored_as_before(store, library):
    banks = {BANK: library.bank(BANK).version}
    s = store.create_session(ORG, banks, "甲", answers={BANK: {scored(library)[0]: Answer(level=3, note="n")}})
    raw = (store.root / "s" / f"{s.id}.json").read_text(encoding="utf-8")
    assert '"kind"' not in raw and '"consensus_of"' not in raw and '"reason"' not in raw and '"dissent"' not in raw
    doc = json.loads(raw)["session"]["1"]
    doc.pop("schema")
    assert Session.model_validate(doc).kind == "self_check"  # a record without the new keys
    rows = json.loads((store.root / "index.json").read_text()) if (store.root / "index.json").exists() else {}
    assert '"kind"' not in json.dumps(rows)


def meeting_app(store, library, lang: str = "en"):
    """Workshop W's meeting and the app that shows its screen on its own."""
    from assistant.consensus import open_meeting
    from assistant.tui.screens.consensus import ConsensusApp

    meeting = open_meeting(store, library, store.get_workshop("W"), lang)
    return meeting, ConsensusApp(meeting, lang)


async def test_the_consensus_screen_records_an_item_and_moves_on(cli, workshop, store, library):
    from textual.widgets import Input, Static

    from assistant.tui.screens.consensus import ConsensusScreen

    meeting, app = meeting_app(store, library)
    ids = named(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConsensusScreen)
        question = screen.query_one("#c-question", Static)
        assert ids["7.1.1"] in str(question.render())  # the most disputed first
        await pilot.press("6", "2")  # 6 is not a level: the box keeps only 2
        assert screen.query_one("#c-level", Input).value == "2"
        await pilot.press("enter", "0", ".", "9", "enter")  # α 0.9 is outside level 2's band
        for ch in "rules exist":
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert "must be 0.2 < α ≤ 0.4" in str(screen.query_one("#c-status", Static).render())
        assert meeting.session is None  # nothing stored
        alpha = screen.query_one("#c-alpha", Input)
        alpha.value = "0.3"
        screen.query_one("#c-reason", Input).value = "  "
        await pilot.press("ctrl+s")  # no reason: refused, nothing stored
        await pilot.pause()
        assert "Write down why" in str(screen.query_one("#c-status", Static).render())
        assert meeting.session is None
        screen.query_one("#c-reason", Input).value = "rules exist"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ids["7.2.1"] in str(screen.query_one("#c-question", Static).render())  # moved on
        [s] = consensus_sessions(TinyStore(store.root))
        a = s.answers[BANK][ids["7.1.1"]]
        assert (a.level, a.alpha, a.reason) == (2, Decimal("0.3"), "rules exist")
        await pilot.press("pageup")  # back to the agreed item: its values are shown
        assert screen.query_one("#c-reason", Input).value == "rules exist"


def test_workshop_report_md_and_html_show_the_consensus(cli, workshop, library, tmp_path):
    path = agreed_file(tmp_path, library, ALL)
    assert cli("workshop", "consensus", "W", "--answers", str(path)).code == 0
    md = cli("workshop", "report", "W", "--format", "md", "--lang", "en")
    assert md.code == 0, md.err
    assert "Consensus meeting" in md.out and "制度有，执行弱" in md.out and "Agreed" in md.out
    out = tmp_path / "w.html"
    html = cli("workshop", "report", "W", "--format", "html", "--out", str(out))
    assert html.code == 0, html.err
    page = out.read_text(encoding="utf-8")
    assert page.count('class="chart distribution-chart"') == 1
    assert "&lt;b&gt;示范&lt;/b&gt;" in page and "<b>示范</b>" not in page
    text = cli("workshop", "report", "W", "--lang", "zh")
    assert "共识会议结果" in text.out and "保留意见" in text.out


async def test_watch_lists_the_most_disputed_items(store, library):
    from textual.widgets import Static

    from assistant.tui.watch import WatchApp

    workshop = store.create_workshop("早班", ORG, [BANK])
    banks = {BANK: library.bank(BANK).version}
    first, second = scored(library)[:2]
    store.create_session(ORG, banks, "张三", workshop="早班", answers={BANK: {first: Answer(level=5), second: Answer(level=3)}})
    b = store.create_session(ORG, banks, "李四", workshop="早班", answers={BANK: {first: Answer(level=1)}})
    app = WatchApp(store, library, workshop, "en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()

        def shown() -> str:
            content = app.query_one("#group", Static).render()
            return content.plain if isinstance(content, Text) else str(content)

        assert "Most disputed items" in shown() and first in shown() and "agreement 0.00" in shown()
        assert second not in shown().split("Most disputed items")[1]  # one level only: nothing to dispute
        store.record_answer(b.id, BANK, second, Answer(level=4))
        app.action_refresh()
        await pilot.pause()
        assert second in shown().split("Most disputed items")[1]


def test_a_meeting_on_either_store_is_found_resumed_and_completed(any_store, library):
    """Only the store's existing operations are used (put_session, record_answer, set_status, …), so
    the PostgreSQL store keeps a consensus session, its kind and its reasons as the folder store does."""
    from assistant.consensus import find_consensus, open_meeting
    from assistant.domain.consensus import agreed

    from .pg_fixture import reopen
    from .test_agreement import LEVELS, ROLES, answers_of

    banks = {BANK: library.bank(BANK).version}
    workshop = any_store.create_workshop("W", ORG, [BANK], names=True)
    for who, lv in LEVELS.items():
        any_store.create_session(ORG, banks, who, role=ROLES[who], workshop="W", answers={BANK: answers_of(library, lv)},
                                 status="completed")
    meeting = open_meeting(any_store, library, workshop, "en", facilitator="Ann")
    assert meeting.names and meeting.session is None and len(meeting.agenda) == 5
    first, *rest = meeting.agenda
    meeting.agree(first.key, agreed(2, reason="why", dissent="who not"))
    again = open_meeting(reopen(any_store), library, any_store.get_workshop("W"), "en")
    assert again.session is not None and again.session.id == meeting.session.id
    assert again.session.respondent == "Ann" and again.session.kind == "consensus"
    assert again.agreed(first.key).dissent == "who not" and again.pending() == rest
    for item in rest:
        again.agree(item.key, agreed(4, reason="r"))
    found = find_consensus(reopen(any_store), workshop)
    assert found.status == "completed" and len(found.answers[BANK]) == 5
    [summary] = [s for s in reopen(any_store).list_sessions(ORG) if s.session_id == found.id]
    assert summary.kind == "consensus"


def test_a_sanitised_export_drops_the_reasons_and_dissent(cli, workshop, store, library, tmp_path):
    path = agreed_file(tmp_path, library, ALL)
    assert cli("workshop", "consensus", "W", "--answers", str(path), "--facilitator", "主持人").code == 0
    [session] = consensus_sessions(store)
    out = tmp_path / "c.json"
    assert cli("export", session.id, "--sanitise", "--out", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    assert "制度有" not in text and "#2 认为 3 级" not in text and "主持人" not in text
    doc = json.loads(text)["session"]
    assert doc["kind"] == "consensus" and doc["consensus_of"] == "W"
    assert doc["answers"][BANK][named(library)["7.1.1"]]["level"] == 2  # the levels stay


# -- the screen: N/A, the main app's ways in, the footer ------------------------------------------------


def footer_labels(app) -> list[str]:
    from .test_footer_fit import shown_keys

    keys, _ = shown_keys(app)
    return [f"{k.key_display} {k.description}" for k in keys]


async def test_the_screen_records_an_na_agreement_with_its_reason(cli, workshop, store, library, tmp_path):
    from textual.widgets import Input, Static

    from assistant.tui.screens.consensus import ConsensusScreen

    meeting, app = meeting_app(store, library)
    ids = named(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConsensusScreen)
        box = {name: screen.query_one(f"#c-{name}", Input) for name in ("level", "alpha", "reason", "dissent")}

        def status() -> str:
            return str(screen.query_one("#c-status", Static).render())

        assert "^n N/A" in footer_labels(app)  # activities.effect's items may be N/A
        assert box["level"].placeholder == "1–5 or n=N/A"
        box["alpha"].value = "0.3"
        await pilot.press("ctrl+n")  # N/A: the level box says n, α is cleared, the reason box asks why
        await pilot.pause()
        assert (box["level"].value, box["alpha"].value) == ("n", "")
        assert app.focused is box["reason"] and box["reason"].placeholder == "Why it does not apply"
        assert status().startswith("N/A: write")
        await pilot.press("ctrl+s")  # no reason: refused
        await pilot.pause()
        assert "Write down why the item does not apply" in status() and meeting.session is None
        box["reason"].value = "we run no outreach"
        box["alpha"].value = "0.5"
        await pilot.press("ctrl+s")  # N/A with an α: refused
        await pilot.pause()
        assert "N/A takes no α" in status() and meeting.session is None and app.focused is box["alpha"]
        box["alpha"].value = ""
        box["dissent"].value = "#2 would say level 2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ids["7.2.1"] in str(screen.query_one("#c-question", Static).render())  # moved on
        [s] = consensus_sessions(TinyStore(store.root))
        assert s.answers[BANK][ids["7.1.1"]] == Answer(na="we run no outreach", dissent="#2 would say level 2")
        await pilot.press("pageup")  # back: the agreed N/A is shown as it was typed
        await pilot.pause()
        assert (box["level"].value, box["reason"].value, box["dissent"].value) == (
            "n", "we run no outreach", "#2 would say level 2")
        assert status().startswith("N/A: write")
        await pilot.press("f2")  # the status line follows the language
        await pilot.pause()
        assert status().startswith("不适用：") and box["reason"].placeholder == "不适用的原因"
    # what the screen stored is what an answers file's {"na": …} stores: the report reads it alike
    report = cli("workshop", "report", "W", "--format", "json").json()
    [item] = [i for i in report["consensus"]["items"] if i["id"] == ids["7.1.1"]]
    assert (item["na"], item["level"], item["dissent"]) == ("we run no outreach", None, "#2 would say level 2")


async def test_a_required_item_cannot_be_agreed_na(store, library):
    from textual.widgets import Input

    from assistant.consensus import open_meeting
    from assistant.tui.screens.consensus import ConsensusApp

    bank = library.bank("certification.management")  # every maturity item applies (SCORING.md §1)
    first, second = [q.id for q in bank.questions if q.kind.scored][:2]
    assert bank.question(first).required
    workshop = store.create_workshop("M", ORG, [bank.id])
    for who, (a, b) in {"甲": (1, 2), "乙": (4, 3)}.items():
        store.create_session(ORG, {bank.id: bank.version}, who, workshop="M",
                             answers={bank.id: {first: Answer(level=a), second: Answer(level=b)}})
    app = ConsensusApp(open_meeting(store, library, workshop, "zh"), "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        level = app.screen.query_one("#c-level", Input)
        assert level.placeholder == "等级 1–5"
        assert not any("不适用" in label for label in footer_labels(app))
        await pilot.press("ctrl+n", "n", "N")
        await pilot.pause()
        assert level.value == ""
        assert app.screen.meeting.session is None


async def test_home_opens_the_meeting_of_the_selected_workshop_session(cli, workshop, store, library):
    from textual.widgets import DataTable, Input

    from assistant.tui.app import SelfcheckApp
    from assistant.tui.screens.consensus import ConsensusScreen
    from assistant.tui.screens.home import HomeScreen

    alone = store.create_session(ORG, {BANK: library.bank(BANK).version}, "外人",
                                 answers={BANK: {scored(library)[0]: Answer(level=3)}})
    app = SelfcheckApp(store, library, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one(DataTable)

        async def select(session_id: str) -> None:
            table.focus()
            table.move_cursor(row=[s.session_id for s in home.summaries].index(session_id))
            await pilot.pause()

        await select(alone.id)  # not in a workshop: no F4
        assert not any(label.startswith("f4") for label in footer_labels(app))
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen is home
        await select(workshop["乙"])
        assert "f4 Consensus" in footer_labels(app)  # whole, beside the others, at 80 columns
        home.query_one("#respondent", Input).value = "Ann"  # the facilitator
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ConsensusScreen) and app.screen.meeting.workshop["name"] == "W"
        assert "Consensus meeting · W" in str(app.screen.query_one("#c-title").render())
        await pilot.press("2")
        app.screen.query_one("#c-reason", Input).value = "agreed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")  # back home, not out of the app
        await pilot.pause()
        assert app.screen is home and app.is_running
        [meeting] = consensus_sessions(store)
        assert meeting.respondent == "Ann" and meeting.status == "in_progress"
        await pilot.pause()
        await select(meeting.id)  # the unfinished meeting: Enter goes on with it, not into the chat
        assert "Consensus session" in str(home.query_one("#selected").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConsensusScreen)
        assert app.screen.meeting.session.id == meeting.id and app.screen.index == 1  # the next open item


async def test_the_palette_offers_each_workshops_meeting(cli, workshop, store, library):
    from assistant.tui.app import SelfcheckApp
    from assistant.tui.screens.consensus import ConsensusScreen

    store.create_workshop("空", ORG, [BANK])  # nobody answered: said, not opened
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"共识会议：W", "共识会议：空"} <= set(commands)
        assert commands["共识会议：W"].help == f"{ORG}的研讨会：按分歧从大到小逐题商定等级"
        commands["共识会议：空"].callback()
        await pilot.pause()
        assert not isinstance(app.screen, ConsensusScreen)
        assert any("还没有人作答" in str(n.message) for n in app._notifications)
        commands["共识会议：W"].callback()
        await pilot.pause()
        assert isinstance(app.screen, ConsensusScreen)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_consensus_and_join_footers_show_whole_labels_in_one_language(cli, workshop, store, library, lang):
    from textual.widgets import Footer

    from assistant.consensus import open_meeting
    from assistant.i18n import t
    from assistant.tui.app import SelfcheckApp
    from assistant.tui.screens.consensus import ConsensusApp
    from assistant.tui.widgets.footer import FittedFooter

    from .test_footer_fit import assert_whole, shown_keys

    apps = [ConsensusApp(open_meeting(store, library, store.get_workshop("W"), lang), lang),
            SelfcheckApp(store, library, lang, participant=store.get_workshop("W"))]
    for app in apps:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen.query_one(Footer), FittedFooter)
            labels = assert_whole(app)  # each whole, left of the palette's key, on the last row
            _, palette = shown_keys(app)
            assert palette.description == t("key.palette", lang)
            assert f"f1 {t('key.help', lang)}" in labels
            if lang == "zh":
                words = [label.split(" ", 1)[1] for label in labels] + [palette.description]
                assert not any(ch.isascii() and ch.isalpha() for w in words if w != "English" for ch in w), words
    other = "en" if lang == "zh" else "zh"
    join = SelfcheckApp(store, library, lang, participant=store.get_workshop("W"))
    async with join.run_test(size=(80, 24)) as pilot:  # the join screen: F2 changes its texts too
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.pause()
        screen = join.screen
        assert t("join.welcome", other, org=ORG) == screen.query_one("#welcome").text.plain
        assert screen.query_one("#name").placeholder == t("join.name", other)
        assert_whole(join)


# -- the command line: the list says what a session is, a consensus is no respondent ---------------------


def test_sessions_list_says_which_session_is_a_consensus(cli, workshop, store, library, tmp_path):
    path = agreed_file(tmp_path, library, ALL)
    assert cli("workshop", "consensus", "W", "--answers", str(path)).code == 0
    [session] = consensus_sessions(store)
    for lang, mark in (("zh", "（共识）"), ("en", "(consensus)")):
        run = cli("sessions", "list", "--lang", lang)
        assert run.code == 0, run.err
        lines = run.out.splitlines()
        at = next(n for n, line in enumerate(lines) if session.id in line)
        assert mark in lines[at + 1]  # under its id
        assert sum(mark in line for line in lines) == 1  # the self-checks are not marked


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_consensus_cannot_join_a_workshop_as_a_respondent(cli, workshop, store, library, tmp_path, lang):
    path = agreed_file(tmp_path, library, ALL)
    assert cli("workshop", "consensus", "W", "--answers", str(path)).code == 0
    [session] = consensus_sessions(store)
    exported = tmp_path / "c.json"
    assert cli("export", session.id, "--out", str(exported)).code == 0
    assert cli("workshop", "create", "W2", "--org", ORG, "--bank", BANK).code == 0
    before = cli("workshop", "report", "W2", "--format", "json")
    said = {"zh": "共识结果", "en": "not a respondent's self-check"}[lang]
    run = cli("import", str(exported), "--workshop", "W2", "--lang", lang)
    assert run.code == 2 and said in run.err and session.id in run.err
    assert ('"W"' if lang == "en" else "“W”") in run.err  # whose consensus it is
    added = cli("workshop", "add", "W2", session.id, "--lang", lang)
    assert added.code == 2 and said in added.err
    assert cli("workshop", "report", "W2", "--format", "json").err == before.err  # still nobody in W2
    assert TinyStore(store.root).get_session(session.id).workshop is None
    if lang == "zh":
        said = run.err.removeprefix("selfcheck：").replace(str(exported), "").replace(session.id, "").replace("W", "")
        assert not any(ch.isascii() and ch.isalpha() for ch in said), run.err
