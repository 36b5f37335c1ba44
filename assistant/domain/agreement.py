"""How far a group's ratings agree: Krippendorff's α (ordinal) over a table of units × raters, and the
descriptive figures of one item's levels (median, standard deviation, inter-quartile range) with an
ordinal consensus index (Tastle & Wierman 2007).

Krippendorff's α is computed from its definition (Krippendorff 2011, "Computing Krippendorff's
Alpha-Reliability", §C and §E) in exact rational arithmetic (fractions.Fraction): the coincidences
are sums of 1/(m_u − 1), so a float would round where a hand computation does not, and an exact
result is what the tests compare with the published values. It is then rounded once, as a Decimal.
Any number of raters, missing ratings allowed (a unit with fewer than two ratings is not pairable).

The consensus index uses a logarithm, so it is a float (rounded to 3 places as a Decimal): it is
1 when every rating of an item is the same level and 0 when they are split between the two ends.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable, Sequence

LEVELS = range(1, 6)  # the Likert and maturity levels 1..5 (003 §5.1.1)


def _decimal(x: Fraction | float, places: int) -> Decimal:
    q = Decimal(1).scaleb(-places)
    if isinstance(x, Fraction):
        return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(q, ROUND_HALF_UP)
    return Decimal(repr(x)).quantize(q, ROUND_HALF_UP)


def coincidences(units: Iterable[Sequence[int | None]]) -> dict[tuple[int, int], Fraction]:
    """The coincidence matrix o_ck: each ordered pair of ratings (c, k) by different raters within a
    unit adds 1/(m_u − 1), m_u being the unit's number of ratings (units with m_u < 2 add nothing)."""
    o: dict[tuple[int, int], Fraction] = {}
    for unit in units:
        counts = Counter(v for v in unit if v is not None)
        m = sum(counts.values())
        if m < 2:
            continue
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                if pairs:
                    o[(c, k)] = o.get((c, k), Fraction(0)) + Fraction(pairs, m - 1)
    return o


def ordinal_delta2(values: list[int], n: dict[int, Fraction], c: int, k: int) -> Fraction:
    """The ordinal metric: δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)² over the values in rank order."""
    lo, hi = min(c, k), max(c, k)
    between = sum((n[g] for g in values if lo <= g <= hi), Fraction(0))
    return (between - (n[c] + n[k]) / 2) ** 2


def krippendorff_alpha(units: Iterable[Sequence[int | None]], places: int = 3) -> Decimal | None:
    """Krippendorff's α with the ordinal metric: 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.

    `units`: one sequence per unit (an item), one entry per rater, None where that rater gave none.
    None where α is undefined: fewer than two pairable ratings, or every rating the same value (no
    expected disagreement — agreement is then perfect but not distinguishable from chance)."""
    o = coincidences(units)
    n_c: dict[int, Fraction] = {}
    for (c, _k), v in o.items():
        n_c[c] = n_c.get(c, Fraction(0)) + v
    n = sum(n_c.values(), Fraction(0))
    values = sorted(n_c)
    if n < 2 or len(values) < 2:
        return None
    observed = sum((v * ordinal_delta2(values, n_c, c, k) for (c, k), v in o.items()), Fraction(0))
    expected = sum((n_c[c] * n_c[k] * ordinal_delta2(values, n_c, c, k) for c in values for k in values), Fraction(0))
    return _decimal(1 - (n - 1) * observed / expected, places)


def median(levels: Sequence[int]) -> Decimal | None:
    return Decimal(str(statistics.median(levels))) if levels else None


def sd(levels: Sequence[int], places: int = 2) -> Decimal | None:
    """The population standard deviation: the respondents are the whole group, not a sample of it.
    The variance (n Σx² − (Σx)²) / n² is exact; only its square root is a float."""
    if not levels:
        return None
    n, total, squares = len(levels), sum(levels), sum(x * x for x in levels)
    return _decimal(Fraction(n * squares - total * total, n * n) ** 0.5, places)


def _quartile(ordered: Sequence[int], i: int) -> Fraction:
    """The i-th quartile by linear interpolation between the ordered values (the "inclusive" method
    of statistics.quantiles, a spreadsheet's QUARTILE.INC), exact."""
    m = len(ordered) - 1
    j, delta = divmod(i * m, 4)
    return Fraction(ordered[j] * (4 - delta) + (ordered[j + 1] * delta if delta else 0), 4)


def iqr(levels: Sequence[int]) -> Decimal | None:
    """Q3 − Q1 (quartiles as _quartile); 0 for a single level."""
    if not levels:
        return None
    if len(levels) == 1:
        return Decimal(0)
    ordered = sorted(levels)
    return _decimal(_quartile(ordered, 3) - _quartile(ordered, 1), 2)


def consensus(levels: Sequence[int], places: int = 3) -> Decimal | None:
    """Tastle & Wierman's consensus on an ordinal scale 1..5: 1 + Σ p_i log2(1 − |i − μ| / 4).
    1: all at one level; 0: half at 1 and half at 5. None without levels."""
    if not levels:
        return None
    width = LEVELS[-1] - LEVELS[0]
    mu = sum(levels) / len(levels)
    counts = Counter(levels)
    total = 1 + sum(nc / len(levels) * math.log2(1 - abs(c - mu) / width) for c, nc in counts.items())
    return _decimal(max(0.0, total), places)


def distribution(levels: Iterable[int]) -> dict[int, int]:
    """{level: how many} for every level 1..5 (zeros included)."""
    counts = Counter(levels)
    return {x: counts.get(x, 0) for x in LEVELS}
