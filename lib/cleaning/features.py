"""What a line or a sentence is compared by when counting repeats: its ``sentence_key`` (digits masked), its
opening words (``prefix``), its label candidates (``head``, ``tail``, ``caps_opening``) and the ``skeleton`` of a
short sentence (names and numbers blanked)."""

from __future__ import annotations

import re

from lib.cleaning.blocks import Block
from lib.text import segment

try:  # compiled where the install found a C compiler (setup.py); else keyed in Python below
    from lib.cleaning._keys import collect as _collect
    from lib.cleaning._keys import keyed as _keyed
    from lib.cleaning._keys import masked as _masked
    from lib.cleaning._keys import skeleton as _skeleton
except ImportError:
    _collect = _keyed = _masked = _skeleton = None
DIGITS = re.compile(r"\d+")
SKELETON_WORDS = 15  # the longest sentence whose skeleton is compared (a credit line, not a templated lead)
CAPS_OPENING = re.compile(r"([A-Z]{2,})\s+([\w\"“‘']\S*)")  # "CLOSE Roger", "CLOSE A"; not "WASHINGTON —"
NAME_RUN = re.compile(r"(?:(?<![\w'’])[A-Z][\w.&-]*(?:['’]s?)?[,:;]?(?:\s+|$))+")  # capitalised words
WORDS = re.compile(r"[\w']+")
LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")


def prefix(text: str, n: int = 3) -> str:
    """The first ``n`` words of ``text`` in lower case; "" when it has ``n`` words or fewer."""
    words = text.lower().split()
    return " ".join(words[:n]) if len(words) > n else ""


def sentence_key(text: str) -> str:
    """A sentence's identity for repetition: lower case, whitespace collapsed, digits masked."""
    return DIGITS.sub("#", " ".join(text.lower().split()))


def masked(text: str) -> str:
    """``text`` in lower case, each run of digits masked as in ``sentence_key``, its whitespace as it was: what the
    label passes search (``lib/cleaning/_keys.c`` where the install compiled it: the same string)."""
    return _masked(text) if _masked is not None else DIGITS.sub("#", text.lower())


def sentences(raw: str, block: Block) -> list[tuple[int, int, str]]:
    """The sentences of a block: (start, end) offsets into ``raw`` and ``sentence_key`` (``lib/cleaning/_keys.c``
    where the install compiled it: the same keys)."""
    return _keyed_spans(raw, block.start, segment.sentence_spans(raw[block.start : block.end]))


def _keyed_spans(raw: str, start: int, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """``sentences`` of the block at ``start`` whose sentences are ``spans``."""
    if _keyed is not None:
        return _keyed(raw, start, spans)
    return [(start + a, start + b, sentence_key(raw[start + a : start + b])) for a, b in spans]


def collect(raw: str, block: Block, into: tuple[set, set, set, set, set], most: int,
            opening: int) -> list[tuple[int, int]]:
    """Add what ``Counts.add`` counts of each sentence of a block to ``into``'s five sets (found, openings,
    skeletons, heads, tails): its key where it has 3 to ``most`` words, its first ``opening`` words where it has
    more, its ``skeleton`` where it has ``SKELETON_WORDS`` words or fewer, its ``head`` and its ``tail``.
    ``lib/cleaning/_keys.c``, where the install compiled it, adds the same. Returns the block's sentences
    (``segment.sentence_spans`` of its raw text)."""
    spans = segment.sentence_spans(raw[block.start : block.end])
    if _collect is not None:
        _collect(raw, block.start, spans, into, most, opening, SKELETON_WORDS)
        return spans
    found, openings, skeletons, heads, tails = into
    for start, end, k in _keyed_spans(raw, block.start, spans):  # each sentence's words once (key, then split)
        words = k.split()
        if 3 <= len(words) <= most:
            found.add(k)
        if len(words) > opening:
            openings.add(" ".join(words[:opening]))
        if len(words) <= SKELETON_WORDS:  # ``skeleton`` is "" for a longer one
            skeletons.add(skeleton(raw[start:end]))
        heads.add(head_of(words))
        tails.add(tail_of(words))
    return spans


def caps_opening(text: str) -> str:
    """The ``Labels.caps`` candidate of a line: its first word, in lower case, when written in capitals and glued
    to words that are not ("CLOSE Roger Ailes ...", "CLOSE A trade expert ..."), else "": not a dateline
    ("WASHINGTON —") or a name in capitals ("JUAN GONZÁLEZ: ...", "NEW YORK")."""
    m = CAPS_OPENING.match(text)
    if not m or (len(m.group(2)) > 1 and m.group(2) == m.group(2).upper()):
        return ""
    return m.group(1).lower()


def head(key: str) -> str:
    """A sentence's label candidate, from its ``sentence_key``: its words up to a colon within the first
    two ("contributing:", "file photo:", "(photo:"), else its first two words ("hide caption")."""
    return head_of(key.split(maxsplit=2)[:2])


def head_of(words: list[str]) -> str:
    """``head`` of a sentence key given as its words (``key.split()``; its first two suffice)."""
    words = words[:2]
    for i, w in enumerate(words):
        if ":" in w:  # "Contributing:Jane Doe" too
            return " ".join([*words[:i], w[: w.index(":") + 1]])
    return " ".join(words) if len(words) == 2 else ""


def tail(key: str) -> str:
    """A sentence's closing label candidate, from its ``sentence_key``: its last two words without the final
    punctuation ("read more", "this report")."""
    return tail_of(key.rsplit(maxsplit=2)[-2:])


def tail_of(words: list[str]) -> str:
    """``tail`` of a sentence key given as its words (``key.split()``; its last two suffice)."""
    if len(words) < 2:
        return ""
    last = words[-1].rstrip(".!?”\"’)]")
    return f"{words[-2]} {last}" if last else ""


def skeleton(sentence: str) -> str:
    """A sentence with its names and numbers blanked: each run of capitalised words becomes "C", digits
    "#", the rest lower case ("X News' Jane Doe contributed to this report." -> "c contributed to
    this report."); "" for a sentence of more than ``SKELETON_WORDS`` words or with fewer than two
    lower-case words left (a name, a dateline, "Doe said."). ``lib/cleaning/_keys.c``, where the install compiled
    it, gives the same skeleton."""
    if _skeleton is not None:
        return _skeleton(sentence, SKELETON_WORDS)
    if len(sentence.split(maxsplit=SKELETON_WORDS)) > SKELETON_WORDS:  # no need to split a long one all through
        return ""
    shape = " ".join(NAME_RUN.sub("C ", DIGITS.sub("#", sentence) + " ").lower().split())
    return shape if len(LOWER_WORD.findall(shape)) >= 2 else ""
