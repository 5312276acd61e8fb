"""Text reuse: a demo article republished with a paragraph cut and one added, checked against a plain
Python reference for shingles and containment; directions from every kind of date; copies; the
large-corpus path against the exact one; then NewsWCL50 and the AllSides corpus when present."""

from __future__ import annotations

import gzip
import itertools
import json
import re
from collections import Counter

import pandas as pd
import pytest
from conftest import ABP, NEWSWCL50, SEEDS, csv_bytes, prose

from lib import store
from lib.analyses import reuse
from lib.analyses.reuse import Passage
from lib.cleaning import clean
from lib.ingest import pipeline
from lib.text import tokeniser as W

ADDED = ("The ministry added in a later statement that the talks would continue in Tehran next month, "
         "when a delegation of engineers is due to visit several factories.")


def seed(name: str) -> str:
    return clean.clean(next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8"))[0]


def republished(text: str, cut: int, add_after: int) -> str:
    """The text with paragraph ``cut`` removed and ``ADDED`` inserted after paragraph ``add_after``."""
    paras = text.split("\n\n")
    out = [p for i, p in enumerate(paras) if i != cut]
    out.insert(add_after, ADDED)
    return "\n\n".join(out)


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """The reference: the regular-expression tokeniser's folded words (``lib.text.tokeniser``), every run of n."""
    words = W.folded(text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def corpus(texts: list[str], published: list[str | None], outlets: list[str] | None = None) -> pd.DataFrame:
    outlets = outlets or [f"Outlet {i}" for i in range(len(texts))]
    return pd.DataFrame({"id": range(10, 10 + len(texts)), "outlet": outlets, "published": published, "text": texts})


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    """10: a demo article (seed 003); 11: it republished a day later, paragraph 6 cut and one added
    after paragraph 10 (before the 11th); 12-14: three other demo articles on the event, written apart."""
    original = seed("003")
    texts = [original, republished(original, cut=6, add_after=10), seed("000"), seed("001"), seed("004")]
    return corpus(texts, ["2020-08-22T12:58:00Z", "2020-08-23T09:00:00Z", "2020-08-22T12:58:00Z",
                          "2020-08-22T11:50:00Z", "2020-08-25"])


def test_republished_article_is_found_with_direction_and_exact_containment(demo):
    found = reuse.pairs(demo)
    assert found[["source", "target"]].values.tolist() == [[10, 11]]  # the other demo articles pair with nothing
    row = found.iloc[0]
    assert (row.source_outlet, row.target_outlet) == ("Outlet 0", "Outlet 1")
    assert (row.source_published, row.target_published) == ("2020-08-22T12:58:00Z", "2020-08-23T09:00:00Z")
    assert row.direction == "source earlier"
    a, b = shingles(demo.text[0]), shingles(demo.text[1])
    assert (row.shared, row.source_shingles, row.target_shingles) == (len(a & b), len(a), len(b))
    assert row.source_in_target == pytest.approx(len(a & b) / len(a))
    assert row.target_in_source == pytest.approx(len(a & b) / len(b))
    assert 0.9 < row.target_in_source < 1 and 0.9 < row.source_in_target < 1
    assert row.relation == "copy"
    assert reuse.copies(found).to_dict() == {11: 10}
    shuffled = demo.iloc[::-1].set_axis([7, 3, 9, 1, 0])  # rows in any order, any index
    pd.testing.assert_frame_equal(reuse.pairs(shuffled), found)


def test_passages_map_back_to_the_same_words_in_both_texts(demo):
    a, b = demo.text[0], demo.text[1]
    paras_a = a.split("\n\n")
    found = reuse.passages(a, b)

    def span(text: str, first: str, last: str) -> tuple[int, int]:  # from the first word of one paragraph
        start = text.index(first)  # to the last word of another
        end = text.index(last) + len(last)
        spans = W.spans(text[start:end])
        return start + spans[0][0], start + spans[-1][1]

    expected_a = [span(a, paras_a[0], paras_a[5]), span(a, paras_a[7], paras_a[10]), span(a, paras_a[11], paras_a[-1])]
    expected_b = [span(b, paras_a[0], paras_a[5]), span(b, paras_a[7], paras_a[10]), span(b, paras_a[11], paras_a[-1])]
    assert [(p.a_start, p.a_end) for p in found] == expected_a
    assert [(p.b_start, p.b_end) for p in found] == expected_b
    for p in found:
        assert W.folded(a[p.a_start : p.a_end]) == W.folded(b[p.b_start : p.b_end])
        assert p.words == W.count(a[p.a_start : p.a_end])
    assert ADDED not in "".join(b[p.b_start : p.b_end] for p in found)
    assert paras_a[6] not in "".join(a[p.a_start : p.a_end] for p in found)


def test_passages_ignore_case_punctuation_and_quote_styles_and_keep_offsets_past_emoji():
    a = "Breaking 😀: “The quick brown fox jumps over the lazy dog,” he said. Nothing else here."
    b = 'He wrote: "the QUICK brown fox -- jumps over the lazy dog" yesterday 🦊 and left.'
    [p] = reuse.passages(a, b)
    assert a[p.a_start : p.a_end] == "The quick brown fox jumps over the lazy dog"
    assert b[p.b_start : p.b_end] == "the QUICK brown fox -- jumps over the lazy dog"
    assert p == Passage(p.a_start, p.a_end, p.b_start, p.b_end, 9)
    assert reuse.passages(a, "nothing in common at all with it") == []
    assert reuse.passages("", b) == [] and reuse.passages("too short", "too short") == []


@pytest.mark.parametrize(("word", "other"), [("administration", "administrative"),  # differ after 8 characters
                                             ("counterrevolutionaries", "counterrevolutionariez"),  # after 16
                                             ("Ärzte", "ärzte"), ("naïve", "naive")])
def test_every_character_of_a_word_counts_and_case_does_not(word, other):
    def words(a: str, b: str) -> list[int]:
        return [p.words for p in reuse.passages(f"they met the {a} officials on monday",
                                                f"They met the {b} officials on Monday")]

    assert words(word, word.upper()) == [7]
    assert words(word, other) == ([7] if word.lower() == other.lower() else [])


@pytest.mark.parametrize(("published", "direction", "source"), [
    (["2020-08-22T12:58:00Z", "2020-08-23T09:00:00Z"], "source earlier", 10),
    (["2020-08-23T09:00:00Z", "2020-08-22T12:58:00Z"], "source earlier", 11),  # the copy came first
    (["2020-08-22", "2020-08-23"], "source earlier", 10),  # bare dates on different days
    (["2020-08-23", "2020-08-22T09:00:00Z"], "source earlier", 11),  # before the 23rd began anywhere (+14:00)
    (["2020-08-23", "2020-08-22T11:00:00Z"], "unknown", None),  # already the 23rd at +14:00
    ([None, ""], "unknown", None),  # missing dates
    (["2020-08-22T12:58:00Z", "2020-08-22T12:58:00Z"], "unknown", None),  # equal
    (["2020-08-22", "2020-08-22"], "unknown", None),  # the same day
    (["2020-08-22", "2020-08-22T23:00:00Z"], "unknown", None),  # a date and a time in that day
    (["2020-08-22T20:00:00", "2020-08-22T12:00:00Z"], "unknown", None),  # wall time, zone unknown: UTC 06-08h
    (["2020-08-21T20:00:00", "2020-08-22T12:00:00Z"], "source earlier", 10),  # at most 2020-08-22T08:00Z
])
def test_direction_from_every_kind_of_date(demo, published, direction, source):
    found = reuse.pairs(corpus(demo.text[:2].tolist(), published))
    [row] = found.itertuples()
    assert row.direction == direction
    if source is None:  # undated: the target is the article more contained in the other
        a, b = shingles(demo.text[0]), shingles(demo.text[1])
        source = 10 if len(a & b) / len(b) > len(a & b) / len(a) else 11
    assert (row.source, row.target) == (source, 21 - source)
    assert row.target_in_source >= row.source_in_target or direction == "source earlier"


def test_copies_point_to_the_first_original_and_near_copies_only(demo):
    text = demo.text[0]
    df = corpus([text, text, text, demo.text[1], demo.text[2]],
                ["2020-08-25", "2020-08-22", None, "2020-08-26", "2020-08-20"])
    found = reuse.pairs(df)
    exact = found[(found.source_in_target == 1) & (found.target_in_source == 1)]
    assert len(exact) == 3 and (exact.relation == "copy").all()
    assert reuse.copies(found).to_dict() == {10: 11, 12: 11, 13: 11}  # 13, the republished one, copies 11 too
    # the undated copy: equal texts, so the later id is the target
    assert found.set_index(["source", "target"]).loc[(10, 12), "direction"] == "unknown"
    loose = reuse.pairs(df, copy_containment=0.99)
    assert reuse.copies(loose).to_dict() == {10: 11, 12: 11}


def test_large_corpus_path_finds_the_same_pairs_as_the_exact_path_and_leaves_out_boilerplate(demo):
    texts = [*demo.text, seed("002")]
    df = corpus(texts, [None] * len(texts))
    exact = reuse.pairs(df, exact=True)
    pd.testing.assert_frame_equal(reuse.pairs(df, exact=False), exact)
    assert sorted(exact[["source", "target"]].values.flat) == [10, 11]
    # a block (say a newsletter sign-up) in all six articles: the exact path pairs most of them; with
    # max_df=3, shingles in 4 articles or more are left out, and only the real pair remains
    df = corpus([t + "\n\n" + prose("subscription offer", 4) for t in texts], [None] * len(texts))
    assert len(reuse.pairs(df, exact=True)) > 10
    large = reuse.pairs(df, exact=False, max_df=3)
    sets = [shingles(t) for t in df.text]
    df_of = Counter(s for x in sets for s in x)
    a, b = ({s for s in x if df_of[s] <= 3} for x in sets[:2])
    assert large[["source", "target", "shared", "source_shingles", "target_shingles", "relation"]].values.tolist() == [
        [11, 10, len(a & b), len(b), len(a), "copy"]]


def test_outlet_matrix_counts_who_republishes_whom(demo):
    original, copy = demo.text[0], demo.text[1]
    df = corpus([original, copy, copy, original], ["2020-08-22", "2020-08-24", "2020-08-25", None],
                outlets=["Wire", "Daily", "Daily", "Weekly"])
    found = reuse.pairs(df)
    matrix = reuse.outlet_matrix(found)
    assert matrix.loc["Wire", "Daily"] == 2 and matrix.to_numpy().sum() == 3  # and Daily (24th) -> Daily (25th)
    assert matrix.index.name == "source outlet" and matrix.columns.name == "republished by"
    everything = reuse.outlet_matrix(found, dated_only=False)
    assert everything.to_numpy().sum() == len(found) == 6
    assert reuse.outlet_matrix(found, relation="shared passages").to_numpy().sum() == 0


def test_empty_short_and_missing_texts():
    df = corpus(["", None, "too short", prose("bridge", 1)], [None] * 4)
    assert reuse.pairs(df).empty
    assert list(reuse.pairs(df.iloc[:0]).columns) == list(reuse.pairs(df).columns)
    assert reuse.copies(reuse.pairs(df)).empty and reuse.outlet_matrix(reuse.pairs(df)).empty


def test_newswcl50_has_no_copies_until_one_is_added():
    if not NEWSWCL50.exists():
        pytest.skip(f"NewsWCL50 corpus not found at {NEWSWCL50}")
    records = [json.loads(line) for line in NEWSWCL50.read_text(encoding="utf-8").splitlines() if line.strip()]
    df = pd.DataFrame({"id": range(len(records)), "outlet": [r["outlet"] for r in records],
                       "published": [r["date"] for r in records], "text": [r["text"] for r in records]})
    found = reuse.pairs(df)  # five outlets writing their own stories on ten events: quotes, no copies
    assert reuse.copies(found).empty and len(found) <= 5
    assert (found.source_outlet != found.target_outlet).all()
    paras = df.text[0].split("\n\n")
    copy = {"id": 99, "outlet": "Aggregator", "published": "2018-04-18", "text": "\n\n".join(paras[1:])}
    found = reuse.pairs(pd.concat([df, pd.DataFrame([copy])], ignore_index=True))
    assert reuse.copies(found).to_dict() == {99: 0}
    row = found[found.target == 99].iloc[0]
    assert row.direction == "source earlier" and row.target_in_source > 0.97


def test_allsides_sample_the_large_path_leaves_out_only_passages_in_more_than_max_df_articles():
    if not ABP.exists():
        pytest.skip(f"AllSides corpus not found at {ABP}")
    with gzip.open(ABP, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in itertools.islice(fh, 3000)]
    df = pd.DataFrame({"id": range(len(records)), "outlet": [r["outlet"] for r in records],
                       "published": [r["published"] or "" for r in records], "text": [r["text"] for r in records]})
    exact, large = reuse.pairs(df, exact=True), reuse.pairs(df, exact=False, max_df=5)
    both = exact.merge(large, on=["source", "target"], how="outer", indicator="side", suffixes=("", "_large"))
    assert (both.side == "both").sum() >= 10 and (both.side == "left_only").sum() >= 10
    assert (both.side != "right_only").all()
    kept = both[both.side == "both"]
    assert (kept.shared_large <= kept.shared).all() and (kept.direction == kept.direction_large).all()
    # a pair is lost when all it shares is in more than 5 articles (a passage the reference finds there),
    # or when, without those shingles, what remains is below the thresholds
    loose = reuse.pairs(df, exact=False, max_df=5, min_containment=0, min_shared=1).set_index(["source", "target"])
    words = [" " + " ".join(W.folded(t)) + " " for t in df.text]
    for row in both[both.side == "left_only"].itertuples():
        if (row.source, row.target) in loose.index:
            rest = loose.loc[(row.source, row.target)]
            assert max(rest.source_in_target, rest.target_in_source) < 0.2 or rest.shared < 5
        else:
            a, b = df.text[row.source], df.text[row.target]
            longest = max(reuse.passages(a, b), key=lambda p: p.words)
            gram = " " + " ".join(W.folded(a[longest.a_start : longest.a_end])[:5]) + " "
            assert sum(gram in w for w in words) > 5


def test_reuse_page_on_many_republishers_shows_the_busiest_and_picks_pairs_by_short_ids(home, tmp_path):
    """A wire story republished a day later by 24 outlets, each with a paragraph of its own: the who-republishes-
    whom heatmap shows 20 of them and says so; the pair picker's values are article ids, its labels titles."""
    import pyarrow as pa
    from streamlit.testing.v1 import AppTest

    wire = seed("003")
    rows = [{"headline": "The wire story", "body": wire, "source": "Wire", "date": "2020-08-22T08:00:00Z"}]
    rows += [{"headline": f"Republished {k}", "body": republished(wire, cut=k % 5, add_after=3) + "\n\n" + prose(
        f"harbour number {k}", 1), "source": f"Outlet {k:02d}", "date": "2020-08-23T12:00:00Z"} for k in range(24)]
    (tmp_path / "wire.csv").write_bytes(csv_bytes(rows))
    pipeline.ingest_paths(store.connect(home), "wire", [tmp_path / "wire.csv"])
    at = AppTest.from_file(str(SEEDS.parent / "pages" / "2_Reuse.py"), default_timeout=120)
    at.query_params["corpus"] = "wire"
    at.run()
    assert not at.exception
    heatmap = at.get("vega_lite_chart")[0]
    drawn = pd.concat([pa.ipc.open_stream(d.data.data).read_pandas() for d in heatmap.proto.datasets])
    assert set(drawn["source outlet"]) == {"Wire"} and drawn["republished by"].nunique() == 20
    assert any(c.value.startswith("Shown: the 20 republishing outlets (of 24) with the most pairs")
               for c in at.caption)
    pair = next(s for s in at.selectbox if s.key.startswith("reuse_pair"))
    assert re.fullmatch(r"\d+-\d+", pair.value) and pair.format_func(pair.value).startswith("Outlet ")
    ids = store.articles(store.connect(home), "wire").set_index("outlet")["id"]
    picked = f"{ids['Wire']}-{ids['Outlet 07']}"  # the wire story and its republication by Outlet 07
    assert pair.format_func(picked) in pair.options
    pair.set_value(picked).run()
    assert at.query_params["reuse_pair"] == picked  # the link holds two article ids
    at.query_params["reuse_pair"] = "1-999"  # a hand-written pair that is not there
    at.run()
    assert any("1-999” is not offered here; showing" in w.value for w in at.warning)
    assert "⟦shared 1: " in at.code[0].value


QUOTE = ("We will keep the harbour open through the winter, whatever the storms bring, because the fishing "
         "families of the valley depend on it and have told us so at every meeting this year")


def test_a_passage_outlets_carry_only_as_a_quotation_is_no_republishing():
    own = [  # three outlets, their own words around the same quotation of the mayor
        "The mayor spoke at the harbour on Monday. “" + QUOTE + ",” she said, to applause from the crowd.",
        "Speaking to reporters before the council vote, the mayor said: “" + QUOTE + ".”",
        "At a tense meeting in the town hall, residents heard the mayor insist that \"" + QUOTE + ".\"",
    ]
    copied = own[0] + " The council will vote again in the spring."  # a fourth outlet republishes the first
    articles = pd.DataFrame({"id": [1, 2, 3, 4], "outlet": ["Post", "Herald", "Courier", "Gazette"],
                             "published": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"],
                             "text": [*own, copied]})
    found = reuse.pairs(articles)
    relation = {(r.source, r.target): r.relation for r in found.itertuples()}
    assert relation[(1, 4)] == "copy"  # the quotation inside a copy is copied too
    assert {relation[p] for p in [(1, 2), (1, 3), (2, 3)]} == {"shared quotation"}
    assert found.set_index(["source", "target"]).loc[(2, 3), "quoted"] >= 20
    republished = reuse.outlet_matrix(found)
    assert republished.to_numpy().sum() == 1 and republished.loc["Post", "Gazette"] == 1
    assert dict(reuse.copies(found)) == {4: 1}
