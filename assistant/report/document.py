"""The report an organisation hands to its management, as Markdown and as one self-contained HTML file.

The report is first built in the document model of assistant/report/docmodel.py, then rendered;
the renderers escape every text (organisation, respondent, notes, N/A reasons, free text and bank
texts are data). The workshop group report (assistant/report/group.py) uses the same model.

Sections, in order: cover; executive summary; scores by bank and section; every answer; the
unanswered and N/A items; the action plan; history and the comparison with the previous session
(when given); the statement that the grade is provisional and which readings the rules use.
The parts are built in document_parts.py (this session), document_history.py (the history and the
comparison) and closing.py (the closing statement, shared with the group report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from datetime import datetime


from ..domain.actions import Action
from ..domain.answers import Session
from ..domain.history import Comparison, HistoryRow
from ..domain.loader import Library
from ..domain.results import Result
from ..i18n import t
from .guidance import actions_part, path_part
from .checklists import checklists_part
from .docmodel import Doc, render_html, render_markdown
from .closing import closing, readings  # group.py imports them from here
from .document_history import _comparison, _history
from .document_parts import _answers, _cover, _open_items, _plan, _scores, _summary

# -- the management report -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportData:
    session: Session  # the session, with every answer and note
    result: Result  # evaluate() of it; result.lang is the report's language
    library: Library
    history: list[HistoryRow]  # the organisation's sessions oldest first (may hold only this one)
    comparison: Comparison | None  # with the organisation's previous session, when there is one
    generated: datetime  # passed in (no clock in rendering), shown on the cover
    actions: list[Action] = field(default_factory=list)  # the organisation's action plan
    planned_from: dict[str, Result] = field(default_factory=dict)  # results of the sessions actions came from


def report_data(store: Any, library: Library, session: Session, result: Result, generated: datetime) -> ReportData:
    """The report of a stored session, with its organisation's history up to it and the comparison
    with the session before it, when there is one."""
    from ..domain.history import compare, history, history_of_summaries, same_track
    from .actions_view import planned_results
    from ..store import StoreError

    lang = result.lang
    # the history from the store's summaries, which carry each session's scores: of the other
    # sessions only the one compared with is read
    rows, comparison = [], None
    try:
        mine = sorted((s for s in same_track(store.list_sessions(session.org, scored=True), session)
                       if all(b in library.banks for b in s.banks) and s.created <= session.created),
                      key=lambda s: (s.created, s.session_id))
        rows = history_of_summaries(library, mine, store.get_session, lang)
        earlier = [s for s in mine if s.created < session.created and s.session_id != session.id]
        if earlier:
            comparison = compare(library, store.get_session(earlier[-1].session_id), session, lang)
    except StoreError:
        pass  # a damaged neighbour must not stop this session's report
    rows = rows or history(library, [session], lang)
    try:
        actions = store.list_actions(session.org)
    except StoreError:
        actions = []  # a damaged action file is named by `selfcheck actions list`; the report goes on
    planned_from = planned_results(store, library, actions)
    return ReportData(session=session, result=result, library=library, history=rows, comparison=comparison,
                      generated=generated, actions=actions, planned_from=planned_from)


def markdown(data: ReportData) -> str:
    return render_markdown(build(data))


def html(data: ReportData) -> str:
    return render_html(build(data))


def build(data: ReportData) -> Doc:
    lang = data.result.lang
    parts = [_cover(data), _summary(data), _scores(data), _answers(data), _open_items(data)]
    parts += [p for p in (checklists_part(data),) if p is not None]
    path = path_part(data)
    parts += [p for p in (path, _plan(data), actions_part(data, data.actions, data.planned_from)) if p is not None]
    if data.history:
        parts.append(_history(data))
    if data.comparison is not None:
        parts.append(_comparison(data))
    parts.append(closing(lang, readings(data.library, lang, data.result.rules_profile,
                                                                   data.result.grade.service_source,
                                                                   data.result.grade.management_level is not None,
                                                                   list(data.session.banks))))
    return Doc(lang=lang, title=f"{t('doc.title', lang)} — {data.session.org}", parts=parts)
