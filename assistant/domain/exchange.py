"""Session files for moving a session between machines (workshop participants → the facilitator).

    {"format": "selfcheck-session", "schema": 1, "exported": "<ISO time>", "sanitised": false,
     "session": {…the session, with every answer…}}

A sanitised export drops the respondent's name, every note, every free-text answer and the
reasons given for N/A (all typed by the respondent, they may name people); levels stay. Reading checks everything against the banks before anything is stored.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from .answers import AnswerError, Session, TooLong, check_answer
from .json_input import InputError, Said, parse_json
from .loader import Library

FORMAT = "selfcheck-session"
SANITISED_REASON = "（原因已在脱敏导出中隐去 / reason removed in a sanitised export）"
SCHEMA = 1
# what the store's ids look like (YYYYMMDD-xxxxxx), loosely: letters, digits, _ . - and no path
SESSION_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")


class ExchangeError(InputError):
    """A session file that cannot be imported; the message names the file and the fault."""


def export_document(session: Session, exported: datetime, sanitise: bool = False) -> dict[str, Any]:
    if sanitise:
        answers = {
            bank: {qid: a.model_copy(update={"note": None, "na": None if a.na is None else SANITISED_REASON,
                                             "reason": None, "dissent": None})  # a consensus's reasons name people too
                   for qid, a in per.items() if a.text is None}
            for bank, per in session.answers.items()
        }
        session = session.model_copy(update={"respondent": "", "answers": answers})
    return {
        "format": FORMAT,
        "schema": SCHEMA,
        "exported": exported.isoformat(),
        "sanitised": sanitise,
        "session": session.model_dump(mode="json"),
    }


def parse_document(text: str, library: Library, source: str) -> Session:
    try:
        data = parse_json(text)
    except Said as e:
        raise ExchangeError.of(e.at(source)) from None
    except ValueError as e:
        raise ExchangeError(f"{source}: not a selfcheck session file ({e})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError(f"{source}: not a selfcheck session file (made by `selfcheck export`)")
    schema = data.get("schema")
    if not isinstance(schema, int):
        raise ExchangeError(f"{source}: the file has no schema version")
    if schema > SCHEMA:
        raise ExchangeError(f"{source}: written by a newer selfcheck (schema {schema}); upgrade selfcheck to import it")
    try:
        session = Session.model_validate(data.get("session"))
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ExchangeError(f"{source}: the session is invalid at {where or 'session'}: {err['msg']}") from None
    try:
        session.check_lengths()
    except TooLong as e:
        place = " › ".join((source, "session", *e.where, e.field))
        raise ExchangeError.of(Said("input.too_long", place, field=e.field, n=e.n, limit=e.limit)) from None
    if not SESSION_ID.fullmatch(session.id):  # it becomes a file name in the store
        raise ExchangeError(f"{source}: the session id {session.id!r:.60} is not usable")
    for bank_id in session.banks:
        if bank_id not in library.banks:
            raise ExchangeError(f"{source}: the session uses bank {bank_id!r}, which this program does not have")
    for bank_id, per in session.answers.items():
        if bank_id not in session.banks:
            raise ExchangeError(f"{source}: answers for bank {bank_id!r}, which the session does not include")
        bank = library.bank(bank_id)
        known = {q.id: q for q in bank.questions}
        for qid, answer in per.items():
            if qid not in known:
                raise ExchangeError(f"{source}: {bank_id} › {qid}: unknown question")
            try:
                check_answer(bank, known[qid], answer)
            except AnswerError as e:
                raise ExchangeError(f"{source}: {bank_id} › {qid}: {e.problem}") from None
    return session
