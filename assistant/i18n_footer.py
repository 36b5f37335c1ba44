"""Texts of the fitted footer (assistant/tui/widgets/footer.py), zh and en."""

from __future__ import annotations

FOOTER: dict[str, tuple[str, str]] = {
    # Textual's Select shows this binding in the footer while its menu is open
    "footer.dismiss_menu": ("收起菜单", "Close menu"),
}
