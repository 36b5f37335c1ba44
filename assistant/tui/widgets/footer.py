"""The footer of every main screen: Textual's compact footer that never cuts a label.

At 80 columns a screen's keys, the app's keys (F1 help, F2 language, Ctrl+Q quit) and the command
palette's key do not all fit, and Textual's footer then cuts the last visible label in half
("f1 帮" on the result screen) and hides the rest behind the palette's key. This footer shows
whole keys only: when they do not fit it leaves out, in order, the language switch, quit, then
the screen's own keys from the right, and help last. A key left out still works, and the F1 help
lists every key.

Textual's own bindings that appear in a footer (a Select's open menu: "Dismiss menu") get their
label in the app's language.
"""

from __future__ import annotations

from typing import Iterable

from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual 8 exports it only from the private module

from ...i18n import t

# left out first, in this order, when the keys do not fit: both are listed in the F1 help
DROP_FIRST = ("switch_lang", "quit")
KEEP_LAST = "help"
# Textual's built-in binding labels that can show in a footer, by their (English) text
BUILT_IN = {"Dismiss menu": "footer.dismiss_menu"}


def _action_name(action: str) -> str:
    """'app.switch_lang('en')' → 'switch_lang'."""
    return action.split("(", 1)[0].rsplit(".", 1)[-1]


class FittedFooter(Footer):
    """A compact Footer whose shown keys always fit its width, whole."""

    DEFAULT_CSS = """
    FittedFooter { padding-left: 1; }
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)

    def compose(self) -> Iterable[Widget]:
        lang = getattr(self.app, "lang", "zh")
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description in BUILT_IN:
                widget.description = t(BUILT_IN[widget.description], lang)
            yield widget
        self.call_after_refresh(self.fit)

    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def keys(self) -> list[FooterKey]:
        """The keys that can be left out (not the command palette's, which docks right)."""
        return [k for k in self.query(FooterKey) if not k.has_class("-command-palette")]

    @staticmethod
    def width_of(key: FooterKey) -> int:
        """The cells a key takes: its text, padding, border and margin."""
        styles = key.styles
        return key.render().cell_len + styles.gutter.width + styles.margin.width

    def fit(self) -> None:
        """Show as many whole keys as the width allows (the module docstring's order)."""
        if not self.is_attached or self.content_size.width <= 0:
            return
        keys = self.keys()
        palette = [k for k in self.query(FooterKey) if k.has_class("-command-palette")]
        room = self.content_size.width - sum(self.width_of(k) for k in palette)
        widths = {k: self.width_of(k) for k in keys}
        by_action = {k: _action_name(k.action) for k in keys}
        order = [k for name in DROP_FIRST for k in keys if by_action[k] == name]
        order += [k for k in reversed(keys) if by_action[k] not in (*DROP_FIRST, KEEP_LAST)]
        order += [k for k in keys if by_action[k] == KEEP_LAST]
        shown = set(keys)
        for key in order:
            if sum(widths[k] for k in shown) <= room:
                break
            shown.discard(key)
        for key in keys:
            key.display = key in shown
