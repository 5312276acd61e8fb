"""Stories: found without being told how many, one story for the demo, the gold events of NewsWCL50."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import NEWSWCL50, SEEDS
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from lib import service, store
from lib.analyses import stories
from lib.ingest import pipeline

EVENTS = {
    "flood": "Heavy rain flooded the river valley; residents of the lowland villages were evacuated by boat and "
             "the dam operators opened the spillway as water levels rose above the levee.",
    "election": "Voters chose a new mayor in the runoff; the challenger won the ballot count by a narrow margin "
                "and the incumbent conceded after the recount of the precinct tallies.",
    "strike": "Dock workers walked out over pay; the union picket closed the container terminal and shipping "
              "lines diverted freighters while negotiators met the port authority.",
}


def article(i: int, event: str, day: str, extra: str = "") -> dict:
    words = EVENTS[event].split()
    rng = np.random.default_rng(i)
    body = " ".join(rng.permutation(words)) + ". " + EVENTS[event] + f" Reporter {i} filed this {extra}."
    return {"id": i, "outlet": f"Outlet {i % 3}", "published": day, "title": f"{event} {i}", "text": body}


def corpus(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def test_three_events_give_three_stories_numbered_by_size():
    rows = [article(i, e, "2024-05-0" + str(1 + i % 3)) for i, e in enumerate(["flood"] * 4 + ["election"] * 3
                                                                             + ["strike"] * 3)]
    result = stories.cluster(corpus(rows))
    labels = result.assignments.to_numpy()
    assert adjusted_rand_score([0] * 4 + [1] * 3 + [2] * 3, labels) == 1.0
    assert list(result.table["articles"]) == [4, 3, 3]
    assert result.assignments.loc[0] == 1  # the largest story is story 1
    assert "flood" in result.table.loc[0, "headline"]


def test_a_story_spans_days_whether_its_articles_give_a_time_or_not():
    rows = [article(i, "flood", day) for i, day in enumerate(["2024-05-02T23:10:00", "2024-05-01", "2024-05-03",
                                                              "2024-05-03T08:00:00"])]
    table = stories.cluster(corpus(rows)).table
    assert table[["first", "last"]].values.tolist() == [["2024-05-01", "2024-05-03"]]


def test_the_time_window_separates_the_same_words_months_apart():
    rows = [article(i, "flood", f"2024-05-0{i + 1}") for i in range(3)]
    rows += [article(i + 3, "flood", f"2024-08-0{i + 1}") for i in range(3)]
    same_words = stories.Vocabulary(max_df=1.0)  # every term is in every article: only time tells them apart
    assert len(stories.cluster(corpus(rows), window_days=7, vocabulary=same_words).table) == 2
    assert len(stories.cluster(corpus(rows), window_days=365, vocabulary=same_words).table) == 1


def test_undated_and_tiny_corpora_do_not_fail():
    assert len(stories.cluster(corpus([article(0, "flood", "")])).table) == 1
    empty = stories.cluster(corpus([]).reindex(columns=["id", "outlet", "published", "title", "text"]))
    assert empty.table.empty
    rows = [article(i, e, "") for i, e in enumerate(["flood", "flood", "strike", "strike", "election", "election"])]
    assert adjusted_rand_score([0, 0, 1, 1, 2, 2], stories.cluster(corpus(rows)).assignments) == 1.0


def test_the_demo_corpus_is_one_story(home):
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "demo", [SEEDS])
    result = service.story_result(conn, "demo")
    assert len(result.table) == 1 and result.table.loc[0, "articles"] == 5
    assert result.table.loc[0, "outlets"] == 3  # three named; the repost names none and is not a fourth
    again = service.story_result(conn, "demo")  # from the artifact
    assert again.table.equals(result.table)


def newswcl50() -> tuple[pd.DataFrame, np.ndarray]:
    df = pd.read_json(NEWSWCL50, lines=True)
    articles = pd.DataFrame({"id": range(len(df)), "outlet": df["outlet"], "published": df["date"].astype(str),
                             "title": df["title_guess"].fillna(""), "text": df["text"]})
    return articles, df["event_id"].to_numpy()


needs_newswcl50 = pytest.mark.skipif(not NEWSWCL50.exists(), reason=f"NewsWCL50 not found at {NEWSWCL50}")


@needs_newswcl50
@pytest.mark.parametrize("vocabulary", [
    stories.Vocabulary(),
    stories.Vocabulary(min_df=3),
    stories.Vocabulary(max_df=1.0),
    stories.Vocabulary(ngram_range=(1, 2)),
    stories.Vocabulary(min_df=3, ngram_range=(1, 3)),
], ids=["default", "min_df=3", "max_df=1", "bigrams", "min_df=3,trigrams"])
def test_newswcl50_stories_match_the_gold_events(vocabulary):
    articles, gold = newswcl50()
    result = stories.cluster(articles, vocabulary=vocabulary)
    labels = result.assignments.loc[articles["id"]].to_numpy()
    assert adjusted_rand_score(gold, labels) >= 0.9
    assert normalized_mutual_info_score(gold, labels) >= 0.9


@needs_newswcl50
def test_the_large_corpus_path_with_nothing_dated_does_not_fail(monkeypatch):
    monkeypatch.setattr(stories, "DENSE_MAX", 4)
    rows = [article(i, e, "") for i, e in enumerate(["flood", "strike", "election"] * 3)]
    labels = stories.cluster(corpus(rows)).assignments.to_numpy()
    events = pd.Series(["flood", "strike", "election"] * 3)
    assert events.groupby(labels).nunique().max() == 1  # no story mixes two events (the cut rests on 4 articles)


@needs_newswcl50
def test_the_large_corpus_path_agrees_with_the_dense_one(monkeypatch):
    articles, gold = newswcl50()
    monkeypatch.setattr(stories, "DENSE_MAX", 20)  # cut chosen on a 20-article slice, then by components
    labels = stories.cluster(articles).assignments.loc[articles["id"]].to_numpy()
    assert adjusted_rand_score(gold, labels) >= 0.9


def test_story_outlet_matrix_shows_blindspots():
    rows = [article(i, e, "2024-05-01") for i, e in enumerate(["flood"] * 4 + ["election"] * 3 + ["strike"] * 3)]
    df = corpus(rows)
    df.loc[df["title"].str.startswith("election"), "outlet"] = "Outlet 0"
    result = stories.cluster(df)
    df["story"] = df["id"].map(result.assignments)
    m = stories.matrix(df, result.table, ["Outlet 0", "Outlet 1", "Outlet 2"])
    assert m.to_numpy().sum() == 10 and list(m.columns) == ["Outlet 0", "Outlet 1", "Outlet 2"]
    assert (m.to_numpy() == 0).any()  # an outlet that skipped a story
    assert m.index[0].startswith("1: ")


def test_a_comparison_opens_on_the_story_the_most_outlets_carry():
    table = pd.DataFrame({"story": [1, 2, 3, 4], "articles": [9, 4, 4, 1], "outlets": [2, 3, 3, 1]})
    assert stories.largest(table) == 2  # three outlets beat nine articles of two; then the larger, then the first
    assert stories.largest(table[table["story"] == 4]) is None  # no story of two articles
    assert stories.largest(table.iloc[:0]) is None
