"""Time and quality of the tokeniser-heavy paths, on a sample of AllSides and on NewsWCL50.

    python -m benchmarks.tokens [--articles 2000] [--root DIR] [--save PAIRS.json] [--against PAIRS.json]

``--root`` runs another checkout's code (e.g. the main branch, for a before/after). Prints, for every
``--articles``-th share of the AllSides corpus (every k-th article, so the sample is the same each run):
the seconds (best of three) to tokenise the texts, to build the term matrix, to find reuse pairs and
shared passages, to count repeated-passage shingles, to build the sentence vectors of story elements and
to cluster stories; then the quality figures: story clusters against NewsWCL50's gold events (adjusted
Rand and NMI, for each vocabulary the tests use) and against AllSides' topic-and-day groups (the
multi-story sample of ``benchmarks.sample``), and the reuse pairs found (with ``--against``, how many
of a saved run's pairs are found again).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def best(fn, repeat: int = 3) -> tuple[float, object]:
    """The shortest of ``repeat`` runs of ``fn``, in seconds, and its result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def allsides(path: Path, n: int) -> list[dict]:
    """Every k-th article of the corpus, ``n`` of them."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    step = max(1, len(lines) // n)
    return [json.loads(line) for line in lines[::step][:n]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--save", type=Path)
    ap.add_argument("--against", type=Path)
    args = ap.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    import numpy as np
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from lib.analyses import elements, reuse, stories
    from lib.cleaning import repeats
    from lib.text import segment, terms

    print(f"code: {Path(terms.__file__).resolve().parents[2]}")
    abp = CORPORA / "abp" / "abp_articles.jsonl.gz"
    if not abp.exists():
        print(f"skipped: {abp} not found")
        return 0
    rows = allsides(abp, args.articles)
    texts = pd.Series([r.get("text") or "" for r in rows])
    chars = int(texts.str.len().sum())
    articles = pd.DataFrame({"id": np.arange(len(rows)), "outlet": [r.get("outlet") or "" for r in rows],
                             "published": [r.get("published") or "" for r in rows],
                             "title": [r.get("title") or "" for r in rows], "text": texts})
    print(f"AllSides sample: {len(rows)} articles, {chars / 1e6:.1f} M characters")
    sentences = [texts[i][a:b] for i in range(0, len(texts), 4) for a, b in segment.sentence_spans(texts[i])]

    figures = {
        "tokens (terms.tokens)": lambda: [terms.tokens(t) for t in texts],
        "term matrix (1-2 grams)": lambda: terms.matrix(texts, articles["id"]),
        "reuse pairs (exact)": lambda: reuse.pairs(articles),
        "reuse passages (200 texts)": lambda: [reuse.passages(texts[i], texts[i + 1]) for i in range(0, 400, 2)],
        "repeat shingles": lambda: [repeats.shingles(t) for t in texts],
        f"element vectors ({len(sentences)} sentences)": lambda: elements.vectors(
            pd.DataFrame({"article_id": 0, "sentence": range(len(sentences)), "text": sentences})),
        "stories": lambda: stories.cluster(articles),
    }
    results = {}
    for label, fn in figures.items():
        seconds, results[label] = best(fn)
        print(f"  {label:<40} {seconds:7.3f} s")

    found = results["reuse pairs (exact)"]
    pairs = sorted(zip(found["source"].tolist(), found["target"].tolist(), strict=True))
    copies = int((found["relation"] == "copy").sum())
    print(f"reuse on the sample: {len(pairs)} pairs, {copies} copies")
    if args.save:
        args.save.write_text(json.dumps(pairs))
    if args.against:
        before = {tuple(p) for p in json.loads(args.against.read_text())}
        after = set(map(tuple, pairs))
        print(f"  against {args.against.name}: {len(before & after)} of its {len(before)} pairs found again, "
              f"{len(after - before)} new")

    wcl = CORPORA / "newswcl50" / "newswcl50_articles.jsonl"
    if wcl.exists():
        df = pd.read_json(wcl, lines=True)
        news = pd.DataFrame({"id": range(len(df)), "outlet": df["outlet"], "published": df["date"].astype(str),
                             "title": df["title_guess"].fillna(""), "text": df["text"]})
        for name, vocab in [("default", stories.Vocabulary()), ("min_df=3", stories.Vocabulary(min_df=3)),
                            ("max_df=1", stories.Vocabulary(max_df=1.0)),
                            ("bigrams", stories.Vocabulary(ngram_range=(1, 2))),
                            ("min_df=3,trigrams", stories.Vocabulary(min_df=3, ngram_range=(1, 3)))]:
            labels = stories.cluster(news, vocabulary=vocab).assignments.loc[news["id"]].to_numpy()
            gold = df["event_id"].to_numpy()
            print(f"NewsWCL50 stories ({name}): {labels.max()} stories, ARI {adjusted_rand_score(gold, labels):.3f},"
                  f" NMI {normalized_mutual_info_score(gold, labels):.3f}")
    from benchmarks.sample import sample

    multi = pd.DataFrame(sample(abp, 100, 3, 7))
    multi = multi.assign(id=range(len(multi)), published=multi["published"].fillna(""),
                         title=multi["title"].fillna(""), outlet=multi["outlet"].fillna(""))
    labels = stories.cluster(multi).assignments.loc[multi["id"]].to_numpy()
    days = pd.factorize(multi["topic"].astype(str) + multi["published"].astype(str))[0] if "topic" in multi else None
    if days is not None:
        print(f"AllSides topic-day groups ({len(multi)} articles, 100 groups): {labels.max()} stories, "
              f"ARI {adjusted_rand_score(days, labels):.3f}, NMI {normalized_mutual_info_score(days, labels):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
