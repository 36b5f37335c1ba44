"""parse_reply on real questions of the shipped banks (DESIGN.md "The chat flow"; SCORING.md §1–§2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.domain.answers import Answer, check_answer
from assistant.domain.replies import Order, Problem, Understood, parse_reply


@pytest.fixture(scope="module")
def likert(library):
    """A Likert question, not required (N/A accepted)."""
    q = library.bank("activities.design").question("5.1.1")
    assert q.kind.value == "likert" and not q.required
    return q


@pytest.fixture(scope="module")
def maturity(library):
    """A required maturity question (N/A refused)."""
    q = library.bank("certification.management").question("1.1")
    assert q.kind.value == "maturity" and q.required
    return q


@pytest.fixture(scope="module")
def gate(library):
    q = library.bank("activities.verification").question("D8.2-0")
    assert q.kind.value == "gate"
    return q


@pytest.fixture(scope="module")
def text_q(library):
    q = library.bank("activities.design").question("5.evidence")
    assert q.kind.value == "text"
    return q


def understood(reply) -> Answer:
    assert isinstance(reply, Understood), reply
    return reply.answer


# -- Likert levels and labels (003 §5.1.1) ------------------------------------------------------


@pytest.mark.parametrize(
    "text, level",
    [
        ("4", 4),
        ("４", 4),  # full-width digit
        (" 4 ", 4),
        ("1", 1),
        ("5", 5),
        ("高于预期", 4),
        ("低于预期", 2),  # must not be read as 远低于预期
        ("远低于预期", 1),
        ("符合预期", 3),
        ("远高于预期", 5),
        ("above", 4),
        ("Above", 4),
        ("far above", 5),
        ("meets", 3),
        ("below", 2),
        ("far below", 1),
        ("above expectations", 4),
    ],
)
def test_likert_levels_and_labels(library, likert, text, level):
    answer = understood(parse_reply(text, likert))
    assert answer.level == level
    assert answer.alpha is None
    check_answer(library.bank("activities.design"), likert, answer)


def test_below_is_not_far_below(likert):
    assert understood(parse_reply("低于预期", likert)).level == 2
    assert understood(parse_reply("远低于预期", likert)).level == 1
    assert understood(parse_reply("高于预期", likert)).level == 4
    assert understood(parse_reply("远高于预期", likert)).level == 5


@pytest.mark.parametrize(
    "text, level, alpha",
    [
        ("0.75", 4, "0.75"),
        ("4 0.75", 4, "0.75"),
        ("4, α=0.7", 4, "0.7"),
        ("４ ０.７５", 4, "0.75"),
        ("0.5", 3, "0.5"),
        ("0.2", 1, "0.2"),  # the top of level 1's band
        ("0.21", 2, "0.21"),
    ],
)
def test_alpha(library, likert, text, level, alpha):
    answer = understood(parse_reply(text, likert))
    assert answer.level == level
    assert answer.alpha == Decimal(alpha)
    check_answer(library.bank("activities.design"), likert, answer)


@pytest.mark.parametrize("text", ["4 0.9", "4 0.6", "1 0.5", "5, α=0.8"])
def test_alpha_outside_the_band_is_a_problem(likert, text):
    reply = parse_reply(text, likert)
    assert isinstance(reply, Problem), reply
    assert reply.code == "alpha_band"


def test_alpha_band_problem_names_the_band(likert):
    reply = parse_reply("4 0.9", likert)
    assert isinstance(reply, Problem)
    assert reply.params.get("level") == "4"
    assert Decimal(reply.params["alpha"]) == Decimal("0.9")


# -- N/A (SCORING.md §1: a reason is required; never on a required question) --------------------


@pytest.mark.parametrize(
    "text, reason",
    [
        ("n/a 因为不提供该服务", "不提供该服务"),
        ("N/A: not offered", "not offered"),
        ("不适用 本院无此业务", "本院无此业务"),
    ],
)
def test_na_with_reason(library, likert, text, reason):
    answer = understood(parse_reply(text, likert))
    assert answer.na == reason
    assert answer.level is None
    check_answer(library.bank("activities.design"), likert, answer)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Ｎ／Ａ：不提供该服务", "不提供该服务"),  # full-width, as a Chinese input method types it
        ("ｎ／ａ 本院无此业务", "本院无此业务"),
        ("不适用：本院无此业务（试点）", "本院无此业务（试点）"),  # the reason keeps its full-width brackets
    ],
    ids=["fullwidth-N/A-colon", "fullwidth-n/a-space", "不适用-fullwidth-reason"],
)
def test_na_full_width(likert, text, reason):
    assert understood(parse_reply(text, likert)).na == reason


@pytest.mark.parametrize("text", ["n/a", "N/A", "不适用", "na", "Ｎ／Ａ", "ｎａ"],
                         ids=["n/a", "N/A", "不适用", "na", "fullwidth-N/A", "fullwidth-na"])
def test_na_without_reason(likert, text):
    reply = parse_reply(text, likert)
    assert isinstance(reply, Problem), reply
    assert reply.code == "na_reason"


@pytest.mark.parametrize("text", ["na", "n/a 本院不涉及", "不适用 没有这个部门"])
def test_na_on_a_required_maturity_question(maturity, text):
    reply = parse_reply(text, maturity)
    assert isinstance(reply, Problem), reply
    assert reply.code == "na_required"


# -- commands ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, command",
    [
        ("skip", "skip"),
        ("跳过", "skip"),
        ("SKIP", "skip"),
        ("back", "back"),
        ("上一题", "back"),
        ("/why", "why"),
        ("/help", "help"),
    ],
)
def test_commands(likert, maturity, gate, text_q, text, command):
    for q in (likert, maturity, gate, text_q):
        reply = parse_reply(text, q)
        assert isinstance(reply, Order), (q.id, reply)
        assert reply.command == command


# -- maturity --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, level", [("三级", 3), ("level 3", 3), ("Level 3", 3), ("3", 3), ("五级", 5), ("１", 1)])
def test_maturity_levels(library, maturity, text, level):
    answer = understood(parse_reply(text, maturity))
    assert answer.level == level
    assert answer.alpha is None
    check_answer(library.bank("certification.management"), maturity, answer)


def test_alpha_is_not_accepted_on_maturity(maturity):
    reply = parse_reply("4 0.75", maturity)
    assert isinstance(reply, Problem)


# -- gate D8.2-0 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, choice",
    [("yes", "yes"), ("是", "yes"), ("部分", "partly"), ("partly", "partly"), ("否", "no"), ("no", "no"), ("YES", "yes")],
)
def test_gate_choices(library, gate, text, choice):
    answer = understood(parse_reply(text, gate))
    assert answer.choice == choice
    check_answer(library.bank("activities.verification"), gate, answer)


@pytest.mark.parametrize("text", ["4", "maybe", "高于预期"])
def test_gate_rejects_levels_and_other_words(gate, text):
    reply = parse_reply(text, gate)
    assert isinstance(reply, Problem), reply
    assert reply.code == "unknown"


# -- free text --------------------------------------------------------------------------------------


def test_free_text_on_a_text_question(library, text_q):
    answer = understood(parse_reply("质量手册、顾客满意度调查报告", text_q))
    assert answer.text == "质量手册、顾客满意度调查报告"
    check_answer(library.bank("activities.design"), text_q, answer)


def test_free_text_keeps_full_width_punctuation(text_q):
    """Evidence is the user's own words: Chinese full-width punctuation is not rewritten (verbatim)."""
    text = "有顾客需求调研报告（2026年），见质量手册：第３章"
    assert understood(parse_reply(text, text_q)).text == text


@pytest.mark.parametrize("text", ["随便说说", "good", "4 4 4", "低于预期吧"])
def test_free_text_on_a_scored_question_is_unknown(likert, text):
    reply = parse_reply(text, likert)
    assert isinstance(reply, Problem), reply
    assert reply.code == "unknown"


def test_empty_reply(likert, text_q):
    for q in (likert, text_q):
        reply = parse_reply("   ", q)
        assert isinstance(reply, Problem) and reply.code == "empty"


# -- hostile input ---------------------------------------------------------------------------------

HOSTILE = [
    "[bold]x[/bold]",
    "\x1b[31m",
    "\x1b[31mred\x1b[0m",
    "<script>alert(1)</script>",
    "[link=file:///etc/passwd]x[/link]",
    "{level}",
    "%s%s%n",
    "\x00",
    "\u202e反向",
    "ｎ／ａ",
    "x" * 10_000,
    "4" * 200,
    "0." + "9" * 200,
    "n/a " + "[red]" * 50,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_crashes(likert, maturity, gate, text_q, text):
    for q in (likert, maturity, gate, text_q):
        reply = parse_reply(text, q)
        assert isinstance(reply, (Understood, Order, Problem))


@pytest.mark.parametrize("text", ["[bold]x[/bold]", "\x1b[31m", "<script>", "<script>alert(1)</script>",
                                  "[link=file:///etc/passwd]x[/link]"])
def test_markup_on_a_text_question_is_kept_verbatim(text_q, text):
    answer = understood(parse_reply(text, text_q))
    assert answer.text == text


@pytest.mark.parametrize("text", ["[bold]x[/bold]", "\x1b[31m", "<script>"])
def test_markup_on_a_scored_question_is_not_an_answer(likert, maturity, gate, text):
    for q in (likert, maturity, gate):
        reply = parse_reply(text, q)
        assert isinstance(reply, Problem), (q.id, reply)
