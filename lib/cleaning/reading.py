"""An article's sentences, split once: the first counting pass (``counts.line_counts(keep=True)``) keeps the
sentences it found in each block of an article (``kept``), and cleaning, in another process, gives them back to
``lib/text/segment.py`` (``recall``) instead of running sentencex over the same blocks again; the segments of the
cleaned text find them there too, for the paragraphs that are whole blocks."""

from __future__ import annotations

import marshal

from lib.cleaning.blocks import Block
from lib.text import segment


def kept(spans: list[list[tuple[int, int]]]) -> bytes:
    """The sentences of each block of an article, in order (``segment.sentence_spans`` of the block's raw text), as
    the bytes handed on between processes (``marshal``: tuples of numbers only)."""
    return marshal.dumps(tuple(tuple(s) for s in spans))


def recall(raw: str, bs: list[Block], reading: bytes) -> None:
    """Give ``segment`` the sentences ``kept`` for ``raw``'s blocks ``bs``; nothing when they were kept for other
    blocks (another number of them)."""
    spans = marshal.loads(reading)
    if len(spans) == len(bs):
        segment.remember(zip([raw[b.start : b.end] for b in bs], spans, strict=True))
