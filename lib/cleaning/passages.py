"""Passages an outlet repeats word for word, inside sentences too: ``PASSAGE``-word shingles of an article's
words (Broder 1997), hashed stably across processes, and in how many articles each occurs."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from lib.text import tokeniser

PASSAGE = 12  # words: a passage an outlet repeats word for word, inside sentences too (a site's headline cards)
# word k of a shingle weighs 0x9E3779B97F4A7C15 ** (PASSAGE - 1 - k) (mod 2**64): odd, so each word counts
SHINGLE_WEIGHTS = np.array([pow(0x9E3779B97F4A7C15, PASSAGE - 1 - k, 2**64) for k in range(PASSAGE)], dtype=np.uint64)


def passage_words(raw: str) -> list[str]:
    """The words of ``raw``, folded (``lib.text.tokeniser.folded``: the words ``tokeniser.spans`` finds)."""
    return tokeniser.folded(raw)


def shingles(raw: str) -> list[int]:
    """``shingle_array(raw)`` as a list of ints."""
    return shingle_array(raw).tolist()


def shingle_array(raw: str) -> np.ndarray:
    """From each word of ``raw`` on (``passage_words``), a 64-bit hash of its next ``PASSAGE`` words (w-shingles,
    Broder 1997, "On the resemblance and containment of documents"): each word's CRC-32, the ``PASSAGE`` of them
    weighted by the powers of an odd number and added modulo 2**64, in numpy. Stable across processes and runs
    (Python's ``hash`` of strings is not), so counts made in any worker add up; two shingles collide only where
    two words' CRC-32s do in the same context."""
    words = passage_words(raw)
    if len(words) < PASSAGE:
        return np.empty(0, dtype=np.uint64)
    codes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    n = len(words) - PASSAGE + 1
    hashes = np.zeros(n, dtype=np.uint64)
    for k, weight in enumerate(SHINGLE_WEIGHTS):
        hashes += codes[k : k + n] * weight  # wraps around modulo 2**64
    return hashes


@dataclass(eq=False)
class ShingleCounts:
    """In how many articles each shingle hash occurs: the distinct hashes, sorted, and their counts, 16 bytes a
    shingle where a ``Counter`` of ints takes about a hundred (an outlet's counts hold most of its text's
    shingles). Counts of parts of a corpus add up (``update``, as ``Counter.update``)."""

    keys: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    counts: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def update(self, other: ShingleCounts) -> ShingleCounts:
        """Add ``other``'s counts to these, and return these."""
        self.keys, self.counts = sum_by_key(np.concatenate([self.keys, other.keys]),
                                            np.concatenate([self.counts, other.counts]))
        return self

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, ShingleCounts) and np.array_equal(self.keys, other.keys)
                and np.array_equal(self.counts, other.counts))

    def at_least(self, floor: float) -> frozenset[int]:
        """The hashes counted ``floor`` times or more."""
        return frozenset(self.keys[self.counts >= floor].tolist())


def sum_by_key(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys``, sorted, and the sum of ``values`` of each (a stable sort and ``numpy.add.reduceat``)."""
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    if not len(keys):
        return keys, values
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    return keys[starts], np.add.reduceat(values, starts)


def passage_counts(raws: Iterable[str]) -> ShingleCounts:
    """In how many of ``raws`` each ``shingles`` hash occurs; counts of parts of a corpus add up."""
    arrays = [np.unique(shingle_array(raw)) for raw in raws]
    if not arrays:
        return ShingleCounts()
    keys, counts = np.unique(np.concatenate(arrays), return_counts=True)
    return ShingleCounts(keys, counts.astype(np.int64))
