"""Reads an answers file (the input of `selfcheck run`) into checked answers, or says exactly where it is wrong.

    {"org": "…", "respondent": "…", "answers": {"<bank id>": {"<question id>":
        4 | {"level": 4, "alpha": 0.75, "note": "…"} | {"na": "reason"} | "free text" | "yes"}}}
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from .answers import Answer, AnswerError, TooLong, check_answer, check_answer_lengths, check_length, gated, parse_answer
from .bank import Kind
from .json_input import InputError, Said, parse_json
from .loader import CATALOGUE_ID, Library


class AnswersFileError(InputError):
    """The answers file cannot be used; the message names the place (file, bank, question)."""


def _too_long(e: TooLong, place: str) -> AnswersFileError:
    return AnswersFileError.of(Said("input.too_long", place, field=e.field, n=e.n, limit=e.limit))  # type: ignore[return-value]


@dataclass(frozen=True)
class AnswersFile:
    org: str
    respondent: str
    answers: dict[str, dict[str, Answer]]  # bank id -> question id -> answer, in the file's bank order


def _where(source: str, *parts: str) -> str:
    return source + "".join(f" › {p}" for p in parts)


def parse_answers_file(text: str, library: Library, source: str = "answers file") -> AnswersFile:
    try:
        data = parse_json(text)
    except Said as e:
        raise AnswersFileError.of(e.at(source)) from None
    except ValueError as e:
        raise AnswersFileError(f"{source}: {e}") from None
    if not isinstance(data, dict):
        raise AnswersFileError(f"{source}: expected a JSON object with \"org\" and \"answers\"")
    unknown = set(data) - {"org", "respondent", "answers", "role"}
    if unknown:
        raise AnswersFileError(f"{source}: unknown key {sorted(unknown)[0]!r} (expected org, respondent, answers)")
    org = data.get("org")
    if not isinstance(org, str) or not org.strip():
        raise AnswersFileError(f"{_where(source, 'org')}: the organisation's name is missing or empty")
    respondent = data.get("respondent", "")
    if not isinstance(respondent, str):
        raise AnswersFileError(f"{_where(source, 'respondent')}: expected a text")
    for field, value in (("org", org.strip()), ("respondent", respondent.strip())):
        try:
            check_length(field, value)
        except TooLong as e:
            raise _too_long(e, _where(source, field)) from None
    raw_banks = data.get("answers")
    if not isinstance(raw_banks, dict) or not raw_banks:
        raise AnswersFileError(f"{_where(source, 'answers')}: expected an object of banks, each an object of answers")

    answers: dict[str, dict[str, Answer]] = {}
    for bank_id, raw_answers in raw_banks.items():
        if bank_id == CATALOGUE_ID:
            raise AnswersFileError(f"{_where(source, 'answers', bank_id)}: the 附录A catalogue holds no questions")
        if bank_id not in library.banks:
            known = ", ".join(library.banks)
            raise AnswersFileError(f"{_where(source, 'answers', bank_id)}: unknown bank (known banks: {known})")
        bank = library.banks[bank_id]
        if not isinstance(raw_answers, dict):
            raise AnswersFileError(f"{_where(source, 'answers', bank_id)}: expected an object of question id → answer")
        known_ids = {q.id for q in bank.questions}
        per_bank: dict[str, Answer] = {}
        for qid, raw in raw_answers.items():
            place = _where(source, "answers", bank_id, qid)
            qid = bank.current_id(qid)  # a file written for an earlier version of the bank
            if qid not in known_ids:
                raise AnswersFileError(f"{place}: unknown question of {bank_id}")
            try:
                question = bank.question(qid)
                # any string answers a text question ("yes" or "skip" included): it is evidence, not a choice
                answer = Answer(text=raw) if question.kind is Kind.text and isinstance(raw, str) else parse_answer(raw)
                check_answer(bank, question, answer)
                check_answer_lengths(answer)
            except TooLong as e:
                raise _too_long(e, place) from None
            except AnswerError as e:
                raise AnswersFileError(f"{place}: {e.problem}") from None
            except ValidationError as e:
                err = e.errors()[0]
                field = ".".join(str(p) for p in err["loc"])
                msg = err["msg"].removeprefix("Value error, ")
                raise AnswersFileError(f"{place}: {field + ': ' if field else ''}{msg}") from None
            except ValueError as e:
                raise AnswersFileError(f"{place}: {e}") from None
            per_bank[qid] = answer
        for follow_up, gate in gated(bank, per_bank).items():
            if follow_up in per_bank:
                raise AnswersFileError(
                    f"{_where(source, 'answers', bank_id, follow_up)}: not asked, because gate {gate} was answered "
                    f"{per_bank[gate].choice!r}; remove this answer or change the gate"
                )
        answers[bank_id] = per_bank
    return AnswersFile(org=org.strip(), respondent=respondent.strip(), answers=answers)

