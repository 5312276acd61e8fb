"""The tokeniser: the one definition of a word that every analysis counts with (docs/tokens.md).

- A word is a run of letters and digits of any script (``str.isalnum``: no underscore, no mark), in which
  one apostrophe (' ’ ʼ ‘) or one hyphen (- ‐ ‑) between two letters or digits joins: "don't", "Iran’s",
  "O'Neil", "state-run", "F-16", "Al-Ahram" are one word each; "rock 'n' roll" is three, "well--known"
  two. A point or a comma between two digits joins too: "3.5", "1,000", "2.4.1".
- A web or e-mail address or an @handle is not a word, nor a part of one: "https://t.co/x", "foxnews.com",
  "tips@example.org", "@handle", "tmsnrt.rs/2vkyX7C" (a domain with a path).
- Everything else between words (spaces, punctuation, symbols, dashes, quotation marks, emoji) separates
  them; ``tokens`` keeps each such mark as a token of its own, for what must not run across it (n-grams) or
  must be shown again (a diff).
- The folded form of a word (``fold``) is its lower case with typographic apostrophes and hyphens made plain
  ("Iran’s" -> "iran's"): what analyses compare and count.

``canonical`` gives the term a folded word counts as (possessives dropped, contractions of stopwords
and numbers left out); ``BEFORE``/``AFTER`` are the look-arounds that find a word sequence where the
tokeniser would (keyword in context). ``CODE_WORD``, ``CODE_JOIN``, ``CODE_DIGIT`` and ``CODE_FOLD`` are the
same definition as tables over UTF-16 code units, for tokenising in numpy (``lib.analyses.reuse``).
"""

from __future__ import annotations

import re

import numpy as np

APOSTROPHES = "'’ʼ‘"
HYPHENS = "-‐‑"
_J = re.escape(APOSTROPHES + HYPHENS)
WORD_PATTERN = rf"[^\W_]+(?:(?:[{_J}]|(?<=\d)[.,](?=\d))[^\W_]+)*"
WORD = re.compile(WORD_PATTERN)
TOKEN = re.compile(rf"{WORD_PATTERN}|[^\w\s]|_")  # a word, or any one mark between words
BEFORE = rf"(?<![^\W_])(?<![^\W_][{_J}])(?:(?<!\d[.,])|(?!\d))"  # no word runs on into what follows
AFTER = rf"(?![^\W_]|[{_J}][^\W_]|(?<=\d)[.,]\d)"  # ... nor on from what precedes
ADDRESS_HINT = re.compile(r"@|https?:|www\.|\.(?:com|org|net|gov|edu|info|io|tv)\b|\.[a-z]{2,6}/")  # lower case: fast
ADDRESS = re.compile(r"(?:https?:|www\.)\S+|\S+@\S+\.\w+|@\w+"  # a scheme, even without its slashes
                     r"|\b(?:[\w-]+\.)+(?:com|org|net|gov|edu|info|io|tv)\b(?:/\S*)?"
                     r"|\b(?:[\w-]+\.)+[a-z]{2,6}/\S*", re.IGNORECASE)  # any domain with a path
_FOLD = [(c, "'") for c in APOSTROPHES[1:]] + [(c, "-") for c in HYPHENS[1:]]
CONTRACTIONS = ("n't", "'s", "'re", "'ve", "'ll", "'d", "'m")
IRREGULAR = {"ca": "can", "wo": "will", "sha": "shall"}  # can't, won't, shan't


def fold(text: str) -> str:
    """``text`` lower-cased, its typographic apostrophes and hyphens made plain: how words are compared
    (``str.replace``, each a pass in C: five times faster than ``str.translate`` with a table)."""
    text = text.lower()
    for typographic, plain in _FOLD:
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


def without_addresses(text: str) -> str:
    """``text`` with its web and e-mail addresses and @handles blanked by as many spaces, so that offsets
    still index ``text`` (only lines that may hold one are searched: a tenth of the time of the whole text)."""
    if not ADDRESS_HINT.search(text):
        return text
    return "\n".join(ADDRESS.sub(lambda m: " " * len(m.group()), line) if ADDRESS_HINT.search(line) else line
                     for line in text.split("\n"))


def words(text: str) -> list[str]:
    """The words of ``text`` as written, in order."""
    return WORD.findall(without_addresses(text))


def folded(text: str) -> list[str]:
    """The words of ``text``, folded (``fold``), in order."""
    low = fold(text)
    if len(low) != len(text):  # a letter lowers to two characters ("İ"): fold word by word
        return [fold(w) for w in words(text)]
    return WORD.findall(without_addresses(low))


def folded_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of each word ``folded`` returns, in order: an address is found in the lower-cased
    text there ("CNN.COM" too), so these can differ from ``spans``."""
    low = fold(text)
    if len(low) != len(text):  # ``folded`` took the words as written
        return spans(text)
    return [m.span() for m in WORD.finditer(without_addresses(low))]


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text``: ``text[start:end]`` is the word."""
    return [m.span() for m in WORD.finditer(without_addresses(text))]


def tokens(text: str) -> list[str]:
    """The words of ``text`` and the marks between them, each a token, in order (an address, not a word, is
    left out)."""
    return TOKEN.findall(without_addresses(text))


def count(text: str) -> int:
    """How many words ``text`` has."""
    return len(words(text))


def canonical(word: str, stopwords: frozenset[str]) -> str | None:
    """The term a folded token counts as: itself, its base without a possessive "'s" (by the rules of
    English contractions), or None for a mark, a number, a single letter, a stopword or a contraction of
    one ("it's", "don't", "we'll"; "n't" split off by a source rebuilt from tokens)."""
    if len(word) < 2 or not word[0].isalpha() or word in stopwords or word in CONTRACTIONS:
        return None
    if "'" not in word:  # every contraction has an apostrophe
        return word
    for ending in CONTRACTIONS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            base = word[: -len(ending)]
            base = IRREGULAR.get(base, base) if ending == "n't" else base
            if base in stopwords:
                return None
            return base if ending == "'s" else word
    return word


def _table(keep) -> np.ndarray:
    return np.array([keep(chr(c)) for c in range(0x10000)], dtype=bool)


CODE_WORD = _table(str.isalnum)  # UTF-16 code unit -> a letter or digit (surrogates are not)
CODE_DIGIT = _table(str.isdecimal)  # a decimal digit, as re's \\d
CODE_JOIN = _table(lambda c: c in APOSTROPHES + HYPHENS)  # joins two letters or digits
CODE_POINT = _table(lambda c: c in ".,")  # joins two digits
CODE_FOLD = np.array([ord(fold(c)[0]) if c.isalnum() or c in APOSTROPHES + HYPHENS + ".," else 0
                      for c in map(chr, range(0x10000))], np.uint16)  # -> its folded form (first unit), else 0


def code_words(codes: np.ndarray) -> np.ndarray:
    """Which UTF-16 code units of ``codes`` are inside a word (``WORD``): letters and digits, and the joiners
    between them; addresses are not left out here (``without_addresses`` first)."""
    word = CODE_WORD[codes]
    digit = CODE_DIGIT[codes]
    inner = np.zeros(len(codes), bool)
    inner[1:-1] = (CODE_JOIN[codes[1:-1]] & word[:-2] & word[2:]) | (CODE_POINT[codes[1:-1]] & digit[:-2] & digit[2:])
    return word | inner
