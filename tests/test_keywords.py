"""Keywords: the corpus matrix and its vocabulary settings, TF-IDF per unit, log-odds z-scores checked by hand, KWIC."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib.analyses import keywords as K
from lib.analyses import kwic
from lib.text import terms as T

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
    hits = kwic.kwic(s, "security council")
    assert list(hits["article_id"]) == [1, 2]
    assert hits.iloc[0]["match"] == "Security Council" and hits.iloc[0]["left"] == "The "
    assert hits.iloc[1]["left"] == "A <b>" and hits.iloc[1]["right"] == "</b> vote"  # kept as text
    assert kwic.kwic(s, "   ").empty and kwic.kwic(s, "council (").empty
    t = pd.DataFrame({"article_id": [1, 2], "sentence": [0, 0], "outlet": ["A", "B"],
                      "text": ["He left the White. House staff stayed.", "Tip O’Neil spoke."]})
    assert kwic.kwic(t, "white house").empty  # the term matrix never joins words across punctuation
    assert list(kwic.kwic(t, "o'neil")["match"]) == ["O’Neil"]  # terms write apostrophes plainly


def test_uses_in_a_long_text_are_the_patterns_matches():
    text = ("The Security Council met. Securities fell; the security  council (UN) voted, and O’Neil's "
            "sub_security council and antisecurity council did not. İstanbul security council")  # İ lowercases to 2
    for term in ["security council", "Council", "o'neil's", "council (un", "   "]:
        expected = [m.start() for m in kwic.pattern(term).finditer(text)] if kwic.pattern(term) else []
        assert kwic.uses(text, term) == expected
        assert kwic.uses(text.replace("İstanbul", "Istanbul"), term) == expected  # the fast path, same offsets
    assert len(kwic.uses(text, "security council")) == 4  # "sub_security": an underscore separates words
    assert kwic.uses("A state-run firm; the state’s firm; Iran's; Tehran-based", "state") == [22]
    assert kwic.uses("Iran's envoy, Iranian envoy", "iran") == [0]  # a possessive counts as the word
    assert kwic.uses("F‐16s and F-16 jets", "f-16") == [10]  # any hyphen; "F-16s" is another word


def test_the_uses_kwic_finds_are_the_words_the_term_matrix_counts():
    text = "State-run media and state media: Iran’s state media, a state-media-run state media"
    counted = T.matrix(pd.Series([text]), [0], T.Vocabulary(ngram_range=(2, 2), min_df=1))
    assert len(kwic.uses(text, "state media")) == int(counted.counts[0, list(counted.terms).index("state media")])


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
    from lib import service

    stats = pd.DataFrame({"id": [10, 11, 12, 13], "outlet": ["A", "B", "C", "D"],
                          "bias": ["left", "left", "right", "center"], "story": [1, 1, 1, 1],
                          "url": ["u1", "u2", "u3", "u4"]})
    assert service.group_fields(stats) == ["outlet", "bias"]  # url: one value per article is no group
    m = T.matrix(pd.Series(["undocumented migrants", "undocumented workers", "illegal aliens", "border talks"]),
                 [10, 11, 12, 13], T.Vocabulary(ngram_range=(1, 1), min_df=1))
    d = K.distinctive(m, service.groups(stats, "bias", ["left", "right"]), top=1, label="bias")
    assert list(d["bias"]) == ["left", "right"] and list(d["term"]) == ["undocumented", "aliens"]
    assert d["tokens"].tolist() == [4, 2]  # the centre article takes no part
    with pytest.raises(Exception, match="no field 'nope'"):
        service.groups(stats, "nope")


def test_tfidf_gives_no_weight_to_a_term_every_unit_uses_and_tf_alone_to_a_single_unit():
    m = T.matrix(pd.Series(["senate vote senate", "senate flood", "senate quake"]), [0, 1, 2],
                 T.Vocabulary(ngram_range=(1, 1), min_df=1))
    kw = K.keywords(m, pd.Series(["A", "B", "C"], index=[0, 1, 2]), top=5)
    assert "senate" not in set(kw["term"]) and set(kw["term"]) == {"vote", "flood", "quake"}
    alone = K.keywords(m, pd.Series(["A", "A", "A"], index=[0, 1, 2]), top=5)
    assert alone.iloc[0]["term"] == "senate" and alone.iloc[0]["count"] == 4


def test_equal_scores_rank_the_term_rarer_in_general_english_first_and_list_nested_uses_once():
    # A uses each term once: equal scores; "quasar" is rarer in English than "week"; "quasar telescope"
    # is the same single use as "quasar" and "telescope", so only the phrase is listed
    m = T.matrix(pd.Series(["this week the quasar telescope opened", "rain fell"]), [0, 1],
                 T.Vocabulary(ngram_range=(1, 2), min_df=1))
    outlets = pd.Series(["A", "B"], index=[0, 1])
    for table, score in ((K.keywords(m, outlets, top=5), "score"), (K.distinctive(m, outlets, top=5), "z")):
        a = table[table.iloc[:, 0] == "A"]
        assert a[score].nunique() == 1
        assert list(a["term"]) == ["quasar telescope", "opened", "week"]
    assert K.general_frequency(["quasar", "week", "quasar telescope", "zxqv"]).tolist()[3] == 0.0
    rare, common, phrase = K.general_frequency(["quasar", "week", "quasar telescope"])
    assert 0 < phrase < rare < common


def test_demo_outlets_are_told_apart_by_what_they_say(home, seeds):
    """The seeds' README: Al-Masdar dwells on weapons systems, the repost on the UN vote and Syria."""
    from lib import service, store
    from lib.ingest import pipeline
    conn, name = store.connect(home), "demo"
    pipeline.ingest_paths(conn, name, [seeds])
    vocab = service.vocabulary(conn, name)
    scoped = service.stats(conn, name)
    m = service.term_matrix(conn, name, vocab)
    for table in (K.keywords(m, service.units(scoped, "outlet"), 25),
                  K.distinctive(m, service.groups(scoped, "outlet"), 25)):
        terms = table.groupby(table.columns[0])["term"].apply(" | ".join)
        masdar = terms[[o for o in terms.index if "Masdar" in o][0]]
        assert all(w in masdar for w in ("s-400", "su-30", "ka-226t", "sukhoi"))
        repost = terms[[o for o in terms.index if "no outlet" in o][0]]
        assert all(w in repost for w in ("security council", "abstained", "unilateralism", "bashar al-assad"))
