"""A large corpus made from the AllSides export, for measuring FrameScope at scale (issue 25, docs/cluster.md).

    python -m benchmarks.generate OUT.jsonl.gz [--articles 1000000] [--year 2024]

The AllSides export (37,554 articles, 2012-2020, 491 outlets) is read once and written again in rounds, until
``--articles`` are written (1,000,000: 27 rounds), as JSON Lines that ``framescope ingest`` reads. So that the
result behaves as a year of real monitoring and not as 27 copies of one corpus:

- **Dates.** Round ``r`` covers its own slice of the year (365 / rounds days: 13.5 days for the million); an
  article's 2012-2020 date is mapped linearly onto its round's slice, so articles of one real day stay on one day
  (or two) and a story keeps its outlets and its days; about 2,700 articles a day for the million. Undated
  articles stay undated; a date before 2012 goes to the slice's start.
- **Wording.** In round ``r`` > 0, each word of three or more letters that is not an English stopword gets the
  round's suffix ("senate" -> "senate-ab"). The same word changes the same way throughout a round, so reprints
  within a round stay reprints and a story's articles still share their terms, while an article and its copy of
  another round share only the five-word shingles made of stopwords and short words alone, too few for a reuse
  pair; the vocabulary grows with the rounds as a year of news adds names.
- **Outlets.** In round ``r`` > 0, half of the outlets (by a stable hash of outlet and round) carry one of four
  regional editions' names ("Reuters (West edition)"), so the outlets number about 2,500 and each has a
  plausible share of the articles.
- ``id`` and ``url`` get the round's suffix; the other fields are kept.

Everything is deterministic: the same arguments write the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "abp" / "abp_articles.jsonl.gz"
FIRST, LAST = dt.date(2012, 1, 1), dt.date(2020, 12, 31)  # the span of the export's dates
WORD = re.compile(r"[A-Za-z]{3,}")
EDITIONS = ("North", "South", "East", "West")


def _stable(*parts: object) -> int:
    return zlib.crc32("\x1f".join(map(str, parts)).encode("utf-8"))


def suffix(r: int) -> str:
    """Round ``r``'s suffix: two letters or more ("ab", "ac", ...)."""
    letters, n = "", r
    while True:
        letters = chr(ord("a") + n % 26) + letters
        n //= 26
        if n == 0:
            return "a" + letters if len(letters) == 1 else letters


def reworded(text: str, r: int) -> str:
    """``text`` with its content words (three letters or more, not stopwords) given round ``r``'s suffix."""
    if r == 0:
        return text
    end = "-" + suffix(r)

    def change(m: re.Match) -> str:
        word = m.group()
        low = word.lower()
        return word if low in ENGLISH_STOP_WORDS else word + end

    return WORD.sub(change, text)


def redated(published: str, r: int, rounds: int, year: int) -> str:
    """A 2012-2020 date (or date and time) mapped onto round ``r``'s slice of ``year``; "" stays ""."""
    if not published:
        return ""
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return ""
    start = dt.date(year, 1, 1)
    length = ((dt.date(year + 1, 1, 1) - start).days) / rounds
    share = min(max((day - FIRST).days / ((LAST - FIRST).days + 1), 0.0), 1.0)
    new = start + dt.timedelta(days=int(r * length + share * length))
    return new.isoformat() + published[10:]


def outlet(name: str, r: int) -> str:
    """Round ``r``'s name of an outlet: itself, or one of its regional editions (half of them, by a stable hash)."""
    h = _stable(name, r)
    return name if r == 0 or h % 2 == 0 else f"{name} ({EDITIONS[(h >> 1) % len(EDITIONS)]} edition)"


def generate(source: list[dict], articles: int, year: int) -> Iterator[dict]:
    """``articles`` articles made from ``source`` in rounds (see the module docstring)."""
    rounds = -(-articles // len(source))
    written = 0
    for r in range(rounds):
        for row in source:
            if written == articles:
                return
            out = dict(row)
            out["id"] = f"{row.get('id', written)}-{suffix(r)}"
            out["outlet"] = outlet(str(row.get("outlet") or ""), r)
            out["published"] = redated(str(row.get("published") or ""), r, rounds, year)
            out["title"] = reworded(str(row.get("title") or ""), r)
            out["text"] = reworded(str(row.get("text") or ""), r)
            if row.get("url"):
                out["url"] = f"{row['url']}#{suffix(r)}"
            written += 1
            yield out


def write(out: Path, articles: int, year: int = 2024, source: Path = CORPUS) -> int:
    """``generate`` ``articles`` from the export at ``source`` into the JSON Lines file ``out`` (.gz: compressed);
    returns the number of source articles."""
    with gzip.open(source, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    opener = gzip.open if out.suffix == ".gz" else open
    with opener(out, "wt", encoding="utf-8") as f:
        for row in generate(rows, articles, year):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="the JSON Lines file to write (.gz: compressed)")
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--source", type=Path, default=CORPUS)
    args = ap.parse_args()
    if not args.source.exists():
        print(f"skipped: {args.source} not found (the AllSides corpus lives in ../shared/corpora/abp/)")
        return 0
    n = write(args.out, args.articles, args.year, args.source)
    print(f"{args.out}: {args.articles:,} articles from {n:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
