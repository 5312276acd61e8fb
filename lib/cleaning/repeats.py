"""What repeats across a corpus, and in each outlet's template: the counts cleaning removes by.

- ``line_counts`` counts (``Counts``), in how many articles, each line, each non-prose line's opening words,
  each sentence, each sentence's six-word opening, each short sentence's ``skeleton`` and each label
  candidate by its kind (``head``, ``tail``, ``caps_opening``, link-card closer); counts of parts of a
  corpus add up (``Counts.update``).
- ``corpus_repeats`` keeps what is repeated across the whole corpus; ``site_repeats`` what one
  outlet repeats, its template (Bar-Yossef and Rajagopalan 2002, "Template detection via data
  mining"), with its labels found by a second pass (``label_candidates``, ``usage_counts``).
- ``Repeats`` holds the result, its labels by kind in ``Labels``; ``lib/cleaning/template.py`` puts the
  corpus's and each outlet's together, ``lib/cleaning/clean.py`` removes what they list.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from lib.cleaning import furniture
from lib.cleaning.blocks import Block, blocks, is_prose, key
from lib.text import segment, tokeniser

MAX_REPEATED_WORDS = 40
DIGITS = re.compile(r"\d+")
OPENING = 6  # words that make two sentences of an article "open alike"
SITE_MIN = 10  # an outlet's or an author's template: in this many of their articles at least
SITE_SHARE = 0.02  # an outlet's template: in this share of its articles (AP's "… receives support from the Howard
# Hughes Medical Institute …" is in 4%)
SITE_LABEL_SHARE = 0.05  # ... and in this share for its labels and the openings of its short lines: at 2%, quotes
# that open alike ("“I just") and subheadings ("What do we know about ...") would pass
AUTHOR_SHARE = 0.2  # an author's template (a columnist's sign-off): in this share of their articles
SITE_OPENING_SHARE = 0.2  # ... and for six-word sentence openings, in this share
SKELETON_WORDS = 15  # the longest sentence whose skeleton is compared (a credit line, not a templated lead)
LABEL_ONLY = 0.95  # a sentence opening (ending) is a label when its words open (end) a sentence this share of the times
TAIL_SLACK = 4  # ... a sentence ending ends its line, but for at most this many words ("from Salt Lake City.")
CAPS_OPENING = re.compile(r"([A-Z]{2,})\s+([\w\"“‘']\S*)")  # "CLOSE Roger", "CLOSE A"; not "WASHINGTON —"
PASSAGE = 12  # words: a passage an outlet repeats word for word, inside sentences too (The Hill's headline cards)
PASSAGE_SHARE = 0.005  # ... in ten or more of its articles and this share of them: twelve words repeated word for
# word are rarer than a sentence whose digits are masked; what 0.5% adds to 1% in AllSides' 40 largest outlets is all
# furniture (The Hill's rarer cards, USA Today's opinion notices, Vox's sign-ups, Fox's and CNN's poll methods)
# word k of a shingle weighs 0x9E3779B97F4A7C15 ** (PASSAGE - 1 - k) (mod 2**64): odd, so each word counts
SHINGLE_WEIGHTS = np.array([pow(0x9E3779B97F4A7C15, PASSAGE - 1 - k, 2**64) for k in range(PASSAGE)], dtype=np.uint64)
QUOTATION = re.compile(r"[“”\"]")
NAME_RUN = re.compile(r"(?:(?<![\w'’])[A-Z][\w.&-]*(?:['’]s?)?[,:;]?(?:\s+|$))+")  # capitalised words
WORDS = re.compile(r"[\w']+")
LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")


def prefix(text: str, n: int = 3) -> str:
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
class Labels:
    """An outlet's labels by kind (``site_repeats``): ``heads`` open a sentence ("hide caption", "file photo:"),
    ``tails`` end one ("read more", "this report"), ``caps`` are a word in capitals that opens lines glued to what
    follows ("close": "CLOSE <a video's caption>"), ``closers`` the words in capitals that close its link cards
    ("MORE", ``furniture.cards``); ``captions``: blocks opened by a photo credit are its template
    (``captioned``)."""

    heads: frozenset[str] = frozenset()
    tails: frozenset[str] = frozenset()
    caps: frozenset[str] = frozenset()
    closers: frozenset[str] = frozenset()
    captions: bool = False

    def __or__(self, other: Labels) -> Labels:
        return Labels(self.heads | other.heads, self.tails | other.tails, self.caps | other.caps,
                      self.closers | other.closers, self.captions or other.captions)

    def __bool__(self) -> bool:
        return bool(self.heads or self.tails or self.caps or self.closers or self.captions)


@dataclass(frozen=True)
class Repeats:
    """What repeats across a corpus: whole lines, the opening words of short non-prose lines,
    sentences (by ``sentence_key``), the opening words of sentences, and the skeletons of short
    sentences (``skeleton``) and the labels (``Labels``, see ``site_repeats``) that an outlet
    repeats, those of its head labels that are names (``name_labels``), and the passages it repeats (``shingles``,
    see ``site_passages``)."""

    lines: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    sentences: frozenset[str] = frozenset()
    openings: frozenset[str] = frozenset()
    skeletons: frozenset[str] = frozenset()
    labels: Labels = Labels()
    names: frozenset[str] = frozenset()
    passages: frozenset[int] = frozenset()
    templates: frozenset[str] = frozenset()  # lines, sentences, openings that 10+ articles of one outlet repeat
    solo: frozenset[str] = frozenset()  # lines, sentences, openings that the articles of one named outlet alone repeat
    by_outlet: bool = False  # the article's outlet is named: what repeats and is not ``solo``, several outlets share

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

    def shared(self, key: str) -> bool:
        """Whether several named outlets carry a repeated line, sentence or opening (not one outlet's alone)."""
        return self.by_outlet and key not in self.solo

    def __or__(self, other: Repeats) -> Repeats:
        return Repeats(self.lines | other.lines, self.prefixes | other.prefixes, self.sentences | other.sentences,
                       self.openings | other.openings, self.skeletons | other.skeletons, self.labels | other.labels,
                       self.names | other.names, self.passages | other.passages, self.templates | other.templates,
                       self.solo | other.solo, self.by_outlet or other.by_outlet)


@dataclass
class Counts:
    """In how many articles each thing ``site_repeats`` and ``corpus_repeats`` count occurs (``line_counts``): lines,
    the openings of non-prose lines (``prefixes``), sentences (``sentence_key``), sentence ``openings``, short
    sentences' ``skeletons``, and the label candidates by kind (``heads``, ``tails``, ``caps`` openings, link-card
    ``closers``); ``cards``, the articles with link cards, ``captioned``, those with a block opened by a photo credit
    (``furniture.is_captioned``), and ``n``, the articles counted. Counts of parts of a corpus add up (``update``)."""

    lines: Counter[str] = field(default_factory=Counter)
    prefixes: Counter[str] = field(default_factory=Counter)
    sentences: Counter[str] = field(default_factory=Counter)
    openings: Counter[str] = field(default_factory=Counter)
    skeletons: Counter[str] = field(default_factory=Counter)
    heads: Counter[str] = field(default_factory=Counter)
    tails: Counter[str] = field(default_factory=Counter)
    caps: Counter[str] = field(default_factory=Counter)
    closers: Counter[str] = field(default_factory=Counter)
    cards: int = 0
    captioned: int = 0
    n: int = 0

    def update(self, other: Counts) -> Counts:
        """Add ``other``'s counts to these (as ``Counter.update``), and return these."""
        for f in fields(self):
            mine = getattr(self, f.name)
            if isinstance(mine, Counter):
                mine.update(getattr(other, f.name))
            else:
                setattr(self, f.name, mine + getattr(other, f.name))
        return self

    def add(self, raw: str) -> None:
        """Count one article: its distinct lines (up to ``MAX_REPEATED_WORDS`` words), the two- and three-word
        openings of its non-prose lines, its sentences (3 to ``MAX_REPEATED_WORDS`` words), their ``OPENING``-word
        openings, ``skeleton``s, ``head``s and ``tail``s, its lines' ``caps_opening``s, its link cards and the words
        in capitals that close all of them (``furniture.cards``, ``furniture.closers``), and whether a block opens
        with a photo credit."""
        bs = blocks(raw)
        lines = {key(b.text) for b in bs if b.words <= MAX_REPEATED_WORDS}
        spans = [(start, end, k) for b in bs for start, end, k in sentences(raw, b)]
        self.lines.update(lines)
        self.prefixes.update({prefix(k, w) for k in lines if not is_prose(k) for w in (2, 3)} - {""})
        self.sentences.update({k for _, _, k in spans if 3 <= k.count(" ") + 1 <= MAX_REPEATED_WORDS})
        self.openings.update({prefix(k, OPENING) for _, _, k in spans} - {""})
        self.skeletons.update({skeleton(raw[start:end]) for start, end, _ in spans} - {""})
        self.heads.update({head(k) for _, _, k in spans} - {""})
        self.tails.update({tail(k) for _, _, k in spans} - {""})
        self.caps.update({caps_opening(b.text) for b in bs} - {""})
        if cards := furniture.cards(raw):
            self.cards += 1
            self.closers.update(furniture.closers(raw, cards))
        self.captioned += any(furniture.is_captioned(b.text) for b in bs)
        self.n += 1

    def for_corpus(self) -> Counts:
        """What ``corpus_repeats`` reads of these counts (lines, prefixes, sentences, openings, ``n``)."""
        return Counts(self.lines, self.prefixes, self.sentences, self.openings, n=self.n)


@dataclass
class Usage:
    """How a label candidate occurs in an outlet's articles (``usage_counts``), by kind: (label, True) where it
    is used as a label, (label, False) elsewhere. Counts of parts of a corpus add up (``update``)."""

    heads: Counter[tuple[str, bool]] = field(default_factory=Counter)
    tails: Counter[tuple[str, bool]] = field(default_factory=Counter)
    caps: Counter[tuple[str, bool]] = field(default_factory=Counter)

    def update(self, other: Usage) -> Usage:
        """Add ``other``'s counts to these, and return these."""
        self.heads.update(other.heads)
        self.tails.update(other.tails)
        self.caps.update(other.caps)
        return self


def caps_opening(text: str) -> str:
    """The ``Labels.caps`` candidate of a line: its first word, in lower case, when written in capitals and glued
    to words that are not ("CLOSE Roger Ailes ...", "CLOSE A trade expert ..."), else "": not a dateline
    ("WASHINGTON —") or a name in capitals ("JUAN GONZÁLEZ: ...", "NEW YORK")."""
    m = CAPS_OPENING.match(text)
    if not m or (len(m.group(2)) > 1 and m.group(2) == m.group(2).upper()):
        return ""
    return m.group(1).lower()


def head(key: str) -> str:
    """A sentence's label candidate, from its ``sentence_key``: its words up to a colon within the first
    two ("contributing:", "file photo:", "(photo:"), else its first two words ("hide caption")."""
    words = key.split(maxsplit=2)[:2]
    for i, w in enumerate(words):
        if ":" in w:  # "Contributing:Jane Doe" too
            return " ".join([*words[:i], w[: w.index(":") + 1]])
    return " ".join(words) if len(words) == 2 else ""


def tail(key: str) -> str:
    """A sentence's closing label candidate, from its ``sentence_key``: its last two words without the final
    punctuation ("read more", "this report")."""
    words = key.rsplit(maxsplit=2)[-2:]
    words[-1] = words[-1].rstrip(".!?”\"’)]") if words else ""
    return " ".join(words) if len(words) == 2 and words[-1] else ""


def skeleton(sentence: str) -> str:
    """A sentence with its names and numbers blanked: each run of capitalised words becomes "C", digits
    "#", the rest lower case ("Fox News' Jane Doe contributed to this report." -> "c' c contributed to
    this report."); "" for a sentence of more than ``SKELETON_WORDS`` words or with fewer than two
    lower-case words left (a name, a dateline, "Trump said.")."""
    if len(sentence.split(maxsplit=SKELETON_WORDS)) > SKELETON_WORDS:  # no need to split a long one all through
        return ""
    shape = " ".join(NAME_RUN.sub("C ", DIGITS.sub("#", sentence) + " ").lower().split())
    return shape if len(LOWER_WORD.findall(shape)) >= 2 else ""


def line_counts(raws: Iterable[str]) -> Counts:
    """In how many of ``raws`` each line, sentence, opening, skeleton and label candidate occurs, and how many
    have link cards and credited captions (``Counts``, one article at a time: ``Counts.add``)."""
    counts = Counts()
    for raw in raws:
        counts.add(raw)
    return counts


def usage_counts(raws: Iterable[str], words: Labels) -> Usage:
    """How often each label candidate of ``words`` occurs in ``raws``: (label, True) where a head opens a
    sentence (after the start of a line or a sentence's final punctuation) or a tail ends a line (before
    its end, give or take ``TAIL_SLACK`` words), (label, False) elsewhere, compared as ``sentence_key``s are
    (lower case, digits masked), on word boundaries; a caps opening counts where it is written in capitals,
    (label, True) where it opens a line."""
    used = Usage()
    if words.caps:  # in capitals: at the start of a line, or elsewhere ("US" runs inside lines, "CLOSE" does not)
        capitals = re.compile(r"(?<![\w#])(?:" + "|".join(k.upper() for k in words.caps) + r")(?!\w)")
        for raw in raws:
            for m in capitals.finditer(raw):
                used.caps[m.group().lower(), not raw[raw.rfind("\n", 0, m.start()) + 1 : m.start()].strip()] += 1
    if not (words.heads or words.tails):
        return used
    pattern = _alternation(words.heads | words.tails)
    for raw in raws:
        text = DIGITS.sub("#", raw.lower())
        for m in pattern.finditer(text):
            found = " ".join(m.group().split())
            if found in words.heads:
                before = text[max(0, m.start() - 8) : m.start()].rstrip(" \t([“\"'‘")
                used.heads[found, not before or before[-1] in ".!?\n”\"’)"] += 1
            if found in words.tails:  # "the u.s" is not a tail: its dot does not end its line
                end = text.find("\n", m.end(), m.end() + 16 * TAIL_SLACK)  # words of up to 15 letters
                rest = text[m.end() : end] if end >= 0 else text[m.end() : m.end() + 16 * TAIL_SLACK + 1]
                used.tails[found, len(rest) <= 16 * TAIL_SLACK and len(WORDS.findall(rest)) <= TAIL_SLACK] += 1
    return used


def case_counts(raws: Iterable[str], words: frozenset[str]) -> Counter[tuple[str, bool]]:
    """How often each of ``words`` (lower case) occurs in ``raws``, on word boundaries: (word, True) where it
    is written in lower case, (word, False) where it is not ("file" now and then, "washington" hardly ever)."""
    if not words:
        return Counter()
    pattern = _alternation(words)
    used: Counter[tuple[str, bool]] = Counter()
    for raw in raws:
        lower = Counter(m.group() for m in pattern.finditer(raw))
        for w, n in Counter(m.group() for m in pattern.finditer(raw.lower())).items():
            used[w, True] += lower[w]
            used[w, False] += n - lower[w]
    return used


def passage_words(raw: str) -> list[str]:
    """The words of ``raw``, folded (``lib.text.tokeniser.folded``: the words ``tokeniser.spans`` finds)."""
    return tokeniser.folded(raw)


def shingles(raw: str) -> list[int]:
    """From each word of ``raw`` on (``passage_words``), a 64-bit hash of its next ``PASSAGE`` words (w-shingles,
    Broder 1997, "On the resemblance and containment of documents"): each word's CRC-32, the ``PASSAGE`` of them
    weighted by the powers of an odd number and added modulo 2**64, in numpy. Stable across processes and runs
    (Python's ``hash`` of strings is not), so counts made in any worker add up; two shingles collide only where
    two words' CRC-32s do in the same context."""
    words = passage_words(raw)
    if len(words) < PASSAGE:
        return []
    codes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    n = len(words) - PASSAGE + 1
    hashes = np.zeros(n, dtype=np.uint64)
    for k, weight in enumerate(SHINGLE_WEIGHTS):
        hashes += codes[k : k + n] * weight  # wraps around modulo 2**64
    return hashes.tolist()


def passage_counts(raws: Iterable[str]) -> Counter[int]:
    """In how many of ``raws`` each ``shingles`` hash occurs; counts of parts of a corpus add up."""
    counts: Counter[int] = Counter()
    for raw in raws:
        counts.update(set(shingles(raw)))
    return counts


def site_passages(counts: Counter[int], n: int) -> frozenset[int]:
    """The shingles of an outlet found in ``SITE_MIN`` or more of its ``n`` articles and ``PASSAGE_SHARE`` of them."""
    floor = max(SITE_MIN, PASSAGE_SHARE * n)
    return frozenset(h for h, c in counts.items() if c >= floor)


def _alternation(phrases: Iterable[str]) -> re.Pattern:
    """A pattern for any of ``phrases`` (lower case, longest first, any whitespace between their words) on
    word boundaries."""
    return re.compile(r"(?<![\w#])(?:" + "|".join(
        r"\s+".join(map(re.escape, k.split())) + (r"(?![\w#])" if k[-1].isalnum() else "")
        for k in sorted(phrases, key=len, reverse=True)) + ")")


def name_words(heads: frozenset[str]) -> frozenset[str]:
    """The words of the head labels ``heads`` that are not function words: those a name could be made of."""
    return frozenset(w for k in heads for w in WORDS.findall(k) if w not in ENGLISH_STOP_WORDS)


def name_labels(heads: frozenset[str], cased: Counter[tuple[str, bool]]) -> frozenset[str]:
    """The head labels ``heads`` with a word written capitalised ``LABEL_ONLY`` of the times it occurs (``cased``,
    from ``case_counts`` of the ``name_words``): "washington (ap)", not "file -"; such a label that opens a
    wire's lead is its dateline."""
    return frozenset(k for k in heads if any(
        cased[w, False] >= LABEL_ONLY * (cased[w, False] + cased[w, True]) > 0 for w in WORDS.findall(k)))


def corpus_repeats(raws: Iterable[str] = (), counts: Counts | None = None) -> Repeats:
    """Lines (up to 40 words) found in three or more articles (prose-shaped lines: in ten or more
    and 0.1% of the corpus, so a wire sentence or a quote that a few outlets share stays); the
    three-word openings of non-prose lines found in ten or more articles and 0.1% of the corpus,
    and their two-word openings in ten or more and 1%; sentences found in ten or more articles and
    0.1%, and six-word openings of sentences in ten or more and 1%. ``counts`` (from
    ``line_counts``) replaces ``raws`` when given."""
    counts = counts or line_counts(raws)
    rare, common = max(10, counts.n // 1000), max(10, counts.n // 100)
    return Repeats(
        lines=frozenset(k for k, c in counts.lines.items() if c >= (rare if is_prose(k) else 3)),
        prefixes=frozenset(k for k, c in counts.prefixes.items() if c >= (rare if k.count(" ") == 2 else common)),
        sentences=frozenset(k for k, c in counts.sentences.items() if c >= rare),
        openings=frozenset(k for k, c in counts.openings.items() if c >= common),
    )


def captioned(counts: Counts) -> bool:
    """Whether blocks opened by a photo credit (``furniture.is_captioned``) are part of an outlet's template: found
    in ten or more of its articles and ``SITE_LABEL_SHARE`` of them (the Monitor's "Jane Doe/AP <caption>", 14% of
    its articles, Politico's "<caption> | Jane Doe/POLITICO <title>", 12%; where a poll is named so, in a few
    articles, "Washington Post/ABC News poll ...", they are not)."""
    return counts.captioned >= max(SITE_MIN, SITE_LABEL_SHARE * counts.n)


def _candidates(counter: Counter[str], n: int) -> frozenset[str]:
    return frozenset(k for k, c in counter.items() if c >= max(SITE_MIN, SITE_LABEL_SHARE * n)
                     and "," not in k and not set(WORDS.findall(k)) <= ENGLISH_STOP_WORDS)


def label_candidates(counts: Counts) -> Labels:
    """The sentence ``head``s and ``tail``s and the lines' ``caps_opening``s found in ten or more of an outlet's
    articles and ``SITE_LABEL_SHARE`` of them, but for those that cannot be labels: a clause ("Editorial board, ...",
    "In sum, ...") or function words only ("And although", "What did")."""
    return Labels(heads=_candidates(counts.heads, counts.n), tails=_candidates(counts.tails, counts.n),
                  caps=_candidates(counts.caps, counts.n))


def _used(candidates: frozenset[str], used: Counter[tuple[str, bool]]) -> frozenset[str]:
    return frozenset(k for k in candidates if used[k, True] >= LABEL_ONLY * (used[k, True] + used[k, False]) > 0)


def site_repeats(counts: Counts, used: Usage | None = None, share: float = SITE_SHARE) -> Repeats:
    """One outlet's (or author's) template, from ``line_counts`` of its articles: the sentences, the skeletons of
    short sentences (credit lines: "Jane Doe contributed to this report."), found in ten or more of its articles
    and ``share`` of them, and the two-word openings of non-prose lines, in ``SITE_LABEL_SHARE`` of them too; the
    six-word openings of sentences found in ten or more and ``SITE_OPENING_SHARE`` of them (a wire's
    "WASHINGTON (Reuters) - President Donald Trump" opens fewer); and its ``Labels``: ``label_candidates``
    whose words, where they occur at all in its articles, open a sentence (a head) or end a line (a
    tail, give or take ``TAIL_SLACK`` words) or, written in capitals, open a line (a caps opening)
    ``LABEL_ONLY`` of the times (``used``, from ``usage_counts``): "FILE PHOTO:", "Hide caption", "Related Video",
    "Contributing:", "Image copyright", "… this report", "… read more", "CLOSE", where "In addition" or "President
    Donald" also run inside sentences, "the U.S." ends a line now and then and "US" runs inside lines; and the words
    in capitals that close every link card (``furniture.cards``) of ``LABEL_ONLY`` of its articles with cards, in
    ``SITE_LABEL_SHARE`` of its articles ("» MORE", the end of The Hill's hover cards)."""
    n = counts.n
    floor = max(SITE_MIN, share * n)
    used = used or Usage()
    lines = max(floor, SITE_LABEL_SHARE * n)
    candidates = label_candidates(counts)
    labels = Labels(heads=_used(candidates.heads, used.heads), tails=_used(candidates.tails, used.tails),
                    caps=_used(candidates.caps, used.caps),
                    closers=frozenset(k for k, c in counts.closers.items()
                                      if c >= max(lines, LABEL_ONLY * counts.cards)))
    return Repeats(prefixes=frozenset(k for k, c in counts.prefixes.items() if c >= lines and k.count(" ") == 1),
                   sentences=frozenset(k for k, c in counts.sentences.items() if c >= floor),
                   openings=frozenset(k for k, c in counts.openings.items()
                                      if c >= max(SITE_MIN, SITE_OPENING_SHARE * n)),
                   skeletons=frozenset(k for k, c in counts.skeletons.items() if c >= floor),
                   labels=labels)
