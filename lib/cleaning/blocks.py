"""Text blocks: the raw lines of an article read as paragraphs (a flattened page's pieces too), and whether one
reads as prose.

A line broken mid-sentence (it does not end like a sentence and the next line starts in lower case)
is rejoined to the next; a block is *prose* when it has eight or more words and ends like a sentence,
or twenty or more words (the jusText and boilerpipe idea of shallow text features: Pomikálek 2011,
Kohlschütter et al. 2010). Cleaning, repeat counting and metadata all read articles this way.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

try:  # compiled where the install found a C compiler (setup.py); else read in Python below
    from lib.cleaning import _blocks as _compiled
except ImportError:
    _compiled = None
try:
    from lib.cleaning._keys import sentence_key as _sentence_key
except ImportError:
    _sentence_key = None
SENTENCE_END = re.compile(r"""(?<![.…\s])[.!?]["'”’)\]]*\s*$|\w[:;]\s*$|["”’]\s*$""")
LINE = re.compile(r"[^\n]*\n?")
DIGITS = re.compile(r"\d+")
FRAME = " :|•·»«>›‹<-–—/*_=+~"  # marks around a page's labels
# " ### ", " | ", " • ", " — ": no letter, digit, quote or bracket, and not a sentence's punctuation alone (" . ")
TOKEN = re.compile(r" ((?![.,;:!?…]+ )[^\w\s\"'“”‘’()\[\]]{1,4})(?= )")
MIN_SEPARATORS = 3  # a flattened page's separator delimits four or more blocks
LIKE_A_BREAK = 0.8, 0.5  # of its places, the shares where what follows, and what precedes, reads as a new line
SHORT = 12  # words: a heading, a button, a caption; what may stand before a break without ending like a sentence


class Block(NamedTuple):
    """Consecutive raw lines read as one paragraph (a line broken mid-sentence is rejoined): made once an article and
    read often, so a tuple, its words counted as it is made (``block``)."""

    start: int
    end: int
    text: str  # whitespace collapsed
    words: int  # text.count(" ") + 1


def block(start: int, end: int, text: str) -> Block:
    """The ``Block`` of ``raw[start:end]``, whose text with whitespace collapsed is ``text``."""
    return Block(start, end, text, text.count(" ") + 1)


def ends_sentence(line: str) -> bool:
    """Whether a line ends like a sentence (a teaser cut off with ".." or "…" does not): ``SENTENCE_END`` in its last
    eight characters (``lib/cleaning/_blocks.c`` where the install compiled it: the same answer)."""
    return bool(SENTENCE_END.search(line[-8:]))


if _compiled is not None:
    ends_sentence = _compiled.ends_sentence  # noqa: F811 (the same test, without a Python call per line)


def is_prose(line: str, words: int | None = None) -> bool:
    """Whether a line reads as body text: 8+ words ending like a sentence, or 20+ words."""
    words = len(line.split()) if words is None else words
    return words >= 20 or (words >= 8 and ends_sentence(line))


def key(text: str) -> str:
    """A block's identity for repetition across articles: its text (whitespace already collapsed) in lower case,
    digits masked ("3 hours ago", "Image 2 of 3") and the marks a page puts around a label stripped
    ("Advertisement:", "» More"). Where the install compiled ``lib/cleaning/_keys.c``, its sentence key, the same
    for a text whose whitespace is collapsed."""
    if _sentence_key is not None:
        return _sentence_key(text).strip(FRAME)
    return DIGITS.sub("#", text.lower()).strip(FRAME)


@functools.cache
def _letters(least: int) -> re.Pattern:
    return re.compile(rf"[^\W\d_]{{{least},}}")


def letter_runs(text: str, least: int) -> list[str]:
    r"""The runs of ``least`` letters or more of ``text`` (re's ``[^\W\d_]``: word characters but digits and "_"), as
    ``findall`` finds them: the content words that cleaning's story words and the metadata's title test compare
    (``lib/cleaning/_blocks.c``, where the install compiled it, finds the same)."""
    if _compiled is not None:
        return _compiled.letter_runs(text, least)
    return _letters(least).findall(text)


def tokens(raw: str) -> list[tuple[int, int]]:
    """(start, end) of each match of ``TOKEN`` in ``raw``: the space before a separator candidate, and its end
    (``lib/cleaning/_blocks.c``, where the install compiled it, finds the same)."""
    if _compiled is not None:
        return _compiled.tokens(raw)
    return [(m.start(), m.end()) for m in TOKEN.finditer(raw)]


def separator(raw: str) -> str:
    """The token a flattened page's blocks were joined with (a crawler's " ### ", " | ", " • "), or "".

    A token of up to four characters with no letter, digit, quote or bracket (nor a sentence's punctuation
    alone), standing between spaces, that occurs ``MIN_SEPARATORS`` or more times and more than twice as often
    as the text has line breaks, and behaves as a line break (``LIKE_A_BREAK``): what follows does not start
    in lower case in 80% of its places, and what precedes it (since the last such token) ends like a sentence
    or is short (``SHORT`` words: a heading, a button) in half of them; and one of the pieces it delimits is
    prose. A dash inside prose ("the vote — and its cost — ...") and a table's "%" fail the test; of several
    tokens that pass, the most frequent wins."""
    counts: dict[str, list[tuple[int, int]]] = {}
    for start, end in tokens(raw):
        counts.setdefault(raw[start + 1 : end], []).append((start, end))
    breaks = raw.count("\n")
    best, most = "", 0
    for token, places in counts.items():
        if len(places) < max(MIN_SEPARATORS, 2 * breaks + 1) or len(places) <= most:
            continue
        opens = closes = prev = 0
        prose = False
        for place in [*places, None]:
            before = raw[prev : place[0] if place else len(raw)].strip()
            prose = prose or is_prose(before)
            if place:
                opens += not raw[place[1] : place[1] + 3].lstrip()[:1].islower()
                closes += len(before.split()) <= SHORT or ends_sentence(before)
                prev = place[1]
        if prose and opens >= LIKE_A_BREAK[0] * len(places) and closes >= LIKE_A_BREAK[1] * len(places):
            best, most = token, len(places)
    return best


def _lines(raw: str, token: str) -> list[tuple[int, str]]:
    """(offset, text) of the raw lines, and of the pieces between a flattened page's separator ``token``."""
    if not token:
        out, pos = [], 0
        for m in LINE.finditer(raw):
            if not m.group(0):
                break
            out.append((pos, m.group(0)))
            pos += len(m.group(0))
        return out
    pattern = re.compile(r"[ \t\u00a0]*(?<!\S)" + re.escape(token) + r"(?!\S)[ \t\u00a0]*|\n")
    out, pos = [], 0
    for m in pattern.finditer(raw):
        out.append((pos, raw[pos : m.start()]))
        pos = m.end()
    out.append((pos, raw[pos:]))
    return out


def blocks(raw: str) -> list[Block]:
    """Non-blank lines with raw offsets (a flattened page's pieces between its ``separator`` are lines); a line
    that does not end like a sentence and is followed directly by a line starting in lower case is joined to
    it. ``lib/cleaning/_blocks.c``, where the install compiled it, reads a text without a separator: the same
    blocks."""
    token = separator(raw)
    if _compiled is not None and not token:
        return list(map(Block._make, _compiled.blocks(raw)))
    out: list[Block] = []
    joinable = False
    for start, line in _lines(raw, token):
        text = " ".join(line.split())
        end = start + len(line.rstrip("\n"))
        if not text:
            joinable = False
            continue
        if joinable and out and text[0].islower():
            prev = out[-1]
            out[-1] = block(prev.start, end, prev.text + " " + text)
        else:
            out.append(block(start, end, text))
        joinable = not ends_sentence(text)
    return out

