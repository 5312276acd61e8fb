"""Text blocks: the raw lines of an article read as paragraphs, and whether one reads as prose.

A line broken mid-sentence (it does not end like a sentence and the next line starts in lower case)
is rejoined to the next; a block is *prose* when it has eight or more words and ends like a sentence,
or twenty or more words (the jusText and boilerpipe idea of shallow text features: Pomikálek 2011,
Kohlschütter et al. 2010). Cleaning, repeat counting and metadata all read articles this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = re.compile(r"""(?<![.…\s])[.!?]["'”’)\]]*\s*$|\w[:;]\s*$|["”’]\s*$""")
LINE = re.compile(r"[^\n]*\n?")


@dataclass(frozen=True)
class Block:
    """Consecutive raw lines read as one paragraph (a line broken mid-sentence is rejoined)."""

    start: int
    end: int
    text: str  # whitespace collapsed

    @property
    def words(self) -> int:
        return self.text.count(" ") + 1


def ends_sentence(line: str) -> bool:
    """Whether a line ends like a sentence (a teaser cut off with ".." or "…" does not)."""
    return bool(SENTENCE_END.search(line[-8:]))


def is_prose(line: str, words: int | None = None) -> bool:
    """Whether a line reads as body text: 8+ words ending like a sentence, or 20+ words."""
    words = len(line.split()) if words is None else words
    return words >= 20 or (words >= 8 and ends_sentence(line))


def key(text: str) -> str:
    """A block's identity for repetition: its text (whitespace already collapsed) in lower case."""
    return text.lower()


def blocks(raw: str) -> list[Block]:
    """Non-blank lines with raw offsets; a line that does not end like a sentence and is followed
    directly by a line starting in lower case is joined to it."""
    out: list[Block] = []
    pos, joinable = 0, False
    for m in LINE.finditer(raw):
        line = m.group(0)
        if not line:
            break
        text = " ".join(line.split())
        start, end = pos, pos + len(line.rstrip("\n"))
        pos += len(line)
        if not text:
            joinable = False
            continue
        if joinable and out and text[0].islower():
            prev = out[-1]
            out[-1] = Block(prev.start, end, prev.text + " " + text)
        else:
            out.append(Block(start, end, text))
        joinable = not ends_sentence(text)
    return out
