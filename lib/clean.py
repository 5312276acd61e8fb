"""Boilerplate and repeated-paragraph removal, with every removal kept as a reviewable span.

Method: line-level classification in the spirit of jusText (Pomikálek 2011, "Removing boilerplate
and duplicate content from web corpora") and boilerpipe's shallow text features (Kohlschütter et
al. 2010). Lines broken mid-sentence are first rejoined into blocks. A block is *prose* when it has
eight or more words and ends like a sentence, or twenty or more words. Boilerplate is then:

- separator-heavy lines ("Home | About | Contact", "A - B - C - D"): link lists on one line;
- copyright lines (a "©" or "all rights ... reserved" in a short line);
- page counters ("104/207", "Page 2 of 5"), also when trailing a sentence;
- lines repeated across the corpus (short lines in three or more articles, sentences in five or more
  and 0.1% of them; not in an article made mostly of such lines, which is a copy), and short lines
  whose first words start lines in many articles (captions, player labels);
- prose-shaped blocks whose both neighbours are boilerplate and that do not end like a sentence;
- runs of three or more non-prose blocks, or two where the first ends with ":" (link lists such as
  "Read more:" followed by headlines);
- everything before the first prose block (the page header: site name, title, byline, date);
- a paragraph that repeats an earlier one of the same article.

Spans are offsets into the raw text; ``apply`` rebuilds the cleaned text from the raw text's blocks
and the spans still active, so a restored span comes back exactly where it was.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("header", "link list", "copyright", "page counter", "corpus boilerplate",
         "repeated paragraph")
SENTENCE_END = re.compile(r"""(?<![.…\s])[.!?]["'”’)\]]*\s*$|\w[:;]\s*$|["”’]\s*$""")
SEPARATORS = (" | ", " - ", " – ", " — ", " • ", " · ", " » ", " / ")
COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\ball rights\b.{0,40}\breserved\b|^\s*copyright\b", re.IGNORECASE)
PAGE_COUNTER = re.compile(r"^\s*(?:\d{1,4}\s*/\s*\d{1,4}|page\s+\d+\s+of\s+\d+)\s*$", re.IGNORECASE)
TRAILING_COUNTER = re.compile(r"(?<=[.!?”\"’])[\s\u00a0]+\d{1,4}\s*/\s*\d{1,4}[\s\u00a0]*$")
TAIL = 40  # characters at the end of a block where a trailing page counter can be
LINE = re.compile(r"[^\n]*\n?")
MAX_REPEATED_WORDS = 40


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


def _prefix(text: str) -> str:
    words = text.lower().split()
    return " ".join(words[:3]) if len(words) > 3 else ""


@dataclass(frozen=True)
class Repeats:
    """What repeats across a corpus: whole lines and the opening words of short non-prose lines."""

    lines: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()


def line_counts(raws: Iterable[str]) -> tuple[Counter[str], Counter[str], int]:
    """In how many articles each line (up to 40 words) and each non-prose line's three-word opening
    occurs, and the number of articles; counts of parts of a corpus add up (``Counter.update``)."""
    lines: Counter[str] = Counter()
    prefixes: Counter[str] = Counter()
    n = 0
    for raw in raws:
        n += 1
        seen = {key(b.text) for b in blocks(raw) if b.words <= MAX_REPEATED_WORDS}
        lines.update(seen)
        prefixes.update({_prefix(k) for k in seen if not is_prose(k)} - {""})
    return lines, prefixes, n


def corpus_repeats(raws: Iterable[str] = (), min_articles: int = 3,
                   counts: tuple[Counter[str], Counter[str], int] | None = None) -> Repeats:
    """Lines (up to 40 words) found in ``min_articles`` or more articles (prose-shaped lines: in
    five or more and 0.1% of the corpus, so a wire sentence that a few outlets share stays for
    reuse detection), and the three-word openings of non-prose lines found in ten or more articles
    and 0.1% of the corpus. ``counts`` (from ``line_counts``) replaces ``raws`` when given."""
    lines, prefixes, n = counts or line_counts(raws)
    prose_min, prefix_min = max(5, min_articles, n // 1000), max(10, n // 1000)
    return Repeats(
        frozenset(k for k, c in lines.items() if c >= (prose_min if is_prose(k) else min_articles)),
        frozenset(k for k, c in prefixes.items() if c >= prefix_min),
    )


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
        if lowered in repeats.lines or (not is_prose(text) and _prefix(lowered) in repeats.prefixes):
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
