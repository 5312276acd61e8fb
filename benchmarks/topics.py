"""Time and peak memory of topics on the AllSides corpus: the whole corpus, then one story's worth of articles.

    python -m benchmarks.topics --home DIR

``DIR`` is a FRAMESCOPE_HOME holding the corpus ``abp`` (see ``benchmarks.coverage``). Prints, for the
default settings (automatic unit and k, NMF), the time to read the passages and to fit and assign
topics, with the peak RSS, for every article of the corpus; then the same for the articles of one
story of at most ``--story-size`` articles (the largest story that small, or that many articles of
one outlet's busiest month when the stories are not computed), and k-means on it.
"""

from __future__ import annotations

import argparse
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
    from lib import analysis, store, topics

    conn = store.connect()
    name = args.corpus

    def run(label: str, ids, settings: topics.Settings) -> None:
        t0 = time.perf_counter()
        unit, psg = analysis.topic_passages(conn, name, settings.unit, ids)
        t1 = time.perf_counter()
        result = topics.fit(psg, topics.Settings(unit, settings.method, settings.k),
                            topics.vocabulary(tuple(store.stopwords(conn, name))))
        t2 = time.perf_counter()
        s = result.sample
        print(f"{label}: {t2 - t0:6.1f} s (read {t1 - t0:.1f} s, fit and assign {t2 - t1:.1f} s), "
              f"{s['passages']:,} {unit}s of {s['articles']:,} articles, fitted on {s['fitted']:,}, "
              f"k = {result.k} ({settings.method}), peak RSS {peak_mb():,.0f} MB")
        print("  topics: " + " | ".join(f"{r.label} ({r.passages:,}, {r.stability:.2f})"
                                        for r in result.table.head(8).itertuples()))

    run("whole corpus", None, topics.Settings())
    stats = store.article_stats(conn, name)
    stories = analysis.story_result(conn, name).table if len(stats) <= 2000 else None
    if stories is not None and (stories["articles"] <= args.story_size).any():
        story = int(stories.loc[stories["articles"] <= args.story_size, "story"].iloc[0])
        ids = analysis.in_story(analysis.stats(conn, name), story)["id"]
        label = f"story {story}"
    else:  # the stories of a large corpus take minutes: one outlet's busiest month instead, a story's size
        month = stats["published"].fillna("").str[:7]
        busiest = stats.assign(month=month)[month != ""].groupby(["outlet", "month"]).size().idxmax()
        ids = stats[(stats["outlet"] == busiest[0]) & (month == busiest[1])]["id"].head(args.story_size)
        label = f"{len(ids)} articles ({busiest[0]}, {busiest[1]})"
    run(label, ids, topics.Settings())
    run(label, ids, topics.Settings(method="kmeans"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
