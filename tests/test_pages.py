"""AppTest of the analysis pages on the demo corpus (and NewsWCL50 where present), widgets driven by key."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NEWSWCL50, SEEDS
from streamlit.testing.v1 import AppTest

from lib import service, store
from lib.analyses import stories
from lib.ingest import pipeline
from lib.store import edits

PAGES = Path(__file__).resolve().parents[1] / "pages"


def page(name: str) -> AppTest:
    return AppTest.from_file(str(PAGES / name), default_timeout=120)


def picker(at: AppTest, param: str):
    """The picker whose choice is ``?param=`` in the address (``ui.choice``: its widget key starts with it)."""
    return next(s for s in at.selectbox if s.key == param or s.key.startswith(param + "@"))


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


def test_reuse_page_pairs_a_republished_article_and_marks_its_passages(home, tmp_path):
    original = (SEEDS / "004_2ce101c8010756d4.txt").read_text(encoding="utf-8")
    paragraphs = original.split("\n\n")
    republished = "\n\n".join(paragraphs[:-2] + ["Analysts in the region said the purchases would take years to "
                                                 "complete, and that the financing had not been announced."])
    (tmp_path / "republished.txt").write_text(republished, encoding="utf-8")
    pipeline.ingest_paths(store.connect(home), "reused", [SEEDS, tmp_path / "republished.txt"])
    at = page("2_Reuse.py")
    at.query_params["corpus"] = "reused"
    at.run()
    assert not at.exception
    at.toggle(key="reuse_across").set_value(False).run()  # the copy names no outlet of its own
    pairs = frame(at, "target_in_source")
    assert len(pairs) == 1 and pairs.loc[0, "target_in_source"] > 0.8
    assert {pairs.loc[0, "source"], pairs.loc[0, "target"]} == {4, 5}
    assert "⟦shared 1: " in at.code[0].value and "⟦shared 1: " in at.code[1].value
    assert frame(at, "source_text")["words"].sum() > 100


def test_reuse_page_on_the_demo_says_nothing_is_shared(home):
    at = page("2_Reuse.py").run()
    assert not at.exception
    assert any("No two articles" in i.value for i in at.info)


def test_entities_page_merges_a_misspelled_name_and_shows_its_sentences(home):
    at = page("3_Entities.py").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 2  # entities and sources heatmaps
    recurring = list(picker(at, "ent_row").options)
    for name in ["Amir Hatami", "Sergei Shoigu", "Kazem Jalali", "Army-2020", "Security Council"]:
        assert name in recurring
    picker(at, "ent_row").set_value("Sergei Shoigu").run()
    evidence = frame(at, "surface")
    assert evidence["outlet"].nunique() == 4 and evidence["text"].str.contains("Sjojgoe").any()
    picker(at, "ent_outlet").set_value("Al-Masdar News").run()
    assert set(frame(at, "surface")["outlet"]) == {"Al-Masdar News"}
    at.slider(key="ent_top").set_value(5).run()
    assert len(picker(at, "ent_row").options) == 5


def test_entities_page_lists_the_sources_each_outlet_credits(home):
    at = page("3_Entities.py").run()
    credits = frame(at, "citations")
    media = set(zip(credits["outlet"], credits["source"], strict=True))
    assert {("Al-Masdar News", "Sputnik"), ("Al-Masdar News", "RT"), ("Al-Masdar News", "Fars"),
            ("UrduPoint", "Sputnik"), ("Iran Press", "Russia 24")} <= media
    picker(at, "src_row").set_value("Sputnik").run()
    assert set(frame(at, "cue")["outlet"]) == {"Al-Masdar News", "UrduPoint"}
    at.toggle(key="src_media").set_value(False).run()
    every = set(frame(at, "citations")["source"])
    assert every >= {"Sputnik", "Russia 24"} and "Kazem Jalali" not in every  # a person quoted: a speaker


def test_entities_page_filters_by_kind_and_says_who_is_who(home):
    at = page("3_Entities.py")
    at.query_params["ent_kind"] = "people"
    at.run()
    assert not at.exception
    who = frame(at, "description").set_index("entity")
    assert set(who["kind"]) == {"person"} and who.loc["Sergei Shoigu", "description"].endswith("Defense Minister")
    assert set(picker(at, "ent_row").options) <= set(who.index)


def test_keywords_page_draws_clouds_and_drives_its_controls(home):
    at = page("4_Keywords.py").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 5  # four bar twins (one per outlet) and the distinctive scatter
    keywords = frame(at, "score")
    assert set(keywords["unit"]) == {"Iran Press", "UrduPoint", "Al-Masdar News", "(no outlet)"}
    next(m for m in at.multiselect if m.key.startswith("kw_clouds_outlet")).set_value(["Al-Masdar News"]).run()
    assert len(at.get("vega_lite_chart")) == 2 and len(at.get("image")) == 1  # the picked outlet's cloud and twin
    assert [t.value for t in at.text][:1] == ["Al-Masdar News"]
    at.slider(key="kw_top").set_value(5).run()
    assert (frame(at, "score").groupby("unit").size() == 5).all()
    assert (frame(at, "z").groupby("outlet").size() > 5).any()  # distinctive terms have their own number
    at.number_input(key="kw_dtop").set_value(5).run()
    assert (frame(at, "z").groupby("outlet").size() == 5).all()
    at.select_slider(key="kw_ngram").set_value((1, 1)).run()
    assert not frame(at, "score")["term"].str.contains(" ").any()
    next(t for t in at.text_area if t.key.startswith("kw_custom_")).set_value("security\ncouncil").run()
    at.button(key="kw_custom_save").click().run()
    assert "security" not in set(frame(at, "score")["term"])
    assert edits.stopwords(store.connect(home), "demo") == ["security", "council"]
    at.segmented_control(key="kw_by").set_value("story").run()
    assert set(frame(at, "score")["unit"]) == {1}
    at.text_input(key="kw_term").set_value("Shoigu").run()
    hits = frame(at, "match")
    assert len(hits) >= 3 and set(hits["match"]) == {"Shoigu"} and hits["published"].notna().any()
    assert list(hits["published"].dropna()) == sorted(hits["published"].dropna(), reverse=True)  # newest first
    at.text_input(key="kw_term").set_value("International Army Games").run()
    assert any(c.value.startswith("1 article may use") and "; 1 sentence uses" in c.value for c in at.caption)
    at.text_input(key="kw_term").set_value("Shoigu").run()
    one = hits["outlet"].iloc[-1]
    at.multiselect(key="kw_kwic_outlets").set_value([one]).run()
    assert set(frame(at, "match")["outlet"]) == {one} and len(frame(at, "match")) < len(hits)


def test_text_from_the_url_or_the_articles_is_never_markdown_in_captions(home):
    at = page("4_Keywords.py").run()
    at.text_input(key="kw_term").set_value("[click](https://evil.example) $x$ **b**").run()
    caption = next(c.value for c in at.caption if "sentences use" in c.value)
    assert "[click](" not in caption and "$x$" not in caption and "**b**" not in caption
    assert r"\[click\]\(https\:" in caption


def test_topics_page_drives_its_controls_by_key(home):
    at = page("5_Topics.py").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) >= 3  # k curve, map, topic x outlet heatmap (and time when dated)
    table = frame(at, "stability")
    assert 3 <= len(table) <= 7 and table["label"].str.len().gt(0).all()
    assert any("sentences of 5 articles from 3 outlets; 1 of them names no outlet" in c.value for c in at.caption)
    at.number_input(key="tp_k").set_value(5).run()
    assert not at.exception and len(frame(at, "stability")) == 5
    assert any("5 topics (NMF, as asked)" in c.value for c in at.caption)
    at.segmented_control(key="tp_method").set_value("kmeans").run()
    assert not at.exception and any("(KMEANS, as asked)" in c.value for c in at.caption)
    at.segmented_control(key="tp_unit").set_value("paragraph").run()
    assert not at.exception and any("paragraphs of 5 articles" in c.value for c in at.caption)
    second = picker(at, "tp_row").options[1]  # its label; the address holds its number
    picker(at, "tp_row").set_value(second.split(" · ")[0]).run()
    picker(at, "tp_outlet").set_value("Iran Press").run()
    shown = frame(at, "weight")
    assert len(shown) and set(shown["outlet"]) == {"Iran Press"} and "published" in shown.columns
    assert set(shown["topic"]) == {int(second.split(" · ")[0])}


def test_compare_page_drives_the_outlets_and_the_grid_views(home):
    at = page("6_Compare.py").run()
    assert not at.exception
    assert at.multiselect(key="cmp_outlets").value == ["Iran Press", "(no outlet)", "Al-Masdar News", "UrduPoint"]
    elements = frame(at, "independent")
    assert len(elements) > 10 and (elements["outlets"].iloc[:4] == 3).all()
    picker(at, "cmp_view").set_value("only-one").run()
    assert (frame(at, "independent")["outlets"] == 1).all()
    assert frame(at, "independent")["label"].str.contains("S-400").any()
    picker(at, "cmp_view").set_value("omissions:Al-Masdar News").run()
    gaps = frame(at, "independent")
    assert (gaps["Al-Masdar News"].fillna("") == "").all() and gaps["label"].str.contains("vot(?:ed|ing) against").any()
    element = int(gaps["element"].iloc[0])
    picker(at, "cmp_element").set_value(str(element)).run()
    assert any("⟦" in c.value or c.value for c in at.code)  # each outlet's sentence, as text
    names = frame(at, "form")
    assert names["form"].str.contains("Sjojgoe").any()
    assert "Kazem Jalali" in set(frame(at, "verb")["entity"])
    at.multiselect(key="cmp_outlets").set_value(["UrduPoint", "Iran Press"]).run()
    assert not at.exception
    assert list(frame(at, "independent").columns[-2:]) == ["Iran Press", "UrduPoint"]
    at.multiselect(key="cmp_outlets").set_value(["UrduPoint"]).run()
    assert any("two outlets" in i.value for i in at.info)


def test_compare_grid_draws_a_browser_sized_chart_of_a_large_comparison(home, monkeypatch):
    """A corpus-wide comparison has thousands of elements; the grid draws the first GRID_ROWS (a canvas of 20 px
    per element over 32,767 px is not drawn at all), says so, and the table and picker keep every element."""
    import json

    import pyarrow as pa

    from lib.ui import compare as ui_compare

    monkeypatch.setattr(ui_compare, "GRID_ROWS", 10)
    at = page("6_Compare.py").run()
    assert not at.exception
    elements = frame(at, "independent")
    assert len(elements) > 10
    assert any(f"first 10 of these {len(elements):,} elements" in c.value for c in at.caption)
    grid = next(c for c in at.get("vega_lite_chart") if "element" in json.dumps(json.loads(c.proto.spec)))
    rows = {int(e) for d in grid.proto.datasets for e in pa.ipc.open_stream(d.data.data).read_pandas()["element"]}
    assert rows and len(rows) <= 10
    assert len(picker(at, "cmp_element").options) == len(elements)


@pytest.mark.skipif(not NEWSWCL50.exists(), reason=f"NewsWCL50 not found at {NEWSWCL50}")
def test_compare_opens_on_the_largest_story_and_all_articles_is_one_choice_away(home):
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "newswcl50", [NEWSWCL50])
    table = service.story_result(conn, "newswcl50").table
    at = page("6_Compare.py")
    at.query_params["corpus"] = "newswcl50"
    at.run()
    assert not at.exception
    first = stories.largest(table)
    assert at.selectbox(key="story").value == str(first) and at.query_params["story"] == str(first)
    assert any(f"Showing story {first}, the largest story carried by the most outlets" in c.value for c in at.caption)
    at.selectbox(key="story").set_value("all").run()
    assert at.query_params["story"] == "all"  # explicit: without it Compare opens on a story
    assert any("all 50 articles of 10 stories" in w.value for w in at.warning)


def test_a_hand_written_value_the_page_does_not_offer_says_what_is_shown(home):
    at = page("3_Entities.py")
    at.query_params["ent_outlet"] = "Nowhere Gazette"
    at.run()
    assert not at.exception
    assert any("Nowhere Gazette" in w.value and "showing “all”" in w.value for w in at.warning)


def test_an_article_cloud_is_linked_by_the_articles_id(home):
    at = page("4_Keywords.py")
    at.query_params["kw_by"] = "article"
    at.run()
    clouds = next(m for m in at.multiselect if m.key.startswith("kw_clouds_article"))
    first = clouds.options[0]  # "<id>: <title>", shown; the address holds the id
    clouds.set_value([first.split(":", 1)[0]]).run()
    assert at.query_params["kw_clouds_article"] == first.split(":", 1)[0]
    assert [t.value for t in at.text][:1] == [f"Article {first}"]
    at.query_params["kw_clouds_article"] = ["999999", first.split(":", 1)[0]]
    at.run()
    assert any("999999" in w.value and "left out" in w.value for w in at.warning)


def test_a_corpus_deleted_and_made_again_is_shown_as_it_is_now(home, tmp_path):
    """Rule 12: a corpus deleted by the command line and made again under its name (revision 1 again) is shown
    with its new text in the same server process: on the home page (cached reads) and on the Keywords page
    (the shared term matrix)."""
    from conftest import prose

    from lib import cli

    seen = []
    for topic in ("canal", "orchard"):
        path = tmp_path / f"{topic}.txt"
        path.write_text(f"The {topic} report\n\n" + prose(f"{topic} plan", 3))
        assert cli.main(["ingest", str(path), "--corpus", "again"]) == 0
        assert store.revision(store.connect(home), "again") == 1
        home_page = AppTest.from_file(str(PAGES.parent / "dashboard.py"), default_timeout=120)
        home_page.query_params["corpus"] = "again"
        home_page.run()
        keywords = page("4_Keywords.py")
        keywords.query_params["corpus"] = "again"
        keywords.run()
        assert not home_page.exception and not keywords.exception
        seen.append((home_page.code[0].value, " | ".join(frame(keywords, "score")["term"])))
        if topic == "canal":
            assert cli.main(["delete", "again"]) == 0
    (canal_text, canal_terms), (orchard_text, orchard_terms) = seen
    assert "canal" in canal_text and "orchard" in orchard_text and "canal" not in orchard_text
    assert "canal" in canal_terms and "orchard" in orchard_terms and "canal" not in orchard_terms
