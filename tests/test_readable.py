"""Charts an analyst can read at any size, the outlet count every page shows, and keywords free of an
outlet's own name (issue 22, Keywords, Topics, Coverage)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from conftest import SEEDS
from streamlit.testing.v1 import AppTest

from lib import store
from lib.analyses import coverage, keywords, kwic
from lib.ingest import pipeline
from lib.text import terms
from lib.views import charts

PAGES = Path(__file__).resolve().parents[1] / "pages"
THEME = {"axis": {"labelOverlap": True, "labelLimit": 100}}  # what Streamlit's theme sets for every axis


def visible_texts(chart) -> list[str]:
    """The text a chart shows when rendered under Streamlit's axis theme (vl-convert SVG): hidden labels,
    which Vega keeps with opacity 0, are left out."""
    import vl_convert

    spec = chart.to_dict()
    spec["config"] = THEME | spec.get("config", {})
    svg = vl_convert.vegalite_to_svg(spec)
    return [t for attrs, t in re.findall(r"<text([^>]*)>([^<]*)</text>", svg) if 'opacity="0"' not in attrs]


def test_every_bar_of_the_cloud_twin_is_labelled():
    names = [f"term{i:02d} word" for i in range(40)]
    table = pd.DataFrame({"rank": range(1, 41), "term": names, "score": np.linspace(0.9, 0.1, 40), "count": 3})
    shown = visible_texts(charts.term_bars(table, "#4e79a7"))
    assert all(n in shown for n in names)


def test_the_scatter_labels_each_outlets_leading_terms_without_covering_labels_and_names_every_point():
    rows = [{"outlet": o, "rank": r, "term": f"{o.lower()}-term{r}", "z": 20 - 3 * r - i, "per_10k": 10.0 * (r + i),
             "count": 9, "others": 1, "fragile": False, "tokens": 1000}
            for i, o in enumerate(["A", "B", "C"]) for r in range(1, 8)]
    data = charts.colored(pd.DataFrame(rows), ["A", "B", "C"])
    firsts = data[data["rank"] == 1]
    assert data.loc[firsts.index, "_label"].all()  # each outlet's first term is written beside its point
    assert not data.loc[data["rank"] > charts.SCATTER_LABELS, "_label"].any()
    spec = charts.distinctive_scatter(data).to_dict()
    assert spec["layer"][0]["encoding"]["tooltip"][0]["field"] == "term"  # hover names the term first
    assert set(firsts["term"]) <= set(visible_texts(charts.distinctive_scatter(data)))
    crowded = pd.DataFrame({"outlet": "A", "rank": [1, 2, 3], "term": ["same", "spot", "here"], "z": [5.0] * 3,
                            "per_10k": [10.0] * 3})
    assert charts.labelled(crowded).sum() == 1  # three points in one place: one label, not three on top of each other


def test_counts_have_whole_number_ticks_and_time_axes_one_tick_per_bin():
    counts = pd.DataFrame({"outlet": ["A", "B"], "bin": pd.to_datetime(["2020-01-01", "2020-01-02"]),
                           "end": pd.to_datetime(["2020-01-02", "2020-01-03"]), "articles": [1, 1],
                           "first": pd.to_datetime(["2020-01-01 10:00", "2020-01-02 09:00"]), "offsets": ""})
    chart = charts.timeline(counts, "day", ["A", "B"])
    axis = chart.to_dict()["encoding"]["y"]["axis"]
    assert axis["tickMinStep"] == 1 and axis["format"] == "d"
    shown = visible_texts(chart)
    assert "0.5" not in shown and "1" in shown
    days = [t for t in shown if re.fullmatch(r"\d\d \w\w\w 2020", t)]
    assert len(days) == len(set(days)) >= 2  # no day named twice
    hours = counts.assign(bin=pd.to_datetime(["2020-08-22 11:00", "2020-08-25 00:00"]),
                          end=pd.to_datetime(["2020-08-22 12:00", "2020-08-25 01:00"]))
    shown = visible_texts(charts.timeline(hours, "hour", ["A", "B"]))  # three days by the hour: drawn
    assert [t for t in shown if t.isdigit()] == ["0", "1"] and "22 Aug 11:00" in shown


def test_the_heatmap_legend_names_each_count_once_and_every_column_label_shows():
    wide = pd.DataFrame([[1, 0, 2], [3, 1, 0]], index=pd.Index(["s1", "s2"], name="story"),
                        columns=pd.Index(["International Institute for Strategic Studies", "B", "C"], name="outlet"))
    legend = charts.heatmap(wide).to_dict()["layer"][0]["encoding"]["color"]["legend"]
    assert legend["tickMinStep"] == 1 and legend["format"] == "d"
    shown = visible_texts(charts.heatmap(wide))
    assert "International Institute for Strategic Studies" in shown  # not cut
    ticks = [t for t in shown if t.isdigit()]
    assert len(ticks) >= 4  # legend ticks and cell counts


def test_palettes_have_a_colour_per_category_or_group_the_rest():
    names = [f"{i} · t{i}" for i in range(1, 31)]
    topic_of, legend, colors = charts.topic_groups(names)
    assert len(legend) == charts.TOPIC_COLOURS and legend[-1] == "other topics (11)"
    assert len(set(colors)) == len(colors)  # no two groups share a colour
    assert topic_of[names[0]] == names[0] and topic_of[names[-1]] == "other topics (11)"
    few_of, few, few_colors = charts.topic_groups(names[:20])
    assert few == names[:20] and len(set(few_colors)) == 20
    outlets = [f"o{i}" for i in range(43)]
    group, shown, colors = charts.grouped(pd.Series(outlets), outlets, len(charts.PALETTE), "outlets")
    assert shown[-1] == "other outlets (24)" and len(set(colors)) == len(colors)
    assert colors[:3] == [charts.outlet_colors(outlets)[o] for o in outlets[:3]]  # an outlet keeps its colour


def test_the_topic_map_is_as_high_as_its_legends_and_shapes_past_eight_outlets_are_grouped():
    names = {i: f"{i} · t{i}" for i in range(1, 21)}
    outlets = [f"outlet {i}" for i in range(12)]
    points = pd.DataFrame({"x": np.arange(24) / 24, "y": np.arange(24) / 24, "topic": [1 + i % 20 for i in range(24)],
                           "outlet": [outlets[i % 12] for i in range(24)], "article_id": range(24), "text": "t"})
    spec = charts.topic_map(points, names, outlets).to_dict()
    assert spec["encoding"]["shape"]["scale"]["domain"][-1] == "other outlets (5)"
    assert spec["height"] >= charts.LEGEND_ROW * 20 + charts.SHAPE_ROW * charts.SHAPES
    shown = visible_texts(charts.topic_map(points, names, outlets))
    assert all(n in shown for n in names.values()) and "other outlets (5)" in shown


def test_keyword_in_context_cuts_at_word_boundaries():
    sentence = pd.DataFrame({"article_id": [1], "sentence": [0], "outlet": ["A"],
                             "text": ["The senator made a long trip to Russia last summer, officials in the capital "
                                      "confirmed on Thursday evening."]})
    hit = kwic.kwic(sentence, "russia", width=20).iloc[0]
    assert hit["left"] == "…made a long trip to " and hit["match"] == "Russia"
    assert hit["right"] == " last summer,…"
    words = set(sentence["text"][0].replace(",", " ").replace(".", " ").split())
    assert all(w in words for w in hit["left"].strip("…").split())


def test_an_outlets_own_names_come_from_its_name_not_a_list():
    assert {"fox", "foxnews"} <= keywords.own_names("Fox News") and "news" not in keywords.own_names("Fox News")
    assert keywords.own_names("CNN (Web News)") == {"cnn"}  # the qualifier is not the name
    assert "qbc" in keywords.own_names("Quorvex Broadcasting Corporation")  # its initials
    assert "zentrib" in keywords.own_names("zentrib.com")  # a domain's stem
    assert "nyt" in keywords.own_names("New York Times - Opinion") and "times" not in keywords.own_names("NYT")
    assert keywords.own_names(coverage.UNKNOWN) == frozenset()


def test_an_outlets_own_name_leaves_its_terms_and_stays_in_the_others():
    texts = ["Officials told Quorvex News the levee would hold. Quorvex reporters saw the levee.",
             "The levee failed, Zentrib learned, and the Quorvex report was wrong about the levee.",
             "Rain fell on the valley all week."]
    m = terms.matrix(pd.Series(texts), np.array([1, 2, 3]), terms.Vocabulary(min_df=1))
    units = pd.Series(["Quorvex News", "Zentrib", "Valley Herald"], index=[1, 2, 3])
    own = keywords.unit_names(units, units)
    plain = keywords.keywords(m, units, top=20)
    assert any("quorvex" in t for t in plain.loc[plain["unit"] == "Quorvex News", "term"])
    kept = keywords.keywords(m, units, top=20, own=own)
    assert not any("quorvex" in t for t in kept.loc[kept["unit"] == "Quorvex News", "term"])
    assert kept.loc[kept["unit"] == "Zentrib", "term"].str.contains("quorvex").any()  # another outlet keeps it
    assert "zentrib" not in set(kept.loc[kept["unit"] == "Zentrib", "term"])
    z = keywords.distinctive(m, units, top=20, own=own)
    assert not z.loc[z["outlet"] == "Quorvex News", "term"].str.contains("quorvex").any()


def test_a_name_word_most_outlets_use_is_the_subject_and_stays():
    texts = ["Officials in Iran said the Iran talks would go on, Iran Press learned.",
             "Iran and its neighbours met; Iran said little.", "The talks on Iran ended without a deal.",
             "Told Quorvex News: the talks ended."]
    m = terms.matrix(pd.Series(texts), np.array([1, 2, 3, 4]), terms.Vocabulary(min_df=1))
    units = pd.Series(["Iran Press", "Gazette", "Herald", "Quorvex News"], index=[1, 2, 3, 4])
    own = keywords.named_alone(m, units, keywords.unit_names(units, units))
    assert "iran" not in own["Iran Press"] and "iran press" in own["Iran Press"]  # two of three others write "iran"
    assert "quorvex" in own["Quorvex News"]  # nobody else does
    kept = keywords.keywords(m, units, top=20, own=own)
    assert "iran" in set(kept.loc[kept["unit"] == "Iran Press", "term"])


def test_one_outlet_count_and_articles_naming_none_said(home):
    pipeline.ingest_paths(store.connect(home), "demo", [SEEDS])
    from lib import service

    stats = service.stats(store.connect(home), "demo")
    assert coverage.outlet_count(stats) == (3, 1)
    listed = store.list_corpora(store.connect(home)).set_index("name").loc["demo"]
    assert (listed["outlets"], listed["no_outlet"]) == (3, 1)  # Home's figure: the same count
    said = "5 articles from 3 outlets; 1 of them names no outlet and is listed as “(no outlet)”"
    assert coverage.counted(stats) == said
    at = AppTest.from_file(str(PAGES / "1_Coverage.py"), default_timeout=120).run()
    assert not at.exception
    assert any(c.value.startswith("5 articles from 3 outlets; 1 of them names no outlet") for c in at.caption)


def test_the_keywords_page_leaves_out_own_names_by_default_and_says_which(home):
    at = AppTest.from_file(str(PAGES / "4_Keywords.py"), default_timeout=120).run()
    assert not at.exception
    assert at.toggle(key="kw_own").value is True
    assert any(c.value.startswith("Left out of each outlet's terms") for c in at.caption)
    at.toggle(key="kw_own").set_value(False).run()
    assert not any(c.value.startswith("Left out of each outlet's terms") for c in at.caption)


def test_an_unknown_value_in_the_address_says_what_it_fell_back_to(home):
    at = AppTest.from_file(str(PAGES / "4_Keywords.py"), default_timeout=120)
    at.query_params["kw_by"] = "planet"
    at.run()
    assert not at.exception
    assert any("planet" in w.value and "showing “outlet” instead" in w.value for w in at.warning)


def test_top_terms_skip_keeps_the_requested_number():
    counts = sp.csr_matrix(np.array([[5, 4, 3, 2, 1]]))
    names = np.array(["acme", "acme dam", "dam", "flood", "river"])
    picked, rows = keywords.top_terms(counts.astype(float), counts, names, 3, skip=[frozenset({"acme"})])
    assert list(names[counts.indices[picked]]) == ["dam", "flood", "river"]
