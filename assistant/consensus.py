"""A consensus meeting on the store: the workshop's respondents, their group result and agenda, and
the consensus session, created with the first agreed item and saved item by item (each agreed item
is on disk when `agree` returns, so a meeting killed half way resumes where it stopped).

Uses only the store's existing operations (put_session, record_answer, set_position, set_status):
the consensus session is an ordinary session whose kind says what it is.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from .domain import consensus as domain
from .domain.answers import Answer, Session
from .domain.group import GroupResult, group_result
from .domain.loader import Library
from .store import SessionNotFound, TinyStore


@dataclass
class Meeting:
    store: TinyStore
    library: Library
    workshop: dict[str, Any]
    respondents: list[Session]
    group: GroupResult
    agenda: list[domain.Agenda]
    session: Session | None  # None until the first item is agreed
    facilitator: str = ""
    lang: str = "zh"
    profile: str = "clause-text"

    @property
    def names(self) -> bool:
        return bool(self.workshop.get("names"))

    def pending(self) -> list[domain.Agenda]:
        return domain.pending(self.agenda, self.session) if self.session else list(self.agenda)

    def agreed(self, key: tuple[str, str]) -> Answer | None:
        return self.session.answers.get(key[0], {}).get(key[1]) if self.session else None

    def _new_id(self) -> str:
        now = self.store.clock()
        while True:
            sid = f"{now:%Y%m%d}-{secrets.token_hex(3)}"
            try:
                self.store.get_session(sid)
            except SessionNotFound:
                return sid

    def _start(self) -> Session:
        banks = {b.id: self.library.bank(b.id).version for b in self.group.banks}
        session = domain.new_session(self._new_id(), self.workshop, banks, self.store.clock(), self.facilitator,
                                     self.lang, self.profile)
        self.store.put_session(session)
        return session

    def agree(self, key: tuple[str, str], answer: Answer) -> Session:
        """Store one agreed item (durable when this returns); the meeting's place moves to the next
        open item. The session is completed when no item is left open."""
        session = self.session or self._start()
        position = domain.position_after(self.agenda, session, key)
        self.session = self.store.record_answer(session.id, key[0], key[1], answer, position)
        if position is None and self.session.status != "completed":
            self.session = self.store.set_status(self.session.id, "completed")
        return self.session


def open_meeting(store: TinyStore, library: Library, workshop: dict[str, Any], lang: str = "zh",
                 profile: str = "clause-text", facilitator: str = "") -> Meeting:
    """The workshop's meeting as it stands: its respondents (sessions with an answer), their group
    result in `lang` under `profile`, the agenda, and the consensus session if one was started."""
    sessions = store.sessions(workshop=workshop["name"])
    group = group_result(library, workshop["name"], workshop["org"], sessions, profile, lang)
    agenda = domain.agenda(library, group, sessions, names=bool(workshop.get("names")))
    existing = find_consensus(store, workshop)
    if existing is not None:
        profile = existing.rules_profile
    return Meeting(store, library, workshop, [s for s in sessions if s.answered_count() and s.kind != domain.KIND],
                   group, agenda, existing,
                   facilitator or (existing.respondent if existing else ""), lang, profile)


def find_consensus(store: TinyStore, workshop: dict[str, Any]) -> Session | None:
    """The workshop's consensus session: only the organisation's consensus sessions are read whole
    (their summaries say their kind), not its whole history."""
    kinds = [s.session_id for s in store.list_sessions(workshop["org"]) if getattr(s, "kind", None) == domain.KIND]
    found = []
    for sid in kinds:
        try:
            found.append(store.get_session(sid))
        except SessionNotFound:
            continue  # removed since it was listed
    return domain.find(found, workshop["name"])
