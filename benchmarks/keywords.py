"""Time and peak memory of keywords on the AllSides corpus, and of the Keywords page once computed.

    python -m benchmarks.keywords --home DIR

``DIR`` is a FRAMESCOPE_HOME holding the corpus ``abp`` (see ``benchmarks.coverage``). Prints the time
to build the corpus term matrix (the default vocabulary: unigrams and bigrams in two or more
articles), then the time for keywords and for distinctive terms of every outlet, then the Keywords
page's interactions with AppTest (each a whole page run: in a browser, keyword in context reruns its
fragment only).

    python -m benchmarks.keywords --home DIR --cluster local:2

times the same keywords and distinctive terms computed on a Dask cluster (``lib.service.cluster``: tallies of
partitions merged in a tree), checks that they equal the single machine's, and prints each worker's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks import widget  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True, help="a FRAMESCOPE_HOME that holds the corpus 'abp'")
    ap.add_argument("--cluster", metavar="ADDRESS", help="also on this Dask cluster (local:N or tcp://HOST:8786)")
    args = ap.parse_args()
    os.environ["FRAMESCOPE_HOME"] = str(args.home)
    from lib import service, store
    from lib.analyses import keywords
    from lib.store import artifacts

    conn = store.connect()
    vocab = service.vocabulary(conn, "abp")
    params = service.term_matrix_params(vocab)
    at = store.version(conn, "abp")
    artifacts.path("abp", at.generation, at.revision, params).unlink(missing_ok=True)  # time a first build
    found = on_a_cluster(args.cluster, conn, vocab) if args.cluster else None  # first: the workers spawn small
    stats = service.stats(conn, "abp")
    t0 = time.perf_counter()
    m = service.term_matrix(conn, "abp", vocab)
    print(f"term matrix: {time.perf_counter() - t0:6.1f} s, {m.counts.shape[0]:,} articles x {m.counts.shape[1]:,} "
          f"terms, peak RSS {peak_mb():,.0f} MB")
    for label, run in [("keywords, every outlet", lambda: keywords.keywords(m, service.units(stats, "outlet"), 25)),
                       ("distinctive, every outlet", lambda: keywords.distinctive(m, service.units(stats, "outlet"),
                                                                                  25))]:
        t0 = time.perf_counter()
        out = run()
        print(f"{label}: {time.perf_counter() - t0:6.1f} s, {out['outlet' if 'outlet' in out else 'unit'].nunique()} "
              f"outlets")
    if found is not None:
        import pandas as pd

        for table, computed in found.items():
            pd.testing.assert_frame_equal(computed, getattr(keywords, table)(m, service.units(stats, "outlet"), 25))
        print("the cluster's tables are the corpus matrix's")
        return 0
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "4_Keywords.py"), default_timeout=900)
    at.query_params["corpus"] = "abp"
    print("\n4_Keywords.py (AppTest, corpus abp):")
    for label, act in [("first run (matrix from disk)", lambda: at), ("rerun, nothing changed", lambda: at),
                       ("terms per cloud -> 10", lambda: at.slider(key="kw_top").set_value(10)),
                       ("clouds of 4 picked outlets", lambda: widget(at.multiselect, "kw_clouds_outlet").set_value(
                           ["Fox News", "CNN (Web News)", "Breitbart News", "Reuters"])),
                       ("distinctive terms per outlet -> 10", lambda: at.number_input(key="kw_dtop").set_value(10)),
                       ("keyword in context: 'border wall'", lambda: at.text_input(key="kw_term").set_value(
                           "border wall")),
                       ("keyword in context: 'trump'", lambda: at.text_input(key="kw_term").set_value("trump")),
                       ("keyword in context: 2 outlets", lambda: at.multiselect(key="kw_kwic_outlets").set_value(
                           ["Fox News", "Reuters"])),
                       ("story -> 2 (4 picked clouds)", lambda: at.selectbox(key="story").set_value("2")),
                       ("clouds of the 6 largest", lambda: widget(at.multiselect, "kw_clouds_outlet").set_value([])),
                       ("story -> 3 (6 clouds)", lambda: at.selectbox(key="story").set_value("3")),
                       ("story -> 4 (6 clouds)", lambda: at.selectbox(key="story").set_value("4")),
                       ("story -> 5 (6 clouds)", lambda: at.selectbox(key="story").set_value("5"))]:
        t0 = time.perf_counter()
        act().run()
        print(f"  {label:34} {(time.perf_counter() - t0) * 1000:8.0f} ms")
        assert not at.exception, at.exception
    return 0


def _worker_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def on_a_cluster(address: str, conn, vocab) -> dict:
    """Keywords and distinctive terms of every outlet on the cluster at ``address``: time and each worker's peak
    RSS printed, the tables returned by name."""
    from lib import cluster, service
    from lib.analyses import keywords
    from lib.service import cluster as on_cluster

    with cluster.connect(address) as client:  # before anything large is read here: workers inherit its peak RSS
        outlets = service.units(service.stats(conn, "abp"), "outlet")
        t0 = time.perf_counter()
        g = on_cluster.term_groups(client, conn, "abp", outlets, vocab)
        print(f"term counts per outlet on {address}: {time.perf_counter() - t0:6.1f} s, {g.counts.shape[0]:,} outlets "
              f"x {g.counts.shape[1]:,} terms, client peak RSS {peak_mb():,.0f} MB, workers' peak RSS "
              + ", ".join(f"{v:,.0f}" for v in client.run(_worker_peak_mb).values()) + " MB")
    found = {}
    for table in ("keywords", "distinctive"):
        t0 = time.perf_counter()
        found[table] = getattr(keywords, table)(g, outlets, 25)
        print(f"{table}, every outlet, from them: {time.perf_counter() - t0:6.1f} s")
    return found


if __name__ == "__main__":
    sys.exit(main())
