"""Time the Keywords page's clouds, drawn in the page's thread: six outlets' clouds, new and then kept.

    python -m benchmarks.clouds --home DIR --corpus NAME

``DIR`` is a FRAMESCOPE_HOME holding the corpus ``NAME`` (the demo: ``framescope ingest seeds --corpus demo``).
For 25 and 60 terms per cloud, prints the wall and CPU time of three pages of (up to) six clouds never drawn
before, then of the same clouds again (kept by ``lib.ui.data.clouds``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True, help="a FRAMESCOPE_HOME that holds the corpus")
    ap.add_argument("--corpus", default="demo")
    args = ap.parse_args()
    os.environ["FRAMESCOPE_HOME"] = str(args.home)
    from lib import service, store
    from lib.analyses import keywords
    from lib.ui import drawing
    from lib.views import charts

    conn = store.connect()
    matrix = service.term_matrix(conn, args.corpus, service.vocabulary(conn, args.corpus))
    units = service.units(service.stats(conn, args.corpus), "outlet")
    for top in (25, 60):
        table = keywords.keywords(matrix, units, top)
        outlets = list(dict.fromkeys(table["unit"]))
        for page in range(3):
            shown = outlets[page * 6 : (page + 1) * 6] or outlets[:6]
            tables = [table[table["unit"] == o].assign(score=lambda d, p=page: d["score"] * (1 + p / 1000))
                      for o in shown]  # scores nudged per page: every page's clouds are new
            colors = [charts.PALETTE[i % len(charts.PALETTE)] for i in range(len(tables))]
            timings = []
            for _ in ("new", "kept"):
                t, cpu = time.perf_counter(), time.process_time()
                drawing.clouds(tables, colors)
                timings.append(((time.perf_counter() - t) * 1000, (time.process_time() - cpu) * 1000))
            (wall, cpu), (kept, _) = timings
            print(f"{args.corpus} {top} terms, page {page + 1}: {len(tables)} new clouds {wall:5.0f} ms "
                  f"(CPU {cpu:4.0f} ms), kept {kept:4.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
