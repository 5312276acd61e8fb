"""Coverage: per-outlet figures, times in a chosen zone, who reported first, undated articles."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SEEDS

from lib import service, store
from lib.analyses import coverage
from lib.ingest import pipeline


@pytest.fixture
def demo(home) -> pd.DataFrame:
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "demo", [SEEDS])
    return service.stats(conn, "demo")


def stats(rows: list[tuple]) -> pd.DataFrame:
    cols = ["id", "outlet", "published", "published_offset", "words", "chars", "raw_chars", "sentences"]
    df = pd.DataFrame(rows, columns=cols)
    return df.assign(source_file=[f"f{i}.txt" for i in df["id"]], title=[f"t{i}" for i in df["id"]])


def test_demo_outlets_four_with_the_unnamed_repost(demo):
    table = coverage.outlets(demo)
    assert table["articles"].sum() == 5 and len(table) == 4
    assert coverage.UNKNOWN in set(table["outlet"])
    assert table["articles_pct"].sum() == pytest.approx(100, abs=0.2)
    assert table["words"].sum() == demo["words"].sum()
    assert table["boilerplate_pct"].between(0, 100).all()
    urdupoint = table.set_index("outlet").loc["UrduPoint"]
    assert urdupoint["boilerplate_pct"] > 40  # about half of that file is site chrome


def test_demo_first_reports_the_two_22_august_articles_first(demo):
    first = coverage.first_reports(demo)
    assert list(first["outlet"])[:2] == ["UrduPoint", "Iran Press"]
    assert all(first["published"].iloc[:2].str.startswith("2020-08-22"))
    assert first["lag_hours"].is_monotonic_increasing
    assert len(coverage.undated(demo)) == 2


def test_times_convert_to_the_chosen_zone_and_keep_the_offset(demo):
    t = coverage.times(demo, "Asia/Tehran").set_index("outlet")
    iran = t.loc["Iran Press"].dropna(subset=["shown"]).iloc[0]
    assert iran["shown"] == pd.Timestamp("2020-08-22 17:28") and iran["offset"] == "+04:30"
    assert coverage.times(demo).set_index("outlet").loc["Al-Masdar News", "precision"] == "date"


def test_zone_unknown_times_are_shown_as_written():
    df = stats([(0, "A", "2024-03-01T10:00:00", "", 100, 600, 700, 5), (1, "A", "2024-03-01T09:00:00Z", "+00:00",
                                                                          100, 600, 700, 5)])
    t = coverage.times(df, "America/New_York")
    assert t.loc[0, "shown"] == pd.Timestamp("2024-03-01 10:00") and t.loc[0, "precision"] == "time (zone unknown)"
    assert t.loc[1, "shown"] == pd.Timestamp("2024-03-01 04:00")


@pytest.mark.parametrize(("days", "unit"), [(1, "hour"), (30, "day"), (400, "week"), (2000, "month")])
def test_the_timeline_bin_follows_the_span(days, unit):
    end = (pd.Timestamp("2020-01-01") + pd.Timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    df = stats([(0, "A", "2020-01-01T00:00:00Z", "", 10, 10, 10, 1), (1, "B", end, "", 10, 10, 10, 1),
                (2, "B", "", "", 10, 10, 10, 1)])
    counts, chosen = coverage.timeline(df)
    assert chosen == unit
    assert counts["articles"].sum() == 2  # the undated article is listed apart, not binned
    assert (counts["end"] > counts["bin"]).all()


def test_outlet_order_is_by_size_then_name():
    df = stats([(0, "B", "", "", 1, 1, 1, 1), (1, "A", "", "", 1, 1, 1, 1), (2, "C", "", "", 1, 1, 1, 1),
                (3, "C", "", "", 1, 1, 1, 1), (4, None, "", "", 1, 1, 1, 1)])
    assert coverage.outlet_order(df) == ["C", coverage.UNKNOWN, "A", "B"]


def test_first_reports_with_nothing_dated_is_empty():
    undated = pd.DataFrame({"id": [1, 2], "outlet": ["A", "B"], "title": ["x", "y"], "published": ["", None],
                            "published_offset": ["", ""]})
    assert coverage.first_reports(undated).empty
