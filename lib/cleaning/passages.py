"""Passages an outlet repeats word for word, inside sentences too: ``PASSAGE``-word shingles of an article's
words (Broder 1997), hashed stably across processes, in how many articles each occurs (``passage_counts``), and
where an article carries those its outlet repeats (``passage_spans``, ``beside``, ``leftovers``: what
``lib/cleaning/clean.py`` removes)."""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterable

import numpy as np

from lib.cleaning.blocks import Block, is_prose
from lib.cleaning.spans import Span
from lib.text import tokeniser
from lib.text.hashes import HashCounts, among, distinct

QUOTATION = re.compile(r"[“”\"]")  # a passage with one is a quote repeated: it stays
PASSAGE = 12  # words: a passage an outlet repeats word for word, inside sentences too (a site's headline cards)
try:  # compiled where the install found a C compiler (setup.py); else hashed in numpy
    from lib.text import _shingles as _compiled
except ImportError:
    _compiled = None
# word k of a shingle weighs 0x9E3779B97F4A7C15 ** (PASSAGE - 1 - k) (mod 2**64): odd, so each word counts
SHINGLE_WEIGHTS = np.array([pow(0x9E3779B97F4A7C15, PASSAGE - 1 - k, 2**64) for k in range(PASSAGE)], dtype=np.uint64)
_WEIGHTS = SHINGLE_WEIGHTS.tobytes()  # as the compiled module takes them


def passage_words(raw: str) -> list[str]:
    """The words of ``raw``, folded (``lib.text.tokeniser.folded``; where they are: ``tokeniser.folded_spans``)."""
    return tokeniser.folded(raw)


def shingles(raw: str) -> list[int]:
    """``shingle_array(raw)`` as a list of ints."""
    return shingle_array(raw).tolist()


def shingle_array(raw: str) -> np.ndarray:
    """From each word of ``raw`` on (``passage_words``), a 64-bit hash of its next ``PASSAGE`` words (w-shingles,
    Broder 1997, "On the resemblance and containment of documents"): each word's CRC-32, the ``PASSAGE`` of them
    weighted by the powers of an odd number and added modulo 2**64. Stable across processes and runs (Python's
    ``hash`` of strings is not), so counts made in any worker add up; two shingles collide only where two words'
    CRC-32s do in the same context. Computed by ``lib/text/_shingles.c`` in one pass over the folded text where the
    install compiled it, else here in numpy: the same hashes (read-only arrays from the first)."""
    return _shingles_of(raw, _plain(raw))


def word_places(raw: str) -> list[tuple[int, int]]:
    """Where the words of ``raw`` that ``shingle_array`` hashes are (``tokeniser.folded_spans``; found by
    ``lib/text/_shingles.c`` where the install compiled it: the same places)."""
    return _places_of(raw, _plain(raw))


def _plain(raw: str) -> str | None:
    """What ``lib/text/_shingles.c`` reads of ``raw``: its folded text, addresses blanked; None without the module or
    where a letter lowers to two characters (``tokeniser.folded`` then folds word by word)."""
    if _compiled is None:
        return None
    low = tokeniser.fold(raw)
    return tokeniser.without_addresses(low) if len(low) == len(raw) else None


def _shingles_of(raw: str, plain: str | None) -> np.ndarray:
    if plain is None:
        return hashed_shingles(passage_words(raw))
    return np.frombuffer(_compiled.shingles(plain, PASSAGE, _WEIGHTS), dtype=np.uint64)


def _places_of(raw: str, plain: str | None) -> list[tuple[int, int]]:
    return tokeniser.folded_spans(raw) if plain is None else _compiled.spans(plain)


def hashed_shingles(words: list[str]) -> np.ndarray:
    """``shingle_array`` of a text whose words (``passage_words``) are ``words``, in numpy."""
    if len(words) < PASSAGE:
        return np.empty(0, dtype=np.uint64)
    codes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    n = len(words) - PASSAGE + 1
    hashes = np.zeros(n, dtype=np.uint64)
    for k, weight in enumerate(SHINGLE_WEIGHTS):
        hashes += codes[k : k + n] * weight  # wraps around modulo 2**64
    return hashes


def passage_counts(raws: Iterable[str]) -> HashCounts:
    """In how many of ``raws`` each ``shingles`` hash occurs; counts of parts of a corpus add up."""
    return _counted([shingle_array(raw) for raw in raws])


def _counted(arrays: list[np.ndarray]) -> HashCounts:
    """In how many of the articles whose ``shingle_array``s are ``arrays`` each hash occurs."""
    arrays = [distinct(a) for a in arrays]
    if not arrays:
        return HashCounts()
    keys, counts = np.unique(np.concatenate(arrays), return_counts=True)
    return HashCounts(keys, counts.astype(np.int64))


def passages_and_runs(raws: list[str], least: float) -> tuple[frozenset[int], list[list[tuple[int, int]]]]:
    """The passages of an outlet whose articles are all of ``raws``: the shingles found in ``least`` or more of them
    (``passage_counts``, ``_at_least``), and where each article carries them (``passage_runs``), each article's
    words read and hashed once for both."""
    plains = [_plain(raw) for raw in raws]
    arrays = [_shingles_of(raw, plain) for raw, plain in zip(raws, plains, strict=True)]
    found = _at_least(arrays, least)
    if not len(found):
        return frozenset(), [[] for _ in raws]
    inside = np.split(among(np.concatenate(arrays), found), np.cumsum([len(a) for a in arrays[:-1]]))
    return frozenset(found.tolist()), [_runs(raw, plain, i) for raw, plain, i in zip(raws, plains, inside, strict=True)]


def _at_least(arrays: list[np.ndarray], least: float) -> np.ndarray:
    """The hashes found in ``least`` or more of the articles whose ``shingle_array``s are ``arrays``, sorted: those of
    ``_counted``, but sorted and counted only where the hashes of their range of the hash (their top bits: the
    fewest ranges, a power of two, that outnumber the hashes twice) are found that often together: a range holds at
    least each of its hashes' counts, and most ranges hold one article's hashes alone."""
    every = np.concatenate([distinct(a) for a in arrays]) if arrays else np.empty(0, dtype=np.uint64)
    if least > 1 and len(every):
        bits = len(every).bit_length() + 1
        ranges = (every >> np.uint64(64 - bits)).astype(np.intp)
        every = every[(np.bincount(ranges, minlength=1 << bits) >= least)[ranges]]
    keys, counts = np.unique(every, return_counts=True)
    return keys[counts >= least]


def passage_spans(raw: str, passages: frozenset[int]) -> list[Span]:
    """The runs of words of ``raw`` that its outlet repeats word for word (``passage_runs``) as spans."""
    return [Span(start, end, "repeated passage") for start, end in passage_runs(raw, passages)]


def passage_runs(raw: str, passages: frozenset[int]) -> list[tuple[int, int]]:
    """Where the runs of words of ``raw`` that its outlet repeats word for word are (every ``repeats.PASSAGE`` words
    of them in ``passages``, ``repeats.site_passages``), inside sentences too ("Donald John TrumpGOP senators balk at
    lengthy impeachment trial Warren goes local in race to build 2020 movement ... MORE"); but a run with a
    quotation mark stays: a quote repeated is still what someone said."""
    plain = _plain(raw)  # read once for the hashes and, where one is a passage's, the places
    hashes = _shingles_of(raw, plain)
    if passages.isdisjoint(hashes.tolist()):  # most articles: found at once
        return []
    return _runs(raw, plain, among(hashes, _sorted(passages)))


@functools.lru_cache(maxsize=8)
def _sorted(passages: frozenset[int]) -> np.ndarray:
    """``passages`` as a sorted array (for ``among``), kept for the articles of one outlet after another."""
    return np.sort(np.fromiter(passages, dtype=np.uint64, count=len(passages)))


def _runs(raw: str, plain: str | None, inside: np.ndarray) -> list[tuple[int, int]]:
    """``passage_runs`` of ``raw`` from its ``_plain`` text and whether each of its shingles is a passage
    (``inside``)."""
    if not inside.any():
        return []
    at, runs = _places_of(raw, plain), []  # where the words ``shingles`` hashed are
    edges = np.flatnonzero(np.diff(inside.astype(np.int8), prepend=0, append=0)).tolist()
    for i, j in zip(edges[::2], edges[1::2], strict=True):  # shingles i to j - 1, each a passage's
        start, end = at[i][0], at[j + PASSAGE - 2][1]
        if not QUOTATION.search(raw, start, end):
            runs.append((start, end))
    return runs


def beside(raw: str, passages: list[Span], cards: list[Span]) -> list[Span]:
    """What ``passages`` hold outside the link ``cards``, where it is a passage itself (``PASSAGE`` words or more):
    a card repeated with the name it is glued to ("Robert Mueller Robert (Bob) Swan MuellerSpeier says ...
    MORE") leaves the name in the sentence."""
    for c in cards:
        passages = [Span(start, end, p.kind) for p in passages
                    for start, end in ((p.start, min(p.end, c.start)), (max(p.start, c.end), p.end))
                    if start < end and tokeniser.count(raw[start:end]) >= PASSAGE]
    return passages


def leftovers(raw: str, bs: list[Block], spans: list[Span], passages: list[Span]) -> list[Span]:
    """``spans``, where a block that lost a passage is left without prose, with the block as a whole instead of
    what went inside it ("Morning Score newsletter Your guide to the permanent campaign —" once the sign-up box
    glued to it went), as ``clean.sentence_spans`` does for the sentences it removes."""
    hit = {k for p in passages for k, b in enumerate(bs) if p.start < b.end and b.start < p.end}
    for k in sorted(hit):
        b = bs[k]
        inside = sorted((s for s in spans if s.start < b.end and b.start < s.end), key=lambda s: s.start)
        kept, at = [], b.start
        for s in inside:
            kept.append(raw[at : max(at, s.start)])
            at = max(at, min(s.end, b.end))
        kept.append(raw[at : b.end])
        if not is_prose(" ".join(" ".join(kept).split())):
            kind = max(inside, key=lambda s: min(s.end, b.end) - max(s.start, b.start)).kind
            spans = [s for s in spans if not (b.start <= s.start and s.end <= b.end)] + [Span(b.start, b.end, kind)]
    return spans
