"""Finds, reads and validates the bank files; a bad file is refused naming the file, the question and the fault."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .bank import Bank, Catalogue

if TYPE_CHECKING:
    from .clause_texts import ClauseTexts

CATALOGUE_ID = "suggestions.appendix_a"


class UnknownBank(LookupError):
    """A bank id this program does not have (a session made with another version, a typo)."""


class BankError(ValueError):
    """A bank file that cannot be used. The message names the file, the question (if any) and the fault."""

    def __init__(self, path: Path | str, problem: str, question: str | None = None):
        self.path = str(path)
        self.question = question
        self.problem = problem
        where = self.path if question is None else f"{self.path}: question {question}"
        super().__init__(f"{where}: {problem}")


def banks_dir() -> Path:
    """question_banks/ inside an installed wheel, else at the top of the checkout."""
    from .bank_files import find_banks_dir

    found = find_banks_dir()
    if found is None:
        raise BankError(Path(__file__).resolve().parent.parent.parent / "question_banks",
                        "the question_banks folder is missing from this installation")
    return found


def _describe(err: dict[str, Any], data: dict[str, Any]) -> tuple[str | None, str]:
    """Turn one pydantic error into (question id, 'field: message') by walking its location in the data."""
    question, node, field = None, data, []
    for part in err["loc"]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, dict) and isinstance(node.get("id"), str) and "kind" in node:
            question, field = node["id"], []  # the innermost question holding the fault
        elif not isinstance(part, int):
            field.append(str(part))
    msg = err["msg"].removeprefix("Value error, ")
    return question, (f"{'.'.join(field)}: {msg}" if field else msg)


def _read(path: Path) -> dict[str, Any]:
    import tomllib  # only when the bank cache cannot serve

    try:
        raw = path.read_bytes()
    except OSError as e:
        raise BankError(path, f"cannot be read ({e.strerror})") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BankError(path, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise BankError(path, f"is not valid TOML: {e}") from None


def _validate(path: Path, data: dict[str, Any]) -> Bank | Catalogue:
    from pydantic import ValidationError

    model = Catalogue if "areas" in data else Bank
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        question, problem = _describe(first, data)
        more = len(e.errors()) - 1
        if more:
            problem += f" (and {more} more problem{'s' if more > 1 else ''} in this file)"
        raise BankError(path, problem, question) from None


def load_file(path: Path | str) -> Bank | Catalogue:
    path = Path(path)
    return _validate(path, _read(path))


@dataclass(frozen=True)
class Library:
    """All banks and the catalogue, checked against each other."""

    banks: dict[str, Bank]
    catalogue: Catalogue
    files: dict[str, Path]
    # of the files and of the domain's code (bank_cache.fingerprint): what was computed under
    # another one (a cached library, the scores a store keeps) is stale; "" when not known
    fingerprint: str = ""

    def bank(self, bank_id: str) -> Bank:
        try:
            return self.banks[bank_id]
        except KeyError:
            known = ", ".join(self.banks)
            raise UnknownBank(f"unknown bank {bank_id!r}: this program has {known}") from None

    def group(self, name: str) -> list[Bank]:
        return [b for b in self.banks.values() if b.group == name]


def check_library(items: Iterable[tuple[Path, Bank | Catalogue]]) -> Library:
    banks: dict[str, Bank] = {}
    files: dict[str, Path] = {}
    catalogue: Catalogue | None = None
    for path, item in items:
        if item.id in files:
            raise BankError(path, f"bank id {item.id!r} is also used by {files[item.id]}")
        files[item.id] = path
        if isinstance(item, Catalogue):
            catalogue = item
        else:
            banks[item.id] = item
    if catalogue is None:
        raise BankError(", ".join(map(str, files.values())) or "(no files)", f"the catalogue {CATALOGUE_ID} is missing")
    known = catalogue.methods
    for bank in banks.values():
        if bank.kind == "maturity" and bank.level_guidance is None:  # issue 15: assessors need it with the levels
            raise BankError(files[bank.id], "a maturity bank needs level_guidance: that levels are cumulative, and "
                                            "which level to choose when one is met only in part")
        for q in bank.questions:
            for m in q.methods or []:
                if m not in known:
                    raise BankError(files[bank.id], f"methods: {m!r} is not a method of {catalogue.id} "
                                                    f"({files[catalogue.id]})", q.id)
    groups: dict[str, list[Bank]] = {}
    for bank in banks.values():
        if bank.group:
            groups.setdefault(bank.group, []).append(bank)
    # the smallest groups first: a bank whose group name was mistyped is a group of one, and its
    # file is the one at fault
    for name, members in sorted(groups.items(), key=lambda kv: len(kv[1])):
        declared = [b.group_total for b in members]
        if len(set(declared)) != 1:
            usual = max(set(declared), key=declared.count)  # the odd one out is named
            odd = next(b for b in members if b.group_total != usual)
            raise BankError(files[odd.id], f"group_total = {odd.group_total}, but the other banks of group {name!r} "
                                           f"declare {usual}: the banks of a group must all declare the same group_total")
        total = sum((b.total_points for b in members), Decimal(0))
        want = declared[0]
        if total != want:
            ids = ", ".join(b.id for b in members)
            raise BankError(", ".join(str(files[b.id]) for b in members),
                            f"the banks of group {name!r} ({ids}) add up to {total} points, not {want}")
    ordered = dict(sorted(banks.items(), key=lambda kv: (kv[1].order, kv[0])))
    return Library(banks=ordered, catalogue=catalogue, files=files)


def expand(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, folders as their *.toml files."""
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.glob("*.toml")) if p.is_dir() else [p])
    return files


def load_paths(paths: Iterable[Path | str]) -> Library:
    """The banks of these files, checked; read from the bank cache when nothing they depend on changed."""
    from . import bank_cache

    files = expand(paths)
    try:
        key = bank_cache.fingerprint(files)
    except OSError:  # a file that cannot be read: loading it says which
        return check_library((f, load_file(f)) for f in files)
    cached = bank_cache.read(key)
    if isinstance(cached, Library) and cached.fingerprint == key:
        return cached
    library = replace(check_library((f, load_file(f)) for f in files), fingerprint=key)
    bank_cache.write(key, library)
    return library


def validate(paths: Iterable[Path | str], shipped: Library | None = None) -> tuple[list[tuple[Path, str]], list[str]]:
    """Check every file on its own (all of them, not up to the first fault), then all together.

    Files that do not make a whole set (one bank, no catalogue) are checked together with the
    shipped banks they would replace or join. Returns ([(file, bank id)] of the good files, problems).
    """
    files = expand(paths)
    if not files:
        raise BankError(", ".join(map(str, paths)), "no bank files (*.toml) there")
    problems: list[str] = []
    loaded: list[tuple[Path, Bank | Catalogue]] = []
    for f in files:
        try:
            loaded.append((f, load_file(f)))
        except BankError as e:
            problems.append(str(e))
    good = [(f, item.id) for f, item in loaded]
    if problems:
        return good, problems
    mine = {item.id for _, item in loaded}
    rest = [] if shipped is None else [
        (shipped.files[item.id], item)
        for item in [*shipped.banks.values(), shipped.catalogue] if item.id not in mine
    ]
    try:
        check_library([*loaded, *rest])
    except BankError as e:
        return good, [str(e)]
    return good, []


@cache
def question_aliases() -> dict[str, dict[str, str]]:
    """{bank id: {former question id: current id}} of the shipped banks ({} when they cannot be
    loaded: the error shows where the banks are used, not while a session is read)."""
    try:
        banks = load_library().banks.values()
    except BankError:
        return {}
    return {b.id: dict(b.aliases) for b in banks if b.aliases}


@cache
def load_library(directory: str | None = None) -> Library:
    """The banks shipped with the program (or those of `directory`), loaded once per process."""
    return load_paths([Path(directory) if directory else banks_dir()])


@cache
def clause_texts() -> ClauseTexts:
    """The texts of the clauses the shipped banks cite (question_banks/sources/clause_texts.toml),
    read when first asked for (the chat's /why), not at start-up. Checked like a bank file: a
    clause of the documents it covers that the banks cite with no text (and no reason why) is
    refused, naming the file and the references."""
    from .clause_texts import clause_texts_path, load_clause_texts

    path = clause_texts_path(banks_dir())
    try:
        texts = load_clause_texts(str(path))
    except ValueError as e:
        raise BankError(path, str(e)) from None
    library = load_library()
    missing = texts.missing([r for b in library.banks.values() for q in b.questions for r in (q.clause, *q.refs)])
    if missing:
        raise BankError(path, f"no text for the cited clause(s) {', '.join(dict.fromkeys(missing))}")
    return texts
