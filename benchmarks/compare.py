"""Time to compare the outlets of a story of 5, 50 and 200 articles (demo, NewsWCL50, AllSides).

    python -m benchmarks.compare --home DIR

``DIR`` is a FRAMESCOPE_HOME; the demo and NewsWCL50 are ingested into it when missing, AllSides (corpus
``abp``, see ``benchmarks.coverage``) is used when present. AllSides has no event ids: its "stories" of 50
and 200 articles are the latest dated articles of its largest topic tag. For each case: the time to read the
inputs (sentences, and the entity mentions of those articles), the time of ``compare.compare`` (alignment,
quotes, tone, naming, omissions; the outlets are the six largest), of the HTML report, and the peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWSWCL50 = ROOT.parent / "shared" / "corpora" / "newswcl50" / "newswcl50_articles.jsonl"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cases(conn):
    """(label, corpus, article ids) of each comparison timed."""
    from lib import service, store

    names = store.corpus_names(conn)
    out = [("demo (one story)", "demo", service.stats(conn, "demo")["id"])]
    if "newswcl50" in names:
        st = service.stats(conn, "newswcl50")
        out += [("NewsWCL50, one event", "newswcl50", st.loc[st["story"] == st["story"].min(), "id"]),
                ("NewsWCL50, all ten events", "newswcl50", st["id"])]
    if "abp" in names:
        arts = store.articles(conn, "abp")
        arts["topic"] = arts["extra"].str.extract(r'"topic":\s*"([^"]*)"')[0]
        top = arts["topic"].value_counts().index[0]
        dated = arts[(arts["topic"] == top) & arts["published"].fillna("").ne("")].sort_values("published")
        out += [(f"AllSides, {n} latest on '{top}'", "abp", dated["id"].tail(n)) for n in (5, 50, 200)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True, help="a FRAMESCOPE_HOME (demo and NewsWCL50 added if missing)")
    args = ap.parse_args()
    os.environ["FRAMESCOPE_HOME"] = str(args.home)
    from lib import service, store
    from lib.analyses import compare, coverage, entities, keywords
    from lib.ingest import pipeline
    from lib.text import terms
    from lib.views import report

    conn = store.connect()
    if "demo" not in store.corpus_names(conn):
        pipeline.ingest_paths(conn, "demo", [ROOT / "seeds"])
    if "newswcl50" not in store.corpus_names(conn) and NEWSWCL50.exists():
        pipeline.ingest_paths(conn, "newswcl50", [NEWSWCL50])
    print(f"{'case':42} {'articles':>8} {'outlets':>7} {'sentences':>9} {'inputs':>8} {'compare':>8} {'report':>8} "
          f"{'elements':>8}  peak RSS")
    for label, name, ids in cases(conn):
        t0 = time.perf_counter()
        meta = store.articles(conn, name)
        meta = meta[meta["id"].isin(ids)].assign(outlet=lambda d: coverage.label_outlets(d["outlet"]))
        sentences = service.sentences(conn, name, ids)
        mentions = entities.mentions(sentences)
        outlets = compare.default_outlets(coverage.outlet_order(meta), meta["outlet"])
        texts = store.texts(conn, name, ids)
        matrix = terms.matrix(texts["text"], texts["id"], terms.Vocabulary(min_df=1))
        distinct = keywords.distinctive(matrix, meta.set_index("id")["outlet"], top=8)
        t1 = time.perf_counter()
        cmp = compare.compare(meta, sentences, mentions, outlets, distinctive=distinct)
        t2 = time.perf_counter()
        report.build(cmp, label)
        t3 = time.perf_counter()
        print(f"{label:42} {len(ids):8,} {len(outlets):7} {len(cmp.members):9,} {t1 - t0:7.2f}s {t2 - t1:7.2f}s "
              f"{t3 - t2:7.2f}s {len(cmp.elements):8,}  {peak_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
