"""What repeats across a corpus, and in each outlet's template: the counts cleaning removes by.

- ``line_counts`` counts (``Counts``, ``lib/cleaning/counts.py``), in how many articles, each line, each non-prose
  line's opening words, each sentence, each sentence's six-word opening, each short sentence's ``skeleton`` and
  each label candidate by its kind (``head``, ``tail``, ``caps_opening``, link-card closer: ``lib/cleaning/
  features.py``); counts of parts of a corpus add up (``Counts.update``). ``passage_counts``
  (``lib/cleaning/passages.py``) counts the word-for-word passages.
- ``corpus_repeats`` keeps what is repeated across the whole corpus; ``site_repeats`` what one
  outlet repeats, its template (Bar-Yossef and Rajagopalan 2002, "Template detection via data
  mining"), with its labels found by a second pass (``label_candidates``, ``usage_counts``).
- ``Repeats`` holds the result, its labels by kind in ``Labels``; ``lib/cleaning/template.py`` puts the
  corpus's and each outlet's together, ``lib/cleaning/clean.py`` removes what they list.

The names of ``counts``, ``features`` and ``passages`` are importable from here too.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from lib.cleaning.blocks import is_prose
from lib.cleaning.counts import (  # noqa: F401 (re-exported)
    MAX_REPEATED_WORDS,
    OPENING,
    TAIL_SLACK,
    Counts,
    Usage,
    case_counts,
    line_counts,
    usage_counts,
)
from lib.cleaning.features import (  # noqa: F401 (re-exported)
    CAPS_OPENING,
    DIGITS,
    LOWER_WORD,
    NAME_RUN,
    SKELETON_WORDS,
    WORDS,
    caps_opening,
    head,
    head_of,
    prefix,
    sentence_key,
    sentences,
    skeleton,
    tail,
    tail_of,
)
from lib.cleaning.passages import (  # noqa: F401 (re-exported)
    PASSAGE,
    QUOTATION,
    SHINGLE_WEIGHTS,
    HashCounts,
    passage_counts,
    passage_words,
    shingles,
)
from lib.text.stopwords import ENGLISH_STOP_WORDS

SITE_MIN = 10  # an outlet's or an author's template: in this many of their articles at least
SITE_SHARE = 0.02  # an outlet's template: in this share of its articles (docs/cleaning.md, "Thresholds")
SITE_LABEL_SHARE = 0.05  # ... and in this share for its labels and the openings of its short lines: at 2%, quotes
# that open alike ("“I just") and subheadings ("What do we know about ...") would pass
AUTHOR_SHARE = 0.2  # an author's template (a columnist's sign-off): in this share of their articles
SITE_OPENING_SHARE = 0.2  # ... and for six-word sentence openings, in this share
LABEL_ONLY = 0.95  # a sentence opening (ending) is a label when its words open (end) a sentence this share of the times
PASSAGE_SHARE = 0.005  # an outlet's passages (``passages.PASSAGE`` words): in ten or more of its articles and this
# share of them; twelve words repeated word for word are rarer than a sentence whose digits are masked


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
        """The word counts of the repeated sentences of 4+ words, by their first and by their last word
        (``sentence_ends``)."""
        return sentence_ends(self.sentences)

    def shared(self, key: str) -> bool:
        """Whether several named outlets carry a repeated line, sentence or opening (not one outlet's alone)."""
        return self.by_outlet and key not in self.solo

    def __or__(self, other: Repeats) -> Repeats:
        return Repeats(self.lines | other.lines, self.prefixes | other.prefixes, self.sentences | other.sentences,
                       self.openings | other.openings, self.skeletons | other.skeletons, self.labels | other.labels,
                       self.names | other.names, self.passages | other.passages, self.templates | other.templates,
                       self.solo | other.solo, self.by_outlet or other.by_outlet)


@functools.lru_cache(maxsize=4)
def sentence_ends(keys: frozenset[str]) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """The word counts of the sentence keys of 4+ words among ``keys``, by their first and by their last word; kept
    for the last few sets asked about: every outlet's ``Repeats`` of a batch holds the same corpus sentences, and a
    worker gets them again (an equal set) with each chunk of its articles."""
    first: dict[str, set[int]] = {}
    last: dict[str, set[int]] = {}
    for k in keys:
        words = k.split()
        if len(words) >= 4:
            first.setdefault(words[0], set()).add(len(words))
            last.setdefault(words[-1], set()).add(len(words))
    return first, last


def site_passages(counts: HashCounts, n: int) -> frozenset[int]:
    """The shingles of an outlet found in ``passage_floor(n)`` or more of its ``n`` articles."""
    return counts.at_least(passage_floor(n))


def passage_floor(n: int) -> float:
    """In how many of an outlet's ``n`` articles a shingle is one of its passages: ``SITE_MIN`` or more, and
    ``PASSAGE_SHARE`` of them."""
    return max(SITE_MIN, PASSAGE_SHARE * n)


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
    in ten or more of its articles and ``SITE_LABEL_SHARE`` of them ("Jane Doe/AP <caption>", "<caption> | Jane
    Doe/X News <title>"; a poll named so in a few articles, "X Post/Y News poll ...", is not)."""
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
    "WASHINGTON (Agency) - President Jane Doe" opens fewer); and its ``Labels``: ``label_candidates``
    whose words, where they occur at all in its articles, open a sentence (a head) or end a line (a
    tail, give or take ``TAIL_SLACK`` words) or, written in capitals, open a line (a caps opening)
    ``LABEL_ONLY`` of the times (``used``, from ``usage_counts``): "FILE PHOTO:", "Hide caption", "Related Video",
    "Contributing:", "Image copyright", "… this report", "… read more", "CLOSE", where "In addition" or "President
    Donald" also run inside sentences, "the U.S." ends a line now and then and "US" runs inside lines; and the words
    in capitals that close every link card (``furniture.cards``) of ``LABEL_ONLY`` of its articles with cards, in
    ``SITE_LABEL_SHARE`` of its articles ("» MORE", the end of a site's hover cards)."""
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
