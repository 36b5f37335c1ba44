"""The chat's conversational texts (typed replies, navigation, the question index), zh and en;
`assistant.i18n.t` reads them with the rest."""

from __future__ import annotations

CHAT: dict[str, tuple[str, str]] = {
}
