"""Keys hashed stably across processes, and counts kept by hash: what a cluster's workers count apart and add up
without moving the keys' strings (Python's ``hash`` of a string differs between processes)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np


def stable(keys: Iterable[str]) -> np.ndarray:
    """A 64-bit hash of each of ``keys``: the CRC-32 of its UTF-8 bytes above their Adler-32, the same in every
    process and run. Not collision-free: use it to find candidates whose strings are then counted exactly."""
    return np.fromiter((zlib.crc32(b) << 32 | zlib.adler32(b) for b in map(str.encode, keys)), dtype=np.uint64)


def distinct(hashes: np.ndarray) -> np.ndarray:
    """The distinct ``hashes``, sorted, as ``numpy.unique`` gives them (a sort and a mask: for one article's few
    thousand, a fraction of ``numpy.unique``'s time)."""
    hashes = np.sort(hashes)
    if len(hashes) < 2:
        return hashes
    keep = np.empty(len(hashes), dtype=bool)
    keep[0] = True
    np.not_equal(hashes[1:], hashes[:-1], out=keep[1:])
    return hashes[keep]


def sum_by_key(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys``, sorted, and the sum of ``values`` of each (a stable sort and ``numpy.add.reduceat``)."""
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    if not len(keys):
        return keys, values
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    return keys[starts], np.add.reduceat(values, starts)


@dataclass(eq=False)
class HashCounts:
    """In how many articles each hash occurs: the distinct hashes, sorted, and their counts, 16 bytes a key where a
    ``Counter`` entry takes about a hundred. Counts of parts of a corpus add up (``update``, as ``Counter.update``)."""

    keys: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    counts: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @classmethod
    def of(cls, hashes: np.ndarray, counts: np.ndarray | None = None) -> HashCounts:
        """The counts of ``hashes`` (each counted once, or ``counts`` times), duplicates added up."""
        counts = np.ones(len(hashes), dtype=np.int64) if counts is None else np.asarray(counts, dtype=np.int64)
        return cls(*sum_by_key(np.asarray(hashes, dtype=np.uint64), counts))

    def update(self, other: HashCounts) -> HashCounts:
        """Add ``other``'s counts to these, and return these."""
        self.keys, self.counts = sum_by_key(np.concatenate([self.keys, other.keys]),
                                            np.concatenate([self.counts, other.counts]))
        return self

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, HashCounts) and np.array_equal(self.keys, other.keys)
                and np.array_equal(self.counts, other.counts))

    def sliced(self, slices: int) -> list[HashCounts]:
        """These counts cut into ``slices`` equal ranges of the hash, in order (views of these arrays): counts of
        one range add up apart from the others'."""
        cuts = np.searchsorted(self.keys, np.array([i * 2**64 // slices for i in range(1, slices)], dtype=np.uint64))
        bounds = [0, *cuts.tolist(), len(self.keys)]
        return [HashCounts(self.keys[a:b], self.counts[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]

    def at_least(self, floor: float) -> frozenset[int]:
        """The hashes counted ``floor`` times or more."""
        return frozenset(self.keys[self.counts >= floor].tolist())

    def sorted_at_least(self, floor: float) -> np.ndarray:
        """The hashes counted ``floor`` times or more, sorted (for ``among``)."""
        return self.keys[self.counts >= floor]


def added(*parts: HashCounts) -> HashCounts:
    """Counts of parts of a corpus added up into new counts (the parts left as they were), for a tree reduction:
    all of them sorted at once, not each into the total of those before it."""
    if not parts:
        return HashCounts()
    return HashCounts.of(np.concatenate([p.keys for p in parts]), np.concatenate([p.counts for p in parts]))


def among(hashes: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Whether each of ``hashes`` is in ``kept`` (sorted): a boolean array."""
    if not len(kept):
        return np.zeros(len(hashes), dtype=bool)
    at = np.searchsorted(kept, hashes).clip(max=len(kept) - 1)
    return kept[at] == hashes
