"""Words for what the pages and the command line print: a count with its noun."""

from __future__ import annotations


def number(n: int, one: str, more: str) -> str:
    """``n`` with its noun, singular for one: "1 story", "2,000 stories"."""
    return f"{n:,} {one if n == 1 else more}"
