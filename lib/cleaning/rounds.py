"""Counting a batch in rounds: one pass over parts of it (``part_counts``: a chunk of one group on a pool, a
partition on a Dask cluster), whose counts add up by key (``plus``, ``merged``); ``counted`` runs a round over groups
of raw texts in chunks on a pool; ``tolerant`` keeps one article from spoiling a part's counts; and a cluster first
leaves the keys of one article out of the first pass's counts (``hashed``, ``repeated``, ``only``).
``lib/cleaning/template.py`` says what each round counts and decides from the totals."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Hashable, Iterable, Iterator

import numpy as np

from lib.ingest.guard import Failed, guarded
from lib.text import hashes

Progress = Callable[[str, int, int], None]  # (stage, done, total)
CHUNK = 500  # articles per counting task
# the fewest articles any key of the first pass is read at (``template.pruned``: 2; ``repeats.corpus_repeats``: 3;
# the rest 10), so a key of fewer in the whole batch can be left out of its counts (``Counts.only``) and nothing changes
REPEATED = 2


def plus(total, part):
    """Counts of two parts of a corpus added up (``Counter``, ``repeats.Counts`` or ``repeats.Usage``): ``total``
    updated in place, or a new one when ``total`` is None."""
    total = type(part)() if total is None else total
    total.update(part)
    return total


def tolerant(count: Callable[[list[str]], object], raws: list[str]):
    """``count(raws)``; should one article make it fail, the articles counted one by one and the failing ones
    left out (cleaning then reports them): the corpus's statistics never depend on one article."""
    out = guarded(count, raws)
    if not isinstance(out, Failed):
        return out
    total = None
    for part in (guarded(count, [raw]) for raw in raws):
        if not isinstance(part, Failed):
            total = plus(total, part)
    return count([]) if total is None else total


def part_counts(pairs: Iterable[tuple[Hashable, str]], count: Callable | dict) -> dict:
    """``count`` (one function, or one per key: the other keys left out) over the raw texts of each key of
    ``pairs`` (``tolerant``): key -> counts, in the order the keys first occur. A partition of a batch, or a chunk
    of one group, is counted so; counts of parts add up by key (``merged``)."""
    raws: dict = {}
    for key, raw in pairs:
        if not isinstance(count, dict) or key in count:
            raws.setdefault(key, []).append(raw)
    return {key: tolerant(count[key] if isinstance(count, dict) else count, texts) for key, texts in raws.items()}


def merged(*parts: dict) -> dict:
    """``part_counts`` of parts of a batch added up by key (``plus``) into new counts: the parts are left as they
    were, so a reduction that runs again (a cluster's worker lost) adds the same."""
    out: dict = {}
    for part in parts:
        for key, counts in part.items():
            out[key] = plus(out[key], counts) if key in out else plus(None, counts)
    return out


def hashed(per_key: dict) -> hashes.HashCounts:
    """How many articles of a part of a batch carry each key of its first pass's counts (``part_counts`` of
    ``repeats.line_counts``), every group and every kind together, by hash (``Counts.hashed``)."""
    return hashes.added(*(counts.hashed() for counts in per_key.values()))


def repeated(total: hashes.HashCounts) -> np.ndarray:
    """The hashes of the keys found in ``REPEATED`` articles or more of a batch (``hashed``, added up), sorted: a
    few percent of them. Two keys' hashes collide now and then, and then both are kept, never neither."""
    return total.sorted_at_least(REPEATED)


def only(per_key: dict, kept: np.ndarray) -> dict:
    """A part's first-pass counts with the keys ``repeated`` alone (``Counts.only``): what a cluster adds up, where
    the counts of every distinct line and sentence of a large batch would not fit one worker."""
    # copied (a pickle's round trip), so that the keys kept do not hold on to the memory of the ones let go: a key is
    # a small string, allocated among the others, and a block of them is given back only once all of it is free
    return pickle.loads(pickle.dumps({k: counts.only(kept) for k, counts in per_key.items()}))


def _count(task: tuple) -> dict:
    """One counting task, ``(pairs, count)``: ``part_counts(pairs, count)``, for the pool."""
    return part_counts(*task)


def counted(groups: dict, count: Callable | dict, pool=None, progress: Progress | None = None,
            chunk: int | None = None) -> Iterator[tuple]:
    """``count`` (one function, or one per key) over each group of raw texts, in chunks of ``chunk`` (``CHUNK``
    when None; 0: each group whole, the largest first, so that no chunks are added up here), every group's chunks in
    one round on the pool (when given; its ``imap``, the round queued at the call, behind any queued before): ``(key,
    counts)`` per group, in that order, each as soon as its chunks are counted and added up (``plus`` as they come;
    counts by hash all at once, ``hashes.added``, as a sort of each total with the next chunk would take longer)."""
    chunk = CHUNK if chunk is None else chunk
    if not chunk:
        groups = dict(sorted(groups.items(), key=lambda item: -len(item[1])))
    tasks = [([(key, raw) for raw in raws[i : i + size]], count[key] if isinstance(count, dict) else count)
             for key, raws in groups.items() for size in [chunk or len(raws)] for i in range(0, len(raws), size)]
    return _by_group((pool.imap if pool else map)(_count, tasks), len(tasks), progress)


def _by_group(parts: Iterator[dict], n: int, progress: Progress | None) -> Iterator[tuple]:
    """``counted``'s counts of each group from those of its ``n`` chunks, in order."""
    key, acc = None, []
    for done, part in enumerate(parts, 1):
        if progress:
            progress("count", done, n)
        ((k, counts),) = part.items()
        if k != key and key is not None:
            yield key, _summed(acc)
            acc = []
        key = k
        if isinstance(counts, hashes.HashCounts):
            acc.append(counts)
        else:  # a chunk's counts are new (counted for this call), so the group's total can start as the first
            acc = [plus(acc[0], counts) if acc else counts]
    if key is not None:
        yield key, _summed(acc)


def _summed(parts: list):
    """The counts of a group's chunks, ``counted`` as they came: added up already, or counts by hash to add up."""
    return hashes.added(*parts) if isinstance(parts[0], hashes.HashCounts) and len(parts) > 1 else parts[0]
