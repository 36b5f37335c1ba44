"""Starts the app from the command line's arguments; bad arguments are refused before the UI opens."""

from __future__ import annotations

import argparse
import gc
import sys

from ..errors import UserError
from ..i18n import t


def launch(args: argparse.Namespace) -> int:
    """The chat or home, as the arguments ask. Until the first screen is up there is no garbage
    collection: start-up builds some 300,000 objects (Textual, the models, the stylesheets) and frees
    almost none, and collecting them again and again cost about 35 ms before the first question
    (issue 14 §2); the app collects again once its first frame is shown (SelfcheckApp.on_ready)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        app = build_app(args, gc_paused=paused)
        app.run()
        if app.failure is not None:  # loading behind the opening frame failed: said as before, after the UI
            raise app.failure
        return 0
    finally:
        if paused:
            gc.enable()


def build_app(args: argparse.Namespace, *, gc_paused: bool = False, terminal: bool = True):
    """The app the arguments ask for, not yet running. Bad arguments are refused here, before the UI
    opens. A new self-check (`chat --org …`) whose opening frame is kept (tui/opening.py) gets an app
    that shows it at once and loads the banks, the store and the session behind it; any other start
    loads them first. `terminal`: refuse to start without one (False for tests and benchmarks)."""
    said = getattr(args, "lang", None) or "zh"  # the language of what is said before the app opens
    _check(args, said)
    if terminal and (not sys.stdin.isatty() or not sys.stdout.isatty()):  # before anything is created
        raise UserError(t("cli.err.terminal", said))
    from .app import SelfcheckApp

    org = getattr(args, "org", None) or ""
    new = bool(org) and not (getattr(args, "resume", None) or getattr(args, "workshop", None)
                             or getattr(args, "baseline", None))
    rules = getattr(args, "rules", "clause-text")
    both = dict(respondent=getattr(args, "respondent", "") or "", rules_profile=rules, gc_paused=gc_paused)
    key = None
    if new:
        from . import opening

        key = opening.fingerprint(args.lang or "zh", getattr(args, "bank", None), getattr(args, "sector", None), rules)
        frame = opening.read(key)
        if frame is not None:
            def prepare():
                store, library, chat, _resumed, _org, _lang = _prepare(args, said)
                return store, library, chat

            return SelfcheckApp(None, None, args.lang or "zh", org=org.strip(), opening=frame, prepare=prepare,
                                opening_key=key, **both)
    store, library, chat, resumed, org, lang = _prepare(args, said)
    return SelfcheckApp(store, library, lang or "zh", chat=chat, resumed=resumed, org=org, opening_key=key, **both)


def _check(args: argparse.Namespace, said: str) -> None:
    """Options that only mean something together, and names too long: refused before anything loads."""
    from ..domain.limits import check_length

    if getattr(args, "resume", None) and (getattr(args, "org", None) or getattr(args, "baseline", None)
                                          or getattr(args, "bank", None) or getattr(args, "sector", None)):
        raise UserError(t("cli.err.resume_with", said))
    if getattr(args, "role", None) and not getattr(args, "workshop", None):
        raise UserError(t("cli.err.role_needs", said))
    if getattr(args, "bank", None) and not (getattr(args, "org", None) or getattr(args, "workshop", None)
                                            or getattr(args, "baseline", None)):
        raise UserError(t("cli.err.bank_needs", said))
    for field, value in (("org", getattr(args, "org", None)), ("respondent", getattr(args, "respondent", None)),
                         ("role", getattr(args, "role", None)), ("workshop", getattr(args, "workshop", None))):
        check_length(field, value)  # a name too long is refused before anything is created


def _prepare(args: argparse.Namespace, said: str):
    """The banks, the store and the session the arguments ask for: (store, library, session id or
    None for home, resumed, org, lang)."""
    from ..domain.loader import BankError, load_library
    from ..store import open_store

    try:
        library = load_library()
    except BankError as e:
        from ..i18n_errors import localise  # its patterns take ~8 ms to compile: only for an error

        raise UserError(t("cli.err.library", said, error=localise(str(e), said))) from None
    store = open_store(args.db)
    lang = getattr(args, "lang", None)
    chat, resumed = None, False
    org = getattr(args, "org", None) or ""
    if getattr(args, "resume", None):
        session = store.get_session(args.resume)
        chat, resumed = session.id, True
        lang = lang or session.lang  # resume in the language the session was answered in
    elif org or getattr(args, "workshop", None) or getattr(args, "baseline", None):
        workshop = store.get_workshop(args.workshop) if getattr(args, "workshop", None) else None
        baseline = store.get_session(args.baseline) if getattr(args, "baseline", None) else None
        org = org or (workshop["org"] if workshop else "") or (baseline.org if baseline else "")
        if workshop and org != workshop["org"]:
            raise UserError(t("cli.err.workshop_org", said, name=workshop["name"], workshop_org=workshop["org"], org=org))
        if baseline and org != baseline.org:
            raise UserError(t("cli.err.baseline_org", said, session=baseline.id, baseline_org=baseline.org, org=org))
        default = list(baseline.banks) if baseline else [b.id for b in library.group("activities")]
        banks = args.bank or default
        unknown = [b for b in banks if b not in library.banks]
        if unknown:
            raise UserError(t("cli.err.unknown_bank", said, bank=unknown[0], known=", ".join(library.banks)))
        session = store.create_session(org.strip(), {b.id: b.version for b in library.banks.values() if b.id in banks},
                                       args.respondent, rules_profile=args.rules, lang=lang or "zh",
                                       workshop=workshop["name"] if workshop else None, role=args.role,
                                       baseline=baseline.id if baseline else None,
                                       sector=getattr(args, "sector", None) or (baseline.sector if baseline else None))
        chat = session.id
    return store, library, chat, resumed, org, lang


def participant(store, library, workshop: dict, lang: str, session: str | None = None, resumed: bool = False) -> int:
    """A served participant (see assistant/serve.py): the server has checked the join code and
    made (or found) their session; they see their own chat only. Without --session, the join
    screen asks for the name and role."""
    from .app import SelfcheckApp

    if session is not None:
        mine = store.get_session(session)
        if mine.workshop != workshop["name"] or mine.org != workshop["org"]:
            raise UserError(t("cli.err.not_member", lang, session=mine.id, name=workshop["name"]))
        session = mine.id
    app = SelfcheckApp(store, library, lang, participant=workshop, chat=session, resumed=resumed)
    app.run()
    return 0


def watch(store, library, workshop: dict, lang: str) -> int:
    from .watch import WatchApp

    WatchApp(store, library, workshop, lang).run()
    return 0


def consensus(meeting, lang: str) -> int:
    from .screens.consensus import ConsensusApp

    ConsensusApp(meeting, lang).run()
    return 0
