"""Time and peak memory of the coverage analyses on the AllSides corpus, and of the pages once computed.

    python -m benchmarks.coverage [--home DIR]

With ``--home DIR`` the corpus ``abp`` stored there is used (ingest it with ``framescope ingest
../shared/corpora/abp/abp_articles.jsonl.gz --corpus abp`` and FRAMESCOPE_MAX_FILE_MB=300);
without, it is ingested into a temporary folder first. Each analysis runs in a fresh process, so
its peak RSS is its own; artifacts are cleared first, so the figures are for the first computation.
Then each page is run with AppTest: the first run reads the artifacts, and each later interaction
(time zone, time bin, story; pair; entity, outlet) is timed on its own.
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
sys.path.insert(0, str(ROOT))
from benchmarks import widget  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "abp" / "abp_articles.jsonl.gz"
# each analysis, and a line describing its result
ANALYSES = {
    "stories": ("story_result", lambda r: f"{len(r.table):,} stories, {(r.table['articles'] > 1).sum():,} with 2+ "
                                          "articles"),
    "reuse": ("reuse_pairs", lambda p: f"{len(p):,} pairs, {(p['relation'] == 'copy').sum():,} copies"),
    "coverage": ("tables", lambda t: ", ".join(f"{k}: {len(t[k]())} rows" for k in ["coverage", "first", "timeline",
                                                                                      "undated"])),
    "entities": ("entity_mentions", lambda m: f"{len(m):,} mentions of {m['entity'].nunique():,} entities"),
    "sources": ("cited_sources", lambda c: f"{len(c):,} credits, {(c['kind'] == 'media').sum():,} to media"),
}


def _one(name: str) -> dict:
    """Run one analysis in this process; its time and this process's peak RSS."""
    from lib import service, store

    conn = store.connect()
    function, describe = ANALYSES[name]
    t0 = time.perf_counter()
    detail = describe(getattr(service, function)(conn, "abp"))
    return {"seconds": time.perf_counter() - t0, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "detail": detail}


def _steps(at) -> dict[str, list]:
    """Per page: the interactions to time, as (label, action) pairs."""
    return {
        "1_Coverage.py": [("time zone -> America/New_York", lambda: at.selectbox(key="cov_tz").set_value(
            "America/New_York")), ("time bin -> week", lambda: at.segmented_control(key="cov_bin").set_value("week")),
            ("story -> 2", lambda: at.selectbox(key="story").set_value("2")),
            ("story -> all", lambda: at.selectbox(key="story").set_value("all"))],
        "2_Reuse.py": [("story -> 2", lambda: at.selectbox(key="story").set_value("2")),
                       ("across outlets off", lambda: at.toggle(key="reuse_across").set_value(False))],
        "3_Entities.py": [("entity -> second", lambda: widget(at.selectbox, "ent_row").set_value(
            widget(at.selectbox, "ent_row").options[1])), ("outlet -> first", lambda: widget(
                at.selectbox, "ent_outlet").set_value(widget(at.selectbox, "ent_outlet").options[1])),
            ("kind -> people", lambda: at.segmented_control(key="ent_kind").set_value("people")),
            ("sources: every kind", lambda: at.toggle(key="src_media").set_value(False))],
    }


def _page(name: str) -> list[tuple[str, float]]:
    """Run a page with AppTest on the corpus abp: the first run, a rerun, then each interaction."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=600)
    at.query_params["corpus"] = "abp"
    steps = []
    for label, act in [("first run (artifacts from disk)", lambda: at), ("rerun, nothing changed", lambda: at),
                       *_steps(at)[name]]:
        t0 = time.perf_counter()
        act().run()
        steps.append((label, time.perf_counter() - t0))
        assert not at.exception, at.exception
    return steps


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, help="a FRAMESCOPE_HOME that holds the corpus 'abp'")
    ap.add_argument("--one", choices=ANALYSES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(_one(args.one)))
        return 0
    if args.home is None:
        if not CORPUS.exists():
            print(f"skipped: {CORPUS} not found (the AllSides corpus lives in ../shared/corpora/abp/)")
            return 0
        args.home = Path(tempfile.mkdtemp(prefix="framescope-bench-"))
        env = {**os.environ, "FRAMESCOPE_HOME": str(args.home), "FRAMESCOPE_MAX_FILE_MB": "300"}
        subprocess.run([sys.executable, "-m", "lib.cli", "ingest", str(CORPUS), "--corpus", "abp"], env=env,
                       cwd=ROOT, check=True)
    os.environ["FRAMESCOPE_HOME"] = str(args.home)
    shutil.rmtree(args.home / "artifacts" / "abp", ignore_errors=True)
    total = 0.0
    print(f"{'analysis':10} {'seconds':>8} {'peak RSS MB':>12}  result")
    for name in ANALYSES:
        out = subprocess.run([sys.executable, "-m", "benchmarks.coverage", "--one", name], cwd=ROOT,
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        total += r["seconds"]
        print(f"{name:10} {r['seconds']:8.1f} {r['peak_mb']:12.0f}  {r['detail']}")
    print(f"{'total':10} {total:8.1f}")
    for page in _steps(None):
        print(f"\n{page} (AppTest, corpus abp):")
        for label, seconds in _page(page):
            print(f"  {label:34} {seconds * 1000:8.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
