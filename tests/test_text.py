"""The tokeniser: one word definition (apostrophes, hyphens, digits, addresses, any script), with offsets, and the
same words from its regular expression and from its numpy tables."""

from __future__ import annotations

import random

import numpy as np
import pytest

from lib.analyses import shingles
from lib.text import terms
from lib.text import tokeniser as T


@pytest.mark.parametrize(("text", "words"), [
    ("Don't say Iran’s O'Neil", ["Don't", "say", "Iran’s", "O'Neil"]),  # one apostrophe between letters joins
    ("rock 'n' roll, the states' rights", ["rock", "n", "roll", "the", "states", "rights"]),  # quotes do not
    ("state-run F-16 Al‐Ahram well--known - dash — em", ["state-run", "F-16", "Al‐Ahram", "well", "known", "dash",
                                                       "em"]),
    ("3.5 per cent of 1,000 in 2024. Then v2.1", ["3.5", "per", "cent", "of", "1,000", "in", "2024", "Then", "v2.1"]),
    ("snake_case __init__ a_b", ["snake", "case", "init", "a", "b"]),  # an underscore is not a letter
    ("Zürich, Москва, 東京, İstanbul, naïve café", ["Zürich", "Москва", "東京", "İstanbul", "naïve", "café"]),
    ("see https://t.co/xY1 or www.x.org, mail tips@example.org, @handle, foxnews.com, tmsnrt.rs/2vkyX7C now",
     ["see", "or", "mail", "now"]),  # addresses are not words
    ("emoji😀joins nothing 🇺🇸flag", ["emoji", "joins", "nothing", "flag"]),
    ("", []),
])
def test_words(text, words):
    assert T.words(text) == words
    assert T.folded(text) == [T.fold(w) for w in words]
    assert [text[a:b] for a, b in T.spans(text)] == words
    assert T.count(text) == len(words)


def test_folding_makes_case_apostrophes_and_hyphens_plain_and_keeps_offsets():
    assert T.folded("IRAN’S state‑run ʼTIS") == ["iran's", "state-run", "tis"]
    text = "İstanbul’s mayor: www.example.com/a İ"  # "İ" lowercases to two characters
    assert T.folded(text) == ["i̇stanbul's", "mayor", "i̇"]
    assert [text[a:b] for a, b in T.spans(text)] == ["İstanbul’s", "mayor", "İ"]
    assert len(T.without_addresses(text)) == len(text)


def test_folded_spans_are_where_the_folded_words_are_an_address_in_capitals_too():
    """``folded`` finds an address in the lower-cased text, so "CNN.COM" is no word there, though ``spans`` of the
    text as written finds two; ``folded_spans`` gives the places of ``folded``'s words."""
    for text in ("Read more at CNN.COM or HTTPS://EXAMPLE/NEWS today", "İstanbul’s mayor: WWW.EXAMPLE.COM İ"):
        assert [T.fold(text[a:b]) for a, b in T.folded_spans(text)] == T.folded(text)
    text = "Read more at CNN.COM today"
    assert [text[a:b] for a, b in T.folded_spans(text)] == ["Read", "more", "at", "today"]
    assert [text[a:b] for a, b in T.spans(text)] == ["Read", "more", "at", "CNN", "COM", "today"]


def test_tokens_are_words_and_the_marks_between_them():
    assert T.tokens("“Talks,” he said — in Iran’s capital (Tehran)…") == [
        "“", "Talks", ",", "”", "he", "said", "—", "in", "Iran’s", "capital", "(", "Tehran", ")", "…"]
    assert T.tokens("see example.com/x now") == ["see", "now"]


def test_canonical_drops_possessives_and_contractions_of_stopwords():
    stop = frozenset({"it", "do", "we", "can"})
    assert [T.canonical(w, stop) for w in ["iran's", "it's", "don't", "can't", "trump'll", "f-16", "16", "x", ","]] == [
        "iran", None, None, None, "trump'll", "f-16", None, None, None]


@pytest.mark.parametrize("text", [
    "Don't say Iran’s O'Neil: state-run F-16s, 3.5% of 1,000; a--b a-'b 'quoted' snake_case",
    "Zürich İstanbul Москва 東京 naïve 😀emoji, x-y-z 1.2.3 1.a a.1",
    "mail tips@example.org or https://t.co/x now",
])
def test_the_numpy_tables_find_the_same_words_as_the_pattern(text):
    """``lib.analyses.reuse`` tokenises UTF-16 code units with the tables: the same words at the same offsets."""
    blanked = T.without_addresses(text)
    codes = np.minimum(np.frombuffer(blanked.encode("utf-32-le"), np.uint32), 0xFFFF).astype(np.uint16)
    inside = np.r_[False, T.code_words(codes), False]
    edges = np.flatnonzero(np.diff(inside.astype(np.int8)))
    assert list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True)) == T.spans(text)
    _, starts, ends = shingles.tokens(codes)
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == T.spans(text)


def test_the_term_analyzer_counts_what_the_term_matrix_counts():
    text = "The Secretary of State met Iran’s Defense Minister; state-run TV (IRIB) said it's over, 3 times."
    vocab = terms.Vocabulary(ngram_range=(1, 2), min_df=1)
    m = terms.matrix(__import__("pandas").Series([text]), [0], vocab)
    counted = {t: int(c) for t, c in zip(m.terms, m.counts.toarray()[0], strict=True)}
    found = terms.analyzer(vocab)(text)
    assert {t: found.count(t) for t in set(found)} == counted
    assert "iran defense" in counted and "secretary state" not in counted and "tv irib" not in counted


WORD_EDGES = ["Don't say Iran’s O'Neil: state-run F-16s, 3.5% of 1,000; a--b a-'b 'quoted' snake_case __init__",
              "Zürich İstanbul Москва 東京 naïve e\u0301te ǅ ß ﬁ ٣.٥ 𝐀𝐁 😀emoji, x-y-z 1.2.3 1.a a.1 2.-3 .5 5. ’tis",
              "mail tips@example.org or https://t.co/x now, CNN.COM and WWW.X.ORG", "x\ud800y z " * 8]


def test_compiled_shingles_are_the_numpy_shingles():
    """``lib/text/_shingles.c`` (built by the install where a C compiler is found) hashes the same words to the same
    shingles as the numpy path it stands in for, and finds them at the same places, on the tokeniser's edge cases and
    on random texts made of them."""
    from lib.cleaning import passages

    if passages._compiled is None:
        pytest.skip("lib/text/_shingles.c was not compiled at install (no C compiler): the numpy path is the only one")
    rng = random.Random(5)
    pieces = [*"ab Z9_.,'’ʼ‘-‐‑ \n\t\u00a0@", "é", "\u0301", "٣", "𝐀", "İ", "ß", "www.", ".com", "http:", "\ud800"]
    texts = WORD_EDGES + ["".join(rng.choice(pieces) for _ in range(rng.randrange(60))) + " w" * rng.randrange(14)
                          for _ in range(3000)]
    for text in texts:
        numpy_path = passages.hashed_shingles(passages.passage_words(text))
        assert passages.shingle_array(text).tolist() == numpy_path.tolist(), text
        assert passages.word_places(text) == T.folded_spans(text), text  # where those words are


def test_without_the_compiled_shingles_the_numpy_path_gives_them(monkeypatch):
    from lib.cleaning import passages

    text = " ".join(WORD_EDGES[:3]) * 2
    want, places = passages.shingles(text), passages.word_places(text)
    monkeypatch.setattr(passages, "_compiled", None)
    assert passages.shingles(text) == want and len(want) == len(passages.passage_words(text)) - passages.PASSAGE + 1
    assert passages.word_places(text) == places


def test_the_distinct_hashes_of_an_article_are_numpys_unique_ones():
    from lib.text import hashes

    rng = np.random.default_rng(3)
    arrays = [np.array(a, dtype=np.uint64) for a in ([], [7], [2**64 - 1, 0, 2**64 - 1])]
    arrays += [rng.integers(0, n, size=rng.integers(0, 3000), dtype=np.uint64)
               for n in (5, 1000, 2**63) for _ in range(30)]
    for a in arrays:
        found = hashes.distinct(a)
        assert found.dtype == np.uint64 and np.array_equal(found, np.unique(a))
