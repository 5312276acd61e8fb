"""Quote recall and speaker accuracy against the hand-labelled gold set (tests/data/quotes_gold.md).

    python -m benchmarks.quotes [--errors N]

The 44 labelled articles are read again from ../shared/corpora, ingested into a temporary store as any
corpus is (cleaned, segmented), and their quotes found and resolved as the Compare page does
(``quotes.find``, ``speakers.resolve`` over the typed entity mentions). A gold quotation is *found* when a
direct quote of its article holds at least half of the words of one of its parts; its speaker is *right* when
the speaker of the found quote sharing most of its words (the resolved entity, else the name as written) names
the labelled speaker: the same words, or the
labelled name's last word among them ("Trump" for Donald Trump). Speaker accuracy is over the quotations
whose speaker is named in the article; a quotation not found counts as wrong.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
TITLE_WORDS = re.compile(r"^(?:(?:mr|mrs|ms|dr|sen|rep|gov|gen|president|senator|secretary|minister|the)\.?\s+)+",
                         re.IGNORECASE)


def _sample_quotes():
    spec = importlib.util.spec_from_file_location("sample_quotes", DATA / "sample_quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text.casefold().replace("’", "'"))


def same_speaker(found: str, gold: str) -> bool:
    """Whether the speaker FrameScope names is the labelled one (several labelled: any of them)."""
    said = set(words(TITLE_WORDS.sub("", found)))
    for name in gold.split(";"):
        named = words(name)
        if said and named and (said <= set(named) and named[-1] in said or set(named) <= said):
            return True
    return False


@dataclass(frozen=True)
class Score:
    quotations: int
    found: int
    named: int
    right: int
    errors: pd.DataFrame
    corpora: dict[str, tuple[int, int]]  # corpus -> (right, named)

    @property
    def recall(self) -> float:
        return self.found / self.quotations

    @property
    def accuracy(self) -> float:
        return self.right / self.named


def extracted(home: Path) -> tuple[pd.DataFrame, dict[int, str]]:
    """The gold articles ingested into a store at ``home``; their resolved quotes and each article's gold ref."""
    from lib import service, store
    from lib.analyses import quotes, speakers
    from lib.ingest import pipeline

    sq = _sample_quotes()
    articles = [json.loads(line) for line in (DATA / "quotes_gold_articles.jsonl").open(encoding="utf-8")]
    raw = sq.texts(articles)
    path = home / "gold.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({"id": a["ref"], "outlet": a["outlet"], "title": a.get("title") or "",
                                "text": raw[a["ref"]], "gold_ref": a["ref"]}) + "\n")
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "gold", [path])
    stats = service.stats(conn, "gold")
    refs = dict(zip(stats["id"], stats["gold_ref"], strict=True))
    sentences = service.sentences(conn, "gold")
    found = speakers.resolve(quotes.find(sentences), service.entity_mentions(conn, "gold"), sentences)
    return found, refs


def score(found: pd.DataFrame, refs: dict[int, str]) -> Score:
    gold = [json.loads(line) for line in (DATA / "quotes_gold.jsonl").open(encoding="utf-8")]
    direct = found[found["kind"] == "direct"].assign(ref=lambda d: d["article_id"].map(refs))
    by_ref = {ref: group for ref, group in direct.groupby("ref")}
    hits = right = named = 0
    errors, by_corpus = [], {}
    for g in gold:
        mine = by_ref.get(g["ref"], direct.iloc[:0])
        parts = [set(words(p["text"])) for p in g["parts"]]
        shared = [max(len(p & set(words(q))) / max(len(p), 1) for p in parts) for q in mine["quote"]]
        matched = mine[[o >= 0.5 for o in shared]]  # a quote holding half of a part's words
        hits += bool(len(matched))
        if g["speaker"] is None:
            continue
        named += 1
        want = set(words(g["text"]))
        best = max(range(len(matched)), key=lambda i: len(want & set(words(matched["quote"].iloc[i]))), default=None)
        said = [] if best is None else [matched["entity"].iloc[best] or matched["speaker"].iloc[best]]
        ok = any(same_speaker(s, g["speaker"]) for s in said)
        right += ok
        by_corpus.setdefault(g["corpus"], []).append(ok)
        if not ok:
            errors.append({"qid": g["qid"], "cue": g["cue"], "mention": g["speaker_mention"], "gold": g["speaker"],
                           "found": " | ".join(said) if len(matched) else "(quote not found)",
                           "quote": g["text"][:80]})
    return Score(len(gold), hits, named, right, pd.DataFrame(errors),
                 {c: (sum(oks), len(oks)) for c, oks in sorted(by_corpus.items())})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong attributions")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as home:
        t0 = time.perf_counter()
        found, refs = extracted(Path(home))
        result = score(found, refs)
    print(f"quote recall     {result.found}/{result.quotations} = {result.recall:.3f}")
    seconds = time.perf_counter() - t0
    print(f"speaker accuracy {result.right}/{result.named} = {result.accuracy:.3f}   ({seconds:.1f} s)")
    for corpus, (right, named) in result.corpora.items():
        print(f"  {corpus:14} {right}/{named} = {right / named:.3f}")
    if args.errors and len(result.errors):
        print(result.errors.groupby(["cue", "mention"]).size().to_string())
        with pd.option_context("display.width", 250, "display.max_colwidth", 80):
            print(result.errors.head(args.errors).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
