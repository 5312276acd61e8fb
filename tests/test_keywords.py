"""Keywords: the corpus matrix and its vocabulary settings, TF-IDF per unit, log-odds z-scores checked by hand, KWIC."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib import keywords as K
from lib import terms as T

TEXTS = pd.Series(["the tax cut passed the senate", "tax tax reform stalled", "the flood hit the valley in 2024"])
OUTLETS = pd.Series(["A", "A", "B"], index=[10, 11, 12])


def test_keywords_per_unit_rank_the_unit_specific_terms_first():
    m = T.matrix(TEXTS, [10, 11, 12], T.Vocabulary(ngram_range=(1, 1), min_df=1))
    kw = K.keywords(m, OUTLETS, top=3)
    a = kw[kw["unit"] == "A"]
    assert a.iloc[0]["term"] == "tax" and a.iloc[0]["count"] == 3
    assert set(kw[kw["unit"] == "B"]["term"]) == {"flood", "hit", "valley"}


def test_log_odds_z_scores_match_a_hand_computation():
    # two outlets, two terms: A says "tax" 3 times and "flood" once; B says "tax" once and "flood" 3 times
    m = T.matrix(pd.Series(["tax tax tax flood", "tax flood flood flood"]), [0, 1],
                 T.Vocabulary(ngram_range=(1, 1), min_df=1))
    grouped, names = K.by_unit(m, pd.Series(["A", "B"], index=[0, 1]))
    z = K.log_odds(grouped, prior=4.0).toarray()
    col = {t: i for i, t in enumerate(m.terms)}
    # prior a_w = 4 * 4/8 = 2 for both terms; n_A = n_B = 4; a0 = 4
    y_i, y_j, a, n_i, n_j, a0 = 3, 1, 2.0, 4, 4, 4.0
    delta = math.log((y_i + a) / (n_i + a0 - y_i - a)) - math.log((y_j + a) / (n_j + a0 - y_j - a))
    expected = delta / math.sqrt(1 / (y_i + a) + 1 / (y_j + a))
    assert z[0, col["tax"]] == pytest.approx(expected)
    assert z[0, col["flood"]] == pytest.approx(-expected) and z[1, col["flood"]] == pytest.approx(expected)


def test_distinctive_reports_counts_rates_tokens_and_fragility():
    m = T.matrix(TEXTS, [10, 11, 12], T.Vocabulary(ngram_range=(1, 1), min_df=1))
    d = K.distinctive(m, OUTLETS, top=2)
    top_a = d[d["outlet"] == "A"].iloc[0]
    assert top_a["term"] == "tax" and top_a["count"] == 3 and top_a["others"] == 0
    assert top_a["tokens"] == 8 and top_a["per_10k"] == pytest.approx(1e4 * 3 / 8, abs=0.01)  # "the" is a stopword
    assert d["fragile"].all()  # counts of 1 to 3 rest on too little
    assert list(d["z"][d["outlet"] == "A"]) == sorted(d["z"][d["outlet"] == "A"], reverse=True)


def test_kwic_finds_whole_words_in_any_case_and_splits_the_match_out():
    s = pd.DataFrame({"article_id": [1, 1, 2], "sentence": [0, 1, 0], "outlet": ["A", "A", "B"],
                      "text": ["The Security Council voted.", "Securities rose.", "A <b>security  council</b> vote"]})
    hits = K.kwic(s, "security council")
    assert list(hits["article_id"]) == [1, 2]
    assert hits.iloc[0]["match"] == "Security Council" and hits.iloc[0]["left"] == "The "
    assert hits.iloc[1]["left"] == "A <b>" and hits.iloc[1]["right"] == "</b> vote"  # kept as text
    assert K.kwic(s, "   ").empty and K.kwic(s, "council (").empty
    t = pd.DataFrame({"article_id": [1, 2], "sentence": [0, 0], "outlet": ["A", "B"],
                      "text": ["He left the White. House staff stayed.", "Tip O’Neil spoke."]})
    assert K.kwic(t, "white house").empty  # the term matrix never joins words across punctuation
    assert list(K.kwic(t, "o'neil")["match"]) == ["O’Neil"]  # terms write apostrophes plainly


def test_distinctive_counts_are_the_outlets_own_counts():
    texts = pd.Series(["alpha beta beta gamma", "beta delta delta delta", "gamma gamma epsilon alpha",
                       "delta beta zeta", "zeta zeta zeta alpha"])
    outlets = pd.Series(["A", "B", "A", "C", "B"], index=range(5))
    m = T.matrix(texts, range(5), T.Vocabulary(ngram_range=(1, 1), min_df=1, english=False))
    d = K.distinctive(m, outlets, top=10)
    words = {o: " ".join(texts[outlets == o]).split() for o in "ABC"}
    for row in d.itertuples():
        assert row.count == words[row.outlet].count(row.term)
        assert row.others == sum(w.count(row.term) for o, w in words.items() if o != row.outlet)


def test_distinctive_by_an_extra_field_among_chosen_values():
    from lib import analysis

    stats = pd.DataFrame({"id": [10, 11, 12, 13], "outlet": ["A", "B", "C", "D"],
                          "bias": ["left", "left", "right", "center"], "story": [1, 1, 1, 1],
                          "url": ["u1", "u2", "u3", "u4"]})
    assert analysis.group_fields(stats) == ["outlet", "bias"]  # url: one value per article is no group
    m = T.matrix(pd.Series(["undocumented migrants", "undocumented workers", "illegal aliens", "border talks"]),
                 [10, 11, 12, 13], T.Vocabulary(ngram_range=(1, 1), min_df=1))
    d = K.distinctive(m, analysis.groups(stats, "bias", ["left", "right"]), top=1, label="bias")
    assert list(d["bias"]) == ["left", "right"] and list(d["term"]) == ["undocumented", "aliens"]
    assert d["tokens"].tolist() == [4, 2]  # the centre article takes no part
    with pytest.raises(Exception, match="no field 'nope'"):
        analysis.groups(stats, "nope")
