"""Ingest the AllSides corpus (37,554 articles) and print time, throughput and peak RSS per stage.

    python -m benchmarks.ingest [--limit N]
    python -m benchmarks.ingest --limit 5000 --cluster local:2 [--partition-size N]

``--cluster``: the first N articles written to a temporary file, ingested (``pipeline.ingest_paths``) once on this
machine as the CLI does and once on the Dask cluster (lib/ingest/cluster.py; a "local:N" cluster's start counted),
each timed from the file to the store, and the stored texts compared.

Stages: read (gunzip + JSON Lines), count (what repeats), clean (cleaning, metadata and segments, article by
article, with the CPU seconds of each), store (one SQLite transaction: the parent's time inserting, which runs
while the workers clean, so it is also inside the clean stage's time, and the commit). The
store goes to a temporary FRAMESCOPE_HOME. Peak RSS is the process's high-water mark at the end of
each stage (``getrusage``), so it only grows.

The floor is the least any ingest of the corpus costs in Python: gunzip, parse each JSON line, find its text's
lower-case word tokens with one regular expression and count them in a ``Counter``; the ingest is reported as
a multiple of it. It runs first, in a child process, so that its memory does not count in the ingest's peak RSS.
"""

from __future__ import annotations

import argparse
import atexit
import gzip
import json
import multiprocessing
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "abp" / "abp_articles.jsonl.gz"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


WORD = re.compile(r"\w+")


def floor(path: Path, limit: int = 0) -> tuple[float, int]:
    """Seconds to gunzip ``path``, parse its first ``limit`` JSON lines (all when 0) and count the lower-case
    word tokens of their texts; and the number of tokens."""
    t = time.perf_counter()
    counts: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit and i >= limit:
                break
            if line.strip():
                counts.update(WORD.findall(str(json.loads(line).get("text") or "").lower()))
    return time.perf_counter() - t, counts.total()


def _floor(args: tuple[Path, int]) -> tuple[float, int]:
    return floor(*args)


def _scratch() -> str:
    """A new temporary FRAMESCOPE_HOME, removed when the benchmark exits (the store of a whole corpus is half a
    gigabyte)."""
    home = tempfile.mkdtemp(prefix="framescope-bench-")
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    return home


def compare_cluster(path: Path, limit: int, address: str, partition_size: int | None) -> None:
    """Time ``ingest_paths`` of the first ``limit`` articles of ``path`` on this machine and on ``address``."""
    os.environ["FRAMESCOPE_HOME"] = home = _scratch()
    from lib import store
    from lib.config import Limits
    from lib.ingest import pipeline

    sample = Path(home) / "sample.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f, gzip.open(sample, "wt", encoding="utf-8") as out:
        for i, line in enumerate(f):
            if limit and i >= limit:
                break
            out.write(line)
    limits, conn = Limits(max_file_bytes=2**31, max_zip_bytes=2**31), store.connect()
    for corpus, options in (("single", {"workers": pipeline.cli_workers()}),
                            ("cluster", {"cluster": address, "partition_size": partition_size})):
        t = time.perf_counter()
        report = pipeline.ingest_paths(conn, corpus, [sample], limits=limits, **options)
        total = time.perf_counter() - t
        stages = ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items() if not k.startswith("cpu "))
        print(f"{corpus:8} {total:6.1f} s  {report.added} stored, {len(report.problems)} problems  ({stages})")
    same = store.texts(conn, "single")["text"].tolist() == store.texts(conn, "cluster")["text"].tolist()
    print(f"same stored texts: {same}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--path", type=Path, default=CORPUS)
    ap.add_argument("--cluster", metavar="ADDRESS", help="compare with an ingest on this Dask cluster (local:2)")
    ap.add_argument("--partition-size", type=int, help="with --cluster: articles per partition")
    args = ap.parse_args()
    if not args.path.exists():
        print(f"skipped: {args.path} not found (the AllSides corpus lives in ../shared/corpora/abp/)")
        return 0
    if args.cluster:
        compare_cluster(args.path, args.limit, args.cluster, args.partition_size)
        return 0
    with multiprocessing.get_context("fork").Pool(1) as child:  # its memory stays out of the ingest's peak RSS
        floor_seconds, tokens = child.apply(_floor, ((args.path, args.limit),))
    os.environ["FRAMESCOPE_HOME"] = _scratch()
    from lib import ingest, store
    from lib.config import Limits
    from lib.ingest import pipeline

    limits = Limits(max_file_bytes=2**31, max_zip_bytes=2**31)
    rss: dict[str, float] = {}
    t0 = time.perf_counter()
    workers = pipeline.cli_workers()
    if workers > 1:  # as the CLI does (``pipeline.ingest_paths``): the fork server loads while the batch is read
        pipeline.fork_server()
    batch = ingest.read_paths([args.path], limits)
    if args.limit:
        batch.articles = batch.articles[: args.limit]
    seconds = {"read": time.perf_counter() - t0}
    rss["read"] = peak_mb()

    def progress(stage: str, done: int, total: int) -> None:
        prev = pipeline.STAGES[pipeline.STAGES.index(stage) - 1]
        rss.setdefault(prev, peak_mb())

    report = pipeline.store_batch(store.connect(), "abp", batch, replace=True, progress=progress, seconds=seconds,
                                  workers=workers)  # as the CLI does
    rss["store"] = peak_mb()
    total = time.perf_counter() - t0
    n = len(batch.articles)
    chars = sum(len(a.text) for a in batch.articles)
    print(f"AllSides: {n} articles, {chars / 1e6:.0f} M characters; {report.added} stored, "
          f"{len(report.duplicates)} duplicates, {len(report.problems)} problems")
    print(f"{'stage':10} {'seconds':>8} {'articles/s':>11} {'peak RSS MB':>12}")
    for stage in pipeline.STAGES:
        s = seconds.get(stage, 0.0)
        print(f"{stage:10} {s:8.1f} {n / s if s else float('inf'):11.0f} {rss.get(stage, float('nan')):12.0f}")
    print(f"{'total':10} {total:8.1f} {n / total:11.0f} {peak_mb():12.0f}")
    print("(the store inserts while the workers clean: its seconds are also inside the clean stage's)")
    print("CPU seconds of the clean stage, added up over the workers: " + ", ".join(
        f"{k.removeprefix('cpu ')} {v:.1f}" for k, v in seconds.items() if k.startswith("cpu ")))
    print(f"{'floor':10} {floor_seconds:8.1f} {n / floor_seconds:11.0f} {'':>12}  gunzip, JSON, {tokens / 1e6:.0f} M "
          f"lower-case word tokens counted")
    print(f"ingest / floor: {total / floor_seconds:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
