"""assistant/linebreak.py: where chat bubbles, the help box and the CLI's tables break their lines.

English breaks at spaces, and the space goes with the break (no line starts with one); Chinese may
break between any two characters, except before a closing mark, after an opening one, inside an
ASCII word or number (KPI, QA-2026-03, 09:30, 0.75), between a number and the character after it
(1级) and inside a date (2026年3月31日).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from assistant.linebreak import CLOSING, OPENING, hang, wrap


def lines(text: str, width: int) -> list[str]:
    return wrap(Text(text), width).plain.split("\n")


def kept_whole(text: str, width: int, *pieces: str) -> None:
    out = lines(text, width)
    for piece in pieces:
        assert any(piece in line for line in out), (width, piece, out)


def well_formed(text: str, width: int) -> list[str]:
    """The rules every wrapping keeps, whatever the text."""
    out = lines(text, width)
    assert all(cell_len(line) <= width for line in out), (width, out)
    assert not [line for line in out[1:] if line[:1] == " " and line.strip()], (width, out)
    assert not [line for line in out[1:] if line[:1] in CLOSING], (width, out)
    assert not [line for line in out[:-1] if line.rstrip()[-1:] in OPENING], (width, out)
    # nothing lost or added but the line breaks and the spaces they replace
    assert re.sub(r"\s", "", "".join(out)) == re.sub(r"\s", "", text)
    return out


def test_english_continuation_lines_never_start_with_a_space():
    assert lines("abcd efgh ijkl", 4) == ["abcd", "efgh", "ijkl"]
    assert lines("Answer with the keys one to five", 10) == ["Answer", "with the", "keys one", "to five"]
    text = "After a low score the assistant asks for evidence or the obstacle (optional) and offers one method from Annex A."
    for width in range(10, 60):  # "(optional)" fits
        out = well_formed(text, width)
        assert " ".join(out) == text, (width, out)  # every break is at a space, and words stay whole


def test_several_spaces_at_a_break_all_go():
    assert lines("one  two", 4) == ["one", "two"]
    assert lines("one two   ", 4) == ["one", "two"]


def test_a_leading_indent_is_kept_on_the_first_line():
    assert lines("  • first item of a list", 12)[0] == "  • first"


def test_an_indented_line_or_a_list_item_continues_under_its_text():
    assert lines("  • first item of a list", 12) == ["  • first", "    item of", "    a list"]
    assert lines("    充分了解顾客当前和未来的需要、期望和愿望", 16) == ["    充分了解顾客", "    当前和未来的", "    需要、期望和", "    愿望"]
    assert lines("—— 识别顾客所重视的内容，包括表达的期望", 14) == ["—— 识别顾客所", "   重视的内", "   容，包括表", "   达的期望"]
    assert lines("1) 确保可获得所需的资源；", 11) == ["1) 确保可获", "   得所需的", "   资源；"]
    assert lines("no indent at all here", 8) == ["no", "indent", "at all", "here"]
    assert lines("            deep", 16) == ["            deep"]  # an indent over half the width: none


def test_chinese_never_splits_an_ascii_word_or_a_number():
    text = "请填写关键绩效指标（KPI）的完成情况，记录编号 QA-2026-03 已归档；共 12 项，其中 1级 3 项、α 取 0.75。"
    for width in range(10, 50):
        well_formed(text, width)
        kept_whole(text, width, "（KPI）", "QA-2026-03", "12", "1级", "0.75")


def test_times_and_dates_stay_on_one_line():
    text = "下一次评审会定于2026年3月31日上午09:30在三楼会议室召开，材料请于2026-03-25前提交。"
    for width in range(13, 50):  # the date fits
        well_formed(text, width)
        kept_whole(text, width, "2026年3月31日", "09:30", "2026-03-25")


def test_a_number_stays_with_the_character_after_it():
    assert lines("第二项达1级", 9) == ["第二项达", "1级"]
    assert lines("共有12项", 6) == ["共有", "12项"]


def test_closing_and_opening_marks_and_separators():
    text = "按键：1–5 作答 · Ctrl+B 上一题 · Ctrl+N 跳过 · F2 切换语言 · Ctrl+R 查看结果 · Ctrl+Q 退出"
    for width in range(10, 60):
        out = well_formed(text, width)
        assert not [line for line in out if line.startswith("·")], (width, out)
        kept_whole(text, width, "Ctrl+B", "Ctrl+N", "1–5")


def test_a_word_longer_than_the_line_is_cut():
    out = well_formed("见 https://example.org/a/very/long/path/to/a/page 一文", 12)
    assert out[0] == "见"


def test_styles_survive_the_breaks():
    text = Text("服务效果 ")
    text.append("QA-2026-03", style="bold")
    text.append(" 已归档")
    out = wrap(text, 10)
    assert out.plain == "服务效果\nQA-2026-03\n已归档"
    bold = [out.plain[s.start:s.end] for s in out.spans if s.style == "bold"]
    assert bold == ["QA-2026-03"]


def test_a_text_that_fits_comes_back_as_it_is():
    text = Text("短句 short")
    assert wrap(text, 20) is text


WORDS = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-:.", min_size=1, max_size=12),
    st.text(alphabet="服务设计实现效果验证的一二三年月日级项", min_size=1, max_size=8),
    st.sampled_from(["，", "。", "（", "）", "、", "；", "“", "”", "…", "·", "%"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, st.sampled_from(["", " ", "  "])), min_size=1, max_size=30), st.integers(4, 60))
def test_every_wrapping_fits_and_keeps_the_text(parts, width):
    text = "".join(word + space for word, space in parts).strip()
    out = lines(text, width)
    assert all(cell_len(line) <= width for line in out), (width, out)
    indent = hang(text, width)  # a list item ("- foo") continues under its text, by exactly that much
    assert not [line for line in out[1:] if line[:indent] != " " * indent or line[indent:indent + 1] == " "], (width, out)
    assert re.sub(r"\s", "", "".join(out)) == re.sub(r"\s", "", text)


def test_the_cli_help_and_rich_tables_break_as_the_chat_does():
    """One mechanism: argparse's help (i18n_cli.wrap_cells) and the plain-text lines give the chat's lines."""
    from assistant.i18n_cli import wrap_cells
    from assistant.linebreak import lines as plain_lines

    text = "请填写关键绩效指标（KPI）的完成情况，记录编号 QA-2026-03 已于2026年3月31日归档；共 12 项，其中 1级 3 项。"
    for width in range(14, 60):
        assert wrap_cells(text, width) == plain_lines(text, width) == lines(text, width), width
