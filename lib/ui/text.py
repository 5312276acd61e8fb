"""Text on the pages: untrusted text shown as text (one line, quoted, Markdown escaped), and counts with their
noun (``lib.views.wording``)."""

from __future__ import annotations

import re

from lib.views.wording import ingest_outcome, number

MARKDOWN = re.compile(r"([\\`*_{}\[\]()|<>~$:])")  # inline markup; the text is one line inside quotes


def plain(text: object) -> str:
    """``text`` on one line, quoted and escaped for Markdown (captions, warnings): untrusted text
    stays text, with no link, emphasis, HTML or maths."""
    return "“" + MARKDOWN.sub(r"\\\1", " ".join(str(text).split())) + "”"


__all__ = ["MARKDOWN", "ingest_outcome", "number", "plain"]
