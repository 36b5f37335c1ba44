"""The closed word lists the domain accepts (sectors, action statuses), importable without pydantic:
the command line offers them as choices before it loads anything heavy (`selfcheck --help` stays fast)."""

from __future__ import annotations

# The sectors whose examples a bank may give, and "other" (no examples of its own).
SECTORS: tuple[str, ...] = ("hospital", "power", "transport", "retail", "other")

# An action's statuses (domain/actions.py), the open ones first.
STATUSES: tuple[str, ...] = ("planned", "doing", "done", "dropped")
