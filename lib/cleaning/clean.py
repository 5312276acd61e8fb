"""Boilerplate and repeated-paragraph removal, with every removal kept as a reviewable span.

Method: line-level classification in the spirit of jusText (Pomikálek 2011, "Removing boilerplate
and duplicate content from web corpora") and boilerpipe's shallow text features (Kohlschütter et
al. 2010). Lines broken mid-sentence are first rejoined into blocks. A block is *prose* when it has
eight or more words and ends like a sentence, or twenty or more words. Boilerplate is then:

- separator-heavy lines ("Home | About | Contact", "A - B - C - D"): link lists on one line;
- copyright lines (a "©" or "all rights ... reserved" in a short line);
- page counters ("104/207", "Page 2 of 5"), also when trailing a sentence;
- photo galleries flattened into one block: three or more counters "<word> N of M" with the same word
  and total, N rising ("... Hide Caption 3 of 19 Photos: ..."): the captions between them go with them,
  however many sentences each has;
- media-player lines: 3 to 40 words ending with a running time, not like a sentence ("<title> Listen ·
  4:07 4:07", "<video title> 02:07");
- data tables and charts flattened into a line: 20 or more words, 40% of them with a digit, not ending like a
  sentence (a stock ticker, a chart's axis labels, "Safe D (164): California (55), Connecticut (7), ...");
- transcript speaker labels: two words that open three or more lines of an article and, wherever they are
  in it, open a line or a sentence, followed by the end of the line, a colon or (in lower case or
  capitals) a bracket, a quote, a number or a capital ("michael barbaro", "archived recording (jane roe) We
  will ...", "AMY GOODMAN:"): the label goes, what is said stays;
- lines repeated across the corpus (short lines in three or more articles, prose-shaped lines in
  ten or more and 0.1% of them; digits masked and a label's marks stripped, so "3 hours ago" and
  "Advertisement:" count with their kind), but not news (DESIGN.md rule 0, ``lib/cleaning/news.py``): a line that
  quotes, is prose several named outlets carry (wire copy) or reads as the article's story (a wire
  headline) stays, unless one outlet alone repeats it in ten or more of its articles (its template,
  ``Repeats.templates``); nor
  the prose lines of an article made mostly of repeated lines (a copy); and short lines whose first
  three words start lines in 0.1% of the articles, or first two words in 1% (captions, player labels);
- an outlet's own template, where the corpus names outlets (Bar-Yossef and Rajagopalan 2002,
  "Template detection via data mining"): sentences found in ten or more of its articles and 2% of
  them (sign-up boxes, sponsor notices), the first two words of short lines in ten or more and 5%
  ("toggle caption", "Write to"), the first six words of sentences in ten or more and 20% ("Image
  copyright Getty Images Image caption ..."), and short sentences whose skeleton (names and numbers
  blanked) is found in ten or more and 2% ("Jane Doe contributed to this report.");
- an outlet's labels (``repeats.site_repeats``): sentences that open with the two words of a caption
  or player label ("FILE PHOTO:", "Hide caption", "FILE -") or end with those of a credit, a link or
  a notice ("... contributed to this report.", "<headline> Read more"), found in ten or more of its
  articles and 5% of them and nowhere else in them; a wire dateline that opens the lead stays
  ("WASHINGTON (AP) -": a name, where "FILE" is also written "file"); and lines that open with a word in
  capitals found there in ten or more and 5% of its articles and written in capitals nowhere else ("CLOSE
  <a video's caption> <its credit>", where "US" also runs inside lines);
- photo credits, in any corpus: a short unit not ending like a sentence that ends in names joined
  by slashes ("Photograph: Jane Doe/Reuters", "REUTERS/Jane Doe/File Photo", "(AP Photo/Jane Doe)"); and in an
  outlet whose template it is (ten or more and 5% of its articles), a block opened by a photo credit glued to its
  caption, or with one after a bar ("Jane Doe/AP Protesters gather ...", "<caption> | Jane Doe/POLITICO <title>");
- the same inside lines, sentence by sentence (digits masked, so "Hide Caption 3 of 24" is one
  sentence): a sentence of three or more words repeated in ten or more articles and 0.1% of them
  (sign-up boxes, reprint notices, player labels; not news, as for lines; not in an article made mostly
  of them, a copy);
  a sentence that starts with such a sentence of four or more words (a caption glued to its
  counter); one that ends with one (the ending alone when what precedes it ends like a sentence, a
  tweet before its sign-off; else all of it, "X and the Associated Press contributed to this
  report."); a sentence whose first six words open sentences in 1% of the articles ("Media
  playback is unsupported on your device Media caption ..."); the sentences of the article that
  open like a caption glued to its counter (the other captions of a gallery); a line left without
  prose goes as a whole;
- link cards flattened into a sentence: a name followed by the same name in full glued to the card's headlines,
  up to the word in capitals that closes every card of 95% of an outlet's articles with cards, in ten or more and
  5% of its articles ("Rep. Jane Doe Jane Q. DoeHouse passes ... MORE (D-Ohio)", a site's hover cards): the card
  goes, the name stays;
- passages an outlet repeats word for word, inside sentences too: runs of words whose every twelve words
  (shingles, Broder 1997) are found in ten or more of its articles and 0.5% of them (headline cards glued to a
  name, a transcript notice, a poll's methodology), but a run that quotes stays, and what a
  run holds beside a link card is a passage only if twelve words long itself (the name the card is glued to); a line
  they leave without prose goes as a whole ("Morning Score newsletter Your guide to the permanent campaign —");
- prose-shaped blocks whose both neighbours are boilerplate and that do not end like a sentence;
- runs of three or more non-prose blocks, or two where the first ends with ":" (link lists such as
  "Read more:" followed by headlines);
- everything before the first prose block (the page header: site name, title, byline, date);
- a paragraph that repeats an earlier one of the same article.

Blocks and the prose test are ``lib/cleaning/blocks.py``; galleries, players, tables, speaker labels, link cards
and captions opened by their credit, which an article shows by its own shape, are found by
``lib/cleaning/furniture.py``; what repeats, across the corpus and in each outlet's template, is counted and kept by
``lib/cleaning/repeats.py`` (with ``counts``, ``features`` and ``passages``, which also finds an outlet's passages
in an article); this module decides what goes. Spans are offsets into the raw text (``lib/cleaning/spans.py``:
``apply`` rebuilds the cleaned text from the raw text's blocks and the spans still active, so a restored span comes
back exactly where it was).
"""


from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable

from lib.cleaning import furniture
from lib.cleaning.blocks import Block, blocks, ends_sentence, is_prose, key
from lib.cleaning.news import news, story_words
from lib.cleaning.passages import beside, leftovers, passage_spans
from lib.cleaning.repeats import (
    MAX_REPEATED_WORDS,
    OPENING,
    SKELETON_WORDS,
    Repeats,
    caps_opening,
    head_of,
    prefix,
    sentences,
    skeleton,
    tail_of,
)
from lib.cleaning.spans import Span, apply, marked  # noqa: F401 (re-exported: ``clean.Span`` and the rest)
from lib.text import segment

try:  # compiled where the install found a C compiler (setup.py); else each sentence is read by ``sentence_spans``
    from lib.cleaning._keys import quiet as _quiet
except ImportError:
    _quiet = None

try:  # compiled where the install found a C compiler (setup.py); else counted by ``str.count``
    from lib.cleaning._blocks import spaced as _spaced
except ImportError:
    _spaced = None

KINDS = ("header", "link list", "copyright", "page counter", "photo credit", "corpus boilerplate",
         "repeated paragraph", "repeated passage", "photo gallery", "media player", "speaker label", "link card",
         "data table")
MARKS = "|-–—•·»/"  # a link list's separators, each between spaces (``SEPARATORS``)
SEPARATORS = tuple(f" {mark} " for mark in MARKS)
COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\ball rights\b.{0,40}\breserved\b|^\s*copyright\b", re.IGNORECASE)
PAGE_COUNTER = re.compile(r"^\s*(?:\d{1,4}\s*/\s*\d{1,4}|page\s+\d+\s+of\s+\d+)\s*$", re.IGNORECASE)
TRAILING_COUNTER = re.compile(r"(?<=[.!?”\"’])[\s\u00a0]+\d{1,4}\s*/\s*\d{1,4}[\s\u00a0]*$")
CREDIT_WORDS = 14  # the longest photo credit (``is_credit``)
TAIL = 40  # characters at the end of a block where a trailing page counter can be
WORD = re.compile(r"\S+")
NOTHING_REPEATS = Repeats()  # a lone article: nothing is known to repeat
WIRE_DATELINE = re.compile(r"[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,3}(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2})?"
                           r"\s*\([A-Z][^()]{0,40}\)"  # "Washington (CNN)", "NEW YORK, March 3 (Reuters)"
                           r"|[A-Z][A-Z.'’ -]{2,40}(?:,[^()\n]{1,30})?\s*[-–—]")  # "WASHINGTON, March 3 -"
_CAP = r"[A-Z][\w.'’&-]*"  # a capitalised word
CREDIT = re.compile(rf"{_CAP}(?:\s+(?:(?:de|van|von|la|le|del|da)\s+)?{_CAP}){{0,4}}"
                    rf"(?:(?:\s*/\s*|\s+via\s+){_CAP}(?:\s+{_CAP}){{0,3}})+\)?"  # "Jane Doe/Getty Images)",
                    rf"(?:,\s*{_CAP})?\s*$")  # "NurPhoto via Getty Images", "Jane Doe/AFP, FILE" at the end


def _boilerplate(words: list[str], key: str, repeats: Repeats, is_furniture: Callable[[str], bool],
                 ) -> tuple[int, int]:
    """The words ``[lo:hi]`` of a sentence that are corpus boilerplate ((0, 0): none). All of them for
    a repeated sentence, one that opens like many, or one that starts with a repeated sentence of
    4+ words (a caption glued to its counter; ``hi`` then marks where the caption starts). A
    repeated sentence it ends with alone, when the words before it end like a sentence (a tweet
    before its sign-off); else all ("X and the Associated Press contributed to this report."). A repeated
    part (the sentence, its opening, its start or its end) counts where ``is_furniture`` says so (an outlet's
    template, or not ``news``)."""
    n = len(words)
    opening = " ".join(words[:OPENING]) if n > OPENING else ""  # ``prefix(key, OPENING)``: judged alone where only
    # the opening repeats ("Media caption <caption>")
    first, last = repeats.ends
    if n and key not in repeats.sentences and opening not in repeats.openings and words[-1] not in last and (
            words[0] not in first):
        return 0, 0  # no part of it repeats (most sentences): the cheap tests first
    if key in repeats.sentences and is_furniture(key) or (
            opening in repeats.openings and key not in repeats.sentences and is_furniture(opening)):
        return 0, n
    ends = [k for k in last.get(words[-1], ()) if k < n and " ".join(words[-k:]) in repeats.sentences]
    if ends and is_furniture(" ".join(words[-max(ends):])):
        k = max(ends)
        return (n - k if ends_sentence(" ".join(words[: n - k])) else 0), n
    k = max((k for k in first.get(words[0], ()) if k < n and " ".join(words[:k]) in repeats.sentences), default=0)
    return (0, k) if k and is_furniture(" ".join(words[:k])) else (0, 0)


def separators(line: str) -> int:
    """How many ``SEPARATORS`` a line holds, each counted as ``str.count`` counts it in the line with a space added at
    each end (``lib/cleaning/_blocks.c``, where the install compiled it, counts the same in one pass)."""
    if _spaced is not None:
        return _spaced(line, MARKS)
    return sum(map(f" {line} ".count, SEPARATORS))


def copyright_line(line: str) -> bool:
    """Whether ``COPYRIGHT`` is found in a line; in an ASCII line, only where one of its words is (a cheap test
    first: the pattern's special cases of letters are not ASCII)."""
    if line.isascii():
        low = line.lower()
        if "copyright" not in low and "(c)" not in low and "all rights" not in low:
            return False
    return COPYRIGHT.search(line) is not None


def is_credit(sentence: str) -> bool:
    """A photo credit: up to 14 words, not ending like a sentence, ending in names joined by slashes or
    "via", perhaps with one more word after a comma ("Photograph: Jane Doe/Reuters", "REUTERS/Jane
    Doe/File Photo", "(AP Photo/Jane Doe)", "Previous Next Jane Doe/Getty Images", "Pool via Getty Images",
    "Jane Doe/AFP/Getty Images, FILE"), the convention of news photo credits."""
    if "/" not in sentence and "via" not in sentence:  # ``CREDIT`` needs one: the cheap test first
        return False
    return len(sentence.split()) <= CREDIT_WORDS and not ends_sentence(sentence) and CREDIT.search(sentence) is not None


def quiet_sentences(raw: str, block: Block, repeats: Repeats) -> list[tuple[int, int, str, str | None]]:
    """The sentences of a block (``sentences``: start, end, key) with, for each that no rule of ``sentence_spans``
    can take, the first ``OPENING`` words of its key, else None: found by ``lib/cleaning/_keys.c`` where the install
    compiled it (the tests each rule opens with: a "/" or "via" for a credit, its skeleton, head and tail among the
    outlet's, its key, opening, first or last words among the repeated ones); else None for every sentence, and
    ``sentence_spans`` reads each."""
    if _quiet is None:
        return [(start, end, k, None) for start, end, k in sentences(raw, block)]
    labels = repeats.labels
    return _quiet(raw, block.start, segment.sentence_spans(raw[block.start : block.end]),
                  (repeats.sentences, repeats.openings, *repeats.ends, repeats.skeletons, labels.heads, labels.tails),
                  CREDIT_WORDS, SKELETON_WORDS, OPENING)


def sentence_spans(raw: str, bs: list[Block], kinds: list[str | None], repeats: Repeats,
                   story: Callable[[], Counter[str]] | None = None) -> list[tuple[int, Span]]:
    """Photo credits and corpus-boilerplate sentences inside the blocks not already removed, as (block
    index, span) (see the module docstring); a block left without prose is marked in ``kinds`` instead. A
    repeated sentence that is news (``lib/cleaning/news.py``) stays."""
    story = story or functools.cache(lambda: story_words(bs))
    labels = repeats.labels
    found: dict[int, list[tuple[int, int, int | None, str]]] = {}  # block -> (start, end, cut from, opening)
    credits: set[int] = set()  # starts of the sentences that are photo credits
    chars = repeated_chars = 0
    for i, b in enumerate(bs):
        if kinds[i] is None:
            rows = []
            inside = is_prose(b.text, b.words)
            for start, end, k, opening in quiet_sentences(raw, b, repeats):
                if opening is not None:  # no rule below can take it (most sentences)
                    rows.append((start, end, None, opening))
                    chars += end - start
                    continue
                words = k.split()
                if len(words) <= CREDIT_WORDS and is_credit(raw[start:end]):
                    lo, hi = 0, len(words)
                    credits.add(start)
                    templated = False
                elif templated := (bool(repeats.skeletons) and len(words) <= SKELETON_WORDS
                                   and skeleton(raw[start:end]) in repeats.skeletons):
                    lo, hi = 0, len(words)
                elif (labels.heads and (h := head_of(words)) in labels.heads
                      and not (h in repeats.names and WIRE_DATELINE.match(raw, start))
                      or labels.tails and tail_of(words) in labels.tails):
                    lo, hi = 0, len(words)
                else:
                    lo, hi = _boilerplate(words, k, repeats, lambda text, inside=inside: (
                        text in repeats.templates or not news(text, story(), inside, repeats.shared(text))))
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


def _line_kind(block: Block, lowered: str, repeats: Repeats, copy_like: bool,
               story: Callable[[], Counter[str]]) -> str | None:
    text, words = block.text, block.words
    if words >= 4:
        seps = separators(text)
        if seps >= 3 and seps >= 0.12 * words:
            return "link list"
    if words <= 30 and copyright_line(text):
        return "copyright"
    if words <= 5 and PAGE_COUNTER.match(text):
        return "page counter"
    if furniture.is_gallery(text):
        return "photo gallery"
    if words <= MAX_REPEATED_WORDS and furniture.is_player(text):
        return "media player"
    if furniture.is_table(text):
        return "data table"
    if repeats.labels.captions and furniture.is_captioned(text):
        return "photo credit"  # "Jane Doe/AP Protesters gather ...", where the outlet's template has such captions
    if repeats.labels.caps and caps_opening(text) in repeats.labels.caps:
        return "corpus boilerplate"  # an outlet's capitalised label opens it: "CLOSE <a video's caption>"
    if words <= MAX_REPEATED_WORDS:
        prose = is_prose(text, words)
        if lowered in repeats.lines and not (copy_like and prose) and (
                lowered in repeats.templates or not news(text, story(), prose, repeats.shared(lowered))):
            return "corpus boilerplate"  # a copy's clutter too; its prose and what reads as its story stay
        if not copy_like and not prose and repeats.prefixes and (
                prefix(lowered) in repeats.prefixes or prefix(lowered, 2) in repeats.prefixes):
            return "corpus boilerplate"
    return None


def detect(raw: str, repeats: Repeats = NOTHING_REPEATS, bs: list[Block] | None = None,
           runs: list[tuple[int, int]] | None = None) -> list[Span]:
    """The boilerplate and repeated-paragraph spans of one article (see the module docstring); ``runs``: its
    ``passage_runs`` of ``repeats.passages``, if found already (``passages.passages_and_runs``)."""
    bs = blocks(raw) if bs is None else bs
    if not bs:
        return []
    keys = [key(b.text) for b in bs]
    repeated_chars = sum(len(k) for k in keys if k in repeats.lines)
    copy_like = repeated_chars >= 0.5 * sum(len(k) for k in keys)
    story = functools.cache(lambda: story_words(bs))  # the article's prose words, once a repeat asks for them
    kinds: list[str | None] = [_line_kind(b, k, repeats, copy_like, story) for b, k in zip(bs, keys, strict=True)]
    inline = [] if copy_like else sentence_spans(raw, bs, kinds, repeats, story)
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
            if b.text.lower() in seen:
                kinds[k] = "repeated paragraph"
            seen.add(b.text.lower())
    spans = [Span(b.start, b.end, kind) for b, kind in zip(bs, kinds, strict=True) if kind]
    spans += [Span(start, end, "speaker label") for start, end in furniture.speaker_labels(raw, bs, kinds)]
    cards = [Span(start, end, "link card") for start, end in furniture.link_cards(raw, repeats.labels.closers)]
    spans += [c for c in cards if not any(s.start <= c.start and c.end <= s.end for s in spans)]
    spans += [span for i, span in inline if not kinds[i]]
    for k, b in enumerate(bs):
        if kinds[k] is None and (m := TRAILING_COUNTER.search(raw, max(b.start, b.end - TAIL), b.end)):
            spans.append(Span(m.start(), b.end, "page counter"))
    if repeats.passages:  # those not already inside a removed span
        found = passage_spans(raw, repeats.passages) if runs is None else [
            Span(start, end, "repeated passage") for start, end in runs]
        passages = [p for p in beside(raw, found, cards)
                    if not any(s.start <= p.start and p.end <= s.end for s in spans)]
        spans = leftovers(raw, bs, spans + passages, passages)
    return sorted(spans, key=lambda s: s.start)


def clean(raw: str, repeats: Repeats = NOTHING_REPEATS, bs: list[Block] | None = None,
          runs: list[tuple[int, int]] | None = None) -> tuple[str, list[Span]]:
    """Detect and apply in one go: ``(cleaned text, removed spans)``; ``bs``: ``blocks(raw)`` and ``runs``: its
    repeated passages (``detect``), if found already."""
    bs = blocks(raw) if bs is None else bs
    spans = detect(raw, repeats, bs, runs)
    return apply(raw, spans, bs), spans
