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
    """What an ingest did: the new revision, counts, problems and duplicates, and stage timings."""

    corpus: str
    revision: int | None
    added: int
    problems: list[ingest.Problem]
    duplicates: list[tuple[str, str]]
    unmatched_manifest: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """One row per input that did not simply load: source, status, reason."""
        rows = [(p.source, "failed", p.reason) for p in self.problems]
        rows += [(src, "duplicate", f"same cleaned text as {other}; stored once") for src, other in self.duplicates]
        rows += [(key, "manifest", "manifest row matches no article") for key in self.unmatched_manifest]
        return pd.DataFrame(rows, columns=["source", "status", "reason"])


def _manifest_index(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    index = {}
    for row in rows:
        key = row.get("file") or row.get("id") or ""
        if key:
            index[PurePosixPath(key.replace("\\", "/")).name if row.get("file") else key] = row
    return index


def _clean(args: tuple[str, repeats.Repeats]) -> tuple[str, list[clean.Span]]:
    return clean.clean(*args)


def _resolve(args: tuple) -> dict[str, str]:
    return metadata.resolve(*args)


def _split(args: tuple[str, str]) -> segment.Segments:
    return segment.split(*args)


def _line_counts(raws: list[str], pool) -> repeats.Counts:
    """``repeats.line_counts`` of the batch, chunks counted (on the pool when given) and added up."""
    counters, n = (Counter(), Counter(), Counter(), Counter(), Counter(), Counter()), 0
    chunks = [raws[i : i + CHUNK] for i in range(0, len(raws), CHUNK)]
    for *parts, count in (pool.imap_unordered if pool else map)(repeats.line_counts, chunks):
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
        for part in (pool.imap_unordered if pool else map)(functools.partial(count, words=words), chunks):
            used.update(part)
    return used


def _passages(raws: list[str], pool) -> frozenset[int]:
    """``repeats.site_passages`` of one outlet's articles, chunks counted (on the pool when given) and added up."""
    if len(raws) < repeats.SITE_MIN:
        return frozenset()
    counts: Counter[int] = Counter()
    for part in (pool.imap_unordered if pool else map)(repeats.passage_counts,
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
    Side's credits ("Stephen Moore, The Hill") and The Hill's "Dean told The Hill." Keyed by outlet ("" for the
    articles that name none)."""
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
    for outlet, raws in groups.items():
        *parts, count = _line_counts(raws, pool)
        for counter, part in zip(counters, parts, strict=True):
            counter.update(part)
        n += count
        if outlet:
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
    return {outlet: dataclasses.replace(found, labels=found.labels | own.get(outlet, frozenset()),
                                        passages=passages.get(outlet, frozenset()))
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


def prepare(batch: ingest.Batch, progress: Progress | None = None,
            seconds: dict[str, float] | None = None) -> tuple[list[store.Article], list[str]]:
    """Clean, resolve and segment a batch; returns articles and the manifest keys nothing matched."""
    seconds = seconds if seconds is not None else {}
    manifest = _manifest_index(batch.manifest)
    arts = batch.articles
    workers = min(os.cpu_count() or 1, 4) if len(arts) >= PARALLEL_FROM else 1
    pool = forks.pool(workers) if workers > 1 else None
    try:
        t = time.perf_counter()
        found = _repeats(arts, manifest, pool)
        cleaned = _map("clean", _clean, [(a.text, found[_given(a, manifest, "outlet")]) for a in arts], progress, pool)
        seconds["clean"] = time.perf_counter() - t

        t = time.perf_counter()
        metas = _map("metadata", _resolve, [(a.text, a.given, manifest.get(a.key), c[0])
                                            for a, c in zip(arts, cleaned, strict=True)], progress, pool)
        seconds["metadata"] = time.perf_counter() - t

        t = time.perf_counter()
        segs = _map("segment", _split, [(c[0], m.get("language") or "en")
                                        for c, m in zip(cleaned, metas, strict=True)], progress, pool)
        seconds["segment"] = time.perf_counter() - t
    finally:
        if pool:
            pool.terminate()
    out = [store.Article(a.source, a.key, a.text, text, meta, spans, seg, a.extra)
           for a, (text, spans), meta, seg in zip(arts, cleaned, metas, segs, strict=True)]
    used = {a.key for a in arts}
    return out, [k for k in manifest if k not in used]


def store_batch(conn, corpus: str, batch: ingest.Batch, replace: bool = False, created_by: str = "",
                progress: Progress | None = None, seconds: dict[str, float] | None = None) -> Report:
    """Prepare and store a batch that has been read; empty-text articles become problems."""
    seconds = seconds if seconds is not None else {}
    articles, unmatched = prepare(batch, progress, seconds)
    problems = list(batch.problems)
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
        revision, added, duplicates = result.revision, result.added, result.duplicates
    else:
        revision, added, duplicates = None, 0, []
    if progress:
        progress("store", 1, 1)
    seconds["store"] = time.perf_counter() - t
    return Report(corpus, revision, added, problems, duplicates, unmatched, seconds)


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
