"""FrameScope on a Dask cluster at scale: throughput and memory per worker, and a projection (issue 25).

    python -m benchmarks.scale [--articles 200000] [--workers 1,2] [--dir DIR] [--steps ingest,stories,reuse]

Builds ``--articles`` articles with ``benchmarks.generate`` (a year of monitoring made from the AllSides export;
kept in ``DIR`` and reused), then for each number of workers starts a LocalCluster of that many worker processes
(one thread each), ingests the corpus on it (``framescope ingest --cluster``) into a fresh data folder, restarts
the workers and runs the analyses that run on a cluster, each as its own ``framescope analyze --cluster`` process
(stories, reuse, keywords and distinctive terms of every outlet: ``lib.service.cluster``). It prints each step's
time, its throughput per worker, the workers' peak RSS (each worker's ``getrusage`` high-water mark; the cluster
is started before anything large is loaded here, so that the workers, spawned from this process, do not inherit
its size) and the client's; then a projection for 16 workers
and for 1,000,000 articles, with its assumptions. Run it on a machine doing nothing else.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STEPS = ("ingest", "stories", "reuse", "keywords", "distinctive")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _done(peaks: list[float], workers: int, step: str, seconds: dict[str, float], client_mb: float) -> None:
    print(f"  {workers} worker(s): {step} {seconds[step]:.1f} s; peak RSS: workers "
          f"{', '.join(f'{p:,.0f}' for p in sorted(peaks))} MB, client {client_mb:,.0f} MB", flush=True)


def run(path: Path, home: Path, workers: int, steps: tuple[str, ...] = STEPS
        ) -> tuple[dict[str, float], list[float], float]:
    """Ingest and analyse ``path`` on a LocalCluster of ``workers`` (the ``steps`` asked for, in ``STEPS``' order;
    without the ingest, the corpus already in ``home``): seconds per step, each worker's peak RSS (MB) and the
    clients' (this process's for the ingest; each analysis's process). The ingest runs here; then the workers are
    restarted (they keep the memory they freed in blocks the allocator cannot give back) and each analysis runs as
    its own ``framescope analyze NAME STEP --cluster ADDRESS`` process, as a user runs them. Each step's figures
    are printed as it ends, so a run that fails later keeps them."""
    os.environ["FRAMESCOPE_HOME"] = str(home)
    from lib import cluster, store
    from lib.config import Limits
    from lib.ingest import pipeline

    seconds: dict[str, float] = {}
    peaks: list[float] = []
    with cluster.connect(f"local:{workers}") as client:
        peaks, clients = [0.0] * workers, [0.0]
        if "ingest" in steps:
            conn = store.connect(home)
            t = time.perf_counter()
            report = pipeline.ingest_paths(conn, "scale", [path], replace=True, cluster=client.scheduler.address,
                                           limits=Limits(max_file_bytes=2**31, max_zip_bytes=2**31))
            seconds["ingest"] = time.perf_counter() - t
            conn.close()
            print(f"  {workers} worker(s): {report.added:,} articles stored, {len(report.problems)} problems")
            peaks = sorted(client.run(_peak_mb).values())
            held = sorted(client.run(_rss_mb).values())
            clients = [_peak_mb()]
            _done(peaks, workers, "ingest", seconds, clients[0])
            print(f"  {workers} worker(s): after the ingest the workers hold {', '.join(f'{m:,.0f}' for m in held)} "
                  "MB; restarted", flush=True)
        for step in [s for s in STEPS[1:] if s in steps]:
            client.restart()
            shutil.rmtree(home / "artifacts", ignore_errors=True)  # each computed afresh (stories keep reuse)
            t = time.perf_counter()
            analysis = subprocess.Popen([sys.executable, "-m", "lib.cli", "analyze", "scale", step, "--cluster",
                                         client.scheduler.address], cwd=ROOT, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(analysis.pid, 0)  # that process's own peak RSS
            if status:
                raise SystemExit(f"framescope analyze scale {step} failed ({status})")
            seconds[step] = time.perf_counter() - t
            step_peaks = sorted(client.run(_peak_mb).values())
            peaks = [max(a, b) for a, b in zip(peaks, step_peaks, strict=True)]
            clients.append(usage.ru_maxrss / 1024)
            _done(step_peaks, workers, step, seconds, clients[-1])
    return seconds, peaks, max(clients)


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--workers", default="1,2", help="the cluster sizes measured, comma-separated")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/framescope-scale"), help="where the corpus and the "
                    "data folders go (the corpus is reused when there)")
    ap.add_argument("--steps", default=",".join(STEPS), help="the steps measured, comma-separated (without ingest: "
                    "the analyses of the corpus already in DIR/home-W)")
    args = ap.parse_args()
    steps = tuple(s for s in STEPS if s in args.steps.split(","))
    from benchmarks import generate

    if not generate.CORPUS.exists():
        print(f"skipped: {generate.CORPUS} not found (the AllSides corpus lives in ../shared/corpora/abp/)")
        return 0
    args.dir.mkdir(parents=True, exist_ok=True)
    path = args.dir / f"generated-{args.articles}.jsonl.gz"
    if not path.exists():
        t = time.perf_counter()
        generate.write(path, args.articles)
        print(f"generated {path} in {time.perf_counter() - t:.0f} s")
    sizes = [int(w) for w in args.workers.split(",")]
    results = {}
    for w in sizes:
        results[w] = run(path, args.dir / f"home-{w}", w, steps)
    n = args.articles
    print(f"\n{n:,} articles; seconds, and articles per second per worker")
    print(f"{'step':12}" + "".join(f"{f'{w} worker(s)':>26}" for w in sizes))
    for step in steps:
        print(f"{step:12}" + "".join(f"{results[w][0][step]:12.1f} s {n / results[w][0][step] / w:9.0f}/s"
                                     for w in sizes))
    total = {w: sum(results[w][0].values()) for w in sizes}  # of the steps measured
    print(f"{'all':12}" + "".join(f"{total[w]:12.1f} s {n / total[w] / w:9.0f}/s" for w in sizes))
    for w in sizes:
        print(f"peak RSS, {w} worker(s): workers " + ", ".join(f"{p:,.0f}" for p in results[w][1])
              + f" MB; the clients (ingest and store, each analysis) {results[w][2]:,.0f} MB")
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        efficiency = (total[lo] * lo) / (total[hi] * hi)  # per-worker throughput kept when the workers multiply
        doublings = max(0.0, math.log2(16 / hi))
        per_worker = n / total[hi] / hi
        at16 = per_worker * 16 * efficiency ** doublings
        print(f"\nprojection: {lo} -> {hi} workers kept {efficiency:.0%} of the throughput per worker. Assuming each "
              f"doubling of the workers keeps as much ({doublings:.0f} doublings from {hi} to 16), and every step "
              f"linear in the articles (ingest, term counts and the shingle join are; stories compare each article "
              f"with the week around it, linear at a constant daily volume), 16 workers would ingest and analyse "
              f"{at16:,.0f} articles/s: {n / at16 / 60:.1f} min for these {n:,} and {1e6 / at16 / 60:.1f} min for "
              f"1,000,000. Memory per worker depends on the partition size, not the corpus, but for the merged "
              f"term counts and stories' lede vectors, which grow with the vocabulary and are held on one worker "
              f"and on the client.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
