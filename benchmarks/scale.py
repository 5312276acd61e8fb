"""FrameScope on a Dask cluster at scale: throughput and memory per worker, and a projection (issue 25).

    python -m benchmarks.scale [--articles 200000] [--workers 1,2] [--dir DIR] [--steps ingest,stories,reuse]

Builds ``--articles`` articles with ``benchmarks.generate`` (a year of monitoring made from the AllSides export;
kept in ``DIR`` and reused), then for each number of workers starts a LocalCluster of that many worker processes
(one thread each), ingests the corpus on it (``framescope ingest --cluster``) into a fresh data folder, restarts
the workers and runs the analyses that run on a cluster, each as its own ``framescope analyze --cluster`` process
(stories, reuse, keywords and distinctive terms of every outlet: ``lib.service.cluster``; what each step starts
with kept is said at ``STEPS``). It prints each step's
time, its throughput per worker, the workers' peak RSS (each worker's ``getrusage`` high-water mark; the cluster
is started before anything large is loaded here, so that the workers, spawned from this process, do not inherit
its size) and the client's (an analysis's process starts from this process's high-water mark, the ingest's client:
a few hundred MB, below what the analyses reach); then a projection for 16 workers
and for 1,000,000 articles, with its assumptions. Run it on a machine doing nothing else.

Each step's figures are also recorded in ``DIR/results-N.json`` as it ends (with the commit and the time it ran),
and the summary and projection read that record: a step measured again replaces its figures, so the cluster sizes
(or the steps) can be measured in separate runs, and a run that fails keeps what it measured.
"""

from __future__ import annotations

import argparse
import datetime
import json
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
# Every analysis reads each article's story and copies (``reads.stats``): the first one on a corpus finds the stories
# and the reuse pairs. So "stories" starts with nothing kept (its time holds the reuse pairs'), "reuse" with the
# stories kept and "keywords" and "distinctive" with both kept; the total leaves "reuse" out, being in "stories".
IN_TOTAL = ("ingest", "stories", "keywords", "distinctive")
LABELS = {"stories": "stories+reuse", "reuse": "reuse alone"}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _commit() -> str:
    done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def _done(record: Path, peaks: list[float], workers: int, step: str, seconds: float, client_mb: float) -> None:
    """Print a step's figures and record them in ``record`` (a JSON file: workers -> step -> figures)."""
    print(f"  {workers} worker(s): {step} {seconds:.1f} s; peak RSS: workers "
          f"{', '.join(f'{p:,.0f}' for p in sorted(peaks))} MB, client {client_mb:,.0f} MB", flush=True)
    results = json.loads(record.read_text()) if record.exists() else {}
    results.setdefault(str(workers), {})[step] = {
        "seconds": round(seconds, 1), "workers_mb": [round(p) for p in sorted(peaks)], "client_mb": round(client_mb),
        "commit": _commit(), "at": datetime.datetime.now().isoformat(timespec="seconds")}
    record.write_text(json.dumps(results, indent=1))


def run(path: Path, home: Path, workers: int, record: Path, steps: tuple[str, ...] = STEPS) -> None:
    """Ingest and analyse ``path`` on a LocalCluster of ``workers`` (the ``steps`` asked for, in ``STEPS``' order;
    without the ingest, the corpus already in ``home``), recording in ``record`` each step's seconds, each worker's
    peak RSS (MB) and the client's (this process's for the ingest; each analysis's process), as each step ends.
    The ingest runs here; then the workers are restarted (they keep the memory they freed in blocks the allocator
    cannot give back) and each analysis runs as its own ``framescope analyze NAME STEP --cluster ADDRESS`` process,
    as a user runs them."""
    os.environ["FRAMESCOPE_HOME"] = str(home)
    from lib import cluster, store
    from lib.config import Limits
    from lib.ingest import pipeline

    with cluster.connect(f"local:{workers}") as client:
        if "ingest" in steps:
            conn = store.connect(home)
            t = time.perf_counter()
            report = pipeline.ingest_paths(conn, "scale", [path], replace=True, cluster=client.scheduler.address,
                                           limits=Limits(max_file_bytes=2**31, max_zip_bytes=2**31))
            seconds = time.perf_counter() - t
            conn.close()
            print(f"  {workers} worker(s): {report.added:,} articles stored, {len(report.problems)} problems")
            held = sorted(client.run(_rss_mb).values())
            _done(record, list(client.run(_peak_mb).values()), workers, "ingest", seconds, _peak_mb())
            print(f"  {workers} worker(s): after the ingest the workers hold {', '.join(f'{m:,.0f}' for m in held)} "
                  "MB; restarted", flush=True)
        for step in [s for s in STEPS[1:] if s in steps]:
            client.restart()
            if step == "stories":
                shutil.rmtree(home / "artifacts", ignore_errors=True)
            elif step == "reuse":
                kept = _kept_reuse(home)
                if not kept.exists():
                    raise SystemExit(f"reuse: the pairs are not kept at {kept}; measure stories first")
                kept.unlink()
            t = time.perf_counter()
            analysis = subprocess.Popen([sys.executable, "-m", "lib.cli", "analyze", "scale", step, "--cluster",
                                         client.scheduler.address], cwd=ROOT, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(analysis.pid, 0)  # that process's own peak RSS
            if status:
                raise SystemExit(f"framescope analyze scale {step} failed ({status})")
            _done(record, list(client.run(_peak_mb).values()), workers, step, time.perf_counter() - t,
                  usage.ru_maxrss / 1024)


def _kept_reuse(home: Path) -> Path:
    """Where the reuse pairs of the corpus "scale" are kept (``reads.reuse_pairs``, ``lib.store.artifacts``)."""
    from lib import store
    from lib.service import reads
    from lib.store import artifacts

    conn = store.connect(home)
    at = store.version(conn, "scale")
    conn.close()
    return artifacts.path("scale", at.generation, at.revision, reads.reuse_params(), home)


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def summary(results: dict[str, dict[str, dict]], n: int) -> None:
    """Print the figures recorded for ``n`` articles (``results``: workers -> step -> figures, as ``_done`` records
    them) and, where two cluster sizes have every step, the projection."""
    sizes = sorted(int(w) for w in results)
    figures = {w: results[str(w)] for w in sizes}
    print(f"\n{n:,} articles; seconds, and articles per second per worker (measured at: commit, time)")
    print(f"{'step':14}" + "".join(f"{f'{w} worker(s)':>26}" for w in sizes))
    for step in STEPS:
        took = {w: figures[w][step]["seconds"] for w in sizes if step in figures[w]}
        print(f"{LABELS.get(step, step):14}" + "".join(f"{took[w]:12.1f} s {n / took[w] / w:9.0f}/s" if w in took
                                     else f"{'not measured':>26}" for w in sizes))
    for w in sizes:
        for step, f in figures[w].items():
            print(f"  {w} worker(s) {step}: peak RSS workers {', '.join(f'{p:,}' for p in f['workers_mb'])} MB, "
                  f"client {f['client_mb']:,} MB ({f['commit']}, {f['at']})")
    whole = [w for w in sizes if all(step in figures[w] for step in IN_TOTAL)]
    if len(whole) < 2:
        print("\nprojection: needs ingest, stories, keywords and distinctive measured on two cluster sizes")
        return
    total = {w: sum(figures[w][step]["seconds"] for step in IN_TOTAL) for w in whole}
    print(f"{'all':14}" + "".join(f"{total[w]:12.1f} s {n / total[w] / w:9.0f}/s" for w in whole)
          + "   (ingest, stories, keywords, distinctive: reuse is inside stories)")
    lo, hi = whole[0], whole[-1]
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
        # in its own process: a child started by fork and exec starts with its parent's high-water mark (Linux)
        subprocess.run([sys.executable, "-m", "benchmarks.generate", str(path), "--articles", str(args.articles)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        print(f"generated {path} in {time.perf_counter() - t:.0f} s")
    record = args.dir / f"results-{args.articles}.json"
    for w in [int(w) for w in args.workers.split(",")]:
        run(path, args.dir / f"home-{w}", w, record, steps)
    summary(json.loads(record.read_text()), args.articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
