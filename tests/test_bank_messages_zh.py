"""Every message the bank loader can refuse a file with (assistant/domain/bank.py's checks,
loader.py's and those of the clause texts, clause_texts.py) is said in Chinese in Chinese mode, as `selfcheck banks validate` prints it: read from
the source, filled with sample values, put through i18n_errors.localise."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.domain.loader import BankError

from .test_store_messages_zh import said_in_chinese

DOMAIN = Path(__file__).resolve().parent.parent / "assistant" / "domain"
SAMPLE = "3"
# the program's words and the bank file's own keys stay as they are written in the file
KEPT = {"max_points", "methods", "next_steps", "source", "levels", "level_guidance", "group", "group_total", "kind",
        "checklist", "skip_on", "yes", "aliases", "total_points", "id", "question_banks", "toml", "TOML", "UTF",
        "banks", "srv", "likert", "maturity", "gate", "text", "check", "zh", "en", "documents", "untexted", "texts",
        "heading", "cut", "note"}


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else SAMPLE for v in node.values)
    return None


def _messages() -> list[tuple[str, str]]:
    """(where, the message as `banks validate` prints it) of every literal message of bank.py and loader.py."""
    out = []
    for name, call, arg in (("bank.py", "ValueError", 0), ("loader.py", "BankError", 1),
                            ("clause_texts.py", "ValueError", 0)):
        path = DOMAIN / name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == call
                    and len(node.args) > arg):
                continue
            text = _text(node.args[arg])
            if text is None:
                continue
            # bank.py's checks reach the user as pydantic reports them: a file, a question, a field
            question = "5.1.1" if name == "bank.py" else None
            out.append((f"{name}:{node.lineno}", str(BankError("/srv/banks/x.toml", text, question))))
    out.append(("loader.py more", str(BankError("/srv/banks/x.toml", "max_points must not be negative (and 2 more "
                                                                      "problems in this file)"))))
    return out


MESSAGES = _messages()


def test_the_messages_are_found():
    assert len(MESSAGES) > 25


@pytest.mark.parametrize("where, message", MESSAGES, ids=[w for w, _ in MESSAGES])
def test_each_bank_message_is_said_in_chinese(where, message):
    said_in_chinese(message, KEPT)
