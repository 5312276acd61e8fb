"""A multi-story sample of the AllSides corpus, as JSON Lines that ``framescope ingest`` reads.

    python -m benchmarks.sample OUT.jsonl [--stories 100] [--outlets 3] [--seed 7]

A story here is the articles that share an AllSides topic tag and a publication day; the sample takes
``--stories`` of those carried by ``--outlets`` or more outlets (chosen at random with ``--seed``) and one
article of each of ``--outlets`` of those outlets. The corpus has no gold events: topic and day group articles
about one news day's subject, close to, not the same as, one event. It is what the pages are tried on as an
analyst's multi-story corpus (several hundred articles, a hundred stories, a few outlets each).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "abp" / "abp_articles.jsonl.gz"


def sample(path: Path, stories: int, outlets: int, seed: int) -> list[dict]:
    """``stories`` (topic, day) groups of ``outlets`` articles from as many outlets, in a random order."""
    groups: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("published") and row.get("topic") and row.get("text"):
                groups[row["topic"], row["published"]].setdefault(row["outlet"], row)
    rng = random.Random(seed)
    keys = sorted(k for k, by_outlet in groups.items() if len(by_outlet) >= outlets)
    rows = []
    for key in rng.sample(keys, min(stories, len(keys))):
        rows += [groups[key][o] for o in rng.sample(sorted(groups[key]), outlets)]
    rng.shuffle(rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--stories", type=int, default=100)
    ap.add_argument("--outlets", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--path", type=Path, default=CORPUS)
    args = ap.parse_args(argv)
    if not args.path.exists():
        print(f"skipped: {args.path} not found (the AllSides corpus lives in ../shared/corpora/abp/)")
        return 0
    rows = sample(args.path, args.stories, args.outlets, args.seed)
    with args.out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({k: row.get(k) for k in ("id", "outlet", "published", "title", "url", "authors",
                                                        "text")}) + "\n")
    print(f"{len(rows)} articles, {len(rows) // max(args.outlets, 1)} stories -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
