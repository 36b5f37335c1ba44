"""Texts of the screens' layout (home screen, history, help), zh and en; `assistant.i18n.t`
reads them with the rest."""

from __future__ import annotations

LAYOUT: dict[str, tuple[str, str]] = {
}
