"""Paragraphs and sentences with character offsets into the cleaned text.

Paragraphs are the blank-line-separated blocks that ``clean.apply`` writes. Sentences come from
sentencex (Wikimedia; https://github.com/wikimedia/sentencex), a rule-based splitter with
abbreviation lists for about 300 languages: it keeps "U.S.", "Gen." and "Brig." inside sentences
and keeps closing quotes with their sentence. Why sentencex and not another splitter: docs/text.md.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import sentencex

try:  # compiled where the install found a C compiler (setup.py); else the spans are found here
    from lib.text import _sentences as _compiled
except ImportError:
    _compiled = None

PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")
FRAGMENT = re.compile(r"[A-Z]\.(?:[,;:)]|\s+[a-z]|\s*$)")  # "C., said": the tail of "R-S.C." cut off
# English titles written before a name ("Ms. Omar", "Rep. Will Hurd", "Ft. Worth"): a sentence does not end at one
# when a capitalised word follows on the same line. Not "Jr.", "Sr." or "No.", which end sentences as often.
TITLE = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Mx|Messrs|Mmes|Dr|Prof|Rev|Fr|Sen|Sens|Rep|Reps|Gov|Pres|Amb|Atty|Gen|Gens|"
                   r"Lt|Col|Maj|Capt|Cmdr|Cpl|Sgt|Adm|Brig|Det|Insp|Supt|Hon|St|Ste|Ft|Mt)\.$")
NAME_NEXT = re.compile(r"[ \t\u00a0]+[\"'“‘(]?[A-Z]")
# non-ASCII whitespace, each read as a space: sentencex panics on some no-break-space sequences
SPACE = re.compile("[" + "".join(chr(c) for c in range(128, 0x3001) if chr(c).isspace()) + "]")
RECENT = 256  # texts whose sentences ``sentence_spans`` keeps
_known: dict[str, tuple[tuple[int, int], ...]] = {}  # sentences found before (``remember``), in English
FALLBACK = re.compile(r".+?(?:[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|$)", re.DOTALL)


@dataclass(frozen=True)
class Segments:
    """``paragraphs``: (start, end) pairs; ``sentences``: (paragraph index, start, end) triples."""

    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int, int]]


def sentence_spans(text: str, language: str = "en") -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, surrounding whitespace excluded. A piece that
    starts with a lone capital and a full stop followed by a comma or a lower-case word ("C., who
    ...") is the tail of an abbreviation the splitter broke ("R-S.C."), so it joins its sentence; so does one that
    follows an English title ("Ms.", "Sen.", ``TITLE``) on the same line and starts with a capital (a name).
    The last ``RECENT`` texts' sentences are kept: cleaning splits an article's blocks, and ``split`` then the
    paragraphs of its cleaned text, most of them the same blocks; so are those ``remember`` was given."""
    spans = _known.get(text) if language == "en" else None
    return list(_sentence_spans(text, language) if spans is None else spans)


def remember(found: Iterable[tuple[str, tuple[tuple[int, int], ...]]]) -> None:
    """Keep the ``sentence_spans`` (in English) of some texts, found before: an article's blocks, as another process
    split them while counting (``lib/cleaning/reading.py``). Those given at the last call are kept."""
    _known.clear()
    _known.update(found)


@functools.lru_cache(maxsize=RECENT)
def _sentence_spans(text: str, language: str) -> tuple[tuple[int, int], ...]:
    plain, pieces = _pieces(text, language or "en")
    if _compiled is not None and pieces is not None:  # the same spans, compiled (lib/text/_sentences.c)
        found = _compiled.spans(text, plain, pieces, language == "en")
        if found is not None:
            return found
    spans: list[tuple[int, int]] = []
    for s, e, piece in _boundaries(text, language or "en", plain, pieces):
        s, e = s + len(piece) - len(piece.lstrip()), e - (len(piece) - len(piece.rstrip()))
        if e <= s:
            continue
        if spans and (FRAGMENT.match(text, s) or language == "en" and _after_title(text, *spans[-1])):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return tuple(spans)


def _after_title(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text[start:end]`` ends with a ``TITLE`` followed by a capital on the same line."""
    return (text[end - 1] == "." and NAME_NEXT.match(text, end) is not None
            and TITLE.search(text, max(start, end - 8), end) is not None)


def _pieces(text: str, language: str) -> tuple[str, list[str] | None]:
    """``text`` with its non-ASCII whitespace read as a space (as long as ``text``: a piece's length and what it
    strips are the same), and sentencex's pieces of it, or None should it fail (a panic of its native code is a
    ``BaseException``)."""
    plain = text if text.isascii() or not SPACE.search(text) else SPACE.sub(" ", text)
    try:
        return plain, sentencex.segment(language, plain)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: B036 (pyo3's PanicException derives from BaseException)
        return plain, None


def _boundaries(text: str, language: str, plain: str, pieces: list[str] | None) -> list[tuple[int, int, str]]:
    """sentencex's ``pieces`` of ``plain`` (``_pieces``) as (start, end, piece), in order and covering the text; where
    it failed all the same, a regular expression splits at a sentence's final punctuation before a capital or a
    digit."""
    if pieces is None:
        return _fallback(text)
    try:
        if "".join(pieces) == plain:  # always so (the offsets are the pieces' lengths added up)
            ends = itertools.accumulate(map(len, pieces))
            return [(end - len(piece), end, piece) for piece, end in zip(pieces, ends, strict=False)]
        return [(b["start_index"], b["end_index"], plain[b["start_index"] : b["end_index"]])
                for b in sentencex.get_sentence_boundaries(language, plain)]
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: B036 (pyo3's PanicException derives from BaseException)
        return _fallback(text)


def _fallback(text: str) -> list[tuple[int, int, str]]:
    """``_boundaries`` by ``FALLBACK``, where sentencex failed."""
    return [(m.start(), m.end(), m.group()) for m in FALLBACK.finditer(text)]


def split(text: str, language: str = "en") -> Segments:
    """Split cleaned text into paragraphs and sentences; offsets index ``text`` (end exclusive,
    surrounding whitespace excluded)."""
    language = language or "en"
    paragraphs: list[tuple[int, int]] = []
    sentences: list[tuple[int, int, int]] = []
    for p_idx, m in enumerate(PARAGRAPH.finditer(text)):
        start = m.start()
        paragraphs.append((start, m.end()))
        sentences += [(p_idx, start + s, start + e) for s, e in sentence_spans(m.group(0), language)]
    return Segments(paragraphs, sentences)
