"""The first pass on a pool whose workers hold its counts (``Pool``, ``counted``): each chunk's counts stay in the
worker that counted it, which hands back only the hashes of their keys and the articles' sentences; once every
chunk is counted, the keys that ``rounds.REPEATED`` articles or more of the batch carry are known by hash, and the
workers hand back their counts of those keys alone (``Counts.only``): most of the first pass's keys (a line, a
sentence) are one article's, and those never leave a worker. A cluster leaves them out the same way, through Dask
(``lib/ingest/cluster.py``); docs/ingest-speed.md has the figures.

The keys are hashed by ``Counts.hashed(fast=True)``: the same in every worker of one machine's pool. A worker that
lost what it held (one started anew) has its chunks counted again, their keys left out there."""

from __future__ import annotations

import multiprocessing.context
import multiprocessing.pool
import signal
import threading
from collections.abc import Callable, Hashable, Iterator

import numpy as np

from lib.cleaning import rounds
from lib.text import hashes

WAIT = 3600  # seconds a worker waits at the barrier for the others to take their ``release``
_held: dict[int, dict] = {}  # this worker's first-pass counts by task, until released
_barrier: threading.Barrier | None = None


class Pool(multiprocessing.pool.Pool):
    """A process pool of ``workers`` that can hold a round's counts (``counted``): each worker ignores SIGINT (Ctrl+C
    reaches every process of the terminal; the caller stops, and ends the pool) and knows a barrier of them all, so
    that ``release`` reaches each worker once."""

    def __init__(self, workers: int, context: multiprocessing.context.BaseContext):
        self.workers = workers
        super().__init__(workers, _started, (context.Barrier(workers),), context=context)

    def release(self, kept: np.ndarray) -> dict[int, dict]:
        """What every worker holds, by task (``_release``): each counts' keys ``kept`` alone."""
        out: dict[int, dict] = {}
        for part in self.map(_release, [kept] * self.workers, chunksize=1):
            out.update(part)
        return out


def _started(barrier) -> None:
    """A worker of ``Pool`` starts: SIGINT ignored, the barrier kept."""
    global _barrier
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _barrier = barrier


def _count_held(task: tuple) -> dict:
    """One chunk, ``(tag, pairs, count)``, counted (``rounds.part_counts``) and held here under ``tag``: key -> (the
    hashes of its keys, its articles' readings)."""
    tag, pairs, count = task
    held, out = {}, {}
    for key, counts in rounds.part_counts(pairs, count).items():
        known = counts.key_hashes(fast=True)  # kept for ``_only``: hashed once
        out[key] = (counts.hashed(known=known), counts.readings)
        counts.readings = []
        held[key] = (counts, known)
    _held[tag] = held
    return out


def _release(kept: np.ndarray) -> dict[int, dict]:
    """What this worker holds (``Pool.release``), once every worker has taken its own release (the barrier: none
    takes two), and let go."""
    try:
        _barrier.wait(WAIT)
    except threading.BrokenBarrierError:  # another waited too long: what is not released is counted again
        pass
    out = {tag: _only(per_key, kept) for tag, per_key in _held.items()}
    _held.clear()
    return out


def _only(held: dict, kept: np.ndarray) -> dict:
    """The counts ``held`` (key -> (counts, their ``key_hashes``)) with the keys ``kept`` alone."""
    return {key: counts.only(kept, known=known) for key, (counts, known) in held.items()}


def _count_only(task: tuple) -> dict:
    """A chunk, ``(pairs, count, kept)``, counted again (its worker lost what it held), its keys ``kept`` alone."""
    pairs, count, kept = task
    return {key: counts.only(kept, fast=True) for key, counts in rounds.part_counts(pairs, count).items()}


def counted(groups: dict[Hashable, list[str]], count: Callable, pool: Pool,
            progress: rounds.Progress | None = None) -> Iterator[tuple]:
    """``rounds.counted`` of the first pass (``count``: ``repeats.line_counts`` keeping readings) on a holding
    ``pool``, in chunks of ``rounds.CHUNK``, queued at the call: ``(key, counts)`` per group, in the order of
    ``groups``, once every chunk is counted, the counts of the keys ``rounds.REPEATED`` articles or more carry alone,
    the readings of every article."""
    tasks = [(key, raws[i : i + rounds.CHUNK]) for key, raws in groups.items()
             for i in range(0, len(raws), rounds.CHUNK)]
    found = pool.imap(_count_held, [(tag, [(key, raw) for raw in raws], count)
                                    for tag, (key, raws) in enumerate(tasks)])
    return _gathered(tasks, count, found, pool, progress)


def _gathered(tasks: list[tuple], count: Callable, found: Iterator[dict], pool: Pool,
              progress: rounds.Progress | None) -> Iterator[tuple]:
    """``counted``'s counts of each group from the hashes ``found`` for each of its ``tasks``, then what the
    workers held."""
    parts, readings = [], []
    for done, per_key in enumerate(found, 1):
        if progress:
            progress("count", done, len(tasks))
        ((hashed, read),) = per_key.values()
        parts.append(hashed)
        readings.append(read)
    kept = rounds.repeated(hashes.added(*parts))
    del parts
    held = pool.release(kept)
    lost = [tag for tag in range(len(tasks)) if tag not in held]
    again = pool.map(_count_only, [([(tasks[t][0], raw) for raw in tasks[t][1]], count, kept) for t in lost])
    held.update(zip(lost, again, strict=True))
    key, total = None, None
    for tag, (k, _) in enumerate(tasks):
        (counts,) = held.pop(tag).values()
        counts.readings = readings[tag]
        if k != key and key is not None:
            yield key, total
            total = None
        key, total = k, counts if total is None else rounds.plus(total, counts)
    if key is not None:
        yield key, total
