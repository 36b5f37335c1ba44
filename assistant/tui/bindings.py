"""Key bindings whose footer label follows the app's language.

Each binding is declared twice, once per language, with the language as the action's parameter;
`check_action` hides the one that is not the current language (the pair share a key).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

from ..i18n import LANGS, t


def bilingual(key: str, action: str, label: str, *, show: bool = True, priority: bool = False) -> list[Binding]:
    return [Binding(key, f"{action}('{lang}')", t(label, lang), show=show, priority=priority) for lang in LANGS]


def visible_in(lang: str, parameters: tuple[object, ...]) -> bool | None:
    """For check_action: True/False for a bilingual binding, None when it is not one."""
    if len(parameters) == 1 and parameters[0] in LANGS:
        return parameters[0] == lang
    return None


class BilingualScreen(Screen):
    """A screen whose footer labels and texts follow the app's language."""

    @property
    def lang(self) -> str:
        return self.app.lang  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        shown = visible_in(self.lang, parameters)
        return True if shown is None else shown
