"""Time of drawing charts through ``lib.ui.chart`` (specs cached by content) against ``st.altair_chart``, and of
page reruns that draw them (AppTest on the demo corpus).

    python -m benchmarks.charts [--home DIR] [--runs N]

``DIR`` is a FRAMESCOPE_HOME (a temporary one by default; the demo is made from ``seeds/`` on the first page).
Prints, for a script drawing the Keywords page's charts (six bar twins and the distinctive scatter), a heatmap
and a topic map of 2,000 passages, the median time (wall and CPU) of a rerun drawn with ``ui.chart`` and with
``st.altair_chart``; then the median rerun of the Keywords and Compare pages (each a whole page run, after a first
run that computes and caches).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def _charts(direct: bool) -> None:
    """The Keywords page's charts (six bar twins of 25 terms, the distinctive scatter), an entity x outlet heatmap
    (30 x 6) and a topic map of 2,000 passages: nine charts."""
    import pandas as pd
    import streamlit as st

    from lib import ui
    from lib.views import charts

    outlets = [f"Outlet {i}" for i in range(6)]
    drawn = []
    for i, outlet in enumerate(outlets):
        terms = pd.DataFrame({"unit": outlet, "rank": range(1, 26), "term": [f"term {i} {j}" for j in range(25)],
                              "score": [0.5 - 0.01 * j for j in range(25)], "count": range(25, 0, -1)})
        drawn.append((charts.term_bars, (terms, charts.PALETTE[i]), "term"))
    rows = pd.DataFrame({"outlet": [o for o in outlets for _ in range(10)], "rank": list(range(1, 11)) * 6,
                         "term": [f"t{k}" for k in range(60)], "z": 2.0, "count": 3, "others": 1, "per_10k": 5.0,
                         "fragile": False, "tokens": 100})
    drawn.append((charts.distinctive_scatter, (charts.colored(rows, outlets),), "term"))
    wide = pd.DataFrame([[(r * 7 + c) % 5 for c in range(6)] for r in range(30)],
                        index=pd.Index([f"entity {r}" for r in range(30)], name="entity"),
                        columns=pd.Index(outlets, name="outlet"))
    drawn.append((charts.heatmap, (wide, "mentions"), "cell"))
    n = 2_000
    points = pd.DataFrame({"x": [(k * 37 % 101) / 101 for k in range(n)], "y": [(k * 53 % 97) / 97 for k in range(n)],
                           "topic": [k % 8 + 1 for k in range(n)], "outlet": [outlets[k % 6] for k in range(n)],
                           "article_id": range(n), "text": [f"passage {k} " * 8 for k in range(n)]})
    drawn.append((charts.topic_map, (points, {t: f"{t} · topic" for t in range(1, 9)}, outlets), "brush"))
    for j, (build, args, mode) in enumerate(drawn):
        if direct:
            st.altair_chart(build(*args), key=f"c{j}", on_select="rerun", selection_mode=mode)
        else:
            ui.chart(build, *args, key=f"c{j}", stem="x", on_select="rerun", selection_mode=mode)


def _direct() -> None:
    from benchmarks.charts import _charts

    _charts(True)


def _cached() -> None:
    from benchmarks.charts import _charts

    _charts(False)


def median_rerun(at: AppTest, runs: int) -> tuple[float, float, float]:
    """Seconds of the first run, and the medians of ``runs`` reruns' wall time and CPU time (the process's, every
    thread: less moved than the wall time by other work on a shared machine)."""
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    if at.exception:
        raise SystemExit(f"the script failed: {at.exception[0].message}")
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return first, statistics.median(wall), statistics.median(cpu)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, help="a FRAMESCOPE_HOME (default: a new temporary folder)")
    ap.add_argument("--runs", type=int, default=15, help="reruns timed per case (default 15)")
    args = ap.parse_args()
    os.environ["FRAMESCOPE_HOME"] = str(args.home or tempfile.mkdtemp(prefix="framescope-bench-"))
    sys.path.insert(0, str(ROOT))
    print(f"{'case':44} {'first s':>8} {'rerun ms':>9} {'CPU ms':>7}")
    for label, script in (("9 charts, st.altair_chart", _direct), ("9 charts, ui.chart", _cached)):
        first, rerun, cpu = median_rerun(AppTest.from_function(script, default_timeout=120), args.runs)
        print(f"{label:44} {first:8.2f} {rerun * 1000:9.1f} {cpu * 1000:7.1f}")
    for name in ("4_Keywords.py", "6_Compare.py"):
        first, rerun, cpu = median_rerun(AppTest.from_file(str(ROOT / "pages" / name), default_timeout=300),
                                         args.runs)
        print(f"{'page ' + name + ' (demo)':44} {first:8.2f} {rerun * 1000:9.1f} {cpu * 1000:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
