"""The chat as a conversation (issue 10): typed replies kept whole, level 3 is no weak answer,
Enter keeps a revisited answer, a changed answer returns to where the user was, skip says what it
does, /goto and the question index, the note asked again after a kill, keyboard scrolling, and a
repeat self-check that ends with what changed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.domain.answers import Answer, Position
from assistant.domain.engine import Ask, AskNote, Conversation, Notice, OpenIndex, SessionDone
from assistant.tui.app import SelfcheckApp
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.question_index import QuestionIndex
from assistant.tui.widgets.chat_input import ChatInput
from assistant.tui.widgets.transcript import Bubble, Transcript
from tests.test_engine import Driver, last_ask, make_session

EFFECT = {"activities.effect": "2026.1"}


def asks(out):
    return [t for t in out.turns if isinstance(t, Ask)]


# -- typed replies ---------------------------------------------------------------------------------

@pytest.mark.parametrize("reply, level, alpha, note", [
    ("4，已有三项团体标准", 4, None, "已有三项团体标准"),
    ("4 已有三项团体标准", 4, None, "已有三项团体标准"),
    ("3，有案例", 3, None, "有案例"),
    ("高于预期 因为有年度调查", 4, None, "因为有年度调查"),
    ("4 0.75", 4, Decimal("0.75"), None),
    ("4 0.75 有调查报告", 4, Decimal("0.75"), "有调查报告"),
    ("2，人手不足", 2, None, "人手不足"),
])
def test_a_typed_answer_with_a_note_is_kept_whole(library, reply, level, alpha, note):
    d = Driver(library, make_session(library))
    d.start()
    out = d.reply(reply)
    assert out.saves[0].answer == Answer(level=level, alpha=alpha, note=note)
    assert not any(isinstance(t, AskNote) for t in out.turns), "a note given with the answer is not asked again"
    assert last_ask(out).step.question.id == "5.1.2"


@pytest.mark.parametrize("reply", ["1.5", "4 4 4", "已有三项", "4 0.9 有报告"])
def test_replies_that_are_no_answer_store_nothing(library, reply):
    d = Driver(library, make_session(library))
    d.start()
    out = d.reply(reply)
    assert out.saves == [] and isinstance(out.turns[0], Notice)


# -- navigation ------------------------------------------------------------------------------------

def walk(library, replies=("4", "4", "4", "4")):
    d = Driver(library, make_session(library))
    d.start()
    for r in replies:
        d.reply(r)
    return d


def test_enter_after_back_keeps_the_answer_and_moves_on(library):
    d = walk(library)  # 5.1.1 … 5.2.1 answered, at 5.2.2
    out = d.reply("back")
    assert last_ask(out).step.question.id == "5.2.1"
    out = d.reply("")
    assert isinstance(out.turns[0], Notice) and out.turns[0].code == "kept"
    assert out.saves == [] and last_ask(out).step.question.id == "5.2.2"


def test_changing_an_earlier_answer_returns_to_where_the_user_was(library):
    d = walk(library)
    for _ in range(3):
        d.reply("back")
    assert d.conv.position.question == "5.1.2"
    out = d.reply("2，预算不足")  # changed, with a note: no note prompt
    assert out.saves[0].answer == Answer(level=2, note="预算不足")
    assert last_ask(out).step.question.id == "5.2.2", "not through 5.1.3 and 5.2.1 again"


def test_skip_keeps_an_answered_question_and_leaves_an_unanswered_one_unanswered(library):
    d = walk(library)
    d.reply("back")
    out = d.reply("skip")
    assert out.turns[0] == Notice("kept") and out.saves == []
    assert d.answers["activities.design"]["5.2.1"] == Answer(level=4)
    out = d.reply("skip")  # 5.2.2, unanswered
    assert out.saves[0].answer == Answer(skipped=True)


def test_goto_and_the_index(library):
    d = Driver(library, make_session(library))
    d.start()
    out = d.reply("/goto 6.2.3")
    assert last_ask(out).step.question.id == "6.2.3"
    assert d.reply("/goto 9.9.9").turns[0].code == "goto_unknown"
    assert isinstance(d.reply("/goto").turns[0], OpenIndex)
    entries = d.conv.entries()
    assert [s.question.id for s, here in entries if here] == ["6.2.3"]


def test_goto_names_the_bank_where_two_share_an_id(library):
    session = make_session(library, banks=["certification.service", "certification.management"])
    d = Driver(library, session)
    d.start()
    assert d.conv.find("1.1").bank == "certification.service"
    assert d.conv.find("management:1.1") == Position(bank="certification.management", question="1.1")


def test_a_note_prompt_cut_off_by_a_kill_is_asked_again(library, store):
    session = store.create_session("O", EFFECT)
    c = Conversation(library, session)
    out = c.answer(Answer(level=1))
    assert any(isinstance(t, AskNote) for t in out.turns)
    assert out.position == Position(bank="activities.effect", question="D7.1-1"), "stays until the note"
    store.record_answer(session.id, out.saves[0].bank, out.saves[0].question, out.saves[0].answer, out.position)
    # kill -9 here; resume
    again = Conversation(library, store.get_session(session.id))
    start = again.start()
    assert again.mode == "note" and isinstance(start.turns[-1], AskNote)
    out = again.reply("没有专项预算")
    assert out.saves[0].answer == Answer(level=1, note="没有专项预算")


def test_a_kept_weak_answer_of_a_repeat_self_check_asks_no_note_and_the_end_shows_the_change(library, store):
    first = store.create_session("O", EFFECT, answers={"activities.effect": {
        "D7.1-1": Answer(level=2, note="上次说明"), "D7.1-2": Answer(level=3), "D7.1-3": Answer(level=3),
        "D7.2-1": Answer(level=3), "D7.2-2": Answer(level=3), "7.evidence": Answer(text="x")}}, status="completed")
    second = store.create_session("O", EFFECT, baseline=first.id)
    c = Conversation(library, second, first)
    c.start()
    out = c.reply("")  # keeps D7.1-1 at level 2
    assert not any(isinstance(t, AskNote) for t in out.turns)
    out = c.reply("5")  # D7.1-2 raised
    for _ in range(4):
        out = c.reply("")
    done = next(t for t in out.turns if isinstance(t, SessionDone))
    cmp = done.comparisons["zh"]
    assert [(i.id, i.delta) for i in cmp.improved] == [("D7.1-2", Decimal("1.6"))]


# -- in the app ------------------------------------------------------------------------------------

async def test_a_reply_typed_at_human_speed_reaches_the_parser_whole(store, library, monkeypatch):
    monkeypatch.setattr(ChatInput, "hold", 0.35)  # the real hold
    session = store.create_session("O", EFFECT)
    app = SelfcheckApp(store, library, "zh", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4", "comma", *"已有三项团体标准")
        await pilot.press("enter")
        await pilot.pause()
        assert store.get_session(session.id).answers["activities.effect"]["D7.1-1"] == Answer(level=4, note="已有三项团体标准")
        await pilot.press("1", "full_stop", "5", "enter")
        await pilot.pause()
        assert "D7.1-2" not in store.get_session(session.id).answers["activities.effect"], "1.5 is no level 1"
        # a lone key answers after the moment it waits for more typing
        await pilot.press("5")
        await pilot.pause(0.6)
        assert store.get_session(session.id).answers["activities.effect"]["D7.1-2"] == Answer(level=5)
        # once typed into, digits are text until the next question
        await pilot.press("x", "backspace", "3")
        await pilot.pause(0.6)
        assert app.screen.query_one(ChatInput).value == "3"
        assert "D7.1-3" not in store.get_session(session.id).answers["activities.effect"]


async def test_the_transcript_scrolls_by_keyboard_and_the_index_jumps(store, library):
    session = store.create_session("O", EFFECT)
    app = SelfcheckApp(store, library, "zh", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in "5555":
            await pilot.press(key)
            await pilot.pause()
        transcript = app.screen.query_one(Transcript)
        await pilot.pause(0.2)
        bottom = transcript.scroll_y
        assert bottom > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < bottom
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y
        await pilot.press("home")  # the reply line is empty: Home scrolls to the top
        await pilot.pause()
        assert transcript.scroll_y == 0
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, QuestionIndex)
        await pilot.press("up", "up", "up", "up", "up", "enter")  # to the first question
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.screen.conversation.position.question == "D7.1-1"
        assert "回车保留并继续" in [b.plain for b in app.screen.query(Bubble)][-1]
        await pilot.press("enter")  # keeps it and returns to where the user was
        await pilot.pause()
        assert app.screen.conversation.position.question == "D7.2-2"


def test_the_progress_header_counts_what_the_flow_result_counts(library):
    """After an N/A the points possible drop as in the flow's result; after a gate answered no the
    question count drops by the follow-ups it hides, and the evidence question is the last."""
    session = make_session(library, banks=["activities.verification"])
    d = Driver(library, session)
    first = last_ask(d.start()).step
    assert (first.number, first.total, first.possible) == (1, 7, 15)
    out = d.reply("n/a 本单位不涉及")  # D8.1-1
    step = last_ask(out).step
    assert step.possible == 15 - library.bank("activities.verification").question("D8.1-1").max_points
    d.reply("3")
    d.reply("3")
    out = d.reply("no")  # D8.2-0: D8.2-1 and D8.2-2 are not asked
    step = last_ask(out).step
    assert step.question.kind.value == "text" and (step.number, step.total) == (5, 5)


def test_notes_over_their_limit_are_refused_and_nothing_is_saved(library):
    d = Driver(library, make_session(library))
    d.start()
    out = d.reply("4，" + "长" * 2001)
    assert out.saves == [] and out.turns[0].code == "too_long"
    out = d.reply("1")  # weak: the note prompt
    assert any(isinstance(t, AskNote) for t in out.turns)
    out = d.reply("证" * 2001)
    assert out.saves == [] and out.turns[0] == Notice("too_long", {"n": "2001", "limit": "2000"})
    out = d.reply("证" * 2000)
    assert out.saves[0].answer.note == "证" * 2000


@pytest.mark.parametrize("argv", [
    ["chat", "--org", "院" * 201],
    ["chat", "--org", "O", "--respondent", "张" * 101],
    ["workshop", "create", "班" * 201, "--org", "O"],
    ["workshop", "create", "班", "--org", "院" * 201],
])
def test_names_over_their_limit_are_refused_before_anything_is_created(tmp_path, argv, capsys):
    from assistant.cli import main
    from assistant.store import TinyStore

    db = tmp_path / "db"
    assert main([*argv, "--db", str(db)]) == 2
    assert "at most" in capsys.readouterr().err
    assert not db.exists() or TinyStore(db).list_sessions() == []
