"""Passages an outlet repeats word for word, inside sentences too: ``PASSAGE``-word shingles of an article's
words (Broder 1997), hashed stably across processes, and in how many articles each occurs."""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np

from lib.text import tokeniser
from lib.text.hashes import HashCounts

PASSAGE = 12  # words: a passage an outlet repeats word for word, inside sentences too (a site's headline cards)
# word k of a shingle weighs 0x9E3779B97F4A7C15 ** (PASSAGE - 1 - k) (mod 2**64): odd, so each word counts
SHINGLE_WEIGHTS = np.array([pow(0x9E3779B97F4A7C15, PASSAGE - 1 - k, 2**64) for k in range(PASSAGE)], dtype=np.uint64)


def passage_words(raw: str) -> list[str]:
    """The words of ``raw``, folded (``lib.text.tokeniser.folded``; where they are: ``tokeniser.folded_spans``)."""
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


def passage_counts(raws: Iterable[str]) -> HashCounts:
    """In how many of ``raws`` each ``shingles`` hash occurs; counts of parts of a corpus add up."""
    arrays = [np.unique(shingle_array(raw)) for raw in raws]
    if not arrays:
        return HashCounts()
    keys, counts = np.unique(np.concatenate(arrays), return_counts=True)
    return HashCounts(keys, counts.astype(np.int64))
