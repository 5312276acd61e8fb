"""What the caches hold: the size of a corpus term matrix (``terms.Matrix.nbytes``, what the server's
term-matrix budget counts) for NewsWCL50 and for AllSides samples and the whole AllSides corpus, and the time
the artifact code versions take to compute (once per process).

    python -m benchmarks.caches [--sizes 1000,5000,all]

Matrices are built from the corpora's texts as given (not cleaned: within a few percent of a stored corpus's),
with the default vocabulary (unigrams and bigrams; ``min_df`` 1 below 1,000 articles, else 2, as
``service.vocabulary``). Results are in docs/caches.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,5000,all", help="AllSides samples (articles, or all)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    from lib.analyses import entities, reuse, sources, stories, topics  # noqa: F401 - imported before timing
    from lib.store import artifacts
    from lib.text import terms

    imported = time.perf_counter()
    from lib import service  # computes the code versions of the six artifacts

    print(f"code versions of the six artifacts ({', '.join(service.CODE)}): importing lib.service "
          f"{(time.perf_counter() - imported) * 1000:.0f} ms, {artifacts.code_version.cache_info().currsize} "
          f"versions (other imports {imported - t0:.1f} s)")
    import pandas as pd

    def show(label: str, texts: pd.Series) -> None:
        t = time.perf_counter()
        vocab = terms.Vocabulary(min_df=1 if len(texts) < service.SMALL else 2)
        m = terms.matrix(texts.reset_index(drop=True), range(len(texts)), vocab)
        print(f"{label}: {len(texts):,} articles, {m.counts.shape[1]:,} terms, {m.counts.nnz:,} counts: "
              f"{m.nbytes / 2**20:,.1f} MB ({time.perf_counter() - t:.1f} s; peak RSS "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)", flush=True)

    newswcl50 = SHARED / "newswcl50" / "newswcl50_articles.jsonl"
    abp = SHARED / "abp" / "abp_articles.jsonl.gz"
    if not newswcl50.exists() or not abp.exists():
        print(f"needs the shared corpora in {SHARED}", file=sys.stderr)
        return 2
    show("NewsWCL50", pd.read_json(newswcl50, lines=True)["text"])
    with gzip.open(abp, "rt", encoding="utf-8") as f:
        texts = pd.Series([json.loads(line)["text"] for line in f])
    for size in args.sizes.split(","):
        sample = texts if size == "all" else texts.sample(int(size), random_state=0)
        show(f"AllSides {size}", sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
