"""Time and peak memory of topics on the AllSides corpus: the whole corpus, then one topic's worth of articles.

    python -m benchmarks.topics --home DIR

``DIR`` is a FRAMESCOPE_HOME holding the corpus ``abp`` (see ``benchmarks.coverage``). Prints, for the
default settings (automatic unit and k, NMF), the time to read the passages and to fit and assign
topics, with the peak RSS, for every article of the corpus; then the same for the articles of one
topic of at most ``--story-size`` articles (AllSides's own topic tag: the largest tag-and-month
group that small), and k-means on it. Times are wall clock and CPU time of this process (the
machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True, help="a FRAMESCOPE_HOME that holds the corpus 'abp'")
    ap.add_argument("--corpus", default="abp")
    ap.add_argument("--story-size", type=int, default=200, help="articles in the story-sized run (200)")
    args = ap.parse_args()
    os.environ["FRAMESCOPE_HOME"] = str(args.home)
    from lib import service, store
    from lib.analyses import topics
    from lib.store import edits

    conn = store.connect()
    name = args.corpus

    def run(label: str, ids, settings: topics.Settings) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        unit, psg = service.topic_passages(conn, name, settings.unit, ids)
        t1 = time.perf_counter()
        stages: dict[str, float] = {}

        def progress(stage: str, done: int, total: int) -> None:
            stages.setdefault(stage, time.perf_counter())

        result = topics.fit(psg, topics.Settings(unit, settings.method, settings.k),
                            topics.vocabulary(tuple(edits.stopwords(conn, name))), progress)
        t2 = time.perf_counter()
        marks = [*stages.items(), ("end", t2)]
        split = ", ".join(f"{a} {b_ - a_:.1f} s" for (a, a_), (_, b_) in zip(marks, marks[1:], strict=False))
        s = result.sample
        cpu = time.process_time() - c0
        print(f"{label}: {t2 - t0:6.1f} s wall, {cpu:.1f} s CPU (read {t1 - t0:.1f} s, fit {t2 - t1:.1f} s), "
              f"{s['passages']:,} {unit}s of {s['articles']:,} articles, fitted on {s['fitted']:,}, "
              f"k = {result.k} ({settings.method}), peak RSS {peak_mb():,.0f} MB\n  stages: {split}")
        print("  topics: " + " | ".join(f"{r.label} ({r.passages:,}, {r.stability:.2f})"
                                        for r in result.table.head(8).itertuples()))

    run("whole corpus", None, topics.Settings())
    stats = store.article_stats(conn, name)
    tag = stats["extra"].map(lambda e: json.loads(e or "{}").get("topic"))
    month = stats["published"].fillna("").str[:7]
    group = stats.assign(tag=tag, month=month)[tag.notna() & (month != "")].groupby(["tag", "month"]).size()
    biggest = group[group <= args.story_size].idxmax() if (group <= args.story_size).any() else group.idxmax()
    ids = stats[(tag == biggest[0]) & (month == biggest[1])]["id"].head(args.story_size)
    label = f"one topic's articles ({biggest[0]}, {biggest[1]})"
    run(label, ids, topics.Settings())
    run(label, ids, topics.Settings(method="kmeans"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
