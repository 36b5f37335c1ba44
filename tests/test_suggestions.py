"""Suggestions (SCORING §7, §11): breadth first over the gaps, shown in the order of the points
they show; a gap with no fitting 附录A method gives its own next-step advice; a session in progress
never suggests for questions it has not reached."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal as D

from assistant.domain.answers import Answer, Session
from assistant.domain.evaluate import evaluate
from assistant.domain.scoring import score_bank
from assistant.domain.suggestions import pick
from tests.test_scoring_by_hand import make_bank, question

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def bank():
    return make_bank("t.s", [("1", [
        question("a", "10", methods=["leadership.a", "leadership.b", "leadership.c"]),
        question("b", "6", methods=[]),  # no fitting method: its next steps stand in
        question("c", "4", methods=["culture.a"]),
    ])], total="20")


def test_a_gap_without_a_method_gives_its_next_step_advice(library):
    b = bank()
    result = score_bank(b, {"a": Answer(level=3), "b": Answer(level=2), "c": Answer(level=1)})
    picked = pick([result], {b.id: b}, library.catalogue, "en", count=3)
    # a 4.0, b 3.6, c 3.2 at stake; first pass: a → leadership.a, b → its advice, c → culture.a
    assert [s.method for s in picked] == ["leadership.a", "t.s:b", "culture.a"]
    advice = picked[1]
    assert advice.kind == "next-step" and advice.text == "b from level 2"  # the advice for level 2
    assert [i.id for i in advice.items] == ["b"] and advice.points_at_stake == D("3.6")


def test_suggestions_are_shown_in_the_order_of_their_points(library):
    b = make_bank("t.o", [("1", [
        question("x", "10", methods=["leadership.a"]),
        question("y", "9", methods=["culture.a"]),
        question("z", "2", methods=["culture.a"]),
    ])], total="21")
    result = score_bank(b, {"x": Answer(level=3), "y": Answer(level=3), "z": Answer(level=1)})
    # x 4.0 → leadership.a (4.0); y 3.6 → culture.a, which also addresses z: 3.6 + 1.6 = 5.2
    picked = pick([result], {b.id: b}, library.catalogue, "en")
    assert [(s.method, s.points_at_stake) for s in picked] == [("culture.a", D("5.2")), ("leadership.a", D("4.0"))]
    stakes = [s.points_at_stake for s in picked]
    assert stakes == sorted(stakes, reverse=True)


def test_a_session_in_progress_suggests_only_for_questions_it_reached(library):
    answers = {"activities.design": {"5.1.1": Answer(level=1), "5.1.2": Answer(skipped=True)}}
    session = Session(id="20261201-bbbbbb", org="O", banks={"activities.design": "x", "activities.realisation": "x"},
                      answers=answers, created=NOW, updated=NOW)
    result = evaluate(library, session)
    addressed = {(i.bank, i.id) for s in result.suggestions for i in s.items}
    assert addressed and addressed <= {("activities.design", "5.1.1"), ("activities.design", "5.1.2")}
    assert ("activities.design", "5.1.2") in addressed, "a skipped question is still a gap"
    done = evaluate(library, session.model_copy(update={"status": "completed"}))
    assert {i.bank for s in done.suggestions for i in s.items} >= {"activities.realisation"}


def test_the_english_top_five_spread_over_items(library):
    """Every item of the service characteristics at 60 % (level 3): the five suggestions address
    more than two items (the first-pass walk gives each of the largest gaps its own)."""
    bank_ = library.bank("certification.service")
    session = Session(id="20261201-cccccc", org="O", banks={bank_.id: "x"}, status="completed", lang="en",
                      answers={bank_.id: {q.id: Answer(level=3) for q in bank_.questions}}, created=NOW, updated=NOW)
    result = evaluate(library, session)
    assert len(result.suggestions) == 5
    assert len({i.id for s in result.suggestions for i in s.items}) >= 5
