"""Counting repeats: in how many articles each line, sentence, opening, skeleton and label candidate occurs
(``line_counts``, ``Counts``), how each label candidate is used (``usage_counts``, ``Usage``) and how each word is
written (``case_counts``). Counts of parts of a corpus add up, so parts can be counted in worker processes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np

from lib.cleaning import furniture, reading
from lib.cleaning.blocks import blocks, is_prose, key
from lib.cleaning.features import WORDS, caps_opening, collect, masked, prefix
from lib.text import hashes

try:  # compiled where the install found a C compiler (setup.py); else the regular expression of ``_alternation``
    from lib.cleaning._keys import phrases as _phrases
except ImportError:
    _phrases = None
try:  # compiled where the install found a C compiler (setup.py); else zlib's (``hashes.stable``)
    from lib.cleaning._keys import hashes as _fast
except ImportError:
    _fast = None

if TYPE_CHECKING:
    from lib.cleaning.repeats import Labels

MAX_REPEATED_WORDS = 40
OPENING = 6  # words that make two sentences of an article "open alike"
TAIL_SLACK = 4  # ... a sentence ending ends its line, but for at most this many words ("from Salt Lake City.")


def added(total: Counter, part: Counter) -> None:
    """``total.update(part)``, the keys in the same order, but the keys ``total`` lacks copied at once
    (``dict.update``) and only those both have added one by one: adding a part of a corpus to the counts of the rest,
    most keys are in one of them only."""
    both = {k: total[k] + part[k] for k in total.keys() & part.keys()}
    dict.update(total, part)
    dict.update(total, both)


@dataclass
class Counts:
    """In how many articles each thing ``site_repeats`` and ``corpus_repeats`` count occurs (``line_counts``): lines,
    the openings of non-prose lines (``prefixes``), sentences (``sentence_key``), sentence ``openings``, short
    sentences' ``skeletons``, and the label candidates by kind (``heads``, ``tails``, ``caps`` openings, link-card
    ``closers``); ``cards``, the articles with link cards, ``captioned``, those with a block opened by a photo credit
    (``furniture.is_captioned``), and ``n``, the articles counted; ``readings``, each article's sentences where
    ``line_counts`` kept them. Counts of parts of a corpus add up (``update``; readings one part's, then the next's)."""

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
    readings: list[bytes] = field(default_factory=list)  # each article's sentences, where kept (``line_counts``)

    def update(self, other: Counts) -> Counts:
        """Add ``other``'s counts to these (as ``Counter.update``), and return these."""
        for f in fields(self):
            mine = getattr(self, f.name)
            if isinstance(mine, Counter):
                added(mine, getattr(other, f.name))
            else:
                setattr(self, f.name, mine + getattr(other, f.name))
        return self

    def add(self, raw: str, keep: bool = False) -> None:
        """Count one article: its distinct lines (up to ``MAX_REPEATED_WORDS`` words), the two- and three-word
        openings of its non-prose lines, its sentences (3 to ``MAX_REPEATED_WORDS`` words), their ``OPENING``-word
        openings, ``skeleton``s, ``head``s and ``tail``s, its lines' ``caps_opening``s, its link cards and the words
        in capitals that close all of them (``furniture.cards``, ``furniture.closers``), and whether a block opens
        with a photo credit; with ``keep``, the sentences found in each block go to ``readings``."""
        bs = blocks(raw)
        lines = {key(b.text) for b in bs if b.words <= MAX_REPEATED_WORDS}
        found, openings, skeletons, heads, tails = into = set(), set(), set(), set(), set()
        spans = [collect(raw, b, into, MAX_REPEATED_WORDS, OPENING) for b in bs]
        if keep:
            self.readings.append(reading.kept(spans))
        self.lines.update(lines)
        self.prefixes.update({prefix(k, w) for k in lines if not is_prose(k) for w in (2, 3)} - {""})
        self.sentences.update(found)
        self.openings.update(openings)
        self.skeletons.update(skeletons - {""})
        self.heads.update(heads - {""})
        self.tails.update(tails - {""})
        self.caps.update({caps_opening(b.text) for b in bs} - {""})
        if cards := furniture.cards(raw):
            self.cards += 1
            self.closers.update(furniture.closers(raw, cards))
        self.captioned += any(furniture.is_captioned(b.text) for b in bs)
        self.n += 1

    def key_hashes(self, fast: bool = False) -> list[np.ndarray]:
        """The hash of each key of each counter of these counts, in the order of their fields and of their keys
        (``_hashes``: a line and the same sentence are two keys; with ``fast``, ``_fast_hashes``)."""
        return [(_fast_hashes if fast else _hashes)(kind, c) for kind, c in enumerate(self._counters())]

    def hashed(self, fast: bool = False, known: list[np.ndarray] | None = None) -> hashes.HashCounts:
        """How many articles carry each key of these counts, by hash (``key_hashes``, or ``known`` if given)."""
        known = self.key_hashes(fast) if known is None else known
        if not any(len(k) for k in known):
            return hashes.HashCounts()
        return hashes.HashCounts.of(np.concatenate(known), np.concatenate(
            [np.fromiter(c.values(), np.int64, len(c)) for c in self._counters()]))

    def only(self, kept: np.ndarray, fast: bool = False, known: list[np.ndarray] | None = None) -> Counts:
        """New counts with the keys whose hash (``key_hashes``, or ``known`` if given) is among ``kept`` (sorted)
        alone, every number of articles (``cards``, ``captioned``, ``n``) as it was."""
        known = self.key_hashes(fast) if known is None else known
        inside = iter([hashes.among(k, kept).tolist() for k in known])

        def keep(counter: Counter[str]) -> Counter[str]:
            return Counter({k: c for (k, c), i in zip(counter.items(), next(inside), strict=True) if i})

        return Counts(**{f.name: keep(v) if isinstance(v := getattr(self, f.name), Counter) else v
                         for f in fields(self)})

    def _counters(self) -> list[Counter[str]]:
        """The counters of these counts, in the order of their fields (a field's place is its kind, ``_hashes``)."""
        return [c for f in fields(self) if isinstance(c := getattr(self, f.name), Counter)]

    def for_corpus(self) -> Counts:
        """What ``corpus_repeats`` reads of these counts (lines, prefixes, sentences, openings, ``n``)."""
        return Counts(self.lines, self.prefixes, self.sentences, self.openings, n=self.n)


def _hashes(kind: int, keys: Iterable[str]) -> np.ndarray:
    """The ``hashes.stable`` hash of each of ``keys`` of the ``kind``-th field of ``Counts``, moved by the kind (times
    an odd number, modulo 2**64) so that a line and the same sentence differ."""
    return hashes.stable(keys) + np.uint64(kind * 0x9E3779B97F4A7C15 % 2**64)


def _fast_hashes(kind: int, keys: Collection[str]) -> np.ndarray:
    """``_hashes`` by ``lib/cleaning/_keys.c``'s hash of each key (FNV-1a: several times faster) where the install
    compiled it, else ``_hashes``: stable across processes either way, but the same only where every process has the
    same install (one machine's pool, ``lib/cleaning/held.py``; not a cluster's workers)."""
    if _fast is None:
        return _hashes(kind, keys)
    return np.frombuffer(_fast(list(keys)), dtype=np.uint64) + np.uint64(kind * 0x9E3779B97F4A7C15 % 2**64)


@dataclass
class Usage:
    """How a label candidate occurs in an outlet's articles (``usage_counts``), by kind: (label, True) where it
    is used as a label, (label, False) elsewhere. Counts of parts of a corpus add up (``update``)."""

    heads: Counter[tuple[str, bool]] = field(default_factory=Counter)
    tails: Counter[tuple[str, bool]] = field(default_factory=Counter)
    caps: Counter[tuple[str, bool]] = field(default_factory=Counter)

    def update(self, other: Usage) -> Usage:
        """Add ``other``'s counts to these, and return these."""
        added(self.heads, other.heads)
        added(self.tails, other.tails)
        added(self.caps, other.caps)
        return self


def line_counts(raws: Iterable[str], keep: bool = False) -> Counts:
    """In how many of ``raws`` each line, sentence, opening, skeleton and label candidate occurs, and how many
    have link cards and credited captions (``Counts``, one article at a time: ``Counts.add``); with ``keep``, each
    article's sentences too (``Counts.readings``, in order: ``lib/cleaning/reading.py``)."""
    counts = Counts()
    for raw in raws:
        counts.add(raw, keep)
    return counts


def usage_counts(raws: Iterable[str], words: Labels) -> Usage:
    """How often each label candidate of ``words`` occurs in ``raws``: (label, True) where a head opens a
    sentence (after the start of a line or a sentence's final punctuation) or a tail ends a line (before
    its end, give or take ``TAIL_SLACK`` words), (label, False) elsewhere, compared as ``sentence_key``s are
    (lower case, digits masked), on word boundaries; a caps opening counts where it is written in capitals,
    (label, True) where it opens a line."""
    used = Usage()
    if words.caps:  # in capitals: at the start of a line, or elsewhere ("US" runs inside lines, "CLOSE" does not)
        capitals = _finder({k.upper() for k in words.caps}, hash_ends=False)  # one word each: the longest is the one
        for raw in raws:
            for start, stop in capitals(raw):
                used.caps[raw[start:stop].lower(), not raw[raw.rfind("\n", 0, start) + 1 : start].strip()] += 1
    if not (words.heads or words.tails):
        return used
    find = _finder(words.heads | words.tails)
    for raw in raws:
        text = masked(raw)
        for start, stop in find(text):
            found = " ".join(text[start:stop].split())
            if found in words.heads:
                before = text[max(0, start - 8) : start].rstrip(" \t([“\"'‘")
                used.heads[found, not before or before[-1] in ".!?\n”\"’)"] += 1
            if found in words.tails:  # "the u.s" is not a tail: its dot does not end its line
                end = text.find("\n", stop, stop + 16 * TAIL_SLACK)  # words of up to 15 letters
                rest = text[stop:end] if end >= 0 else text[stop : stop + 16 * TAIL_SLACK + 1]
                used.tails[found, len(rest) <= 16 * TAIL_SLACK and len(WORDS.findall(rest)) <= TAIL_SLACK] += 1
    return used


def case_counts(raws: Iterable[str], words: frozenset[str]) -> Counter[tuple[str, bool]]:
    """How often each of ``words`` (lower case) occurs in ``raws``, on word boundaries: (word, True) where it
    is written in lower case, (word, False) where it is not ("file" now and then, "washington" hardly ever)."""
    if not words:
        return Counter()
    find = _finder(words)
    used: Counter[tuple[str, bool]] = Counter()
    for raw in raws:
        low = raw.lower()
        if len(low) == len(raw):  # one pass: a word found in the lower-cased text is written so where the text agrees
            used.update((low[a:b], raw.startswith(low[a:b], a)) for a, b in find(low))
            continue
        lower = Counter(raw[a:b] for a, b in find(raw))  # a letter lowers to two characters ("İ")
        for w, n in Counter(low[a:b] for a, b in find(low)).items():
            used[w, True] += lower[w]
            used[w, False] += n - lower[w]
    return used


def _trie(phrases: Iterable[str]) -> dict:
    """The characters of ``phrases`` (lower case; whitespace between their words read as one space) as a trie of
    dicts, each phrase's last node holding "": whether a word character or "#" may not follow it (it ends in a
    letter or a digit)."""
    trie: dict = {}
    for k in phrases:
        node = trie
        for c in " ".join(k.split()):
            node = node.setdefault(c, {})
        node[""] = k[-1].isalnum()
    return trie


def _alternation(phrases: Iterable[str], hash_ends: bool = True) -> re.Pattern:
    """A pattern for any of ``phrases`` (the longest that matches, any whitespace between their words) on word
    boundaries (not after a word character or "#"; not before a word character, or with ``hash_ends`` a "#"
    either, where the phrase ends in a letter or a digit): their ``_trie``, so that the regex engine tries the
    phrases that start with the character it reads, and a longer phrase before one it continues."""
    return re.compile(r"(?<![\w#])" + _branches(_trie(phrases), r"(?![\w#])" if hash_ends else r"(?!\w)"))


def _branches(node: dict, end: str) -> str:
    """The pattern of a trie node of ``_alternation``: its children's, then its end's (the longer phrase first)."""
    options = [(r"\s+" if c == " " else re.escape(c)) + _branches(child, end) for c, child in node.items() if c]
    options += [end if node[""] else ""] if "" in node else []
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"


def _finder(phrases: Iterable[str], hash_ends: bool = True) -> Callable[[str], list[tuple[int, int]]]:
    """(start, end) of each match of ``_alternation(phrases, hash_ends)`` in a text, as ``finditer`` finds them;
    found by ``lib/cleaning/_keys.c``'s walk of their ``_trie`` where the install compiled it (the same places)."""
    if _phrases is None:
        pattern = _alternation(phrases, hash_ends)
        return lambda text: [m.span() for m in pattern.finditer(text)]
    trie = _trie(phrases)
    return lambda text: _phrases(text, trie, hash_ends)
