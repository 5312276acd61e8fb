"""Ingest end to end: read, clean, resolve metadata, segment, store; shared by the CLI and the app.

Counting runs over the whole batch first; then each article is cleaned, resolved and segmented on its own: in the
caller's thread, the batch prepared before anything is written, or, when the caller asks for ``workers`` (the CLI
does; a server never does), on worker processes for large batches, each article stored as they hand it back, the
store's work beside theirs. Either way the batch is stored in one transaction, so a failed or killed ingest leaves
every stored corpus as it was. With a Dask cluster (``ingest_paths(cluster=...)``, ``lib/ingest/cluster.py``) the
same phases run as tasks over partitions of the input, and the batch is stored here all the same, in one
transaction, partition by partition as the cluster prepares them.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from lib import ingest, store
from lib.cleaning import clean, held, reading, rounds, template
from lib.cleaning.blocks import blocks
from lib.config import Limits
from lib.ingest import fetch, files, metadata, web
from lib.ingest.guard import Failed, guarded
from lib.text import segment

Progress = Callable[[str, int, int], None]  # (stage, done, total)
STAGES = ("read", "count", "clean", "store")  # "clean": cleaning, metadata and segments, article by article
PARALLEL_FROM = 2000  # articles; below this, worker start-up costs more than it saves
CHUNK = rounds.CHUNK  # articles per task on the pool


@dataclass
class Report:
    """What an ingest did: the new revision, counts, problems, duplicates, reprints stored as copies, warnings
    and stage timings."""

    corpus: str
    revision: int | None
    added: int
    problems: list[ingest.Problem]
    duplicates: list[tuple[str, str]]
    unmatched_manifest: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    copies: list[tuple[str, str]] = field(default_factory=list)  # (reprint, the article it reprints)
    warnings: list[ingest.Problem] = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        """One row per input that did not simply load: source, status, reason."""
        rows = [(p.source, "failed", p.reason) for p in self.problems]
        rows += [(src, "duplicate", f"same outlet and cleaned text as {other}; stored once")
                 for src, other in self.duplicates]
        rows += [(src, "copy", f"stored; another outlet's reprint of {other}") for src, other in self.copies]
        rows += [(p.source, "warning", p.reason) for p in self.warnings]
        rows += [(key, "manifest", "manifest row matches no article") for key in self.unmatched_manifest]
        return pd.DataFrame(rows, columns=["source", "status", "reason"])


def manifest_index(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Manifest rows by the key an article matches: a row's file name (its last part), else its id."""
    index = {}
    for row in rows:
        key = row.get("file") or row.get("id") or ""
        if key:
            index[PurePosixPath(key.replace("\\", "/")).name if row.get("file") else key] = row
    return index


def _prepare(item: tuple) -> tuple | Failed:
    """One article, ``(raw, given, manifest row, repeats, its sentences as counted or None, its repeated passages as
    counted or None)``, cleaned, resolved and segmented in one task: ``(text, spans, meta, segments, its words, its
    hash, CPU seconds per stage)`` (the words and the hash of the text counted here, on a worker), or ``Failed``
    naming the stage."""
    raw, given, row, found, sentences, runs = item
    out: list = []
    read: list = []  # the article's blocks, read once for cleaning and metadata

    def cleaned() -> tuple[str, list[clean.Span]]:
        read.append(blocks(raw))
        if sentences is not None:  # split while counting: sentencex reads the article once
            reading.recall(raw, read[0], sentences)
        return clean.clean(raw, found, read[0], runs)

    steps = (("clean", cleaned),
             ("metadata", lambda: metadata.resolve(raw, given, row, out[0][0], read[0])),
             ("segment", lambda: segment.split(out[0][0], out[1].get("language") or "en")))
    seconds = {}
    for stage, step in steps:
        t = time.process_time()
        result = guarded(step)
        seconds[stage] = time.process_time() - t
        if isinstance(result, Failed):
            return Failed(f"{stage} failed ({result.reason})")
        out.append(result)
    (text, spans), meta, seg = out
    return text, spans, meta, seg, store.words(text), store.text_hash(text), seconds


def _task(a: ingest.RawArticle, manifest: dict[str, dict[str, str]], found: dict,
          sentences: bytes | None = None, runs: list[tuple[int, int]] | None = None) -> tuple:
    """What ``_prepare`` takes for article ``a``: its raw text, its fields, its manifest row, the ``Repeats`` of
    its outlet (``found``, from ``template.templates``) and the sentences and repeated passages counting found in
    it, if kept."""
    return a.text, a.given, manifest.get(a.key), found[template.given(a, manifest, "outlet")], sentences, runs


def _finish(a: ingest.RawArticle, result: tuple | Failed, seconds: dict[str, float]) -> store.Article | ingest.Problem:
    """The article to store from ``_prepare``'s ``result`` (its CPU seconds added to ``seconds``), or the problem
    that names the stage it failed."""
    if isinstance(result, Failed):
        return ingest.Problem(a.source, result.reason)
    text, spans, meta, seg, words, digest, cpu = result
    for stage, value in cpu.items():
        seconds["cpu " + stage] = seconds.get("cpu " + stage, 0.0) + value
    return store.Article(a.source, a.key, a.text, text, meta, spans, seg, a.extra, words, digest)


def prepare_part(arts: list[ingest.RawArticle], manifest: dict[str, dict[str, str]],
                 found: dict) -> tuple[list[store.Article | ingest.Problem], dict[str, float]]:
    """A partition's articles each prepared here (``_prepare``: cleaned, resolved, segmented), in order: the
    article to store or its problem; and the CPU seconds of each stage. A cluster's task per partition."""
    seconds: dict[str, float] = {}
    return [_finish(a, _prepare(_task(a, manifest, found)), seconds) for a in arts], seconds


def pooled(workers: int, n: int) -> bool:
    """Whether ``n`` articles are prepared on a pool of ``workers`` processes (``prepared``)."""
    return workers > 1 and n >= PARALLEL_FROM


def cli_workers() -> int:
    """The worker processes a command-line ingest asks for: one per core, at most four."""
    return min(os.cpu_count() or 1, 4)


def worker_pool(workers: int) -> held.Pool:
    """``workers`` processes started by a fork server (``multiprocessing``'s "forkserver"), never forked from the
    caller, so they inherit none of its sockets, threads or locks; this module, and the models metadata reads, are
    loaded once, in the fork server (``fork_server``). Workers ignore SIGINT (Ctrl+C reaches every process of the
    terminal; a worker that died of it could leave the pool's queue locked): the caller stops, and ends the pool.
    They hold the first pass's counts until the keys that repeat are known (``lib/cleaning/held.py``)."""
    return held.Pool(workers, fork_server())


def fork_server() -> multiprocessing.context.BaseContext:
    """The context of the fork server ``worker_pool`` starts its workers from, the server started (if it is not) with
    ``lib/ingest/preload.py`` to load (this module, and the models each worker would load on first use): it loads
    them while the caller goes on (``ensure_running`` does not wait for it), so a caller that starts it before
    reading a batch has workers soon after counting starts."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["lib.ingest.preload"])
    multiprocessing.forkserver.ensure_running()
    return context


def prepare(batch: ingest.Batch, progress: Progress | None = None, seconds: dict[str, float] | None = None,
            workers: int = 1) -> tuple[list[store.Article], list[str], list[ingest.Problem]]:
    """The articles of ``batch`` prepared (``prepared``), all of them: the articles, the manifest keys nothing
    matched, and a problem for each article a stage failed on (the others go on)."""
    out, problems = [], []
    stream, unmatched = prepared(batch, progress, seconds, workers)
    for item in stream:
        (problems if isinstance(item, ingest.Problem) else out).append(item)
    return out, unmatched, problems


def prepared(batch: ingest.Batch, progress: Progress | None = None, seconds: dict[str, float] | None = None,
             workers: int = 1) -> tuple[Iterator[store.Article | ingest.Problem], list[str]]:
    """Count what repeats, then clean, resolve and segment each article on its own (one task per article, on a
    ``worker_pool`` of ``workers`` processes for batches of ``PARALLEL_FROM`` articles or more, else in this
    thread): the articles, or the problem of each that a stage failed on, in order, as they are prepared (counting
    starts at the first asked for; the pool is ended once the last is given, or the stream closed); and the
    manifest keys nothing matched. ``seconds`` gets the wall time of "count" and "clean" (up to the last article
    given, so with whatever the caller does with each) and the CPU time of each per-article stage ("cpu clean",
    "cpu metadata", "cpu segment")."""
    seconds = seconds if seconds is not None else {}
    manifest = manifest_index(batch.manifest)
    arts = batch.articles

    def stream() -> Iterator[store.Article | ingest.Problem]:
        pool = worker_pool(workers) if pooled(workers, len(arts)) else None
        if pool:  # the batch as read lives until the end: full collections need not walk it (the CLI's process)
            gc.freeze()
        try:
            t = time.perf_counter()
            read: dict[int, bytes] = {}  # each article's sentences, as counting found them
            runs: dict[int, list[tuple[int, int]]] = {}  # ... and its outlet's passages in it
            found = template.templates(arts, manifest, pool, progress, read, runs)
            seconds["count"] = time.perf_counter() - t
            t = time.perf_counter()
            tasks = (_task(a, manifest, found, read.pop(i, None), runs.pop(i, None))  # made as sent
                     for i, a in enumerate(arts))
            results = pool.imap(_prepare, tasks, chunksize=CHUNK // 4) if pool else map(_prepare, tasks)
            for done, (a, result) in enumerate(zip(arts, results, strict=True), 1):
                if progress and (done % CHUNK == 0 or done == len(arts)):
                    progress("clean", done, len(arts))
                yield _finish(a, result, seconds)
            seconds["clean"] = time.perf_counter() - t
        finally:
            if pool:
                pool.terminate()
                gc.unfreeze()

    used = {a.key for a in arts}
    return stream(), [k for k in manifest if k not in used]


def store_batch(conn, corpus: str, batch: ingest.Batch, replace: bool = False, created_by: str = "",
                progress: Progress | None = None, seconds: dict[str, float] | None = None, workers: int = 1) -> Report:
    """Prepare (``prepare``, with up to ``workers`` processes) and store a batch that has been read (``stored``)."""
    seconds = seconds if seconds is not None else {}
    articles, unmatched = prepared(batch, progress, seconds, workers)
    with contextlib.closing(articles):  # the pool ended, should the store fail
        if not pooled(workers, len(batch.articles)):  # nothing would run beside the store: the write lock waits
            articles = iter(list(articles))
        return stored(conn, corpus, batch, articles, unmatched, [], replace, created_by, progress, seconds)


def stored(conn, corpus: str, batch: ingest.Batch, articles: Iterable[store.Article | ingest.Problem],
           unmatched: list[str], failed: list[ingest.Problem], replace: bool = False, created_by: str = "",
           progress: Progress | None = None, seconds: dict[str, float] | None = None) -> Report:
    """Store prepared ``articles`` in one transaction (``store.save``, which takes them as they come) and report:
    ``batch``'s problems, then the articles that failed (``failed``, and any problem among ``articles``), then
    those with no text left after cleaning or that the store refused; ``batch``'s warnings and those of its
    manifest rows; ``unmatched`` manifest keys."""
    seconds = seconds if seconds is not None else {}
    failed, empty, waited = list(failed), [], 0.0  # waited: seconds spent waiting for ``articles``

    def kept() -> Iterator[store.Article]:
        nonlocal waited
        items = iter(articles)
        while True:
            t = time.perf_counter()
            item = next(items, None)
            waited += time.perf_counter() - t
            if item is None:
                break
            if isinstance(item, ingest.Problem):
                failed.append(item)
            elif item.text.strip():
                yield item
            else:
                empty.append(ingest.Problem(item.source_file, "no text left after cleaning"))
        if progress:
            progress("store", 0, 1)

    t = time.perf_counter()
    keep = kept()
    first = next(keep, None)
    if first is not None or replace:
        result = store.save(conn, corpus, itertools.chain([] if first is None else [first], keep), replace=replace,
                            created_by=created_by)
        revision, added, duplicates, copies = result.revision or None, result.added, result.duplicates, result.copies
        refused = [ingest.Problem(source, reason) for source, reason in result.failed]
    else:
        revision, added, duplicates, copies, refused = None, 0, [], [], []
    if progress:
        progress("store", 1, 1)
    seconds["store"] = time.perf_counter() - t - waited
    problems = list(batch.problems) + failed + empty + refused
    warnings = batch.warnings + [ingest.Problem(f"manifest row {key}", reason)
                                 for key, reason in metadata.manifest_warnings(batch.manifest)]
    return Report(corpus, revision, added, problems, duplicates, unmatched, seconds, copies, warnings)


def manifest_file(manifest: Path | str, limits: Limits | None = None) -> ingest.Batch:
    """The rows of a manifest file given apart from the inputs, or the problem that names why it cannot be read."""
    try:
        data = files.read_regular_file(manifest, (limits or Limits.from_env()).max_file_bytes)
        return ingest.Batch(manifest=ingest.read_manifest(str(manifest), ingest.decode(data)))
    except (OSError, ingest.BadInput) as exc:
        return ingest.Batch(problems=[ingest.Problem(str(manifest), str(getattr(exc, "strerror", None) or exc))])


def ingest_paths(conn, corpus: str, paths: list[Path | str], manifest: Path | str | None = None,
                 replace: bool = False, overrides: dict[str, str] | None = None, limits: Limits | None = None,
                 created_by: str = "", progress: Progress | None = None, fetcher: fetch.Fetcher | None = None,
                 refresh: bool = False, workers: int = 1, cluster: str | None = None,
                 partition_size: int | None = None) -> Report:
    """Read files, folders and zips (plus an optional manifest file) and store them in ``corpus`` (``store_batch``,
    with up to ``workers`` processes, their ``fork_server`` started before the read). With a ``fetcher``, a path that
    is an http(s) address is a page or a feed to fetch, and a file that lists links (``web.url_list``) the pages it
    links to (``refresh``: fetched again though in the cache). With a ``cluster`` (a Dask scheduler's address, or
    "local:N"), files and folders are read and prepared there (``lib/ingest/cluster.py``, partitions of
    ``partition_size`` articles) and stored here."""
    if cluster is not None:
        return _on_cluster(conn, corpus, paths, manifest, replace, overrides, limits, created_by, progress, cluster,
                           partition_size)
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    if workers > 1:  # the fork server loads its modules while the batch is read
        fork_server()
    if progress:
        progress("read", 0, 1)
    links = [str(p) for p in paths if web.LINK.match(str(p))]
    batch = ingest.read_paths([p for p in paths if str(p) not in links], limits, overrides)
    fetched = (lambda done, total: progress("fetch", done, total)) if progress else None
    batch.articles.extend(ingest.RawArticle(link, link, link) for link in links)  # a list of one link: fetched
    batch = web.expand_links(batch, fetcher, refresh, fetched)
    if manifest is not None:
        batch.extend(manifest_file(manifest, limits))
    seconds["read"] = time.perf_counter() - t
    return store_batch(conn, corpus, batch, replace, created_by, progress, seconds, workers)


def _on_cluster(conn, corpus: str, paths: list[Path | str], manifest: Path | str | None, replace: bool,
                overrides: dict[str, str] | None, limits: Limits | None, created_by: str, progress: Progress | None,
                address: str, partition_size: int | None) -> Report:
    """``ingest_paths`` on a Dask cluster (``cluster.prepare_paths``); an http(s) address is a problem: pages and
    feeds are fetched without one."""
    from lib import cluster as dask_cluster  # imported on this path only, and Dask (the scale extra) with it
    from lib.ingest import cluster

    seconds: dict[str, float] = {}
    limits = limits or Limits.from_env()
    links = [str(p) for p in paths if web.LINK.match(str(p))]
    extra = manifest_file(manifest, limits) if manifest is not None else ingest.Batch()
    with dask_cluster.connect(address) as client:
        batch, articles, unmatched = cluster.prepare_paths(
            client, [p for p in paths if str(p) not in links], limits, overrides, extra.manifest,
            cluster.PARTITION if partition_size is None else partition_size, progress, seconds)
        batch.problems += [ingest.Problem(link, "fetched only without --cluster") for link in links]
        batch.problems += extra.problems
        return stored(conn, corpus, batch, articles, unmatched, [], replace, created_by, progress, seconds)
