"""AppTest of the analysis pages on the demo corpus (and NewsWCL50 where present), widgets driven by key."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NEWSWCL50
from streamlit.testing.v1 import AppTest

from lib import pipeline, store

PAGES = Path(__file__).resolve().parents[1] / "pages"


def page(name: str) -> AppTest:
    return AppTest.from_file(str(PAGES / name), default_timeout=120)


def frame(at: AppTest, column: str):
    """The table on the page that has ``column`` (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_coverage_page_on_the_demo(home):
    at = page("1_Coverage.py").run()
    assert not at.exception
    outlets = frame(at, "boilerplate_pct")
    assert outlets["articles"].sum() == 5 and len(outlets) == 4
    assert len(at.get("vega_lite_chart")) == 2  # the timeline and the story x outlet matrix
    first = frame(at, "lag_hours")
    assert list(first["outlet"][:2]) == ["UrduPoint", "Iran Press"]
    at.selectbox(key="cov_tz").set_value("Asia/Tehran").run()
    first = frame(at, "lag_hours")
    assert str(first.loc[first["outlet"] == "Iran Press", "shown"].iloc[0]).startswith("2020-08-22 17:28")
    at.segmented_control(key="cov_bin").set_value("day").run()
    assert not at.exception
    assert [o for o in at.selectbox(key="story").options] == ["All articles (5)",
                                                                  at.selectbox(key="story").options[1]]
    at.selectbox(key="story").set_value("1").run()
    assert not at.exception and "in story 1" in at.caption[1].value


def test_an_unknown_story_in_the_url_says_so(home):
    at = page("1_Coverage.py")
    at.query_params["story"] = "999"
    at.run()
    assert not at.exception
    assert any("999" in w.value for w in at.warning)
    assert at.selectbox(key="story").value == "all"


@pytest.mark.skipif(not NEWSWCL50.exists(), reason=f"NewsWCL50 not found at {NEWSWCL50}")
def test_coverage_page_finds_the_newswcl50_stories(home):
    pipeline.ingest_paths(store.connect(home), "newswcl50", [NEWSWCL50])
    at = page("1_Coverage.py")
    at.query_params["corpus"] = "newswcl50"
    at.run()
    assert not at.exception
    assert len(at.selectbox(key="story").options) == 11  # all, and ten stories of five articles
    at.selectbox(key="story").set_value("3").run()
    assert frame(at, "boilerplate_pct")["articles"].sum() == 5
