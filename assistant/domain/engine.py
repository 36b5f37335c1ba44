"""The conversation engine: a pure state machine over a session's banks.

Given the banks and the answers so far it says what to ask next, takes a reply (typed or chosen),
and returns what to save and what the assistant says, as data. No I/O: the screen that drives it
saves each `Save` to the store before showing the next turn, so every answer is durable at once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from .answers import LIMITS, Answer, AnswerError, Position, Session, TooLong, check_answer, check_answer_lengths, gated
from .bank import Area, Bank, Kind, Method, Question
from .dialogue import (  # noqa: F401  (the turns are part of the engine's interface)
    Ask,
    AskNote,
    Explain,
    FlowDone,
    Help,
    Notice,
    OpenIndex,
    Outcome,
    Save,
    Saved,
    SessionDone,
    Step,
    Turn,
)
from .evaluate import evaluate
from .history import compare
from .loader import Library
from .replies import Order, Problem, Understood, as_command, parse_reply
from .results import Result
from .scoring import score_bank
from .conformity import score_checklist


Mode = Literal["question", "note", "done"]
NOTE_ALPHA = Decimal("0.4")  # 003 §5.1.1 level 2 (低于预期) and below ask for a note (SCORING §11)
NOTE_LEVEL = 2


class Conversation:
    """One respondent's walk through the session's banks, in order."""

    def __init__(self, library: Library, session: Session, baseline: Session | None = None):
        self.library = library
        self.session = session.model_copy(deep=True)
        self.baseline = baseline.answers if baseline is not None else {}
        self.baseline_session = baseline
        self.banks = [library.bank(b) for b in session.banks]
        self.mode: Mode = "question"
        self.position: Position | None = self._resume_position()
        # the furthest question reached: after changing an earlier answer, the walk returns here
        self.furthest: Position | None = self.position
        self.reached_end = self.position is None  # a finished session: changing an answer returns to the end
        if self.position is None:
            self.mode = "done"
        elif self._interrupted_note():
            self.mode = "note"  # killed while the note after a weak answer was asked: ask it again

    # -- the flow ----------------------------------------------------------------------------

    def answers(self, bank_id: str) -> dict[str, Answer]:
        return self.session.answers.get(bank_id, {})

    def visible(self) -> list[Position]:
        """Every question that will be asked, in order (follow-ups of a closed gate are left out)."""
        out = []
        for bank in self.banks:
            hidden = gated(bank, self.answers(bank.id))
            out += [Position(bank=bank.id, question=q.id) for q in bank.questions if q.id not in hidden]
        return out

    def _resume_position(self) -> Position | None:
        if self.session.status == "completed":
            return None  # a finished session opens on its result; back revisits the answers
        order = self.visible()
        saved = self.session.position
        if saved is not None:
            if saved in order:
                return saved
            # the saved question is now hidden by a gate: go on from the next visible one
            flat = [(b.id, q.id) for b in self.banks for q in b.questions]
            if (saved.bank, saved.question) in flat:
                later = flat[flat.index((saved.bank, saved.question)):]
                for bank_id, qid in later:
                    if Position(bank=bank_id, question=qid) in order:
                        return Position(bank=bank_id, question=qid)
        for p in order:
            if p.question not in self.answers(p.bank):
                return p
        return None

    def _interrupted_note(self) -> bool:
        """The saved position is a question answered weakly, with no note: the note prompt was open."""
        assert self.position is not None
        answer = self.answers(self.position.bank).get(self.position.question)
        return answer is not None and answer.note is None and self._asks_note(self.step(), answer)

    def _asks_note(self, step: Step, answer: Answer) -> bool:
        """A weak level (below), or a checklist item not met ("partly" or "no"): ask for the evidence
        or the obstacle."""
        if step.question.kind is Kind.check:
            return answer.choice in ("partly", "no")
        return step.question.kind.scored and answer.level is not None and self._weak(step, answer)

    def entries(self) -> list[tuple[Step, bool]]:
        """Every question that will be asked, with whether it is the current one: the question index."""
        return [(self.step(p), p == self.position) for p in self.visible()]

    def step(self, position: Position | None = None) -> Step:
        position = position or self.position
        assert position is not None, "the conversation is over"
        bank = self.library.bank(position.bank)
        in_bank = [p for p in self.visible() if p.bank == bank.id]
        scored = score_bank(bank, self.answers(bank.id))
        return Step(
            bank=bank,
            section=bank.section_of(position.question),
            question=bank.question(position.question),
            number=in_bank.index(position) + 1,
            total=len(in_bank),
            bank_number=[b.id for b in self.banks].index(bank.id) + 1,
            bank_total=len(self.banks),
            earned=sum((i.earned for i in scored.items), Decimal(0)),
            possible=scored.possible,  # N/A items leave it, as in the flow's result
            answer=self.answers(bank.id).get(position.question),
            baseline=self._baseline(bank, bank.question(position.question)),
        )

    def _baseline(self, bank: Bank, question: Question) -> Answer | None:
        """The earlier session's answer, if it still fits the question (banks may have changed)."""
        earlier = self.baseline.get(bank.id, {}).get(question.id)
        if earlier is None or earlier.skipped:
            return None
        try:
            check_answer(bank, question, earlier)
        except AnswerError:
            return None
        return earlier

    def result(self) -> Result:
        return evaluate(self.library, self.session)

    def _done(self) -> SessionDone:
        first = self.session.lang
        langs = [first] + [lang for lang in ("zh", "en") if lang != first]
        results = {lang: evaluate(self.library, self.session.model_copy(update={"lang": lang})) for lang in langs}
        comparisons = {}
        if self.baseline_session is not None:
            try:
                comparisons = {lang: compare(self.library, self.baseline_session, self.session, lang) for lang in langs}
            except KeyError:
                comparisons = {}  # the earlier session uses a bank this program no longer has
        return SessionDone(results, comparisons)

    # -- turns -------------------------------------------------------------------------------

    def start(self) -> Outcome:
        if self.mode == "done":
            return Outcome(turns=[self._done()])
        if self.mode == "note":
            step = self.step()
            return Outcome(turns=[Ask(step), AskNote(step, self._tip(step.question))], position=self.position)
        return Outcome(turns=[Ask(self.step())], position=self.position)

    def reply(self, text: str) -> Outcome:
        """A typed reply."""
        if self.mode == "done":
            command = as_command(text)
            if command in ("back", "help"):
                return self.command(command)
            return Outcome(turns=[Notice("done")])
        step = self.step()
        if self.mode == "note":
            return self._note(text)
        if not text.strip() and step.baseline is not None and step.answer is None:
            return self.command("keep")  # Enter confirms last time's answer
        if not text.strip() and step.answer is not None and step.answer.answered:
            return self._keep()  # Enter on a revisited question keeps the answer shown
        parsed = parse_reply(text, step.question)
        if isinstance(parsed, Order):
            return self.command(parsed.command, parsed.arg)
        if isinstance(parsed, Problem):
            return Outcome(turns=[Notice(parsed.code, parsed.params)])
        assert isinstance(parsed, Understood)
        return self.answer(parsed.answer)

    def answer(self, answer: Answer) -> Outcome:
        """An answer to the current question (a quick reply, a key, or a typed reply understood)."""
        if self.mode == "done":
            return Outcome(turns=[Notice("done")])
        if self.mode == "note":
            self.mode = "question"
            out = self._advance()
            if self.mode == "done" or not isinstance(out.turns[-1], Ask):
                return out
            nxt = self.answer(answer)
            return Outcome(out.saves + nxt.saves, out.turns + nxt.turns, nxt.position, out.completed or nxt.completed)
        step = self.step()
        try:
            check_answer(step.bank, step.question, answer)
            check_answer_lengths(answer)
        except AnswerError as e:
            return Outcome(turns=[Notice("invalid", {"problem": e.problem})])
        except TooLong as e:
            return Outcome(turns=[Notice("too_long", {"n": str(e.n), "limit": str(e.limit)})])
        previous = step.answer
        if previous is not None and previous.note and answer.note is None and answer.answered and previous.answered:
            answer = answer.model_copy(update={"note": previous.note})  # changing a level keeps its note
        save = self._store(step, answer)
        turns: list[Turn] = [Saved(self.step(), answer)]
        kept = step.baseline is not None and answer == step.baseline
        if answer.note is None and not kept and self._asks_note(step, answer):
            self.mode = "note"
            turns.append(AskNote(self.step(), self._tip(step.question)))
            # the position stays on this question until the note is given or passed over, so a
            # session killed meanwhile asks for the note again when it is resumed
            return Outcome(saves=[save], turns=turns, position=step.position)
        out = self._advance()
        return Outcome([save] + out.saves, turns + out.turns, out.position, out.completed)

    def command(self, command: str, arg: str | None = None) -> Outcome:
        if command == "index":
            return Outcome(turns=[OpenIndex()])
        if command == "goto":
            found = self.find(arg or "")
            if found is None:
                return Outcome(turns=[Notice("goto_unknown", {"question": arg or ""})])
            return self.goto(found)
        if command == "help":
            kind = self.step().question.kind if self.position else Kind.likert
            return Outcome(turns=[Help(kind)])
        if command == "back":
            return self.back()
        if self.mode == "done":
            return Outcome(turns=[Notice("done")])
        if command == "why":
            return Outcome(turns=[Explain(self.step())])
        if command == "keep":
            step = self.step()
            if self.mode == "question" and step.baseline is not None:
                return self.answer(step.baseline)
            return Outcome(turns=[Notice("no_baseline")])
        if command in ("skip", "next"):
            if self.mode == "note":
                self.mode = "question"
                return self._advance()
            step = self.step()
            if step.answer is not None and step.answer.answered:
                return self._keep()  # revisiting an answered question: move on, keep the answer
            if command == "next":
                return Outcome(turns=[Notice("next_needs_answer")])
            return self.answer(Answer(skipped=True))
        return Outcome(turns=[Notice("unknown", {"expected": "command"})])

    def back(self) -> Outcome:
        if self.mode == "note":
            self.mode = "question"
            return Outcome(turns=[Ask(self.step())], position=self.position)
        order = self.visible()
        if self.mode == "done":
            self.mode = "question"
            self.position = order[-1]
            return Outcome(turns=[Ask(self.step())], position=self.position)
        i = order.index(self.position)
        if i == 0:
            return Outcome(turns=[Notice("at_start"), Ask(self.step())])
        self.position = order[i - 1]
        return Outcome(turns=[Ask(self.step())], position=self.position)

    def find(self, ref: str) -> Position | None:
        """A visible question by its id ("6.2.3"), or "bank:id" when two banks share the id; the
        current bank first."""
        bank_ref, _, qid = ref.rpartition(":")
        order = self.visible()
        current = self.position.bank if self.position else None
        # ids in any case (the reply is read lower-cased: "/goto d6.3-1"), or a former id (bank aliases)
        former = {(b.id, new): old.lower() for b in self.banks for old, new in b.aliases.items()}
        matches = [p for p in order if qid.lower() in (p.question.lower(), former.get((p.bank, p.question)))
                   and (not bank_ref or p.bank == bank_ref or p.bank.endswith("." + bank_ref))]
        matches.sort(key=lambda p: p.bank != current)
        return matches[0] if matches else None

    def _keep(self) -> Outcome:
        out = self._advance()
        return Outcome(out.saves, [Notice("kept")] + out.turns, out.position, out.completed)

    def goto(self, position: Position) -> Outcome:
        """Revisit any question that will be asked (to change an earlier answer)."""
        if position not in self.visible():
            return Outcome(turns=[Notice("not_visible", {"question": position.question})])
        self.mode = "question"
        self.position = position
        return Outcome(turns=[Ask(self.step())], position=position)

    # -- inside ------------------------------------------------------------------------------

    def _store(self, step: Step, answer: Answer) -> Save:
        self.session.answers.setdefault(step.bank.id, {})[step.question.id] = answer
        return Save(step.bank.id, step.question.id, answer)

    @staticmethod
    def _weak(step: Step, answer: Answer) -> bool:
        """Weak enough to ask for the evidence or the obstacle: levels 1–2 (α ≤ 0.4). Level 3 meets
        expectations (003 §5.1.1); the suggestions' gap threshold (α ≤ 0.6) is another matter."""
        item = score_bank(step.bank, {step.question.id: answer}).items
        mine = next(i for i in item if i.id == step.question.id)
        if mine.na or mine.level is None:
            return False
        return mine.alpha <= NOTE_ALPHA if mine.alpha is not None else mine.level <= NOTE_LEVEL

    def _tip(self, question: Question) -> tuple[Area, Method] | None:
        methods = self.library.catalogue.methods
        for m in question.methods or []:
            if m in methods:
                return methods[m]
        return None

    def _note(self, text: str) -> Outcome:
        step = self.step()
        parsed = parse_reply(text, step.question)
        if isinstance(parsed, Order) and parsed.command in ("back", "skip", "next", "help", "why"):
            return self.command(parsed.command)
        note = text.strip()
        if not note:
            self.mode = "question"
            return self._advance()
        if len(note) > LIMITS["note"]:
            return Outcome(turns=[Notice("too_long", {"n": str(len(note)), "limit": str(LIMITS["note"])})])
        current = self.answers(step.bank.id)[step.question.id]
        save = self._store(step, current.model_copy(update={"note": note}))
        self.mode = "question"
        out = self._advance()
        return Outcome([save] + out.saves, [Notice("note_saved")] + out.turns, out.position, out.completed)

    def _next_position(self) -> Position | None:
        order = self.visible()
        i = order.index(self.position)
        return order[i + 1] if i + 1 < len(order) else None

    def _advance(self) -> Outcome:
        current = self.position
        nxt = self._next_position()
        nxt = self._return_point(nxt)
        turns: list[Turn] = []
        if nxt is None or nxt.bank != current.bank:
            bank = self.library.bank(current.bank)
            checklist = score_checklist(bank, self.answers(bank.id)) if bank.kind == "checklist" else None
            turns.append(FlowDone(bank, score_bank(bank, self.answers(bank.id)), checklist))
        if nxt is None:
            self.mode = "done"
            self.reached_end = True
            self.session.status = "completed"
            turns.append(self._done())
            return Outcome(turns=turns, position=None, completed=True)
        self.position = nxt
        order = self.visible()
        if self.furthest not in order or order.index(nxt) > order.index(self.furthest):
            self.furthest = nxt
        turns.append(Ask(self.step()))
        return Outcome(turns=turns, position=nxt)

    def _return_point(self, nxt: Position | None) -> Position | None:
        """Going on from a revisited question: skip the later questions already answered, up to the
        furthest one reached (a gate opened on the way has new, unanswered follow-ups: they stop it)."""
        order = self.visible()
        if nxt is None:
            return None
        if self.reached_end:
            return next((p for p in order[order.index(nxt):] if p.question not in self.answers(p.bank)), None)
        if self.furthest not in order or order.index(self.furthest) <= order.index(nxt):
            return nxt
        for p in order[order.index(nxt):order.index(self.furthest)]:
            if p.question not in self.answers(p.bank):
                return p
        return self.furthest
