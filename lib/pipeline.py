"""Ingest end to end: read, clean, resolve metadata, segment, store; shared by the CLI and the app.

Each stage runs over the whole batch (on every core for large batches) before anything is written;
the batch is then stored in one transaction, so a failed or killed ingest leaves every stored
corpus as it was.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from lib import clean, forks, ingest, metadata, repeats, segment, store
from lib.config import Limits

Progress = Callable[[str, int, int], None]  # (stage, done, total)
STAGES = ("read", "clean", "metadata", "segment", "store")
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


def guarded(func: Callable, item):
    """``func(item)``, or ``Failed`` with the reason for anything it raises but an interrupt or an exit: native
    extensions' panics (pyo3's ``PanicException``) derive from ``BaseException``, and one article must never take
    a batch (or a pool worker) down."""
    try:
        return func(item)
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
    parts = [p for p in (guarded(count, [raw]) for raw in raws) if not isinstance(p, Failed)]
    if not parts:
        return count([])
    if isinstance(parts[0], Counter):
        return sum(parts, Counter())
    *counters, _ = parts[0]
    total = [Counter() for _ in counters]
    for *cs, _ in parts:
        for acc, c in zip(total, cs, strict=True):
            acc.update(c)
    return *total, sum(p[-1] for p in parts)


def _manifest_index(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    index = {}
    for row in rows:
        key = row.get("file") or row.get("id") or ""
        if key:
            index[PurePosixPath(key.replace("\\", "/")).name if row.get("file") else key] = row
    return index


def _clean(args: tuple[str, repeats.Repeats]) -> tuple[str, list[clean.Span]] | Failed:
    return guarded(lambda a: clean.clean(*a), args)


def _resolve(args: tuple) -> dict[str, str] | Failed:
    return guarded(lambda a: metadata.resolve(*a), args)


def _split(args: tuple[str, str]) -> segment.Segments | Failed:
    return guarded(lambda a: segment.split(*a), args)


def _line_counts(raws: list[str], pool) -> repeats.Counts:
    """``repeats.line_counts`` of the batch, chunks counted (on the pool when given) and added up."""
    counters, n = (Counter(), Counter(), Counter(), Counter(), Counter(), Counter()), 0
    chunks = [raws[i : i + CHUNK] for i in range(0, len(raws), CHUNK)]
    for *parts, count in (pool.imap_unordered if pool else map)(functools.partial(_tolerant, repeats.line_counts),
                                                                 chunks):
        for counter, part in zip(counters, parts, strict=True):
            counter.update(part)
        n += count
    return *counters, n


def _counts(count: Callable[..., Counter], raws: list[str], words: frozenset[str], pool) -> Counter:
    """``count(chunk, words=words)`` of the batch (``repeats.usage_counts``, ``repeats.case_counts``), chunks
    counted (on the pool when given) and added up."""
    used: Counter = Counter()
    if words:
        chunks = [raws[i : i + CHUNK] for i in range(0, len(raws), CHUNK)]
        for part in (pool.imap_unordered if pool else map)(
                functools.partial(_tolerant, functools.partial(count, words=words)), chunks):
            used.update(part)
    return used


def _passages(raws: list[str], pool) -> frozenset[int]:
    """``repeats.site_passages`` of one outlet's articles, chunks counted (on the pool when given) and added up."""
    if len(raws) < repeats.SITE_MIN:
        return frozenset()
    counts: Counter[int] = Counter()
    for part in (pool.imap_unordered if pool else map)(functools.partial(_tolerant, repeats.passage_counts),
                                                       [raws[i : i + CHUNK] for i in range(0, len(raws), CHUNK)]):
        counts.update(part)
    return repeats.site_passages(counts, len(raws))


def _given(a: ingest.RawArticle, manifest: dict[str, dict[str, str]], field_name: str) -> str:
    """A field the article's file or its manifest row gives (the manifest wins), stripped; "" if none."""
    row = manifest.get(a.key) or {}
    return (row.get(field_name) or a.given.get(field_name) or "").strip()


def _repeats(arts: list[ingest.RawArticle], manifest: dict[str, dict[str, str]], pool) -> dict[str, repeats.Repeats]:
    """What each outlet's articles are cleaned by: what repeats across the batch (``repeats.corpus_repeats``),
    every outlet's template (``repeats.site_repeats``, for the outlets the files or the manifest name) and the
    template of each author the files or the manifest name in ten or more of an outlet's articles (a
    columnist's sign-off: ``repeats.AUTHOR_SHARE`` of their articles), counted outlet by outlet and added up;
    but an outlet's closing labels (``repeats.tail``), its captions opened by a credit (``repeats.captioned``) and
    the passages it repeats (``repeats.site_passages``) clean its own articles only: "… the hill" closes The Flip
    Side's credits ("Stephen Moore, The Hill") and The Hill's "Dean told The Hill." A repeated line or sentence
    that the articles of one named outlet alone carry, ten or more of them (``repeats.SITE_MIN``: more than one
    story's updates), is its template (``Repeats.templates``): rule 0's news, what several outlets share, does
    not cover it. Keyed by outlet ("" for the articles that name none)."""
    groups: dict[str, list[str]] = {}
    authors: dict[tuple[str, str], list[str]] = {}
    for a in arts:
        outlet, byline = _given(a, manifest, "outlet"), _given(a, manifest, "byline")
        groups.setdefault(outlet, []).append(a.text)
        if outlet and byline:
            authors.setdefault((outlet, byline), []).append(a.text)
    counters, n, sites = (Counter(), Counter(), Counter(), Counter(), Counter(), Counter()), 0, repeats.Repeats()
    own: dict[str, frozenset[str]] = {}  # outlet -> the labels that clean its articles only
    passages: dict[str, frozenset[int]] = {}  # outlet -> the passages it repeats
    most = Counter(), Counter()  # line, sentence -> the most articles of one named outlet it is in (SITE_MIN+)
    for outlet, raws in groups.items():
        *parts, count = _line_counts(raws, pool)
        for counter, part in zip(counters, parts, strict=True):
            counter.update(part)
        n += count
        if outlet:
            for top, part in zip(most, (parts[0], parts[2]), strict=True):
                for k, c in part.items():
                    if c >= repeats.SITE_MIN and c > top[k]:
                        top[k] = c
            counts = (*parts, count)
            used = _counts(repeats.usage_counts, raws, repeats.label_candidates(counts), pool)
            site = repeats.site_repeats(counts, used)
            cased = _counts(repeats.case_counts, raws, repeats.name_words(site.labels), pool)
            own[outlet] = frozenset(k for k in site.labels if k.startswith(repeats.TAIL)) | (
                {repeats.CAPTIONS} if repeats.captioned(counts) else set())
            passages[outlet] = _passages(raws, pool)
            sites |= dataclasses.replace(site, labels=site.labels - own[outlet],
                                         names=repeats.name_labels(site.labels, cased))
    for raws in authors.values():
        if len(raws) >= repeats.SITE_MIN:
            sites |= repeats.site_repeats(_line_counts(raws, pool), share=repeats.AUTHOR_SHARE)
    found = repeats.corpus_repeats(counts=(*counters, n)) | sites
    templates = frozenset(k for keys, top, total in ((found.lines, most[0], counters[0]),
                                                     (found.sentences, most[1], counters[2]))
                          for k in keys if top[k] == total[k])  # one outlet's alone: its template, never news
    return {outlet: dataclasses.replace(found, labels=found.labels | own.get(outlet, frozenset()),
                                        passages=passages.get(outlet, frozenset()), templates=templates)
            for outlet in groups}


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


def prepare(batch: ingest.Batch, progress: Progress | None = None, seconds: dict[str, float] | None = None,
            ) -> tuple[list[store.Article], list[str], list[ingest.Problem]]:
    """Clean, resolve and segment a batch, each article on its own: returns the articles, the manifest keys
    nothing matched, and a problem for each article a stage failed on (the others go on)."""
    seconds = seconds if seconds is not None else {}
    manifest = _manifest_index(batch.manifest)
    arts = batch.articles
    workers = min(os.cpu_count() or 1, 4) if len(arts) >= PARALLEL_FROM else 1
    pool = forks.pool(workers) if workers > 1 else None
    failed: dict[int, str] = {}

    def run(stage: str, func: Callable, items: list) -> list:
        t = time.perf_counter()
        out = _map(stage, func, items, progress, pool)
        failed.update({i: f"{stage} failed ({r.reason})" for i, r in enumerate(out)
                       if isinstance(r, Failed) and i not in failed})
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - t
        return [None if isinstance(r, Failed) else r for r in out]

    try:
        t = time.perf_counter()
        found = _repeats(arts, manifest, pool)
        seconds["clean"] = time.perf_counter() - t
        cleaned = run("clean", _clean, [(a.text, found[_given(a, manifest, "outlet")]) for a in arts])
        texts = [c[0] if c else "" for c in cleaned]
        metas = run("metadata", _resolve, [(a.text, a.given, manifest.get(a.key), text)
                                           for a, text in zip(arts, texts, strict=True)])
        segs = run("segment", _split, [(text, (m or {}).get("language") or "en")
                                       for text, m in zip(texts, metas, strict=True)])
    finally:
        if pool:
            pool.terminate()
    out = [store.Article(a.source, a.key, a.text, c[0], m, c[1], seg, a.extra)
           for i, (a, c, m, seg) in enumerate(zip(arts, cleaned, metas, segs, strict=True)) if i not in failed]
    used = {a.key for a in arts}
    problems = [ingest.Problem(arts[i].source, reason) for i, reason in sorted(failed.items())]
    return out, [k for k in manifest if k not in used], problems


def store_batch(conn, corpus: str, batch: ingest.Batch, replace: bool = False, created_by: str = "",
                progress: Progress | None = None, seconds: dict[str, float] | None = None) -> Report:
    """Prepare and store a batch that has been read; empty-text articles become problems."""
    seconds = seconds if seconds is not None else {}
    articles, unmatched, failed = prepare(batch, progress, seconds)
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
                 created_by: str = "", progress: Progress | None = None) -> Report:
    """Read files, folders and zips (plus an optional manifest file) and store them in ``corpus``."""
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    if progress:
        progress("read", 0, 1)
    batch = ingest.read_paths(paths, limits, overrides)
    if manifest is not None:
        try:
            batch.manifest += ingest.read_manifest(str(manifest), ingest.decode(Path(manifest).read_bytes()))
        except (OSError, ingest.BadInput) as exc:
            batch.problems.append(ingest.Problem(str(manifest), str(getattr(exc, "strerror", None) or exc)))
    seconds["read"] = time.perf_counter() - t
    return store_batch(conn, corpus, batch, replace, created_by, progress, seconds)
