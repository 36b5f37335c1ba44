"""The longest texts a session may hold, and the check made where text comes in: light, so that the
launcher can refuse a name too long before the models are loaded."""

from __future__ import annotations


# The longest texts a session may hold, in characters (names, and what a respondent types), and the
# largest answers or session file read (issue 11): far above any real use, far below harm.
LIMITS: dict[str, int] = {"org": 200, "workshop": 200, "respondent": 100, "role": 100,
                          "note": 2000, "na": 1000, "text": 5000, "reason": 2000, "dissent": 2000}
MAX_FILE_BYTES = 8 * 1024 * 1024


class TooLong(ValueError):
    """A text over its limit: `field` (a key of LIMITS), its length `n`, and where it is (bank, question)."""

    def __init__(self, field: str, n: int, where: tuple[str, ...] = ()):
        self.field, self.n, self.limit, self.where = field, n, LIMITS[field], where
        super().__init__(f"{' › '.join((*where, field))}: {n} characters, at most {self.limit}")


def check_length(field: str, value: str | None, *where: str) -> None:
    """TooLong if `value` is longer than LIMITS[field]. Checked where text comes in (an answers file,
    an imported session file), not when a stored session is read: what is stored stays readable."""
    if value is not None and len(value) > LIMITS[field]:
        raise TooLong(field, len(value), where)
