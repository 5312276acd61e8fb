"""Time and peak memory of writing a stored corpus (AllSides by default) as a Parquet dataset (``framescope
dataset``), and the time of each interaction of the Dataset page answered from it.

    python -m benchmarks.dataset --home /tmp/fs-abp [--corpus abp] [--cold] [--to DIR]

The corpus (``--corpus``, default ``abp``) must be stored in ``--home`` (``FRAMESCOPE_MAX_FILE_MB=300
FRAMESCOPE_HOME=DIR framescope ingest ../shared/corpora/abp/abp_articles.jsonl.gz --corpus abp``; or the corpus
``scale`` that ``benchmarks.scale`` leaves in its data folders). The write runs in a fresh process, so its peak RSS
is its own; with ``--cold`` the store is copied into a temporary data folder without artifacts, so stories, reuse
and the term matrix are computed as part of the write; without, the artifacts kept by earlier analyses are read.
Then, in another fresh process, the dataset is opened and each interaction timed (the first reads of the aggregates,
then each question as the page asks it; the page caches each answer).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _write(home: str, to: str, corpus: str) -> None:
    from lib import store
    from lib.service import dataset

    t0 = time.perf_counter()
    written = dataset.write(store.connect(Path(home)), corpus, to)
    seconds = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in Path(to).rglob("*") if f.is_file())
    print(json.dumps({"write_s": round(seconds, 1), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                      // 1024, "bytes_mb": round(size / 2**20, 1), "counts": written.manifest["counts"]}))


def _timed(label: str, func):
    t0 = time.perf_counter()
    out = func()
    print(f"{label:58} {1000 * (time.perf_counter() - t0):8.1f} ms")
    return out


def _interactions(to: str) -> None:
    from lib.service import dataset as d

    ds = _timed("open (manifest)", lambda: d.open_dataset(to))
    cov = _timed("first read: coverage aggregate", lambda: d.aggregate(ds, "coverage"))
    index = _timed("first read: article index", lambda: d.article_index(ds))
    stories = _timed("first read: stories aggregate", lambda: d.aggregate(ds, "stories"))
    pairs = _timed("first read: reuse aggregate", lambda: d.aggregate(ds, "reuse"))
    g_out = _timed("first read: term counts per outlet (Grouped)", lambda: d.grouped(ds, "outlet"))
    g_story = _timed("first read: term counts per story (Grouped)", lambda: d.grouped(ds, "story"))
    outlet = ds.manifest["outlet_order"][0]
    story = int(stories.sort_values("articles", ascending=False)["story"].iloc[0])
    month = d.month_list(cov)[-1]
    _timed("coverage by day, every outlet", lambda: d.coverage_by_day(cov))
    _timed(f"coverage by day, one outlet ({outlet})", lambda: d.coverage_by_day(cov, outlets=[outlet]))
    _timed(f"coverage by day, one month ({month})", lambda: d.coverage_by_day(cov, months=[month]))
    _timed(f"coverage by day, one story ({story})", lambda: d.coverage_by_day(cov, story=story))
    _timed("story list (picker labels)", lambda: d.story_choices(stories))
    _timed(f"reuse pairs of an outlet ({outlet})", lambda: d.reuse_of(pairs, outlet))
    for distinctive in (False, True):
        what = "distinctive" if distinctive else "keywords"
        _timed(f"{what} of every outlet", lambda dist=distinctive: d.unit_table(index, g_out, "outlet", 15, dist))
        _timed(f"{what} of one outlet", lambda dist=distinctive: d.unit_table(index, g_out, "outlet", 15, dist,
                                                                               outlet))
        _timed(f"{what} of one story, against the rest", lambda dist=distinctive: d.unit_table(
            index, g_story, "story", 15, dist, story))
    first = d.articles_of(index, "outlet", outlet)["id"].iloc[0]
    _timed(f"an article's text (id {first}, one partition file)", lambda: d.article_text(ds, index, int(first)))
    print(f"peak RSS of the reading process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--home", required=True, help="the data folder where the corpus is stored")
    p.add_argument("--corpus", default="abp", help="the stored corpus written (default abp: AllSides)")
    p.add_argument("--to", help="where to write the dataset (default: a temporary folder)")
    p.add_argument("--cold", action="store_true", help="compute stories, reuse and term counts in the write")
    p.add_argument("--step", choices=["write", "read"], help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.step == "write":
        return _write(args.home, args.to, args.corpus)
    if args.step == "read":
        return _interactions(args.to)
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home
        if args.cold:
            home = f"{tmp}/home"
            os.makedirs(home)
            shutil.copy(Path(args.home) / "framescope.db", home)
        to = args.to or f"{tmp}/{args.corpus}"
        env = {**os.environ, "FRAMESCOPE_HOME": home, "PYTHONPATH": str(ROOT)}
        for step in ("write", "read"):
            subprocess.run([sys.executable, "-m", "benchmarks.dataset", "--home", home, "--to", to,
                            "--corpus", args.corpus, "--step", step],
                           check=True, env=env, cwd=ROOT)


if __name__ == "__main__":
    main()
