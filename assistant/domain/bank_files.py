"""Where the shipped bank files are, found without loading anything (the launcher's opening frame
asks before the models are imported; loader.banks_dir says when they are missing)."""

from __future__ import annotations

from pathlib import Path


def find_banks_dir() -> Path | None:
    """question_banks/ inside an installed wheel, else at the top of the checkout; None if neither."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "question_banks", here.parent / "question_banks"):
        if candidate.is_dir():
            return candidate
    return None
