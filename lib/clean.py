"""Boilerplate and repeated-paragraph removal, with every removal kept as a reviewable span.

Method: line-level classification in the spirit of jusText (Pomikálek 2011, "Removing boilerplate
and duplicate content from web corpora") and boilerpipe's shallow text features (Kohlschütter et
al. 2010). Lines broken mid-sentence are first rejoined into blocks. A block is *prose* when it has
eight or more words and ends like a sentence, or twenty or more words. Boilerplate is then:

- separator-heavy lines ("Home | About | Contact", "A - B - C - D"): link lists on one line;
- copyright lines (a "©" or "all rights ... reserved" in a short line);
- page counters ("104/207", "Page 2 of 5"), also when trailing a sentence;
- lines repeated across the corpus (short lines in three or more articles, prose-shaped lines in
  ten or more and 0.1% of them, so that a quote a few outlets carry stays; not in an article made
  mostly of such lines, which is a copy), and short lines whose first three words start lines in
  0.1% of the articles, or first two words in 1% (captions, player labels);
- an outlet's own template, where the corpus names outlets (Bar-Yossef and Rajagopalan 2002,
  "Template detection via data mining"): sentences, and the first two words of short lines, found
  in ten or more of its articles and 5% of them ("toggle caption", "Write to", sign-up boxes), and
  the first six words of sentences found in ten or more and 20% ("Image copyright Getty Images Image
  caption ..."), and short sentences whose skeleton (names and numbers blanked) is found in ten or
  more and 5% ("Jane Doe contributed to this report.");
- photo credits, in any corpus: a short unit not ending like a sentence that ends in names joined
  by slashes ("Photograph: Jane Doe/Reuters", "REUTERS/Jane Doe/File Photo", "(AP Photo/Jane Doe)");
- the same inside lines, sentence by sentence (digits masked, so "Hide Caption 3 of 24" is one
  sentence): a sentence of three or more words repeated in ten or more articles and 0.1% of them
  (sign-up boxes, reprint notices, player labels; not in an article made mostly of them, a copy);
  a sentence that starts with such a sentence of four or more words (a caption glued to its
  counter); one that ends with one (the ending alone when what precedes it ends like a sentence, a
  tweet before its sign-off; else all of it, "X and the Associated Press contributed to this
  report."); a sentence whose first six words open sentences in 1% of the articles ("Media
  playback is unsupported on your device Media caption ..."); the sentences of the article that
  open like a caption glued to its counter (the other captions of a gallery); a line left without
  prose goes as a whole;
- prose-shaped blocks whose both neighbours are boilerplate and that do not end like a sentence;
- runs of three or more non-prose blocks, or two where the first ends with ":" (link lists such as
  "Read more:" followed by headlines);
- everything before the first prose block (the page header: site name, title, byline, date);
- a paragraph that repeats an earlier one of the same article.

Spans are offsets into the raw text; ``apply`` rebuilds the cleaned text from the raw text's blocks
and the spans still active, so a restored span comes back exactly where it was.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from lib import segment

KINDS = ("header", "link list", "copyright", "page counter", "photo credit", "corpus boilerplate",
         "repeated paragraph")
SENTENCE_END = re.compile(r"""(?<![.…\s])[.!?]["'”’)\]]*\s*$|\w[:;]\s*$|["”’]\s*$""")
SEPARATORS = (" | ", " - ", " – ", " — ", " • ", " · ", " » ", " / ")
COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\ball rights\b.{0,40}\breserved\b|^\s*copyright\b", re.IGNORECASE)
PAGE_COUNTER = re.compile(r"^\s*(?:\d{1,4}\s*/\s*\d{1,4}|page\s+\d+\s+of\s+\d+)\s*$", re.IGNORECASE)
TRAILING_COUNTER = re.compile(r"(?<=[.!?”\"’])[\s\u00a0]+\d{1,4}\s*/\s*\d{1,4}[\s\u00a0]*$")
TAIL = 40  # characters at the end of a block where a trailing page counter can be
LINE = re.compile(r"[^\n]*\n?")
MAX_REPEATED_WORDS = 40
DIGITS = re.compile(r"\d+")
WORD = re.compile(r"\S+")
OPENING = 6  # words that make two sentences of an article "open alike"
SITE_SHARE = 0.05  # an outlet's template: in this share of its articles
SITE_OPENING_SHARE = 0.2  # ... and for six-word sentence openings, in this share
SKELETON_WORDS = 15  # the longest sentence whose skeleton is compared (a credit line, not a templated lead)
LABEL_ONLY = 0.95  # a sentence opening is a label when its words open a sentence this share of the times they occur
WIRE_DATELINE = re.compile(r"[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,3}(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2})?"
                           r"\s*\([A-Z][^()]{0,40}\)"  # "Washington (CNN)", "NEW YORK, March 3 (Reuters)"
                           r"|[A-Z][A-Z.'’ -]{2,40}(?:,[^()\n]{1,30})?\s*[-–—]")  # "WASHINGTON, March 3 -"
NAME_RUN = re.compile(r"(?:(?<![\w'’])[A-Z][\w.&-]*(?:['’]s?)?[,:;]?(?:\s+|$))+")  # capitalised words
WORDS = re.compile(r"[\w']+")
LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")
_CAP = r"[A-Z][\w.'’&-]*"  # a capitalised word
CREDIT = re.compile(rf"{_CAP}(?:\s+(?:(?:de|van|von|la|le|del|da)\s+)?{_CAP}){{0,4}}"
                    rf"(?:\s*/\s*{_CAP}(?:\s+{_CAP}){{0,3}})+\)?\s*$")  # "Jane Doe/Getty Images)" at the end


@dataclass(frozen=True)
class Span:
    """A removed stretch of the raw text: ``raw[start:end]``, why it was removed, and if restored."""

    start: int
    end: int
    kind: str
    restored: bool = False


@dataclass(frozen=True)
class Block:
    """Consecutive raw lines read as one paragraph (a line broken mid-sentence is rejoined)."""

    start: int
    end: int
    text: str  # whitespace collapsed

    @property
    def words(self) -> int:
        return self.text.count(" ") + 1


def ends_sentence(line: str) -> bool:
    """Whether a line ends like a sentence (a teaser cut off with ".." or "…" does not)."""
    return bool(SENTENCE_END.search(line[-8:]))


def is_prose(line: str, words: int | None = None) -> bool:
    """Whether a line reads as body text: 8+ words ending like a sentence, or 20+ words."""
    words = len(line.split()) if words is None else words
    return words >= 20 or (words >= 8 and ends_sentence(line))


def key(text: str) -> str:
    """A block's identity for repetition: its text (whitespace already collapsed) in lower case."""
    return text.lower()


def blocks(raw: str) -> list[Block]:
    """Non-blank lines with raw offsets; a line that does not end like a sentence and is followed
    directly by a line starting in lower case is joined to it."""
    out: list[Block] = []
    pos, joinable = 0, False
    for m in LINE.finditer(raw):
        line = m.group(0)
        if not line:
            break
        text = " ".join(line.split())
        start, end = pos, pos + len(line.rstrip("\n"))
        pos += len(line)
        if not text:
            joinable = False
            continue
        if joinable and out and text[0].islower():
            prev = out[-1]
            out[-1] = Block(prev.start, end, prev.text + " " + text)
        else:
            out.append(Block(start, end, text))
        joinable = not ends_sentence(text)
    return out


def _prefix(text: str, n: int = 3) -> str:
    words = text.lower().split()
    return " ".join(words[:n]) if len(words) > n else ""


def sentence_key(text: str) -> str:
    """A sentence's identity for repetition: lower case, whitespace collapsed, digits masked."""
    return DIGITS.sub("#", " ".join(text.lower().split()))


def sentences(raw: str, block: Block) -> list[tuple[int, int, str]]:
    """The sentences of a block: (start, end) offsets into ``raw`` and ``sentence_key``."""
    return [(block.start + a, block.start + b, sentence_key(raw[block.start + a : block.start + b]))
            for a, b in segment.sentence_spans(raw[block.start : block.end])]


@dataclass(frozen=True)
class Repeats:
    """What repeats across a corpus: whole lines, the opening words of short non-prose lines,
    sentences (by ``sentence_key``), the opening words of sentences, and the skeletons of short
    sentences (``skeleton``) that an outlet repeats."""

    lines: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    sentences: frozenset[str] = frozenset()
    openings: frozenset[str] = frozenset()
    skeletons: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()

    @functools.cached_property
    def ends(self) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
        """The word counts of the repeated sentences of 4+ words, by their first and by their last word."""
        first: dict[str, set[int]] = {}
        last: dict[str, set[int]] = {}
        for k in self.sentences:
            words = k.split()
            if len(words) >= 4:
                first.setdefault(words[0], set()).add(len(words))
                last.setdefault(words[-1], set()).add(len(words))
        return first, last

    def __or__(self, other: Repeats) -> Repeats:
        return Repeats(self.lines | other.lines, self.prefixes | other.prefixes, self.sentences | other.sentences,
                       self.openings | other.openings, self.skeletons | other.skeletons, self.labels | other.labels)


Counts = tuple[Counter[str], Counter[str], Counter[str], Counter[str], Counter[str], Counter[str], int]


def head(key: str) -> str:
    """A sentence's label candidate, from its ``sentence_key``: its words up to a colon within the first
    two ("contributing:", "file photo:", "(photo:"), else its first two words ("hide caption")."""
    words = key.split(maxsplit=2)[:2]
    for i, w in enumerate(words):
        if ":" in w:  # "Contributing:Jane Doe" too
            return " ".join([*words[:i], w[: w.index(":") + 1]])
    return " ".join(words) if len(words) == 2 else ""


def skeleton(sentence: str) -> str:
    """A sentence with its names and numbers blanked: each run of capitalised words becomes "C", digits
    "#", the rest lower case ("Fox News' Jane Doe contributed to this report." -> "c' c contributed to
    this report."); "" for a sentence of more than ``SKELETON_WORDS`` words or with fewer than two
    lower-case words left (a name, a dateline, "Trump said.")."""
    if len(sentence.split()) > SKELETON_WORDS:
        return ""
    shape = " ".join(NAME_RUN.sub("C ", DIGITS.sub("#", sentence) + " ").lower().split())
    return shape if len(LOWER_WORD.findall(shape)) >= 2 else ""


def line_counts(raws: Iterable[str]) -> Counts:
    """In how many articles each line (up to 40 words), each non-prose line's two- and three-word
    opening, each sentence (3 to 40 words), each sentence's six-word opening and ``head`` and each
    short sentence's ``skeleton`` occurs, and the number of articles; counts of parts of a corpus add
    up (``Counter.update``)."""
    lines: Counter[str] = Counter()
    prefixes: Counter[str] = Counter()
    sents: Counter[str] = Counter()
    opens: Counter[str] = Counter()
    shapes: Counter[str] = Counter()
    heads: Counter[str] = Counter()
    n = 0
    for raw in raws:
        n += 1
        bs = blocks(raw)
        seen = {key(b.text) for b in bs if b.words <= MAX_REPEATED_WORDS}
        lines.update(seen)
        prefixes.update({_prefix(k, w) for k in seen if not is_prose(k) for w in (2, 3)} - {""})
        spans = [(start, end, k) for b in bs for start, end, k in sentences(raw, b)]
        sents.update({k for _, _, k in spans if 3 <= k.count(" ") + 1 <= MAX_REPEATED_WORDS})
        opens.update({_prefix(k, OPENING) for _, _, k in spans} - {""})
        shapes.update({skeleton(raw[start:end]) for start, end, _ in spans} - {""})
        heads.update({head(k) for _, _, k in spans} - {""})
    return lines, prefixes, sents, opens, shapes, heads, n


def usage_counts(raws: Iterable[str], words: frozenset[str]) -> Counter[tuple[str, bool]]:
    """How often each of ``words`` (``head``s) occurs in ``raws``, as (head, True) where it opens a
    sentence (after the start of a line or a sentence's final punctuation) and (head, False) inside one;
    compared as ``sentence_key``s are (lower case, digits masked), on word boundaries."""
    if not words:
        return Counter()
    pattern = re.compile(r"(?<![\w#])(?:" + "|".join(
        r"\s+".join(map(re.escape, k.split())) + (r"(?![\w#])" if k[-1].isalnum() else "")
        for k in sorted(words, key=len, reverse=True)) + ")")
    used: Counter[tuple[str, bool]] = Counter()
    for raw in raws:
        text = DIGITS.sub("#", raw.lower())
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 8) : m.start()].rstrip(" \t([“\"'‘")
            used[" ".join(m.group().split()), not before or before[-1] in ".!?\n”\"’)"] += 1
    return used


def corpus_repeats(raws: Iterable[str] = (), counts: Counts | None = None) -> Repeats:
    """Lines (up to 40 words) found in three or more articles (prose-shaped lines: in ten or more
    and 0.1% of the corpus, so a wire sentence or a quote that a few outlets share stays); the
    three-word openings of non-prose lines found in ten or more articles and 0.1% of the corpus,
    and their two-word openings in ten or more and 1%; sentences found in ten or more articles and
    0.1%, and six-word openings of sentences in ten or more and 1%. ``counts`` (from
    ``line_counts``) replaces ``raws`` when given."""
    lines, prefixes, sents, opens, _, _, n = counts or line_counts(raws)
    rare, common = max(10, n // 1000), max(10, n // 100)
    return Repeats(
        frozenset(k for k, c in lines.items() if c >= (rare if is_prose(k) else 3)),
        frozenset(k for k, c in prefixes.items() if c >= (rare if k.count(" ") == 2 else common)),
        frozenset(k for k, c in sents.items() if c >= rare),
        frozenset(k for k, c in opens.items() if c >= common),
    )


def label_candidates(counts: Counts) -> frozenset[str]:
    """The sentence ``head``s found in ten or more of an outlet's articles and ``SITE_SHARE`` of them, but
    for those that cannot be labels: a clause ("Editorial board, ...", "In sum, ...") or function words
    only ("And although", "What did")."""
    *_, heads, n = counts
    return frozenset(k for k, c in heads.items() if c >= max(10, SITE_SHARE * n)
                     and "," not in k and not set(WORDS.findall(k)) <= ENGLISH_STOP_WORDS)


def site_repeats(counts: Counts, used: Counter[tuple[str, bool]] | None = None) -> Repeats:
    """One outlet's template, from ``line_counts`` of its articles: the sentences, the skeletons of
    short sentences (credit lines: "Jane Doe contributed to this report.") and the two-word
    openings of non-prose lines, found in ten or more of its articles and ``SITE_SHARE`` of them; the
    six-word openings of sentences found in ten or more and ``SITE_OPENING_SHARE`` of them (a wire's
    "WASHINGTON (Reuters) - President Donald Trump" opens fewer); and its labels: ``label_candidates``
    whose words, where they occur at all in its articles, open a sentence ``LABEL_ONLY`` of the times
    (``used``, from ``usage_counts``): "FILE PHOTO:", "Hide caption", "Related Video", "Contributing:",
    "Image copyright", where "In addition" or "President Donald" also run inside sentences."""
    _, prefixes, sents, opens, shapes, heads, n = counts
    floor = max(10, SITE_SHARE * n)
    used = used or Counter()
    return Repeats(prefixes=frozenset(k for k, c in prefixes.items() if c >= floor and k.count(" ") == 1),
                   sentences=frozenset(k for k, c in sents.items() if c >= floor),
                   openings=frozenset(k for k, c in opens.items() if c >= max(10, SITE_OPENING_SHARE * n)),
                   skeletons=frozenset(k for k, c in shapes.items() if c >= floor),
                   labels=frozenset(k for k in label_candidates(counts)
                                    if used[k, True] >= LABEL_ONLY * (used[k, True] + used[k, False]) > 0))


def _boilerplate(words: list[str], key: str, repeats: Repeats) -> tuple[int, int]:
    """The words ``[lo:hi]`` of a sentence that are corpus boilerplate ((0, 0): none). All of them for
    a repeated sentence, one that opens like many, or one that starts with a repeated sentence of
    4+ words (a caption glued to its counter; ``hi`` then marks where the caption starts). A
    repeated sentence it ends with alone, when the words before it end like a sentence (a tweet
    before its sign-off); else all ("X and the Associated Press contributed to this report.")."""
    n = len(words)
    if key in repeats.sentences or _prefix(key, OPENING) in repeats.openings:
        return 0, n
    first, last = repeats.ends
    if any(" ".join(words[-k:]) in repeats.sentences for k in last.get(words[-1], ()) if k < n):
        k = max(k for k in last[words[-1]] if k < n and " ".join(words[-k:]) in repeats.sentences)
        return (n - k if ends_sentence(" ".join(words[: n - k])) else 0), n
    k = max((k for k in first.get(words[0], ()) if k < n and " ".join(words[:k]) in repeats.sentences), default=0)
    return 0, k


def is_credit(sentence: str) -> bool:
    """A photo credit: up to 14 words, not ending like a sentence, ending in names joined by slashes
    ("Photograph: Jane Doe/Reuters", "REUTERS/Jane Doe/File Photo", "(AP Photo/Jane Doe)", "Previous
    Next Jane Doe/Getty Images"), the convention of news photo credits."""
    return len(sentence.split()) <= 14 and not ends_sentence(sentence) and CREDIT.search(sentence) is not None


def sentence_spans(raw: str, bs: list[Block], kinds: list[str | None], repeats: Repeats) -> list[tuple[int, Span]]:
    """Photo credits and corpus-boilerplate sentences inside the blocks not already removed, as (block
    index, span) (see the module docstring); a block left without prose is marked in ``kinds`` instead."""
    found: dict[int, list[tuple[int, int, int | None, str]]] = {}  # block -> (start, end, cut from, opening)
    credits: set[int] = set()  # starts of the sentences that are photo credits
    chars = repeated_chars = 0
    for i, b in enumerate(bs):
        if kinds[i] is None:
            rows = []
            for start, end, k in sentences(raw, b):
                words = k.split()
                if is_credit(raw[start:end]):
                    lo, hi = 0, len(words)
                    credits.add(start)
                    templated = False
                elif templated := bool(repeats.skeletons) and skeleton(raw[start:end]) in repeats.skeletons:
                    lo, hi = 0, len(words)
                elif head(k) in repeats.labels and not WIRE_DATELINE.match(raw, start):
                    lo, hi = 0, len(words)
                else:
                    lo, hi = _boilerplate(words, k, repeats)
                cut = None if hi == 0 else start if lo == 0 else list(WORD.finditer(raw, start, end))[lo].start()
                rows.append((start, end, cut, " ".join(words[hi:][:OPENING]) if lo == 0 else ""))
                chars += end - start
                repeated_chars += (end - start) * (templated or k in repeats.sentences)
            found[i] = rows
    if repeated_chars >= 0.5 * chars:  # a copy of another article or a templated one, not boilerplate
        found = {i: [(start, end, start if start in credits else None, "") for start, end, _, _ in rows]
                 for i, rows in found.items()}
    openings = Counter(o for rows in found.values() for _, _, _, o in rows if o)
    alike = {o for rows in found.values() for _, _, cut, o in rows if cut is not None and o and openings[o] >= 3}
    spans = []
    for i, rows in found.items():
        rows = [(start, end, start if o in alike else cut) for start, end, cut, o in rows]
        cut_rows = [start for start, _, cut in rows if cut is not None]
        if not cut_rows:
            continue
        kind = "photo credit" if all(start in credits for start in cut_rows) else "corpus boilerplate"
        if not is_prose(" ".join(raw[start:end if cut is None else cut] for start, end, cut in rows)):
            kinds[i] = kind
        else:
            spans += [(i, Span(cut, end, "photo credit" if start in credits else "corpus boilerplate"))
                      for start, end, cut in rows if cut is not None]
    return spans


def _line_kind(block: Block, lowered: str, repeats: Repeats, copy_like: bool) -> str | None:
    text, words = block.text, block.words
    if words >= 4:
        seps = sum(f" {text} ".count(sep) for sep in SEPARATORS)
        if seps >= 3 and seps >= 0.12 * words:
            return "link list"
    if words <= 30 and COPYRIGHT.search(text):
        return "copyright"
    if words <= 5 and PAGE_COUNTER.match(text):
        return "page counter"
    if not copy_like and words <= MAX_REPEATED_WORDS:
        if lowered in repeats.lines or (not is_prose(text) and (
                _prefix(lowered) in repeats.prefixes or _prefix(lowered, 2) in repeats.prefixes)):
            return "corpus boilerplate"
    return None


def detect(raw: str, repeats: Repeats = Repeats(), bs: list[Block] | None = None) -> list[Span]:
    """The boilerplate and repeated-paragraph spans of one article (see the module docstring)."""
    bs = blocks(raw) if bs is None else bs
    if not bs:
        return []
    keys = [key(b.text) for b in bs]
    repeated_chars = sum(len(k) for k in keys if k in repeats.lines)
    copy_like = repeated_chars >= 0.5 * sum(len(k) for k in keys)
    kinds: list[str | None] = [_line_kind(b, k, repeats, copy_like) for b, k in zip(bs, keys, strict=True)]
    inline = [] if copy_like else sentence_spans(raw, bs, kinds, repeats)
    prose = [is_prose(b.text, b.words) for b in bs]
    for _ in range(2):  # orphans: prose-shaped, unterminated, boilerplate on both sides
        for i in range(1, len(bs) - 1):
            if (kinds[i] is None and kinds[i - 1] and kinds[i + 1] and prose[i]
                    and not ends_sentence(bs[i].text)):
                kinds[i] = kinds[i + 1]
    first = next((k for k in range(len(bs)) if prose[k] and kinds[k] is None), 0)
    for k in range(first):
        kinds[k] = kinds[k] or "header"
    i = 0
    while i < len(bs):  # runs of non-prose blocks
        j = i
        while j < len(bs) and (not prose[j] or kinds[j]):
            j += 1
        run = j - i
        if run >= 3 or (run >= 1 and bs[i].text.endswith(":") and (run >= 2 or j == len(bs))):
            for k in range(i, j):
                kinds[k] = kinds[k] or "link list"
        i = max(j, i + 1)
    seen: set[str] = set()
    for k, b in enumerate(bs):
        if kinds[k] is None and b.words >= 5:
            if keys[k] in seen:
                kinds[k] = "repeated paragraph"
            seen.add(keys[k])
    spans = [Span(b.start, b.end, kind) for b, kind in zip(bs, kinds, strict=True) if kind]
    spans += [span for i, span in inline if not kinds[i]]
    for k, b in enumerate(bs):
        if kinds[k] is None and (m := TRAILING_COUNTER.search(raw, max(b.start, b.end - TAIL), b.end)):
            spans.append(Span(m.start(), b.end, "page counter"))
    return sorted(spans, key=lambda s: s.start)


def apply(raw: str, spans: Iterable[Span], bs: list[Block] | None = None) -> str:
    """The cleaned text: the blocks of the raw text without their active spans, whitespace
    collapsed, separated by a blank line. ``bs`` saves recomputing ``blocks(raw)``."""
    active = sorted((s for s in spans if not s.restored), key=lambda s: s.start)
    out, i = [], 0
    for b in bs if bs is not None else blocks(raw):
        while i < len(active) and active[i].end <= b.start:
            i += 1
        inside = [s for s in active[i:] if s.start < b.end]
        if not inside:
            out.append(b.text)
        elif not any(s.start <= b.start and s.end >= b.end for s in inside):
            pieces, pos = [], b.start
            for s in inside:
                pieces.append(raw[pos : max(pos, s.start)])
                pos = max(pos, s.end)
            pieces.append(raw[pos : b.end])
            text = " ".join("".join(pieces).split())
            if text:
                out.append(text)
    return "\n\n".join(out)


def marked(raw: str, spans: Iterable[Span]) -> str:
    """The raw text with each removed span wrapped as ``⟦kind: …⟧`` (restored spans unmarked),
    for the analyst to review what cleaning took out. Plain text: show it as text, never as HTML."""
    pieces, pos = [], 0
    for span in sorted((s for s in spans if not s.restored), key=lambda s: s.start):
        if span.start >= pos:
            pieces += [raw[pos : span.start], f"⟦{span.kind}: ", raw[span.start : span.end], "⟧"]
            pos = span.end
    pieces.append(raw[pos:])
    return "".join(pieces)


def clean(raw: str, repeats: Repeats = Repeats()) -> tuple[str, list[Span]]:
    """Detect and apply in one go: ``(cleaned text, removed spans)``."""
    bs = blocks(raw)
    spans = detect(raw, repeats, bs)
    return apply(raw, spans, bs), spans
