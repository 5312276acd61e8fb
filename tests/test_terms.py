"""The corpus term matrix: tokens, stopwords, possessives and contractions, n-grams, min_df, the parallel path."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.text import terms as T

TEXTS = pd.Series(["the tax cut passed the senate", "tax tax reform stalled", "the flood hit the valley in 2024"])


def test_numbers_never_become_terms_and_stopwords_apply():
    m = T.matrix(pd.Series(["In 2024 the 3 ministers met 12 times; 2,000 people, S-400 and F-35."]), [0],
                 T.Vocabulary(ngram_range=(1, 1), min_df=1))
    assert "2024" not in m.terms and "12" not in m.terms and "000" not in m.terms
    assert "the" not in m.terms and "ministers" in m.terms
    assert {"s-400", "f-35"} <= set(m.terms)  # names with digits stay


def test_custom_stopwords_and_ngram_range_take_effect():
    plain = T.matrix(TEXTS, [10, 11, 12], T.Vocabulary(ngram_range=(1, 1), min_df=1))
    assert "tax" in plain.terms and "tax cut" not in plain.terms
    custom = T.matrix(TEXTS, [10, 11, 12], T.Vocabulary(ngram_range=(1, 2), min_df=1, custom=("Tax", " valley ")))
    assert "tax" not in custom.terms and "valley" not in custom.terms and "cut passed" in custom.terms
    no_english = T.matrix(TEXTS, [10, 11, 12], T.Vocabulary(ngram_range=(1, 1), min_df=1, english=False))
    assert "the" in no_english.terms
    assert "tax" in T.matrix(TEXTS, [10, 11, 12], T.Vocabulary(min_df=2)).terms  # in two articles
    assert "flood" not in T.matrix(TEXTS, [10, 11, 12], T.Vocabulary(min_df=2)).terms


def test_addresses_possessives_and_contractions_are_not_terms():
    m = T.matrix(pd.Series(["It's Iran’s vote, don't miss it: see https://t.co/xyz, pic.twitter.com/abc, "
                            "foxnews.com, tips@example.org and @handle. We'll see; they can't. Live at "
                            "http:live.example.com. Graphic: tmsnrt.rs/2vkyX7C"]), [0],
                 T.Vocabulary(ngram_range=(1, 1), min_df=1))
    assert set(m.terms) == {"iran", "vote", "miss", "live", "graphic"}
    tokenised = T.matrix(pd.Series(["They did n't say it 's over"]), [0], T.Vocabulary(ngram_range=(1, 1), min_df=1))
    assert set(tokenised.terms) == {"did", "say"}  # a source rebuilt from tokens (NewsWCL50) splits contractions off


def test_ngrams_are_adjacent_words_and_never_cross_stopwords_or_punctuation():
    m = T.matrix(pd.Series(["The Secretary of State met the Defense Minister; Moscow agreed. Talks, Tehran."]), [0],
                 T.Vocabulary(ngram_range=(2, 3), min_df=1))
    assert set(m.terms) == {"state met", "defense minister", "moscow agreed"}  # no "secretary state", "talks tehran"
    tri = T.matrix(pd.Series(["russian air defense missiles"]), [0], T.Vocabulary(ngram_range=(1, 3), min_df=1))
    assert list(tri.terms) == sorted(["russian", "air", "defense", "missiles", "russian air", "air defense",
                                      "defense missiles", "russian air defense", "air defense missiles"])
    assert tri.counts.toarray().tolist() == [[1] * 9]


def test_counts_match_a_count_of_the_tokens_by_hand():
    texts = pd.Series(["tax reform tax reform tax", "", "reform votes"])
    m = T.matrix(texts, [7, 8, 9], T.Vocabulary(ngram_range=(1, 2), min_df=1))
    got = pd.DataFrame(m.counts.toarray(), index=m.ids, columns=m.terms)
    assert got.loc[7, "tax"] == 3 and got.loc[7, "reform"] == 2 and got.loc[7, "tax reform"] == 2
    assert got.loc[7, "reform tax"] == 2 and got.loc[8].sum() == 0 and got.loc[9, "reform votes"] == 1


def test_chunks_give_the_same_matrix_as_one_chunk(monkeypatch):
    texts = pd.Series([f"budget talks {i % 7} stall in senate. reform bill number {i} passes house" for i in range(60)])
    whole = T.matrix(texts, range(60))
    monkeypatch.setattr(T, "CHUNK", 7)
    chunked = T.matrix(texts, range(60))
    assert list(chunked.terms) == list(whole.terms)
    assert (chunked.counts != whole.counts).nnz == 0


@pytest.mark.parametrize("texts", [pd.Series([], dtype=str), pd.Series(["", None]), pd.Series(["the of and 2024"])])
def test_no_terms_gives_an_empty_matrix(texts):
    m = T.matrix(texts, range(len(texts)))
    assert m.counts.shape == (len(texts), 0) and len(m.terms) == 0


def test_two_builds_at_once_each_get_their_own_matrix(monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(T, "CHUNK", 7)
    corpora = [pd.Series([f"{w} harbour strike talks {i % 5}" for i in range(400)]) for w in ("dock", "rail")]
    with ThreadPoolExecutor(2) as pool:
        built = list(pool.map(lambda texts: T.matrix(texts, range(len(texts))), corpora))
    assert "dock" in built[0].terms and "rail" not in built[0].terms
    assert "rail" in built[1].terms and "dock" not in built[1].terms


def test_the_matrix_finds_the_articles_that_use_a_term():
    m = T.matrix(pd.Series(["The Border Wall vote", "a wall", "border wall’s cost"]), [7, 8, 9],
                 T.Vocabulary(ngram_range=(1, 2), min_df=1))
    assert sorted(m.articles_with("border  Wall").tolist()) == [7, 9]
    assert sorted(m.articles_with("wall").tolist()) == [7, 8, 9]
    assert m.articles_with("the") is None and m.articles_with("zebra") is None
