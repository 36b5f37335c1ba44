"""The chat's conversational texts (typed replies, navigation, the question index), zh and en;
`assistant.i18n.t` reads them with the rest."""

from __future__ import annotations

CHAT: dict[str, tuple[str, str]] = {
    "notice.too_long": ("这段文字有 {n} 个字符，最多 {limit} 个：请缩短后再发送（没有保存）。",
                        "That text has {n} characters, at most {limit}: shorten it and send it again (nothing was saved)."),
    "done.compare": ("与上次相比：", "Since last time: "),
    "done.improved": ("提高：", "Improved: "),
    "done.slipped": ("下降：", "Slipped: "),
    "key.index": ("题目列表", "Questions"),
    "index.title": ("题目列表：选中一题按回车跳转（Esc 返回）", "Questions: pick one and press Enter to go there (Esc to return)"),
    "index.col.question": ("题号", "Question"),
    "index.col.answer": ("答案", "Answer"),
    "index.col.text": ("题目", "Text"),
    "notice.kept": ("已保留原答案。", "Kept the answer."),
    "notice.goto_unknown": ("没有找到题目 {question}：请用题号（如 6.2.3），两个题库题号相同时写 题库:题号（如 management:1.1）；按 Ctrl+G 打开题目列表。",
                            "No question {question}: use its id (e.g. 6.2.3), or bank:id where two banks share it (e.g. management:1.1); Ctrl+G opens the list of questions."),
    "ask.current.keep": ("（回车保留并继续，或重新作答）", " (Enter keeps it and goes on, or answer anew)"),
    "answer.skipped.optional": ("跳过（选填，不影响得分）", "skipped (optional, does not affect the score)"),
    "help.nav": ("输入时也可以把答案和说明写在一起，如“4，已有三项团体标准”“高于预期 因为……”“4 0.75”。\n"
                 "back 或 Ctrl+B 回到上一题，回车保留显示的答案；修改后会回到原来的位置。skip 或 Ctrl+N：已答的题保留答案继续，未答的题留空（计为未答）。\n"
                 "/goto 6.2.3 跳到某题；Ctrl+G 打开题目列表。PageUp/PageDown、Ctrl+↑/↓、Ctrl+Home/End 滚动对话（输入框为空时 Home/End 也可以）。",
                 "You can type an answer with a note: “4, three group standards so far”, “above because …”, “4 0.75”.\n"
                 "back or Ctrl+B goes to the previous question; Enter keeps the answer shown, and after a change you return to where you were. skip or Ctrl+N: on an answered question it keeps the answer and goes on; on an unanswered one it leaves it unanswered.\n"
                 "/goto 6.2.3 jumps to a question; Ctrl+G opens the list of questions. PageUp/PageDown, Ctrl+↑/↓ and Ctrl+Home/End scroll the conversation (Home/End too while the reply line is empty)."),
}
