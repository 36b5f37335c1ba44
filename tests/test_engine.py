"""The Conversation engine without any UI (DESIGN.md "The chat flow")."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from assistant.domain.answers import Answer, Position, Session, check_answer
from assistant.domain.engine import (
    Ask,
    AskNote,
    Conversation,
    FlowDone,
    Notice,
    Outcome,
    Save,
    Saved,
    SessionDone,
)
from assistant.domain.evaluate import evaluate

ACTIVITIES = ["activities.design", "activities.realisation", "activities.effect", "activities.verification"]
T0 = datetime(2026, 11, 21, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def make_session(library, banks=ACTIVITIES, **kw) -> Session:
    return Session(
        id="20261121-abcdef", org="湘潭市中心医院", banks={b: library.bank(b).version for b in banks},
        created=T0, updated=T0, **kw,
    )


class Driver:
    """Drives a conversation like a screen would: applies each Save to a copy of the answers and
    checks that every saved answer fits its question."""

    def __init__(self, library, session: Session):
        self.library = library
        self.conv = Conversation(library, session)
        self.answers: dict[str, dict[str, Answer]] = {b: dict(a) for b, a in session.answers.items()}
        self.saves: list[Save] = []

    def _apply(self, out: Outcome) -> Outcome:
        assert isinstance(out, Outcome)
        for save in out.saves:
            bank = self.library.bank(save.bank)
            check_answer(bank, bank.question(save.question), save.answer)
            self.answers.setdefault(save.bank, {})[save.question] = save.answer
            self.saves.append(save)
        return out

    def start(self) -> Outcome:
        return self._apply(self.conv.start())

    def reply(self, text: str) -> Outcome:
        return self._apply(self.conv.reply(text))

    def answer(self, answer: Answer) -> Outcome:
        return self._apply(self.conv.answer(answer))

    @property
    def here(self) -> str:
        return self.conv.step().question.id


def last_ask(out: Outcome) -> Ask:
    asks = [t for t in out.turns if isinstance(t, Ask)]
    assert asks, out.turns
    return asks[-1]


def good_reply(question) -> str:
    """A reply that is never weak: level 5, yes, or some text."""
    return {"likert": "5", "maturity": "5", "gate": "yes", "text": "质量手册"}[question.kind.value]


@pytest.fixture
def design(library):
    return Driver(library, make_session(library, banks=["activities.design"]))


@pytest.fixture
def activities(library):
    return Driver(library, make_session(library))


# -- start and advance -------------------------------------------------------------------------


def test_start_asks_the_first_question_of_the_first_bank(library, activities):
    out = activities.start()
    assert out.saves == []
    (turn,) = out.turns
    assert isinstance(turn, Ask)
    step = turn.step
    first = library.bank("activities.design")
    assert step.bank.id == "activities.design"
    assert step.question.id == first.questions[0].id == "5.1.1"
    assert step.section.id == "5.1"
    assert (step.number, step.total) == (1, len(first.questions))
    assert (step.bank_number, step.bank_total) == (1, 4)
    assert step.answer is None
    assert out.position == Position(bank="activities.design", question="5.1.1")


def test_answering_advances_with_number_and_total(library, design):
    design.start()
    bank = library.bank("activities.design")
    qs = bank.questions
    for n, q in enumerate(qs[:-1], start=1):
        assert design.here == q.id
        out = design.reply(good_reply(q))
        assert [s.question for s in out.saves] == [q.id]
        saved = [t for t in out.turns if isinstance(t, Saved)]
        assert len(saved) == 1 and saved[0].answer == out.saves[0].answer
        ask = last_ask(out)
        assert ask.step.question.id == qs[n].id
        assert ask.step.number == n + 1
        assert ask.step.total == len(qs)
        assert out.position == Position(bank=bank.id, question=qs[n].id)


def test_step_earned_grows_with_the_answers(library, design):
    design.start()
    out = design.reply("5")  # 5.1.1, 3.5 points, α 1.0
    assert last_ask(out).step.earned == Decimal("3.5")
    assert last_ask(out).step.possible == Decimal(30)


# -- weak answers: ask for a note, with a 附录A tip ----------------------------------------------


@pytest.mark.parametrize("reply", ["2", "1", "低于预期", "0.35", "2 0.4", "远低于预期"])
def test_weak_likert_answer_asks_for_a_note_with_a_tip(library, design, reply):
    design.start()
    q = library.bank("activities.design").question("5.1.1")
    out = design.reply(reply)
    assert len(out.saves) == 1 and out.saves[0].answer.note is None
    notes = [t for t in out.turns if isinstance(t, AskNote)]
    assert len(notes) == 1, out.turns
    assert not any(isinstance(t, Ask) for t in out.turns)
    note = notes[0]
    assert note.step.question.id == "5.1.1"
    assert note.tip is not None
    area, method = note.tip
    assert method.id in q.methods
    assert method.id.startswith(area.id + ".")
    assert method.id in library.catalogue.methods


@pytest.mark.parametrize("reply", ["4", "5", "0.61", "4 0.7", "高于预期", "3", "符合预期", "0.55", "3 0.6"])
def test_level_3_and_above_do_not_ask_for_a_note(design, reply):
    design.start()
    out = design.reply(reply)
    assert not any(isinstance(t, AskNote) for t in out.turns)
    assert last_ask(out).step.question.id == "5.1.2"


@pytest.mark.parametrize("reply, weak", [("2", True), ("1", True), ("3", False), ("4", False), ("5", False)])
def test_maturity_weak_is_level_2_or_below(library, reply, weak):
    d = Driver(library, make_session(library, banks=["certification.management"]))
    d.start()
    out = d.reply(reply)
    notes = [t for t in out.turns if isinstance(t, AskNote)]
    assert bool(notes) is weak
    if weak:
        q = library.bank("certification.management").question("1.1")
        assert notes[0].tip is not None and notes[0].tip[1].id in q.methods


def test_the_next_text_becomes_the_note(design):
    design.start()
    design.reply("2")
    out = design.reply("还没有做过顾客需求调研")
    assert len(out.saves) == 1
    save = out.saves[0]
    assert (save.bank, save.question) == ("activities.design", "5.1.1")
    assert save.answer.level == 2
    assert save.answer.note == "还没有做过顾客需求调研"
    assert last_ask(out).step.question.id == "5.1.2"
    assert design.answers["activities.design"]["5.1.1"].note == "还没有做过顾客需求调研"


def test_a_note_that_looks_like_a_level_is_still_a_note(design):
    design.start()
    design.reply("2")
    out = design.reply("5 个科室没有记录")
    assert out.saves and out.saves[0].answer.note == "5 个科室没有记录"
    assert out.saves[0].answer.level == 2


@pytest.mark.parametrize("text", ["", "   ", "skip", "跳过"])
def test_enter_or_skip_moves_on_without_a_note(design, text):
    design.start()
    design.reply("2")
    out = design.reply(text)
    assert out.saves == []
    assert last_ask(out).step.question.id == "5.1.2"
    assert design.answers["activities.design"]["5.1.1"] == Answer(level=2)


def test_weak_answer_on_the_last_scored_question_then_note(library):
    """A weak answer to the last question of a bank: the note is taken, then the flow ends."""
    d = Driver(library, make_session(library, banks=["activities.design"]))
    d.start()
    qs = library.bank("activities.design").questions
    for q in qs[:-2]:
        d.reply(good_reply(q))
    assert d.here == "5.3.2"
    d.reply("1")
    out = d.reply("目标没有分解")
    assert out.saves[0].answer.note == "目标没有分解"
    assert last_ask(out).step.question.id == "5.evidence"


# -- back -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["back", "上一题"])
def test_back_returns_to_the_previous_question(design, word):
    design.start()
    design.reply("5")
    out = design.reply(word)
    assert out.saves == []
    ask = last_ask(out)
    assert ask.step.question.id == "5.1.1"
    assert ask.step.number == 1
    assert ask.step.answer == Answer(level=5)


def test_re_answering_replaces_the_answer(design):
    design.start()
    design.reply("5")
    design.reply("back")
    out = design.reply("4")
    assert [(s.question, s.answer.level) for s in out.saves] == [("5.1.1", 4)]
    assert design.answers["activities.design"]["5.1.1"].level == 4
    assert design.conv.answers("activities.design")["5.1.1"].level == 4
    assert last_ask(out).step.question.id == "5.1.2"


def test_back_at_the_first_question(design):
    design.start()
    out = design.reply("back")
    assert out.saves == []
    assert any(isinstance(t, Notice) for t in out.turns)
    assert last_ask(out).step.question.id == "5.1.1"


def test_back_across_banks(library, activities):
    activities.start()
    for q in library.bank("activities.design").questions:
        activities.reply(good_reply(q))
    assert activities.conv.step().bank.id == "activities.realisation"
    assert activities.here == "3.3"  # the realisation opens with the gates of 002 §3.3 and §4.1
    out = activities.reply("back")
    ask = last_ask(out)
    assert ask.step.bank.id == "activities.design"
    assert ask.step.question.id == library.bank("activities.design").questions[-1].id
    assert ask.step.bank_number == 1
    # re-answer it, and the flow goes forward into the next bank again
    out = activities.reply("新的证据清单")
    assert out.saves[0].answer.text == "新的证据清单"
    assert activities.answers["activities.design"]["5.evidence"].text == "新的证据清单"
    assert last_ask(out).step.question.id == "3.3"


# -- skip, N/A --------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["skip", "跳过"])
def test_skip_saves_a_skipped_answer(design, word):
    design.start()
    out = design.reply(word)
    assert [(s.question, s.answer) for s in out.saves] == [("5.1.1", Answer(skipped=True))]
    assert last_ask(out).step.question.id == "5.1.2"
    assert not any(isinstance(t, AskNote) for t in out.turns)


def test_na_with_a_reason_saves_na(design):
    design.start()
    out = design.reply("不适用 本院无此业务")
    assert [(s.question, s.answer) for s in out.saves] == [("5.1.1", Answer(na="本院无此业务"))]
    assert not any(isinstance(t, AskNote) for t in out.turns)
    assert last_ask(out).step.question.id == "5.1.2"


def test_na_without_reason_saves_nothing(design):
    design.start()
    out = design.reply("n/a")
    assert out.saves == []
    assert [t.code for t in out.turns if isinstance(t, Notice)] == ["na_reason"]
    assert design.here == "5.1.1"


def test_na_on_a_required_question_saves_nothing(library):
    d = Driver(library, make_session(library, banks=["certification.management"]))
    d.start()
    out = d.reply("n/a 不涉及")
    assert out.saves == []
    assert [t.code for t in out.turns if isinstance(t, Notice)] == ["na_required"]
    out = d.answer(Answer(na="不涉及"))  # a quick reply that bypasses the parser is refused too
    assert out.saves == []
    assert d.here == "1.1"


# -- unknown replies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["随便", "[bold]x[/bold]", "\x1b[31m", "<script>", "6", "4 0.9"])
def test_an_unknown_reply_saves_nothing(design, text):
    design.start()
    out = design.reply(text)
    assert out.saves == []
    notices = [t for t in out.turns if isinstance(t, Notice)]
    assert notices, out.turns
    assert design.here == "5.1.1"


def test_unknown_reply_gives_notice_unknown(design):
    design.start()
    out = design.reply("随便说说")
    assert out.saves == []
    assert [t.code for t in out.turns] == ["unknown"]


# -- the gate D8.2-0 -----------------------------------------------------------------------------------


def _to_gate(library) -> Driver:
    d = Driver(library, make_session(library, banks=["activities.verification"]))
    d.start()
    for qid in ("D8.1-1", "D8.1-2", "D8.1-3"):
        assert d.here == qid
        d.reply("5")
    assert d.here == "D8.2-0"
    return d


@pytest.mark.parametrize("word", ["no", "否"])
def test_gate_no_hides_the_follow_ups(library, word):
    d = _to_gate(library)
    assert last_ask(d.conv.start()).step.total == 7
    out = d.reply(word)
    assert out.saves[0].answer == Answer(choice="no")
    visible = [p.question for p in d.conv.visible()]
    assert "D8.2-1" not in visible and "D8.2-2" not in visible
    ask = last_ask(out)
    assert ask.step.question.id == "8.evidence"
    assert ask.step.total == 5
    assert ask.step.number == 5


@pytest.mark.parametrize("word", ["yes", "是"])
def test_gate_yes_keeps_the_follow_ups(library, word):
    d = _to_gate(library)
    out = d.reply(word)
    assert out.saves[0].answer == Answer(choice="yes")
    visible = [p.question for p in d.conv.visible()]
    assert "D8.2-1" in visible and "D8.2-2" in visible
    ask = last_ask(out)
    assert ask.step.question.id == "D8.2-1"
    assert (ask.step.number, ask.step.total) == (5, 7)


def test_gate_changed_to_no_after_answering_follow_ups(library):
    d = _to_gate(library)
    d.reply("yes")
    d.reply("5")  # D8.2-1
    assert d.here == "D8.2-2"
    d.reply("back")
    d.reply("back")
    assert d.here == "D8.2-0"
    out = d.reply("no")
    assert last_ask(out).step.question.id == "8.evidence"
    out = d.reply("back")
    assert last_ask(out).step.question.id == "D8.2-0"


# -- the end of flows and of the session ----------------------------------------------------------------


def test_flow_done_at_the_end_of_each_bank_and_session_done_at_the_end(library, activities):
    out = activities.start()
    flows: list[str] = []
    done: list[SessionDone] = []
    completed = False
    for _ in range(200):
        if done:
            break
        q = activities.conv.step().question
        out = activities.reply(good_reply(q))
        flows += [t.bank.id for t in out.turns if isinstance(t, FlowDone)]
        done += [t for t in out.turns if isinstance(t, SessionDone)]
        completed = completed or out.completed
    assert flows == ACTIVITIES
    assert len(done) == 1
    assert completed
    assert out.position is None
    assert isinstance(out.turns[-1], SessionDone)
    # the result equals evaluate() of the same answers
    session = make_session(library, answers=activities.answers)
    assert done[0].result == evaluate(library, session)
    assert done[0].result.complete
    assert done[0].result.activities.percent == Decimal("100.0")
    # after the end, replies are not answers
    after = activities.reply("5")
    assert after.saves == []


def test_flow_done_result_is_the_bank_score(library, activities):
    activities.start()
    qs = library.bank("activities.design").questions
    for q in qs[:-1]:
        activities.reply(good_reply(q))
    out = activities.reply("质量手册")
    flows = [t for t in out.turns if isinstance(t, FlowDone)]
    assert len(flows) == 1
    assert flows[0].bank.id == "activities.design"
    assert flows[0].result.earned == Decimal(30)
    assert flows[0].result.percent == Decimal("100.0")
    assert last_ask(out).step.bank.id == "activities.realisation"
    assert (last_ask(out).step.number, last_ask(out).step.bank_number) == (1, 2)


def test_session_done_with_mixed_answers_equals_evaluate(library):
    """Weak answers with notes, skips, N/A and a closed gate: the final result is evaluate() of the saves."""
    d = Driver(library, make_session(library, banks=["activities.design", "activities.verification"]))
    d.start()
    script = {
        "5.1.1": ["2", "还没有调研"],
        "5.1.2": ["skip"],
        "5.1.3": ["n/a 因为不提供该服务"],
        "5.2.1": ["4 0.75"],
        "5.2.2": ["0.55", ""],
        "5.2.3": ["高于预期"],
        "5.2.4": ["远高于预期"],
        "5.3.1": ["1", "skip"],
        "5.3.2": ["5"],
        "5.evidence": ["<script>质量手册</script>"],
        "D8.1-1": ["3", "内审不定期"],
        "D8.1-2": ["4"],
        "D8.1-3": ["5"],
        "D8.2-0": ["no"],
        "8.evidence": ["skip"],
    }
    done = []
    for qid, replies in script.items():
        assert d.here == qid
        for r in replies:
            out = d.reply(r)
            done += [t for t in out.turns if isinstance(t, SessionDone)]
    assert len(done) == 1
    session = make_session(library, banks=["activities.design", "activities.verification"], answers=d.answers)
    assert done[0].result == evaluate(library, session)
    assert done[0].in_lang("en") == evaluate(library, session.model_copy(update={"lang": "en"}))
    a = d.answers
    assert a["activities.design"]["5.1.1"] == Answer(level=2, note="还没有调研")
    assert a["activities.design"]["5.1.2"] == Answer(skipped=True)
    assert a["activities.design"]["5.1.3"] == Answer(na="不提供该服务")
    assert a["activities.design"]["5.2.1"] == Answer(level=4, alpha=Decimal("0.75"))
    assert a["activities.design"]["5.2.2"] == Answer(level=3, alpha=Decimal("0.55"))
    assert a["activities.design"]["5.evidence"].text == "<script>质量手册</script>"
    assert "D8.2-1" not in a["activities.verification"]
    result = done[0].result
    verification = next(b for b in result.banks if b.id == "activities.verification")
    gated = {i.id: i for i in verification.items}
    assert gated["D8.2-1"].earned == 0 and gated["D8.2-2"].earned == 0
    assert not result.complete  # 5.1.2 was skipped


# -- resuming ------------------------------------------------------------------------------------------


def test_resume_at_the_saved_position(library):
    answers = {"activities.design": {"5.1.1": Answer(level=4), "5.1.2": Answer(level=3)}}
    session = make_session(library, answers=answers,
                           position=Position(bank="activities.design", question="5.1.2"))
    out = Conversation(library, session).start()
    ask = last_ask(out)
    assert ask.step.question.id == "5.1.2"
    assert ask.step.answer == Answer(level=3)
    assert ask.step.number == 2


def test_resume_at_a_position_in_a_later_bank(library):
    session = make_session(library, position=Position(bank="activities.effect", question="D7.1-2"))
    ask = last_ask(Conversation(library, session).start())
    assert (ask.step.bank.id, ask.step.question.id, ask.step.bank_number) == ("activities.effect", "D7.1-2", 3)


def test_resume_without_position_at_the_first_unanswered(library):
    answers = {"activities.design": {"5.1.1": Answer(level=4), "5.1.2": Answer(skipped=True),
                                     "5.2.1": Answer(level=2)}}
    session = make_session(library, answers=answers)
    ask = last_ask(Conversation(library, session).start())
    assert ask.step.question.id == "5.1.3"


def test_resume_when_a_bank_is_fully_answered(library):
    answers = {"activities.design": {q.id: Answer(level=5) if q.kind.scored else Answer(text="x")
                                     for q in library.bank("activities.design").questions}}
    ask = last_ask(Conversation(library, make_session(library, answers=answers)).start())
    assert (ask.step.bank.id, ask.step.question.id) == ("activities.realisation", "3.3")  # 002 §3.3's gate


def test_resume_on_a_position_hidden_by_the_gate(library):
    answers = {"activities.verification": {"D8.1-1": Answer(level=5), "D8.1-2": Answer(level=5),
                                           "D8.1-3": Answer(level=5), "D8.2-0": Answer(choice="no")}}
    session = make_session(library, banks=["activities.verification"], answers=answers,
                           position=Position(bank="activities.verification", question="D8.2-1"))
    ask = last_ask(Conversation(library, session).start())
    assert ask.step.question.id == "8.evidence"


def test_a_completed_session_starts_with_session_done(library):
    answers = {"activities.design": {"5.1.1": Answer(level=4)}}
    session = make_session(library, answers=answers, status="completed")
    out = Conversation(library, session).start()
    assert out.saves == []
    assert len(out.turns) == 1 and isinstance(out.turns[0], SessionDone)
    assert out.turns[0].result == evaluate(library, session)


def test_a_completed_session_with_a_saved_position_starts_with_session_done(library):
    answers = {"activities.design": {"5.1.1": Answer(level=4)}}
    session = make_session(library, answers=answers, status="completed",
                           position=Position(bank="activities.design", question="5.1.2"))
    out = Conversation(library, session).start()
    assert [type(t) for t in out.turns] == [SessionDone]


def test_resumed_conversation_does_not_change_the_given_session(library):
    session = make_session(library, banks=["activities.design"])
    conv = Conversation(library, session)
    conv.start()
    conv.reply("5")
    assert session.answers == {}


def test_a_session_completed_through_the_store_reopens_with_session_done(library, store):
    """Engine → store exactly as the chat screen persists an Outcome (record_answer with the outcome's
    position, set_position when nothing is saved, set_status on completion); reopening the completed
    session from the store must not ask a question again."""
    session = store.create_session("湘潭市中心医院", {"activities.verification": "2026.1"})

    def persist(out: Outcome) -> None:
        for save in out.saves:
            store.record_answer(session.id, save.bank, save.question, save.answer, out.position)
        if not out.saves and out.position is not None:
            store.set_position(session.id, out.position)
        if out.completed:
            store.set_status(session.id, "completed")

    conv = Conversation(library, store.get_session(session.id))
    persist(conv.start())
    for text in ("5", "5", "5", "yes", "5", "5", "证据清单"):
        persist(conv.reply(text))
    reopened = store.get_session(session.id)
    assert reopened.status == "completed"
    out = Conversation(library, reopened).start()
    assert [type(t) for t in out.turns] == [SessionDone]
