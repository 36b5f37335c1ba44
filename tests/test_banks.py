"""The shipped question banks (DESIGN.md "Question banks", question_banks/README.md), and the layering rule."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from assistant.domain.bank import Bank, Catalogue, Kind, Text

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "assistant"

BANK_IDS = [
    "activities.design", "activities.realisation", "activities.effect", "activities.verification",
    "certification.service", "certification.management",
]
CATALOGUE_ID = "suggestions.appendix_a"

# question_banks/README.md: the activity banks' allocation (group activities, 100 points)
ALLOCATION = {
    "activities.design": (30, {"5.1": 10, "5.2": 12, "5.3": 8}),
    "activities.realisation": (35, {"6.1": 10, "6.2": 15, "6.3": 10}),
    "activities.effect": (20, {"7.1": 12, "7.2": 8}),
    "activities.verification": (15, {"8.1": 8, "8.2": 7}),
}

# 002 §5–§6.2: the clauses whose text survives in the source
CLAUSES_002 = [
    "5.1.1", "5.1.2", "5.1.3", "5.2.1", "5.2.2", "5.2.3", "5.2.4", "5.3.1", "5.3.2",
    "6.1.1", "6.1.2", "6.2.1", "6.2.2", "6.2.3", "6.2.4",
]

# 003 附录1: 19 items, 100 points; 1.2 is 7, the last item (7 制定服务规范) is 8, the rest 5
SERVICE_ITEMS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3",
                 "5.1", "5.2", "5.3", "6.1", "6.2", "6.3", "7.1"]
SERVICE_POINTS = {qid: Decimal(5) for qid in SERVICE_ITEMS} | {"1.2": Decimal(7), "7.1": Decimal(8)}

# 003 附录3: 21 requirements, 145 points; these eight are 10 points, the other thirteen 5
MANAGEMENT_TEN = {"4.1", "4.2", "4.3", "5.1", "5.2", "6.1", "6.2", "6.3"}
MANAGEMENT_ITEMS = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "4.3", "4.4",
                    "4.5", "5.1", "5.2", "6.1", "6.2", "6.3", "7.1", "7.2"]

AREAS = ["leadership", "empowerment", "culture", "engagement", "operating_environment", "customer_experience",
         "innovation", "results", "basic_function", "delight", "delivery", "agreement"]


def _all_banks(library) -> list[Bank]:
    return [library.bank(b) for b in BANK_IDS]


# -- ids ---------------------------------------------------------------------------------------------


def test_the_seven_ids_exist(library):
    # the optional checklist banks of issue 15 (certification.conformity, writing.*) come on top
    assert set(library.banks) >= set(BANK_IDS)
    assert library.catalogue.id == CATALOGUE_ID
    assert set(library.files) == set(library.banks) | {CATALOGUE_ID}
    for bank_id, path in library.files.items():
        assert path.parent.name == "question_banks" and path.suffix == ".toml"


def test_bank_files_are_named_after_their_ids(library):
    for bank_id, path in library.files.items():
        assert path.stem == bank_id.replace(".", "_")


def test_banks_come_in_flow_order(library):
    assert [b for b in library.banks if b in BANK_IDS] == BANK_IDS


def test_every_bank_has_a_version_and_a_source(library):
    for item in [*_all_banks(library), library.catalogue]:
        assert item.version.strip()
        assert item.source.strip()


# -- activity banks: the allocation -------------------------------------------------------------------


@pytest.mark.parametrize("bank_id", list(ALLOCATION))
def test_activity_bank_allocation(library, bank_id):
    bank = library.bank(bank_id)
    total, sections = ALLOCATION[bank_id]
    assert bank.group == "activities"
    assert bank.group_total == 100
    assert bank.kind == "likert"
    assert bank.total_points == total
    assert sum(q.max_points for q in bank.questions) == total
    got = {s.id: sum((q.max_points for q in s.questions), Decimal(0)) for s in bank.sections}
    got = {k: v for k, v in got.items() if v}  # realisation's section "4" holds only the gates 3.3 and 4.1
    assert got == {k: Decimal(v) for k, v in sections.items()}


def test_activity_banks_add_up_to_100(library):
    banks = library.group("activities")
    assert sorted(b.id for b in banks) == sorted(ALLOCATION)
    assert sum(q.max_points for b in banks for q in b.questions) == 100


def test_every_activity_clause_of_002_5_to_6_2_has_a_question(library):
    cited: dict[str, list[str]] = {}
    for bank in (library.bank("activities.design"), library.bank("activities.realisation")):
        for q in bank.questions:
            if q.kind.scored:
                words = q.clause.replace("/", " ").split()
                for clause in CLAUSES_002:
                    if clause in words:
                        cited.setdefault(clause, []).append(q.id)
    missing = [c for c in CLAUSES_002 if c not in cited]
    assert not missing, f"clauses of 002 with no question citing them: {missing}"


def test_derived_questions(library):
    """002 is cut off after 6.3.1: questions of 6.3.2 on, §7 and §8 are written from headings."""
    realisation = library.bank("activities.realisation")
    assert realisation.question("6.3.1").derived is False
    for q in realisation.questions:
        if q.id in CLAUSES_002 or q.id == "6.3.1":
            assert q.derived is False, q.id
    later = [q for q in realisation.questions if realisation.section_of(q.id).id == "6.3" and q.id != "6.3.1"]
    later += library.bank("activities.effect").questions + library.bank("activities.verification").questions
    # the per-flow evidence questions (text) are not written from a clause: they are left out
    later = [q for q in later if q.kind is not Kind.text]
    assert {q.id for q in later} >= {"D6.3-1", "D6.3-2", "D7.1-1", "D8.1-1", "D8.2-0", "D8.2-1"}
    not_derived = [q.id for q in later if not q.derived]
    assert not not_derived, f"questions written from a lost clause but not marked derived: {not_derived}"
    for bank in (library.bank("activities.design"),):
        assert not any(q.derived for q in bank.questions)


def test_gate_8_2_0(library):
    bank = library.bank("activities.verification")
    gate = bank.question("D8.2-0")
    assert gate.kind is Kind.gate
    assert gate.max_points == 0
    assert gate.skips == ["D8.2-1", "D8.2-2"]
    assert "no" in gate.skip_on


# -- certification banks ---------------------------------------------------------------------------------


def test_certification_service(library):
    bank = library.bank("certification.service")
    assert bank.kind == "likert"
    assert bank.group is None
    scored = [q for q in bank.questions if q.kind.scored]
    assert len(scored) == 19
    assert [q.id for q in scored] == SERVICE_ITEMS
    assert {q.id: q.max_points for q in scored} == SERVICE_POINTS
    assert sum(q.max_points for q in scored) == 100 == bank.total_points
    assert all(q.kind is Kind.likert for q in scored)


def test_certification_management(library):
    bank = library.bank("certification.management")
    assert bank.kind == "maturity"
    assert bank.group is None
    scored = [q for q in bank.questions if q.kind.scored]
    assert [q.id for q in scored] == MANAGEMENT_ITEMS
    assert len(scored) == 21
    assert sum(q.max_points for q in scored) == 145 == bank.total_points
    tens = {q.id for q in scored if q.max_points == 10}
    fives = {q.id for q in scored if q.max_points == 5}
    assert tens == MANAGEMENT_TEN
    assert len(fives) == 13 and tens | fives == set(MANAGEMENT_ITEMS)
    for q in scored:
        assert q.kind is Kind.maturity
        assert q.required is True, q.id
        assert q.levels is not None and len(q.levels) == 5, q.id
        assert len({lv.zh for lv in q.levels}) == 5 and len({lv.en for lv in q.levels}) == 5, q.id


# -- the catalogue ---------------------------------------------------------------------------------------


def test_catalogue_areas(library):
    cat = library.catalogue
    assert isinstance(cat, Catalogue)
    assert [a.id for a in cat.areas] == AREAS
    titles = {a.id: a.title.zh for a in cat.areas}
    assert titles["leadership"] == "领导和管理"
    assert titles["empowerment"] == "员工赋权和参与"
    assert titles["engagement"] == "员工敬业度"


def test_catalogue_keeps_the_source_letters(library):
    letters = {a.id: [m.letter for m in a.methods] for a in library.catalogue.areas}
    assert "d" not in letters["empowerment"]
    assert "d" not in letters["engagement"]
    assert letters["leadership"][-1] == "k"
    assert letters["leadership"] == list("abcdefghijk")
    for area, ls in letters.items():
        assert ls == sorted(ls), area  # in the source's order
        assert len(set(ls)) == len(ls), area
        for m in next(a for a in library.catalogue.areas if a.id == area).methods:
            assert m.id == f"{area}.{m.letter}"


def test_every_scored_question_lists_existing_methods_or_none_and_has_next_steps(library):
    """A scored question maps only to 附录A methods that exist; [] says none fits, and then its
    next-step advice stands in (issue 9: the validator no longer forces a method)."""
    methods = library.catalogue.methods
    for bank in _all_banks(library):
        for q in bank.questions:
            if q.kind.scored:
                assert q.methods is not None, (bank.id, q.id)
                assert q.next_steps is not None and len(q.next_steps.levels) == 4, (bank.id, q.id)
                unknown = [m for m in q.methods if m not in methods]
                assert not unknown, (bank.id, q.id, unknown)
                assert len(set(q.methods)) == len(q.methods), (bank.id, q.id)
            else:
                assert q.max_points == 0, (bank.id, q.id)


# -- texts ------------------------------------------------------------------------------------------------


def _texts(obj, where: str):
    """Every Text inside a bank or the catalogue, with where it is."""
    if isinstance(obj, Text):
        yield where, obj
    elif isinstance(obj, list):
        for i, x in enumerate(obj):
            yield from _texts(x, f"{where}[{i}]")
    elif isinstance(obj, BaseModel):
        name = getattr(obj, "id", None)
        here = f"{where}/{name}" if isinstance(name, str) else where
        for field in type(obj).model_fields:
            yield from _texts(getattr(obj, field), f"{here}.{field}")


def test_every_text_exists_in_both_languages_and_differs(library):
    found = list(_texts(library.catalogue, CATALOGUE_ID))
    for bank in _all_banks(library):
        found += list(_texts(bank, bank.id))
    # catalogue: title, 12 areas × (title, part), 83 methods; banks: titles, sections, 3 texts a question, levels
    assert len(found) >= 1 + 12 * 2 + len(library.catalogue.methods) + 6 + 24 + 73 * 3 + 21 * 5
    empty = [w for w, t in found if not t.zh.strip() or not t.en.strip()]
    assert not empty
    same = [w for w, t in found if t.zh.strip() == t.en.strip()]
    assert not same, f"texts that are not translated: {same[:10]}"
    # the Chinese text is Chinese, the English text has no Chinese characters
    not_zh = [w for w, t in found if not any("\u4e00" <= ch <= "\u9fff" for ch in t.zh)]
    zh_in_en = [w for w, t in found if any("\u4e00" <= ch <= "\u9fff" for ch in t.en)]
    assert not not_zh, not_zh[:10]
    assert not zh_in_en, zh_in_en[:10]


def test_every_question_has_help(library):
    for bank in _all_banks(library):
        for q in bank.questions:
            assert q.help.why.zh and q.help.why.en and q.help.evidence.zh and q.help.evidence.en, (bank.id, q.id)
            assert q.clause.strip()


def test_question_ids_are_unique_within_each_bank(library):
    for bank in _all_banks(library):
        ids = [q.id for q in bank.questions]
        assert len(ids) == len(set(ids)), bank.id


# -- layering: the domain knows nothing of Textual or TinyDB --------------------------------------------------


def _imports(path: Path) -> set[str]:
    """The absolute module names a file imports (relative imports resolved against its package)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as e:
        pytest.fail(f"{path.relative_to(ROOT)} does not parse: {e}")
    package = list(path.relative_to(ROOT).with_suffix("").parts)[:-1]  # the package holding the module
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
                "__import__", "import_module") and node.args and isinstance(node.args[0], ast.Constant):
            out.add(str(node.args[0].value))
    return out


def _top(name: str) -> str:
    return name.split(".")[0]


def _py_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_import_parser_sees_imports():
    store_imports = set().union(*(_imports(p) for p in _py_files(PACKAGE / "store")))
    assert "tinydb" in {_top(m) for m in store_imports}
    assert any(m.startswith("assistant.domain") for m in store_imports)


def test_domain_does_not_import_textual_or_tinydb():
    files = _py_files(PACKAGE / "domain")
    assert len(files) >= 8
    bad = {str(p.relative_to(ROOT)): sorted(m for m in _imports(p) if _top(m) in ("textual", "tinydb"))
           for p in files}
    assert not {k: v for k, v in bad.items() if v}


def test_domain_does_not_import_the_layers_above():
    bad = {}
    for p in _py_files(PACKAGE / "domain"):
        above = sorted(m for m in _imports(p)
                       if m.startswith(("assistant.store", "assistant.tui", "assistant.cli", "assistant.report"))
                       or _top(m) == "rich")
        if above:
            bad[str(p.relative_to(ROOT))] = above
    assert not bad


def test_only_the_store_imports_tinydb():
    outside = {}
    for p in _py_files(PACKAGE):
        if (PACKAGE / "store") in p.parents:
            continue
        found = sorted(m for m in _imports(p) if _top(m) == "tinydb")
        if found:
            outside[str(p.relative_to(ROOT))] = found
    assert not outside
