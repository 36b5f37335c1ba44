"""Results are built without validation (results.Frozen.built, issue 14 §2): each must be exactly the
model that validating its own dump gives — same classes, same field types, same values — and what
model_construct would have made, on random sessions over the shipped banks and both rules profiles."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from assistant.domain.evaluate import evaluate
from assistant.domain.results import BankResult, ItemResult, Result
from tests.test_planner import LIB, session_of
from tests.test_scoring_properties import ALL_ANSWERS, BANKS


def same(a: object, b: object, where: str = "result") -> None:
    """a and b alike all the way down: classes, field types and values (== alone would let 1 == Decimal(1))."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, BaseModel):
        assert set(a.__dict__) == set(type(a).model_fields), f"{where}: fields {sorted(a.__dict__)}"
        for name in type(a).model_fields:
            same(getattr(a, name), getattr(b, name), f"{where}.{name}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for n, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{n}]")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            same(a[k], b[k], f"{where}[{k!r}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=ALL_ANSWERS, profile=st.sampled_from(["clause-text", "table-rows"]), lang=st.sampled_from(["zh", "en"]))
def test_a_result_built_is_the_validated_result_of_its_own_dump(answers, profile, lang):
    banks = [b.id for b in BANKS]
    session = session_of(answers, banks, profile).model_copy(update={"lang": lang})
    result = evaluate(LIB, session)
    same(result, Result.model_validate(result.model_dump()))
    assert result.to_json() == Result.model_validate(result.model_dump()).to_json()


def test_built_is_what_model_construct_makes():
    values = dict(id="6.1.1", section="6.1", clause="002 6.1.1", earned=Decimal("2.25"), possible=Decimal(3),
                  max_points=Decimal(3), level=4, alpha=Decimal("0.75"), na=False, unanswered=False)
    built, constructed = ItemResult.built(**values), ItemResult.model_construct(**values)
    same(built, constructed)
    assert built.model_fields_set == constructed.model_fields_set == set(values)  # gated_by: defaulted, not set
    assert built.gated_by is None and built == constructed and hash(built) == hash(constructed)
    with pytest.raises(Exception):
        built.earned = Decimal(0)  # still frozen


def test_built_refuses_a_model_whose_defaults_it_cannot_make():
    from pydantic import Field

    from assistant.domain.results import Frozen

    class WithFactory(Frozen):
        items: list[int] = Field(default_factory=list)

    with pytest.raises(TypeError, match="default factories"):
        WithFactory.built()
    assert BankResult.built  # the real ones have none (built is used on them everywhere)
