"""Every message the store raises or reports (assistant/store/*.py) is said in Chinese in Chinese mode:
the messages are read from the store's source (each StoreError, StoreDamaged, … and each problem it
reports), filled with sample values, and put through i18n_errors.localise."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from assistant.i18n_errors import localise
from assistant.store.errors import StoreDamaged

STORE = Path(__file__).resolve().parent.parent / "assistant" / "store"
# the call, and which of its arguments is the message
CALLS = {"StoreError": 0, "WorkshopError": 0, "_problem": 0, "StoreDamaged": 1, "RowDamaged": 1, "invalid": 1,
         "_problem_of": 1}
SAMPLE = "3"  # every value put into a message: a number, a name and a path alike
PATH = "/srv/store/x"
# words that stay in Chinese text: the program's name, its commands and options, file formats
KEPT = {"selfcheck", "sessions", "reindex", "workshop", "create", "list", "actions", "add", "JSON", "UTF", "TOML", "db",
        "PATH", "index", "json", "srv", "store", "PostgreSQL", "SELFCHECK_DB", "selfcheck_meta"}
# values that are wording themselves, by the name they have in the source: a sample of what they hold
WORDING = {"what": "damaged (3)", "more": " and 2 more", "saved": " (not on disk: 3)"}


def _text(node: ast.AST) -> str | None:
    """A message argument as text, its {values} filled with SAMPLE; None where it is not a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else WORDING.get(ast.unparse(v.value), SAMPLE)
                       for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return None if left is None or right is None else left + right
    return None


def _messages() -> list[tuple[str, str]]:
    """(where, the message as the user reads it) of every literal message of the store's source."""
    out = []
    for path in sorted(STORE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # the helpers' own bodies take their wording from their callers, whose messages are read
        helpers = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name in CALLS
                   for n in ast.walk(f)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or id(node) in helpers:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in CALLS or len(node.args) <= CALLS[name]:
                continue
            text = _text(node.args[CALLS[name]])
            if text is None:
                continue
            if name in ("invalid", "_problem_of"):  # "what" of a record that does not validate
                text += " is invalid at 3: 3" if name == "invalid" else " is invalid: 3: 3"
            if CALLS[name] == 1:
                text = str(StoreDamaged(PATH, text))
            out.append((f"{path.name}:{node.lineno}", text))
    return out


MESSAGES = _messages()


def test_the_messages_are_found():
    assert len(MESSAGES) > 40
    texts = " ".join(m for _, m in MESSAGES)
    for known in ("lacked", "summaries where", "brought up to date", "which no selfcheck writes",
                  "not a selfcheck index", "its line", "its entry", "cannot remove"):
        assert known in texts, known


def said_in_chinese(message: str, kept: set[str]) -> None:
    """`message` localised to Chinese, no English word left in it but those `kept`."""
    zh = localise(message, "zh")
    assert zh != message, message
    english = [w for w in re.findall(r"[A-Za-z][A-Za-z_]+", zh) if w not in kept]
    assert not english, (zh, english)


@pytest.mark.parametrize("where, message", MESSAGES, ids=[w for w, _ in MESSAGES])
def test_each_store_message_is_said_in_chinese(where, message):
    said_in_chinese(message, KEPT)
