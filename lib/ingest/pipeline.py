"""Ingest end to end: read, clean, resolve metadata, segment, store; shared by the CLI and the app.

Each stage runs over the whole batch before anything is written: in the caller's thread, or, when the caller
asks for ``workers`` (the CLI does; a server never does), on worker processes for large batches;
the batch is then stored in one transaction, so a failed or killed ingest leaves every stored
corpus as it was.
"""

from __future__ import annotations

import dataclasses
import functools
import multiprocessing
import multiprocessing.pool
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from lib import ingest, store
from lib.cleaning import clean, repeats
from lib.config import Limits
from lib.ingest import files, metadata
from lib.text import segment

Progress = Callable[[str, int, int], None]  # (stage, done, total)
STAGES = ("read", "count", "clean", "store")  # "clean": cleaning, metadata and segments, article by article
PARALLEL_FROM = 2000  # articles; below this, worker start-up costs more than it saves
CHUNK = 500


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


@dataclass(frozen=True)
class Failed:
    """An article a stage could not process: the reason, for the report."""

    reason: str


def guarded(func: Callable, *args):
    """``func(*args)``, or ``Failed`` with the reason for anything it raises but an interrupt or an exit: native
    extensions' panics (pyo3's ``PanicException``) derive from ``BaseException``, and one article must never take
    a batch (or a pool worker) down."""
    try:
        return func(*args)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: B036
        return Failed(f"{type(exc).__name__}: {str(exc)[:200]}")


def _tolerant(count: Callable[[list[str]], tuple | Counter], raws: list[str]):
    """``count(raws)``; should one article make it fail, the articles counted one by one and the failing ones
    left out (cleaning then reports them): the corpus's statistics never depend on one article."""
    out = guarded(count, raws)
    if not isinstance(out, Failed):
        return out
    total = None
    for part in (guarded(count, [raw]) for raw in raws):
        if not isinstance(part, Failed):
            total = _plus(total, part)
    return count([]) if total is None else total


def _manifest_index(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    index = {}
    for row in rows:
        key = row.get("file") or row.get("id") or ""
        if key:
            index[PurePosixPath(key.replace("\\", "/")).name if row.get("file") else key] = row
    return index


def _prepare(item: tuple) -> tuple | Failed:
    """One article, ``(raw, given, manifest row, repeats)``, cleaned, resolved and segmented in one task:
    ``(text, spans, meta, segments, CPU seconds per stage)``, or ``Failed`` naming the stage."""
    raw, given, row, found = item
    out: list = []
    steps = (("clean", lambda: clean.clean(raw, found)),
             ("metadata", lambda: metadata.resolve(raw, given, row, out[0][0])),
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
    return text, spans, meta, seg, seconds


def _count(task: tuple) -> tuple:
    """One counting task, ``(key, count, raws)``: ``(key, count(raws))`` (``_tolerant``), for the pool."""
    key, count, raws = task
    return key, _tolerant(count, raws)


def _plus(total, part):
    """Counts of two parts of a corpus added up: Counters, or ``line_counts`` tuples (Counters and a number)."""
    if total is None:
        total = Counter() if isinstance(part, Counter) else (*(Counter() for _ in part[:-1]), 0)
    if isinstance(total, Counter):
        total.update(part)
        return total
    for counter, more in zip(total[:-1], part[:-1], strict=True):
        counter.update(more)
    return (*total[:-1], total[-1] + part[-1])


def _counted(groups: dict, count: Callable | dict, pool, progress: Progress | None = None) -> Iterator[tuple]:
    """``count`` (one function, or one per key) over each group of raw texts, in chunks of ``CHUNK``, every
    group's chunks in one round on the pool (when given): ``(key, counts)`` per group, in the groups' order, each
    as soon as its chunks are counted and added up."""
    tasks = [(key, count[key] if isinstance(count, dict) else count, raws[i : i + CHUNK])
             for key, raws in groups.items() for i in range(0, len(raws), CHUNK)]
    key, total = None, None
    for done, (k, part) in enumerate((pool.imap if pool else map)(_count, tasks), 1):
        if progress:
            progress("count", done, len(tasks))
        if k != key and key is not None:
            yield key, total
            total = None
        key, total = k, _plus(total, part)
    if key is not None:
        yield key, total


def _pruned(counts: repeats.Counts) -> repeats.Counts:
    """What an outlet's template is found from (``repeats.site_repeats``, ``label_candidates``, ``captioned``) and
    whether what repeats is its own: its ``line_counts`` of ``repeats.SITE_MIN`` or more (lines, sentences and
    openings: two or more), and the number of its articles with link cards."""
    *counters, n = counts
    kept = [Counter({k: c for k, c in counter.items() if c >= (2 if i in (0, 2, 3) else repeats.SITE_MIN)})
            for i, counter in enumerate(counters)]
    kept[5][repeats.CARD] = counters[5][repeats.CARD]
    return (*kept, n)


def _given(a: ingest.RawArticle, manifest: dict[str, dict[str, str]], field_name: str) -> str:
    """A field the article's file or its manifest row gives (the manifest wins), stripped; "" if none."""
    row = manifest.get(a.key) or {}
    return (row.get(field_name) or a.given.get(field_name) or "").strip()


def _outlet(a: ingest.RawArticle, manifest: dict[str, dict[str, str]]) -> str:
    """The outlet the file or manifest names, as it will be stored (``metadata.site_name``: "www.CNN.com" is
    "cnn.com"), so that an outlet's template is counted over all of its articles."""
    return metadata.site_name(_given(a, manifest, "outlet"))


def _repeats(arts: list[ingest.RawArticle], manifest: dict[str, dict[str, str]], pool,
             progress: Progress | None = None) -> dict[str, repeats.Repeats]:
    """What each outlet's articles are cleaned by: what repeats across the batch (``repeats.corpus_repeats``),
    every outlet's template (``repeats.site_repeats``, for the outlets the files or the manifest name) and the
    template of each author the files or the manifest name in ten or more of an outlet's articles (a
    columnist's sign-off: ``repeats.AUTHOR_SHARE`` of their articles), each author's articles counted once;
    but an outlet's closing labels (``repeats.tail``), its captions opened by a credit (``repeats.captioned``) and
    the passages it repeats (``repeats.site_passages``) clean its own articles only: "… the hill" closes The Flip
    Side's credits ("Stephen Moore, The Hill") and The Hill's "Dean told The Hill." A repeated line or sentence
    that the articles of one named outlet alone carry (``Repeats.solo``) is not what several outlets share; one
    that ten or more articles of one outlet carry (``repeats.SITE_MIN``: more than one story's updates) is that
    outlet's template (``Repeats.templates``), never news, whoever else reprints it. Outlets are counted as they
    will be stored (``metadata.site_name``); the result is keyed by the outlet as the file or manifest names it
    ("" for the articles that name none)."""
    groups: dict[tuple[str, str], list[str]] = {}  # (outlet, author or "") -> raw texts
    for a in arts:
        outlet = _outlet(a, manifest)
        groups.setdefault((outlet, _given(a, manifest, "byline") if outlet else ""), []).append(a.text)
    for outlet, author in [k for k, raws in groups.items() if k[1] and len(raws) < repeats.SITE_MIN]:
        groups.setdefault((outlet, ""), []).extend(groups.pop((outlet, author)))  # counted with the outlet's others
    groups = dict(sorted(groups.items()))  # an outlet's groups one after the other
    outlets: dict[str, list[str]] = {}
    for (outlet, _), raws in groups.items():
        outlets.setdefault(outlet, []).extend(raws)

    # one round over every group: the corpus's counts, each author's template, each outlet's template counts
    last = {outlet: (outlet, author) for outlet, author in groups}  # the last group of each outlet
    sites, total, site_counts, running = repeats.Repeats(), None, {}, None
    for (outlet, author), counts in _counted(groups, repeats.line_counts, pool, progress):
        total = _plus(total, (*counts[:4], Counter(), Counter(), counts[6]))  # the corpus needs no shapes or heads
        if author:
            sites |= repeats.site_repeats(counts, share=repeats.AUTHOR_SHARE)
        if outlet:
            running = _plus(running, counts)
            if last[outlet] == (outlet, author):
                site_counts[outlet], running = _pruned(running), None
    total = total or repeats.line_counts([])  # an empty batch
    named = {o: raws for o, raws in outlets.items() if o}
    passages = {o: repeats.site_passages(c, len(named[o])) for o, c in _counted(
        {o: raws for o, raws in named.items() if len(raws) >= repeats.SITE_MIN}, repeats.passage_counts, pool)}
    candidates = {o: repeats.label_candidates(site_counts[o]) for o in named}
    used = dict(_counted({o: raws for o, raws in named.items() if candidates[o]},
                         {o: functools.partial(repeats.usage_counts, words=w) for o, w in candidates.items()}, pool))
    site = {o: repeats.site_repeats(site_counts[o], used.get(o)) for o in named}
    words = {o: repeats.name_words(site[o].labels) for o in named}
    cased = dict(_counted({o: raws for o, raws in named.items() if words[o]},
                          {o: functools.partial(repeats.case_counts, words=w) for o, w in words.items()}, pool))

    own: dict[str, frozenset[str]] = {}  # outlet -> the labels that clean its articles only
    most = Counter(), Counter(), Counter()  # line, sentence, opening -> the most articles of one outlet it is in
    for outlet in named:
        counts = site_counts[outlet]
        own[outlet] = frozenset(k for k in site[outlet].labels if k.startswith(repeats.TAIL)) | (
            {repeats.CAPTIONS} if repeats.captioned(counts) else set())
        sites |= dataclasses.replace(site[outlet], labels=site[outlet].labels - own[outlet],
                                     names=repeats.name_labels(site[outlet].labels, cased.get(outlet, Counter())))
        for top, part in zip(most, (counts[0], counts[2], counts[3]), strict=True):
            for k, c in part.items():
                top[k] = max(top[k], c)
    found = repeats.corpus_repeats(counts=total) | sites
    solo = frozenset(k for keys, top, all_ in ((found.lines, most[0], total[0]), (found.sentences, most[1], total[2]),
                                               (found.openings, most[2], total[3]))
                     for k in keys if top[k] == all_[k])  # what one named outlet's articles alone repeat
    templates = frozenset(k for keys, top in ((found.lines, most[0]), (found.sentences, most[1]),
                                              (found.openings, most[2])) for k in keys if top[k] >= repeats.SITE_MIN)
    cleaned_by = {outlet: dataclasses.replace(found, labels=found.labels | own.get(outlet, frozenset()),
                                              passages=passages.get(outlet, frozenset()), templates=templates,
                                              solo=solo, by_outlet=bool(outlet))
                  for outlet in outlets}
    return {name: cleaned_by[metadata.site_name(name)] for name in {_given(a, manifest, "outlet") for a in arts}}


def _map(stage: str, func: Callable, items: list, progress: Progress | None, pool) -> list:
    """``func`` over ``items`` in chunks (on the pool when given), reporting progress per chunk."""
    out: list = []
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    results = pool.imap(func, items, chunksize=CHUNK // 4) if pool else None
    for chunk in chunks:
        out += [next(results) for _ in chunk] if results else [func(x) for x in chunk]
        if progress:
            progress(stage, len(out), len(items))
    return out


def cli_workers() -> int:
    """The worker processes a command-line ingest asks for: one per core, at most four."""
    return min(os.cpu_count() or 1, 4)


def worker_pool(workers: int) -> multiprocessing.pool.Pool:
    """``workers`` processes started by a fork server (``multiprocessing``'s "forkserver"), never forked from the
    caller, so they inherit none of its sockets, threads or locks; this module is loaded once, in the fork server.
    Workers ignore SIGINT (Ctrl+C reaches every process of the terminal; a worker that died of it could leave
    the pool's queue locked): the caller stops, and ends the pool."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context.Pool(workers, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))


def prepare(batch: ingest.Batch, progress: Progress | None = None, seconds: dict[str, float] | None = None,
            workers: int = 1) -> tuple[list[store.Article], list[str], list[ingest.Problem]]:
    """Count what repeats, then clean, resolve and segment each article on its own (one task per article, on a
    ``worker_pool`` of ``workers`` processes for batches of ``PARALLEL_FROM`` articles or more, else in this
    thread): returns the articles, the manifest keys nothing matched, and a problem for each article a stage
    failed on (the others go on). ``seconds`` gets the wall time of "count" and "clean" and the CPU time of each
    per-article stage ("cpu clean", "cpu metadata", "cpu segment")."""
    seconds = seconds if seconds is not None else {}
    manifest = _manifest_index(batch.manifest)
    arts = batch.articles
    pool = worker_pool(workers) if workers > 1 and len(arts) >= PARALLEL_FROM else None
    try:
        t = time.perf_counter()
        found = _repeats(arts, manifest, pool, progress)
        seconds["count"] = time.perf_counter() - t
        t = time.perf_counter()
        done = _map("clean", _prepare, [(a.text, a.given, manifest.get(a.key), found[_given(a, manifest, "outlet")])
                                        for a in arts], progress, pool)
        seconds["clean"] = time.perf_counter() - t
    finally:
        if pool:
            pool.terminate()
    out, problems = [], []
    for a, result in zip(arts, done, strict=True):
        if isinstance(result, Failed):
            problems.append(ingest.Problem(a.source, result.reason))
            continue
        text, spans, meta, seg, cpu = result
        out.append(store.Article(a.source, a.key, a.text, text, meta, spans, seg, a.extra))
        for stage, value in cpu.items():
            seconds["cpu " + stage] = seconds.get("cpu " + stage, 0.0) + value
    used = {a.key for a in arts}
    return out, [k for k in manifest if k not in used], problems


def store_batch(conn, corpus: str, batch: ingest.Batch, replace: bool = False, created_by: str = "",
                progress: Progress | None = None, seconds: dict[str, float] | None = None, workers: int = 1) -> Report:
    """Prepare (``prepare``, with up to ``workers`` processes) and store a batch that has been read; empty-text
    articles become problems."""
    seconds = seconds if seconds is not None else {}
    articles, unmatched, failed = prepare(batch, progress, seconds, workers)
    problems = list(batch.problems) + failed
    keep = []
    for art in articles:
        if art.text.strip():
            keep.append(art)
        else:
            problems.append(ingest.Problem(art.source_file, "no text left after cleaning"))
    t = time.perf_counter()
    if progress:
        progress("store", 0, 1)
    if keep or replace:
        result = store.save(conn, corpus, keep, replace=replace, created_by=created_by)
        revision, added, duplicates, copies = result.revision or None, result.added, result.duplicates, result.copies
        problems += [ingest.Problem(source, reason) for source, reason in result.failed]
    else:
        revision, added, duplicates, copies = None, 0, [], []
    if progress:
        progress("store", 1, 1)
    seconds["store"] = time.perf_counter() - t
    warnings = batch.warnings + [ingest.Problem(f"manifest row {key}", reason)
                                 for key, reason in metadata.manifest_warnings(batch.manifest)]
    return Report(corpus, revision, added, problems, duplicates, unmatched, seconds, copies, warnings)


def ingest_paths(conn, corpus: str, paths: list[Path | str], manifest: Path | str | None = None,
                 replace: bool = False, overrides: dict[str, str] | None = None, limits: Limits | None = None,
                 created_by: str = "", progress: Progress | None = None, workers: int = 1) -> Report:
    """Read files, folders and zips (plus an optional manifest file) and store them in ``corpus`` (``store_batch``,
    with up to ``workers`` processes)."""
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    if progress:
        progress("read", 0, 1)
    batch = ingest.read_paths(paths, limits, overrides)
    if manifest is not None:
        try:
            data = files.read_regular_file(manifest, (limits or Limits.from_env()).max_file_bytes)
            batch.manifest += ingest.read_manifest(str(manifest), ingest.decode(data))
        except (OSError, ingest.BadInput) as exc:
            batch.problems.append(ingest.Problem(str(manifest), str(getattr(exc, "strerror", None) or exc)))
    seconds["read"] = time.perf_counter() - t
    return store_batch(conn, corpus, batch, replace, created_by, progress, seconds, workers)
