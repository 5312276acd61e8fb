"""Ingest on a Dask cluster (``dask.distributed``): the single-machine pipeline's phases as tasks over partitions.

The workers read the input files (``paths.listing`` is made here, ``paths.read_file`` runs there), cut the articles
into partitions of ``partition_size``, count each pass of ``template.templates`` per partition
(``rounds.part_counts``), add the counts up by a tree reduction on the workers (``rounds.merged``; the first
pass's keys of one article left out first: ``rounds.repeated``), decide what cleans each outlet there
(``template.lines``, ``outlet_templates``, ``decide``) and prepare each partition's articles
(``pipeline.prepare_part``); only the prepared articles come back here, partition by partition, to be stored as
they come in one SQLite transaction, as on one machine. Each partition's data is a task's result,
computed from the files, so a worker lost mid-run is recomputed by Dask from the files rather than lost. The
client comes from ``lib.cluster.connect``; Dask (the optional ``scale`` extra) is imported there and in the
functions here that wait on its futures, never on the core path. Settings and measurements: docs/cluster.md.
"""

from __future__ import annotations

import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator

from lib import cluster, ingest, store
from lib.cleaning import repeats, rounds, template
from lib.config import Limits
from lib.ingest import paths, pipeline, web
from lib.text import hashes

PARTITION = 500  # articles per partition: rounds.CHUNK, the single machine's counting task
FILES_PER_READ = 256  # files per reading task (a folder of many small files)
AHEAD = 2  # partitions per worker prepared ahead of the one being stored
SLICES = 4  # ranges of the hash per worker that the passage counts are added up in, each by its own tree


def _read(files: list[tuple[str, str]], limits: Limits, overrides: dict[str, str] | None) -> tuple[list, list]:
    """A reading task: ``files`` (path, name) read in order (``paths.read_file``), a list of links among their
    articles left out as a problem (fetching runs without ``--cluster``): the articles, and per file its outline
    (articles read, articles kept, problems, warnings, manifest rows, link problems)."""
    articles, outlines = [], []
    for file, name in files:
        read = paths.read_file(file, name, limits, overrides)
        links = web.expand_links(ingest.Batch(articles=read.articles), None)
        articles += links.articles
        outlines.append((len(read.articles), len(links.articles), read.problems, read.warnings, read.manifest,
                         links.problems))
    return articles, outlines


def _outlines(read: tuple[list, list]) -> list:
    return read[1]


def _part(reads: list[tuple[list, list]], bounds: list[tuple[int, int]]) -> list[ingest.RawArticle]:
    """A partition: the articles ``bounds`` cut from each of ``reads``."""
    return [a for (articles, _), (start, end) in zip(reads, bounds, strict=True) for a in articles[start:end]]


def _total(*counts: Counter) -> Counter:
    """Censuses of partitions added up into a new one."""
    out: Counter = Counter()
    for c in counts:
        out.update(c)
    return out


def _counts(part: list[ingest.RawArticle], manifest: dict, the_plan: template.Plan, count: Callable | dict,
            by_outlet: bool) -> dict:
    """One pass's counts of a partition: ``rounds.part_counts`` by group, or by outlet (``by_outlet``)."""
    return rounds.part_counts(template.keyed(part, manifest, the_plan, by_outlet), count)


def _lines(per_group: dict) -> template.Lines:
    return template.lines(sorted(per_group.items()))


def _passages(per_outlet: dict, the_plan: template.Plan) -> dict:
    return template.outlet_passages(per_outlet.items(), the_plan)


def _slice(per_outlet: dict, i: int, slices: int) -> dict:
    """A partition's passage counts of the ``i``-th of ``slices`` ranges of the hash (``HashCounts.sliced``)."""
    return {o: counts.sliced(slices)[i] for o, counts in per_outlet.items()}


def _united(*found: dict) -> dict:
    """Each outlet's passages found in each range of the hash, together."""
    return {o: frozenset().union(*(f[o] for f in found if o in f)) for o in {o for f in found for o in f}}


def _tree(client, func: Callable, futures: list):
    """``func`` over the partitions' ``futures`` by a tree reduction on the workers (``lib.cluster.tree``): one
    future. Those of one worker (every ``ways``-th, as ``_each`` deals them) are added up first, where they are, so
    that only the workers' sums move."""
    ways = max(1, len(client.scheduler_info()["workers"]))
    return cluster.tree(client, func, [cluster.tree(client, func, futures[k::ways]) for k in range(ways)
                                       if futures[k::ways]])


def _reads(client, inputs: list, limits: Limits, overrides: dict[str, str] | None, batch: ingest.Batch,
           progress: Callable | None) -> tuple[list, list[int]]:
    """Read ``inputs`` (``paths.listing``) on the workers: the futures of the reading tasks and how many articles
    each holds. ``batch`` gets the problems, warnings and manifest rows in ``paths.read_paths``'s order, and the
    problems of the lists of links after them (as ``web.expand_links`` puts them)."""
    tasks = [f for entry in inputs if isinstance(entry, paths.Listed) for f in entry.files]
    chunks = [tasks[i : i + FILES_PER_READ] for i in range(0, len(tasks), FILES_PER_READ)]
    reads = [client.submit(_read, [(os.path.abspath(f), name) for f, name in chunk], limits, overrides,
                           pure=False) for chunk in chunks]  # absolute: a worker's working folder is not this one
    outlines = []
    for done, future in enumerate(reads, 1):
        outlines += client.submit(_outlines, future).result()
        if progress:
            progress("read", done, len(reads))
    links, sizes, at = [], [0] * len(reads), 0
    for entry in inputs:
        if isinstance(entry, ingest.Problem):
            batch.problems.append(entry)
            continue
        found = False
        for _ in entry.files:
            read, n, problems, warnings, manifest, linked = outlines[at]
            sizes[at // FILES_PER_READ] += n
            batch.problems += problems
            batch.warnings += warnings
            batch.manifest += manifest
            links += linked
            found |= bool(read or problems or manifest)
            at += 1
        if entry.whole and not found:
            batch.problems.append(ingest.Problem(entry.path, "no files to read (hidden files are skipped)"))
    batch.problems += links
    return reads, sizes


def _partitions(client, reads: list, sizes: list[int], size: int) -> list:
    """The futures of partitions of ``size`` articles cut, in order, from the reading tasks' articles, the
    partitions dealt to the workers in turn (a loose restriction: another worker takes one whose worker is lost);
    else they would all stay where one large file was read, and so would every task that counts or cleans them."""
    cuts, current, room = [], [], size
    for future, n in zip(reads, sizes, strict=True):
        start = 0
        while start < n:
            end = min(n, start + room)
            current.append((future, (start, end)))
            room, start = room - (end - start), end
            if room == 0:
                cuts.append(current)
                current, room = [], size
    cuts += [current] if current else []
    return _each(client, _part, [([f for f, _ in cut], [b for _, b in cut]) for cut in cuts])


def _each(client, func: Callable, args: list[tuple], *shared, start: int = 0) -> list:
    """``func(*args[i], *shared)`` for each partition ``start + i`` on that-th worker in turn, as its partition was
    (``_partitions``): Dask would rather run every task where a large shared input (the decision) is than move it
    once to each worker. A loose restriction: another worker takes the task when that one is lost."""
    workers = sorted(client.scheduler_info()["workers"])
    if not workers:  # none has joined the scheduler yet: wherever they come
        return [client.submit(func, *a, *shared) for a in args]
    return [client.submit(func, *a, *shared, workers=[workers[(start + i) % len(workers)]], allow_other_workers=True)
            for i, a in enumerate(args)]


def _decision(client, parts: list, manifest, progress: Callable | None):
    """What cleans each outlet (``template.decide``), decided on the workers from the partitions' counts, each pass
    added up by ``_tree``: the future of ``template.templates``'s result."""
    census = _tree(client, _total, _each(client, template.census, [(p,) for p in parts], manifest))
    plan = client.submit(template.plan, census)

    def count(counter, by_outlet: bool) -> list:
        return _each(client, _counts, [(p,) for p in parts], manifest, plan, counter, by_outlet)

    def total(partial: list):
        return _tree(client, rounds.merged, partial)

    # the first pass's keys of one article are left out before the counts meet (rounds.only): the counts of
    # every distinct line and sentence of the batch would not fit one worker
    from dask.distributed import as_completed, wait

    first = count(repeats.line_counts, False)
    kept = client.submit(rounds.repeated, _tree(client, hashes.added, _each(client, rounds.hashed,
                                                                               [(c,) for c in first])))
    filtered = _each(client, rounds.only, [(c,) for c in first], kept)
    for done, _ in enumerate(as_completed(first), 1):
        if progress:
            progress("count", done, len(first))
    del first  # held by the tasks that read them until they have run
    wait(filtered)  # the full counts let go before the next passes count: their memory given back
    cluster.trim(client)
    found = client.submit(_lines, total(filtered))
    # every 12-word shingle of every outlet, added up by range of the hash, so that no task holds them all
    slices = SLICES * max(1, len(client.scheduler_info()["workers"]))
    shingles = count(client.submit(template.passage_counters, plan), True)
    passages = client.submit(_united, *[client.submit(_passages, total([client.submit(_slice, c, i, slices)
                                                                        for c in shingles]), plan)
                                        for i in range(slices)])
    used = total(count(client.submit(template.usage_counters, found), True))
    site = client.submit(template.outlet_templates, found, used)
    cased = total(count(client.submit(template.case_counters, site), True))
    return client.submit(template.decide, plan, found, site, passages, cased)


def prepare_paths(client, inputs: list, limits: Limits | None = None, overrides: dict[str, str] | None = None,
                  manifest_rows: list[dict[str, str]] | None = None, partition_size: int = PARTITION,
                  progress: Callable | None = None, seconds: dict[str, float] | None = None
                  ) -> tuple[ingest.Batch, Iterator[store.Article | ingest.Problem], list[str]]:
    """Read, count, clean, resolve and segment the files and folders ``inputs`` on ``client``'s cluster, as
    ``pipeline.prepare`` does on one machine: the batch (its problems, warnings and manifest rows, those of
    ``manifest_rows`` last; no articles), the prepared articles in the inputs' order (a problem in place of each
    article a stage failed on), and the manifest keys nothing matched. The articles come partition by partition
    while the client keeps ``client`` open (``_stream``), so that neither the workers nor this process ever hold
    them all. ``seconds`` gets the wall time of "read", "count", "clean" (up to the last partition received,
    storing included when the caller stores as they come) and the CPU time of each per-article stage."""
    from dask.distributed import wait

    if partition_size < 1:
        raise ValueError(f"--partition-size {partition_size}: a partition holds one article or more")
    seconds = seconds if seconds is not None else {}
    limits = limits or Limits.from_env()
    batch = ingest.Batch()
    t = time.perf_counter()
    reads, sizes = _reads(client, paths.listing(inputs, limits), limits, overrides, batch, progress)
    batch.manifest += manifest_rows or []
    seconds["read"] = time.perf_counter() - t
    index = pipeline.manifest_index(batch.manifest)
    if not sum(sizes):
        return batch, iter(()), list(index)
    t = time.perf_counter()
    # the manifest as a task's result, not scattered data: recomputed, not lost, with a worker
    manifest = client.submit(pipeline.manifest_index, batch.manifest)
    parts = _partitions(client, reads, sizes, partition_size)
    # a worker that cuts a partition from a reading task fetches its whole result (a large file: all its articles);
    # once every partition is cut, the results are let go (recomputed from the files if a partition is lost) and
    # the memory they took is given back
    wait(parts)
    del reads
    cluster.trim(client)
    keys = {k for part in client.gather(_each(client, _keys, [(p,) for p in parts])) for k in part}
    decided = _decision(client, parts, manifest, progress)
    wait(decided)
    cluster.trim(client)  # the counts' reductions are done and let go
    seconds["count"] = time.perf_counter() - t
    prepared = _stream(client, parts, manifest, decided, sum(sizes), partition_size, progress, seconds)
    return batch, prepared, [k for k in index if k not in keys]


def _stream(client, parts: list, manifest, decided, total: int, partition_size: int, progress: Callable | None,
            seconds: dict[str, float]) -> Iterator[store.Article | ingest.Problem]:
    """The partitions' articles prepared (``pipeline.prepare_part``; a problem in place of an article a stage failed
    on), in order: ``AHEAD`` partitions per worker are prepared while the caller stores the one before them, and
    each is let go once its articles are here, so that neither the workers nor this process hold the corpus
    prepared (with every partition submitted at once, the workers ran them in any order while this process waited
    for the first, and held the rest)."""
    t, done = time.perf_counter(), 0
    ahead = AHEAD * max(1, len(client.scheduler_info()["workers"]))
    queue: deque = deque()

    def next_part() -> list:
        nonlocal done
        items, cpu = queue.popleft().result()
        for stage, value in cpu.items():  # "cpu clean", "cpu metadata", "cpu segment"
            seconds[stage] = seconds.get(stage, 0.0) + value
        done += 1
        if progress:
            progress("clean", min(done * partition_size, total), total)
        return items

    for i, part in enumerate(parts):
        queue += _each(client, pipeline.prepare_part, [(part,)], manifest, decided, start=i)
        parts[i] = None  # the task holds it until it has run
        if len(queue) > ahead:
            yield from next_part()
    while queue:
        yield from next_part()
    cluster.trim(client)
    seconds["clean"] = time.perf_counter() - t


def _keys(part: list[ingest.RawArticle]) -> list[str]:
    return [a.key for a in part]
