"""History from the store's summaries (issue 14): each summary carries its session's scores, computed
on save; a history reads summaries only, scores stale ones again, and an old store upgrades."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.domain.answers import Answer
from assistant.domain.evaluate import evaluate
from assistant.domain.history import history, history_of_summaries, same_track
from assistant.store import TinyStore
from assistant.store.errors import StoreError

ORG = "湘潭市中心医院"
CST = timezone(timedelta(hours=8))


def answers(library, level: int, banks: list[str]) -> dict[str, dict[str, Answer]]:
    """Every Likert question of `banks` at `level` (the one after every fourth a level lower)."""
    out: dict[str, dict[str, Answer]] = {}
    for bank_id in banks:
        scored = [q for q in library.bank(bank_id).questions if q.kind.value == "likert"]
        out[bank_id] = {q.id: Answer(level=max(1, level - (n % 4 == 3))) for n, q in enumerate(scored)}
    return out


@pytest.fixture
def checks(store, clock, library):
    """Five completed self-checks of ORG over the years, one of another organisation, one workshop
    participant of ORG (not in ORG's history)."""
    activities = [b.id for b in library.group("activities")]
    made = []
    for n, level in enumerate([1, 2, 3, 4, 5]):
        clock.now = datetime(2022 + n, 3, 1, 9, 0, tzinfo=CST)
        banks = activities if n % 2 else activities[:2]
        made.append(store.create_session(ORG, {b: library.bank(b).version for b in banks}, f"填写人{n}",
                                         answers=answers(library, level, banks), status="completed"))
    store.create_session("别的医院", {activities[0]: "x"}, answers=answers(library, 3, activities[:1]), status="completed")
    store.create_session(ORG, {activities[0]: "x"}, "参会者", workshop="W", answers=answers(library, 2, activities[:1]),
                         status="completed")
    return made


def cli_json(store: TinyStore, *args: str, capsys) -> list:
    capsys.readouterr()
    code = main([*args, "--db", str(store.root), "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def index_files(store: TinyStore) -> list[Path]:
    return sorted((store.root / "index").glob("*.json"))


def rewrite_rows(store: TinyStore, change) -> None:
    """Apply `change(row)` to every summary in the index's organisation files (logs folded first)."""
    store.reindex()
    for path in index_files(store):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for row in doc["sessions"].values():
            change(row)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_a_summary_carries_the_scores_of_its_session(store, checks, library):
    for summary in store.list_sessions(ORG):
        session = store.get_session(summary.session_id)
        result = evaluate(library, session, count=0)
        scores = summary.scores
        assert scores is not None and scores["basis"] == library.fingerprint
        assert scores["outcome"] == result.grade.outcome
        assert [(b["id"], b["percent"]) for b in scores["banks"]] == [(b.id, str(b.percent)) for b in result.banks]
        assert scores["activities"] == str(result.activities.percent)
        for b, r in zip(scores["banks"], result.banks):
            assert b["sections"] == {s.id: str(s.percent) for s in r.sections}


def test_history_from_summaries_is_the_history_from_sessions(store, checks, library):
    by_sessions = history(library, same_track(store.sessions(org=ORG)), "en")
    by_summaries = history_of_summaries(library, same_track(store.list_sessions(ORG, scored=True)),
                                        store.get_session, "en")
    assert [r.to_json() for r in by_summaries] == [r.to_json() for r in by_sessions]
    assert [r.session_id for r in by_summaries] == [s.id for s in checks]  # oldest first, own track only
    assert by_summaries[0].to_json()["outcome"] == "not-yet" and by_summaries[-1].to_json()["label"]


def test_the_history_command_reads_no_session_file(store, checks, library, capsys, monkeypatch):
    expected = [r.to_json() for r in history(library, same_track(store.sessions(org=ORG)), "zh")]

    def no_session_read(self, sid, path):
        raise AssertionError(f"session {sid} was read")

    monkeypatch.setattr(TinyStore, "_load", no_session_read)
    rows = cli_json(store, "history", "--org", ORG, capsys=capsys)
    assert [{k: v for k, v in r.items() if k != "actions_done"} for r in rows] == expected


def test_stale_scores_are_scored_again_and_kept(store, checks, library, capsys):
    """Scores computed under other banks or rules (another fingerprint) are never shown: the history
    scores those sessions again and the index keeps the new scores."""
    expected = cli_json(store, "history", "--org", ORG, capsys=capsys)

    def stale(row):
        row["scores"].update(basis="banks of an older version", outcome="five-star", activities="99.9")

    rewrite_rows(store, stale)
    assert cli_json(store, "history", "--org", ORG, capsys=capsys) == expected
    kept = [row["scores"] for path in index_files(store)
            for row in json.loads(path.read_text(encoding="utf-8"))["sessions"].values()]
    logs = [json.loads(line)["put"]["scores"] for path in (store.root / "index").glob("*.log")
            for line in path.read_text(encoding="utf-8").splitlines()]
    fresh = TinyStore(store.root).list_sessions(ORG)
    assert all(s.scores["basis"] == library.fingerprint for s in fresh)
    assert any(k["basis"] != library.fingerprint for k in kept) and logs  # written back through the log
    assert not TinyStore(store.root).problems


def test_a_schema_2_store_is_upgraded_and_its_summaries_gain_their_scores(store, checks, library, capsys):
    expected = cli_json(store, "history", "--org", ORG, capsys=capsys)
    rewrite_rows(store, lambda row: row.pop("scores"))
    for path in [*index_files(store), store.root / "index.json", store.root / "store.json"]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["schema"] = 2
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    old = TinyStore(store.root)
    assert all(s.scores is None for s in old.list_sessions())  # schema 2's index read as it is
    assert json.loads((store.root / "store.json").read_text())["schema"] == 3
    assert cli_json(store, "history", "--org", ORG, capsys=capsys) == expected
    assert all(s.scores is not None for s in TinyStore(store.root).list_sessions(ORG))
    assert not old.problems


def test_a_newer_store_is_refused(store, checks):
    (store.root / "store.json").write_text('{"format": "selfcheck-store", "schema": 4}', encoding="utf-8")
    with pytest.raises(StoreError, match="newer selfcheck"):
        TinyStore(store.root).list_sessions()


@pytest.mark.parametrize("bad", ["abc", "1e400", 55.0, None])
def test_damaged_scores_in_the_index_are_not_trusted(store, checks, library, capsys, bad):
    expected = cli_json(store, "history", "--org", ORG, capsys=capsys)

    def damage(row):
        row["scores"]["banks"][0]["percent" if bad is not None else "id"] = bad

    rewrite_rows(store, damage)
    fresh = TinyStore(store.root)
    assert cli_json(fresh, "history", "--org", ORG, capsys=capsys) == expected
    err = capsys.readouterr().err
    after = TinyStore(store.root)
    after.list_sessions(ORG)
    assert not after.problems  # rebuilt: the next reader finds it sound
    assert err == "" or "damaged" in err or "损坏" in err


def test_a_session_whose_bank_is_gone_stays_out_of_the_history(store, checks, library, capsys):
    store.create_session(ORG, {"activities.retired": "2020"}, "x", status="completed")
    rows = cli_json(store, "history", "--org", ORG, capsys=capsys)
    assert [r["session_id"] for r in rows] == [s.id for s in checks]


@pytest.mark.parametrize("damage", [{"banks": "not a list"}, {"outcome": None, "banks": None}, {"activities": "x"}])
def test_history_scores_a_summary_whose_stored_scores_cannot_be_read(store, checks, library, damage):
    """Whatever a store hands over (another store, an unchecked listing), unreadable scores are not shown."""
    from dataclasses import replace

    expected = [r.to_json() for r in history(library, same_track(store.sessions(org=ORG)), "en")]
    summaries = [replace(s, scores={**s.scores, **damage}) for s in store.list_sessions(ORG, scored=True)]
    rows = history_of_summaries(library, same_track(summaries), store.get_session, "en")
    assert [r.to_json() for r in rows] == expected
