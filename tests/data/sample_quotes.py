"""The quotation gold set (issue 23): its article sample, its build from the hand annotations, and its check.

    python tests/data/sample_quotes.py sample            # the ordered article sample (seed 23)
    python tests/data/sample_quotes.py show A07          # one sampled article, as read from the corpus file
    python tests/data/sample_quotes.py build             # quotes_annotations.txt -> quotes_gold.jsonl (+ articles)
    python tests/data/sample_quotes.py check             # every label against the corpus file, and coverage
    python tests/data/sample_quotes.py stats             # the counts in quotes_gold.md

Nothing here finds quotations: the annotator read each article and wrote ``quotes_annotations.txt`` by hand
(see quotes_gold.md for the format and the guidelines). ``build`` only turns each hand-written span (the first
words of a quotation part, as in the article) into character offsets, running to the closing double quotation
mark or the end of the paragraph, as an annotator's mouse selection would; ``check`` re-reads the corpus files and
asserts that every stored span still holds its text and that every double quotation mark in an annotated article
lies in a labelled quotation or in a span the annotator skipped with a reason.

Text: offsets index the raw ``text`` field of the corpus row, as ``json.loads(line)["text"]`` gives it (before
FrameScope's cleaning). Rows: NewsWCL50 by its 1-based line in newswcl50_articles.jsonl (ingest names it
``newswcl50_articles.jsonl:LINE``, its key, since the rows have no id); AllSides by its ``id`` (ingest's key).
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parents[2] / "shared" / "corpora"
NEWSWCL50 = CORPORA / "newswcl50" / "newswcl50_articles.jsonl"
ABP = CORPORA / "abp" / "abp_articles.jsonl.gz"
ANNOTATIONS = HERE / "quotes_annotations.txt"
GOLD = HERE / "quotes_gold.jsonl"
ARTICLES = HERE / "quotes_gold_articles.jsonl"

SEED = 23  # the issue's number
PER_OUTLET = 4  # NewsWCL50: four of each of its five outlets' ten articles
ALLSIDES = 30  # AllSides: thirty articles, one an outlet
MIN_CHARS, MAX_CHARS = 1500, 6000  # AllSides: no stubs, no long features (NewsWCL50 is taken whole)
OPEN, CLOSE, MARKS = '"“', '"”', '"“”'

CUES = {"before", "inside", "after", "colon", "previous", "next", "according_to", "context", "none"}
KINDS = {"person", "organisation", "unknown"}
MENTIONS = {"name", "pronoun", "role", "none"}


def has_double_quote(text: str) -> bool:
    return any(m in text for m in MARKS)


def newswcl50_rows() -> list[dict]:
    with NEWSWCL50.open(encoding="utf-8") as f:
        return [dict(json.loads(line), line=n) for n, line in enumerate(f, 1) if line.strip()]


def abp_rows(ids: set[str] | None = None) -> list[dict]:
    rows = []
    with gzip.open(ABP, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            row = json.loads(line)
            if ids is None or row["id"] in ids:
                rows.append(dict(row, line=n))
    return rows


def ref(row: dict, corpus: str) -> dict:
    if corpus == "newswcl50":
        return {"corpus": "newswcl50", "corpus_file": "newswcl50/newswcl50_articles.jsonl", "line": row["line"],
                "article_id": f"newswcl50_articles.jsonl:{row['line']}", "outlet": row["outlet"],
                "title": row["title_guess"], "url": row["url"], "event_id": row["event_id"]}
    return {"corpus": "allsides", "corpus_file": "abp/abp_articles.jsonl.gz", "line": row["line"],
            "article_id": row["id"], "outlet": row["outlet"], "title": row["title"], "url": row["url"]}


def sample() -> list[dict]:
    """The ordered sample: NewsWCL50 and AllSides articles alternately (A01 NewsWCL50, A02 AllSides, ...).

    NewsWCL50: of each outlet's articles with a double quotation mark, ``PER_OUTLET`` drawn with the seed, the
    outlets then interleaved. AllSides: the articles of ``MIN_CHARS``..``MAX_CHARS`` characters with a double
    quotation mark, shuffled with the seed, each taken unless its outlet already has one, until ``ALLSIDES``.
    The annotator labels the articles in this order and stops at an article's end once the quota is met."""
    rng = random.Random(SEED)
    wcl = [r for r in newswcl50_rows() if has_double_quote(r["text"])]
    outlets = sorted({r["outlet"] for r in wcl})
    drawn = {o: rng.sample([r for r in wcl if r["outlet"] == o], PER_OUTLET) for o in outlets}
    left = [ref(drawn[o][i], "newswcl50") for i in range(PER_OUTLET) for o in outlets]
    pool = sorted((r for r in abp_rows() if MIN_CHARS <= len(r["text"]) <= MAX_CHARS and has_double_quote(r["text"])),
                  key=lambda r: r["id"])
    rng.shuffle(pool)
    right, seen = [], set()
    for r in pool:
        if r["outlet"] not in seen:
            seen.add(r["outlet"])
            right.append(ref(r, "allsides"))
        if len(right) == ALLSIDES:
            break
    order = [a for pair in zip(left, right, strict=False) for a in pair] + left[len(right):] + right[len(left):]
    return [dict(a, ref=f"A{i:02d}") for i, a in enumerate(order, 1)]


def texts(articles: list[dict]) -> dict[str, str]:
    """The raw text of each article, read again from its corpus file, by its sample ref."""
    wcl = {r["line"]: r["text"] for r in newswcl50_rows()}
    abp = {r["id"]: r["text"] for r in abp_rows({a["article_id"] for a in articles if a["corpus"] == "allsides"})}
    return {a["ref"]: wcl[a["line"]] if a["corpus"] == "newswcl50" else abp[a["article_id"]] for a in articles}


# --- the hand annotations ------------------------------------------------------------------------


def parse(path: Path = ANNOTATIONS) -> dict[str, dict]:
    """``## A07`` opens an article; ``q | part // part | as written | canonical | kind | cue | mention | note``
    is one quotation (each part the first words of the part, as in the article; ``partial`` after ``q`` marks
    a fragment quoted inside reported speech); ``s | first words | reason`` a skipped quoted span."""
    out: dict[str, dict] = {}
    cur = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") and not line.startswith("## "):
            continue
        if line.startswith("## "):
            cur = out.setdefault(line[3:].split()[0], {"quotes": [], "skipped": [], "done": "done" in line})
            continue
        f = [x.strip() for x in line.split(" | ")]
        if f[0] in ("q", "q partial"):
            if len(f) < 7:
                raise SystemExit(f"{path.name}:{n}: a quotation needs 7 fields: {line}")
            canonical = None if f[3] in ("", "null", "-") else f[3]
            cur["quotes"].append({"starts": [p.strip() for p in f[1].split(" // ")], "partial": f[0] != "q",
                                  "as_written": None if f[2] in ("", "-") else f[2], "speaker": canonical,
                                  "kind": f[4], "cue": f[5], "mention": f[6], "note": f[7] if len(f) > 7 else "",
                                  "lineno": n})
        elif f[0] == "s":
            cur["skipped"].append({"starts": [f[1]], "reason": f[2] if len(f) > 2 else "", "lineno": n})
        else:
            raise SystemExit(f"{path.name}:{n}: unknown line: {line}")
    return out


def locate(text: str, start_words: str, after: int, unopened: bool = False, end_words: str = "") -> tuple[int, int]:
    """The part that begins with ``start_words`` at or after ``after``, just after an opening double quotation
    mark (unless ``unopened``): it runs to the next double quotation mark, or to the end of its paragraph when
    the paragraph ends first (a quotation running on)."""
    pattern = re.compile("".join("['’]" if c in "'’" else re.escape(c) for c in start_words))
    # the annotator's straight apostrophe matches a curly one
    found = [m.start() for m in pattern.finditer(text, after) if unopened or opened(text, m.start())]
    if not found:
        raise ValueError(f"not found after {after} just after an opening mark: {start_words!r}")
    s = found[0]
    if end_words:  # a part with quotation marks inside it: it runs to the end of these words
        pattern = re.compile("".join("['’]" if c in "'’" else re.escape(c) for c in end_words))
        found = pattern.search(text, s)
        if not found:
            raise ValueError(f"end not found after {s}: {end_words!r}")
        return s, found.end()
    close = min([i for i in (text.find(m, s + 1) for m in CLOSE) if i >= 0] or [len(text)])
    para = text.find("\n", s)
    e = para if 0 <= para < close else close
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def opened(text: str, s: int) -> bool:
    i = s - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i >= 0 and text[i] in OPEN


def build() -> None:
    articles = {a["ref"]: a for a in sample()}
    notes = parse()
    raw = texts([articles[r] for r in notes])
    gold, arts = [], []
    for r, note in notes.items():
        a, text = articles[r], raw[r]
        base = {k: a[k] for k in ("corpus", "corpus_file", "line", "article_id", "outlet", "title")}
        items = [("q", q) for q in note["quotes"]] + [("s", s) for s in note["skipped"]]
        # quotations and skips interleave in the text: place each after the previous one of its kind
        qpos = spos = 0
        skipped = []
        for kind, item in items:
            parts = []
            start = qpos if kind == "q" else spos
            for words in item["starts"]:
                unopened = words.startswith("+ ")  # a quotation running on into a paragraph without a mark
                words = words[2:] if unopened else words
                words, _, end_words = words.partition(" ... ")
                try:
                    s, e = locate(text, words, start, unopened, end_words)
                except ValueError as exc:
                    raise SystemExit(f"{r} line {item['lineno']}: {exc}") from None
                parts.append({"start": s, "end": e, "text": text[s:e]})
                start = e
            if kind == "q":
                qpos = parts[0]["end"]
                for f, ok in (("kind", KINDS), ("cue", CUES), ("mention", MENTIONS)):
                    if item[f] not in ok:
                        raise SystemExit(f"{r} line {item['lineno']}: {f} {item[f]!r} not in {sorted(ok)}")
                n = len([g for g in gold if g["ref"] == r]) + 1
                gold.append({"qid": f"{r}-Q{n:02d}", "ref": r, **base, "start": parts[0]["start"],
                             "end": parts[-1]["end"], "text": " ".join(p["text"] for p in parts), "parts": parts,
                             "partial": item["partial"], "speaker_as_written": item["as_written"],
                             "speaker": item["speaker"], "speaker_kind": item["kind"], "cue": item["cue"],
                             "speaker_mention": item["mention"],
                             "pronoun_or_role": item["mention"] in ("pronoun", "role"), "note": item["note"]})
            else:
                spos = parts[0]["end"]
                skipped.append({"start": parts[0]["start"], "end": parts[0]["end"], "text": parts[0]["text"],
                                "reason": item["reason"]})
        gold_here = [g for g in gold if g["ref"] == r]
        gold_here.sort(key=lambda g: g["start"])
        for i, g in enumerate(gold_here, 1):
            g["qid"] = f"{r}-Q{i:02d}"
        arts.append({"ref": r, **base, "url": a["url"], "quotations": len(gold_here),
                     "skipped": sorted(skipped, key=lambda s: s["start"])})
    gold.sort(key=lambda g: (g["ref"], g["start"]))
    with GOLD.open("w", encoding="utf-8") as f:
        for g in gold:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    with ARTICLES.open("w", encoding="utf-8") as f:
        for a in arts:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    print(f"{len(gold)} quotations in {len(arts)} articles -> {GOLD.name}, {ARTICLES.name}")


def check() -> int:
    """Every stored span holds its text in the corpus file; every double quotation mark of an annotated article
    is the opening or closing mark of a labelled part or a skipped span; the articles are the sample's first."""
    gold = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    arts = [json.loads(line) for line in ARTICLES.open(encoding="utf-8")]
    order = [a["ref"] for a in sample()]
    assert [a["ref"] for a in arts] == order[: len(arts)], "the annotated articles are not the sample's first"
    raw = texts(arts)
    bad = 0
    for g in gold:
        text = raw[g["ref"]]
        for p in g["parts"]:
            if text[p["start"] : p["end"]] != p["text"]:
                print(f"{g['qid']}: offsets {p['start']}:{p['end']} do not hold {p['text'][:40]!r}")
                bad += 1
        if g["text"] != " ".join(p["text"] for p in g["parts"]):
            print(f"{g['qid']}: text is not its parts")
            bad += 1
    for a in arts:
        text = raw[a["ref"]]
        spans = [(p["start"], p["end"]) for g in gold if g["ref"] == a["ref"] for p in g["parts"]]
        spans += [(s["start"], s["end"]) for s in a["skipped"]]
        for s in a["skipped"]:
            if text[s["start"] : s["end"]] != s["text"]:
                print(f"{a['ref']}: skipped span {s['start']} does not hold its text")
                bad += 1
        covered = set()
        for s, e in spans:
            i = len(text[:s].rstrip(" ")) - 1
            j = e + len(text[e:]) - len(text[e:].lstrip(" "))
            covered |= {k for k in (i, j) if 0 <= k < len(text) and text[k] in MARKS}
        for g in gold:  # a quotation's own quoted words (nested marks) lie inside it
            if g["ref"] == a["ref"]:
                covered |= {k for p in g["parts"] for k in range(p["start"], p["end"])}
        for i, ch in enumerate(text):
            if ch in MARKS and i not in covered:
                near = text[max(0, i - 50) : i + 30]
                print(f"{a['ref']}: mark at {i} outside every labelled or skipped span: {near!r}")
                bad += 1
    print(f"{len(gold)} quotations, {len(arts)} articles: {'OK' if not bad else f'{bad} problems'}")
    return 1 if bad else 0


def stats() -> None:
    """The counts quotes_gold.md reports."""
    gold = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    arts = [json.loads(line) for line in ARTICLES.open(encoding="utf-8")]
    named = [g for g in gold if g["speaker"]]
    by_corpus = dict(Counter(a["corpus"] for a in arts))
    print(f"articles {len(arts)} ({by_corpus}), outlets {len({a['outlet'] for a in arts})}")
    print(f"quotations {len(gold)}, with a named speaker {len(named)}, without {len(gold) - len(named)}")
    print(f"skipped quoted spans {sum(len(a['skipped']) for a in arts)}")
    for key in ("corpus", "cue", "speaker_mention", "speaker_kind", "partial"):
        print(f"by {key}: {dict(Counter(g[key] for g in gold).most_common())}")
    print(f"named, by corpus: {dict(Counter(g['corpus'] for g in named))}")
    print(f"pronoun or role speakers: {sum(g['pronoun_or_role'] for g in gold)} "
          f"({sum(g['pronoun_or_role'] for g in gold) / len(gold):.1%}); pronoun only: "
          f"{sum(g['speaker_mention'] == 'pronoun' for g in gold) / len(gold):.1%}")
    print(f"in more than one part: {sum(len(g['parts']) > 1 for g in gold)}")
    print(f"distinct speakers: {len({g['speaker'] for g in named})}; most quoted: "
          f"{Counter(g['speaker'] for g in named).most_common(5)}")
    reasons = Counter(s["reason"].split(" (")[0].split(",")[0] for a in arts for s in a["skipped"])
    print(f"skip reasons: {dict(reasons.most_common())}")


def show(r: str) -> None:
    a = {a["ref"]: a for a in sample()}[r]
    text = texts([a])[r]
    print(f"{r} {a['corpus']} {a['article_id']} | {a['outlet']} | {a['title']}\n")
    print(text)


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if not NEWSWCL50.exists() or not ABP.exists():
        print(f"skipped: the corpora are not at {CORPORA}")
        return 0
    if cmd == "sample":
        for a in sample():
            title = (a["title"] or "")[:60]
            print(f"{a['ref']}  {a['corpus']:9}  {a['article_id']:28}  {a['outlet'][:28]:28}  {title}")
    elif cmd == "show":
        for r in argv[1:]:
            show(r)
    elif cmd == "build":
        build()
    elif cmd == "check":
        return check()
    elif cmd == "stats":
        stats()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
