"""The clause texts of /why (question_banks/sources/clause_texts.toml, domain/clause_texts.py): each
is the source document's own text, every clause the banks cite has one (or a reason why not), a
reference to a list item shows that item, and /why shows the texts — in English as a working
translation, said so."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

from assistant.domain.clause_texts import load_clause_texts, parse, parse_file
from assistant.domain.engine import Explain
from assistant.domain.loader import BankError, banks_dir, clause_texts
from assistant.tui.turns import render

from .test_one_language import CJK, step_of

SEEDS = Path(os.environ.get("SELFCHECK_SEEDS", "/work/shared/seeds"))
FILE = banks_dir() / "sources" / "clause_texts.toml"


def normalised(text: str) -> str:
    """Text compared without the layout of the extraction: full and half width alike (NFKC), no
    whitespace, no links or formula markup, no list bullets, no clause numbers printed at a line's
    end (000 and 001 print them there)."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = text.replace("\\leq", "≤").replace("\\alpha", "α").replace("$", "")
    text = re.sub(r"(?m)(?<![\d.])\d+(?:\.\d+)+[ \t]*$", "", text)
    text = re.sub(r"(?m)^\s*[-•\uf000-\uf8ff]\s+", "", text)
    text = re.sub(r"[\ue000-\uf8ff]", "", text)
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not on this machine (SELFCHECK_SEEDS)")
def test_every_line_of_every_text_is_in_its_source_document():
    seeds = {p.name[:3]: normalised(p.read_text(encoding="utf-8")) for p in SEEDS.glob("00?_*.txt")}
    texts = load_clause_texts(str(FILE)).texts
    assert {key.split()[0] for key in texts} == {"000", "001", "002", "003"}
    wrong = []
    for key, clause in texts.items():
        for line in clause.text.zh.split("\n"):
            if normalised(line.removeprefix("• ")) not in seeds[key[:3]]:
                wrong.append((key, line))
    assert not wrong, wrong


def test_every_clause_the_banks_cite_has_a_text(library):
    texts = clause_texts()
    refs = [r for b in library.banks.values() for q in b.questions for r in (q.clause, *q.refs)]
    assert texts.missing(refs) == []
    # and it is a text, not only a reason: all but the points tables of 003 附录3
    untexted = {p.key for r in refs for p in parse(r) if texts.find(p) is None}
    assert untexted and all(key.startswith("003 附录3 ") for key in untexted), untexted


def test_a_cited_clause_without_a_text_is_refused(tmp_path, monkeypatch):
    data = {"documents": ["002"], "texts": {"002 5.1.1": {"zh": "应高度契合服务对象及相关方的需求。", "en": "Shall …"}}}
    texts = parse_file(data)
    assert texts.missing(["002 5.1.1", "000 4.3", "GB/T 24620"]) == []  # 000 is not covered by this file
    assert texts.missing(["002 5.1.2；000 4.3"]) == ["002 5.1.2；000 4.3"]
    folder = tmp_path / "question_banks"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "clause_texts.toml").write_text(
        'documents = ["002"]\n[texts."002 5.1.1"]\nzh = "应高度契合服务对象及相关方的需求。"\nen = "Shall …"\n', encoding="utf-8")
    monkeypatch.setattr("assistant.domain.loader.banks_dir", lambda: folder)
    clause_texts.cache_clear()
    try:
        with pytest.raises(BankError, match=r"clause_texts\.toml: no text for the cited clause\(s\) .*002 5\.1\.2"):
            clause_texts()
    finally:
        clause_texts.cache_clear()


@pytest.mark.parametrize("data, fault", [
    ({"documents": ["002"], "texts": {"002 5.1.1 3)": {"zh": "甲", "en": "a"}}}, "not a clause key"),
    ({"documents": ["002"], "texts": {"002 5.1.1": {"zh": "甲"}}}, "expected zh and en"),
    ({"documents": ["003"], "texts": {"003 4.2.2": {"zh": "1) 甲\n2) 乙", "en": "1) a"}}}, "list items"),
    ({"texts": {}}, "documents"),
])
def test_a_faulty_file_is_refused(data, fault):
    with pytest.raises(ValueError, match=fault):
        parse_file(data)


@pytest.mark.parametrize("ref, want, not_shown", [
    ("003 附录4 2.1 3)", "3) 确保可获得所需的资源；", "1) 对卓越绩效服务认证的有效性负责"),
    ("003 附录4 4.4.1 1)–4)", "1) 内容；\n2) 时机；\n3) 对象；\n4) 方式方法。", "4.4.2"),
    ("003 附录4 7.1.2 2) ③ a.–c.", "③ 确定是否存在或是否可能发生类似的不符合；\na. 实施任何所需的措施；", "④"),
    ("003 附录4 5.1（印作“5.2.”）5) ①", "5) 组织应从生命周期观点出发：\n① 制定控制措施", "6)"),
    ("003 附录3 1.1 / 附录4 1.1", "组织应确定影响卓越绩效服务管理的内部因素和外部因素。", "1.2"),
    ("001 7 起草阶段；GB/T 24620", "—— 起草阶段包括但不限于：", "GB/T 24620 的"),
])
def test_a_reference_shows_the_part_it_names(ref, want, not_shown):
    shown = "\n".join(q.text.zh for q in clause_texts().quotes(ref))
    assert want in shown and not_shown not in shown, shown
    english = "\n".join(q.text.en for q in clause_texts().quotes(ref))
    assert english and not CJK.search(english)


def test_why_shows_the_clause_and_the_related_clauses_texts(library):
    step = step_of(library, "activities.design", "5.1.1")
    _, zh = render(Explain(step), "zh")
    assert "应高度契合服务对象及相关方的需求。" in zh.plain  # its own clause
    assert "满足组织设计符合顾客体验及顾客愉悦的需求；" in zh.plain  # a related clause (001 4.2)
    assert "working translation" not in zh.plain
    _, en = render(Explain(step), "en")
    assert "Shall closely match the needs of service recipients and interested parties." in en.plain
    assert "working translation; the official text is Chinese" in en.plain
    assert not CJK.search(en.plain)


def test_why_says_a_clause_survives_only_as_a_heading_or_breaks_off(library):
    _, zh = render(Explain(step_of(library, "activities.realisation", "6.3.1")), "zh")
    assert "纳入服务……（原文到此中断）" in zh.plain
    _, en = render(Explain(step_of(library, "activities.effect", library.bank("activities.effect").questions[0].id)), "en")
    assert "Value realisation (only the heading survives in the source)" in en.plain


async def test_a_long_why_at_80x24_shows_its_start_not_only_its_end(store, library):
    """/why of design 5.1.1 quotes several long clauses (000 4.3, 000 5.6.1, …): taller than the transcript at
    80×24, its first line ("出处：…") is in view after it is shown, not scrolled away."""
    from assistant.tui.app import SelfcheckApp
    from assistant.tui.widgets.transcript import Bubble, Transcript

    session = store.create_session("测试医院", {"activities.design": library.bank("activities.design").version})
    app = SelfcheckApp(store, library, "zh", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#reply").value = "/why"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        transcript = app.screen.query_one(Transcript)
        why = list(transcript.query(Bubble))[-1]
        assert why.plain.startswith("出处：002 5.1.1")
        assert why.outer_size.height > transcript.scrollable_content_region.height  # the case this is about
        top = why.virtual_region.y - transcript.scroll_offset.y
        assert 0 <= top <= 1, (top, transcript.scroll_offset.y)
