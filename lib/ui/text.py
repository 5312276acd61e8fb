"""Text on the pages: untrusted text shown as text (one line, quoted, Markdown escaped), and counts with their
noun."""

from __future__ import annotations

import re

MARKDOWN = re.compile(r"([\\`*_{}\[\]()|<>~$:])")  # inline markup; the text is one line inside quotes

def plain(text: object) -> str:
    """``text`` on one line, quoted and escaped for Markdown (captions, warnings): untrusted text
    stays text, with no link, emphasis, HTML or maths."""
    return "“" + MARKDOWN.sub(r"\\\1", " ".join(str(text).split())) + "”"


def number(n: int, one: str, more: str) -> str:
    """``n`` with its noun, singular for one: "1 story", "2,000 stories"."""
    return f"{n:,} {one if n == 1 else more}"
