"""What the robustness suite tried, counted per kind; printed at the end of the run (see conftest.py)."""

from __future__ import annotations

from collections import Counter

TRIED: Counter[str] = Counter()
HELD: Counter[str] = Counter()


def tried(kind: str, n: int = 1) -> None:
    TRIED[kind] += n
