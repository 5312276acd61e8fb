"""Entities: capitalised-phrase chunks, cleaning, title stripping and the merging of name variants per outlet."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest
from conftest import SEEDS, csv_bytes
from streamlit.testing.v1 import AppTest

from lib import store
from lib.analyses import entities
from lib.ingest import pipeline

FILLER = [  # ordinary prose, so that the corpus shows which words it writes in lower case
    "The officials said the minister and the leader met the general and the president on the border.",
    "Later the minister told officials that the leader and the president would meet the mayor.",
]


def corpus(*articles: tuple[str, list[str]]) -> pd.DataFrame:
    """A sentence table: one article per (outlet, sentences), plus two filler sentences each."""
    rows = [(aid, i, i, 0, len(text), outlet, text) for aid, (outlet, texts) in enumerate(articles)
            for i, text in enumerate([*texts, *FILLER])]
    return pd.DataFrame(rows, columns=["article_id", "sentence", "paragraph", "start", "end", "outlet", "text"])


def names(mentions: pd.DataFrame) -> set[str]:
    return set(mentions["entity"].astype(str))


def entity_of(mentions: pd.DataFrame, surface: str) -> set[str]:
    return set(mentions.loc[mentions["surface"].astype(str) == surface, "entity"].astype(str))


def test_chunks_multiword_hyphenated_acronyms_and_particles():
    m = entities.mentions(corpus(("A", [
        "Later, officials of the International Monetary Fund met the Bank of England in Sao Paulo.",
        "The F-35 and the Su-57 flew past the UN office and a NATO base near Kyiv.",
        "Then the U.S. envoy met Bashar al-Assad.",
    ])))
    found = names(m)
    assert {"International Monetary Fund", "Bank of England", "Sao Paulo", "F-35", "Su-57", "UN", "NATO", "Kyiv",
            "Bashar al-Assad", "U.S."} <= found
    assert not found & {"Officials", "Later", "The", "International", "Bank", "England"}


def test_possessive_and_a_leading_the():
    m = entities.mentions(corpus(("A", ["Norway's king met the press.", "Then Norway signed with The Hague."])))
    assert set(m.loc[m["entity"] == "Norway", "surface"].astype(str)) == {"Norway", "Then Norway"}
    assert (m["entity"] == "Norway").sum() == 2
    assert "Hague" in names(m) and "The Hague" not in names(m)


def test_sentence_initial_words_weekdays_and_months_are_not_entities():
    m = entities.mentions(corpus(("A", [
        "Officials met in Oslo on Monday.",  # "officials" is written in lower case elsewhere
        "However, the talks in March went well.",  # a stopword; a month
        "Oslo is cold in winter, the mayor of Oslo said.",  # a name opening a sentence stays
        "Meanwhile the river rose.",  # never capitalised mid-sentence: only capitalised as an opener
    ])))
    found = names(m)
    assert "Oslo" in found and (m["entity"] == "Oslo").sum() == 3
    assert not found & {"Officials", "Monday", "However", "March", "Meanwhile"}


def test_short_and_long_forms_of_a_name_merge():
    m = entities.mentions(corpus(
        ("A", ["Defense Minister Ingrid Solberg visited Bergen.", "Solberg said the visit went well."]),
        ("B", ["General Ingrid Solberg met the mayor.", "Mrs. Solberg left on Tuesday."]),
    ))
    assert entity_of(m, "Solberg") == entity_of(m, "Defense Minister Ingrid Solberg") == {"Ingrid Solberg"}
    assert entity_of(m, "General Ingrid Solberg") == entity_of(m, "Mrs. Solberg") == {"Ingrid Solberg"}
    assert (m["entity"] == "Ingrid Solberg").sum() == 4


def test_a_misspelled_surname_merges_with_the_usual_spelling():
    m = entities.mentions(corpus(
        ("A", ["Foreign Minister Piotr Kowalczyk arrived in Rome."]),
        ("B", ["Piotr Kowalczyk spoke in Rome."]),
        ("C", ["Piotr Kowalcyk left Rome."]),
    ))
    assert entity_of(m, "Piotr Kowalcyk") == {"Piotr Kowalczyk"}
    cells = entities.by_outlet(m, top=5).set_index(["entity", "outlet"])["mentions"]
    assert cells["Piotr Kowalczyk", "C"] == 1


def test_a_transliteration_merges_only_with_a_shared_title():
    articles = [("A", ["Soviet Leader Mikhail Gorbachev came to Bonn."]),
                ("B", ["Soviet Leader Mikhail Gorbachev left Bonn."]),
                ("C", ["Soviet Leader Mikhail Gorbatsjov visited Bonn."])]
    m = entities.mentions(corpus(*articles))
    assert entity_of(m, "Soviet Leader Mikhail Gorbatsjov") == {"Mikhail Gorbachev"}
    # the same spelling without the shared title context is too far from the other (difflib ratio 0.63)
    m = entities.mentions(corpus(*articles[:2], ("C", ["Mikhail Gorbatsjov visited Bonn."])))
    assert entity_of(m, "Mikhail Gorbatsjov") == {"Mikhail Gorbatsjov"}


def test_distinct_names_stay_apart():
    m = entities.mentions(corpus(
        ("A", ["Later, Iran and Iraq signed a deal.", "John Kerry met John Kelly in Iraq.", "Kerry spoke first."]),
        ("B", ["North Korea and South Korea met.", "Korea was divided.", "Hillary Clinton met Bill Clinton."]),
        ("C", ["Iran praised Iraq.", "John Kelly met John Kerry.", "Kelly spoke."]),
    ))
    found = names(m)
    assert {"Iran", "Iraq", "John Kerry", "John Kelly", "North Korea", "South Korea", "Hillary Clinton",
            "Bill Clinton"} <= found
    assert entity_of(m, "Kerry") == {"John Kerry"} and entity_of(m, "Kelly") == {"John Kelly"}
    assert entity_of(m, "Korea") == {"Korea"}  # it could be either: not merged


def test_an_acronym_merges_with_the_long_form_it_abbreviates():
    m = entities.mentions(corpus(("A", ["The World Health Organization (WHO) met.", "Later the WHO said no."]),
                                 ("B", ["The WHO and the World Health Organization staff met."])))
    assert entity_of(m, "WHO") == entity_of(m, "World Health Organization")
    assert (m["entity"] == entity_of(m, "WHO").pop()).sum() == 4


def test_by_outlet_counts_mentions_and_articles_with_zeros():
    m = entities.mentions(corpus(("A", ["Oslo is big.", "Oslo is old."]), ("A", ["Oslo grew."]),
                                 ("B", ["Bergen is wet.", "The mayor of Bergen spoke."]),
                                 ("C", ["Bergen and Oslo met."])))
    table = entities.by_outlet(m, top=2)
    assert list(table.columns) == ["entity", "outlet", "mentions", "articles"]
    assert list(table["entity"].unique()) == ["Oslo", "Bergen"]
    cells = table.set_index(["entity", "outlet"])
    assert tuple(cells.loc[("Oslo", "A")]) == (3, 2)
    assert tuple(cells.loc[("Oslo", "B")]) == (0, 0)  # an outlet that never names it
    assert tuple(cells.loc[("Bergen", "B")]) == (2, 1)
    assert len(entities.by_outlet(m, top=1)) == 3


def test_evidence_gives_the_sentences_behind_a_cell():
    s = corpus(("A", ["Oslo is big.", "Oslo is old."]), ("B", ["Bergen and Oslo met."]))
    m = entities.mentions(s)
    ev = entities.evidence(m, s, "Oslo", "A")
    assert list(ev.columns) == ["article_id", "sentence", "outlet", "surface", "text"]
    assert list(ev["text"]) == ["Oslo is big.", "Oslo is old."]
    assert len(entities.evidence(m, s, "Oslo")) == 3


def test_an_empty_table_gives_empty_results():
    empty = corpus()
    m = entities.mentions(empty)
    assert m.empty and list(m.columns) == entities.COLUMNS
    assert entities.by_outlet(m).empty


@pytest.fixture
def demo(home) -> tuple[pd.DataFrame, pd.DataFrame]:
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "demo", [SEEDS])
    s = store.sentences(conn, "demo")
    s["outlet"] = s["outlet"].fillna("").replace("", "(unknown)")
    return s, entities.mentions(s)


def test_demo_recurring_entities_with_counts_per_outlet(demo):
    s, m = demo
    table = entities.by_outlet(m, top=15)
    top = set(table["entity"])
    cells = table.set_index(["entity", "outlet"])["mentions"]
    every = {"Iran Press", "UrduPoint", "Al-Masdar News", "(unknown)"}

    def entity(surface: str) -> str:
        (name,) = entity_of(m, surface)
        return name

    hatami, shoigu, jalali = entity("Hatami"), entity("Sergei Shoigu"), entity("Jalali")
    assert hatami == "Amir Hatami" and {hatami, shoigu, jalali, "Army-2020", "Security Council"} <= top
    assert entity("General Hatami") == entity("Iranian Defense Minister Amir Hatami") == hatami
    assert entity("Russian Defense Minister Sergei Sjojgoe") == shoigu == "Sergei Shoigu"  # a Dutch transliteration
    assert entity("Kasem Jalali") == entity("Kazem Jalali") == jalali  # a misspelled first name
    assert entity("ARMY-2020") == "Army-2020" != entity("Jeremiah-2020")
    for name in (hatami, shoigu, jalali, "Army-2020"):
        assert {o for o in every if cells[name, o] > 0} == every, name
    assert cells[hatami].sum() >= 15 and cells["Security Council", "Iran Press"] == 2
    assert {"Iran", "Russia", "Moscow", "Tehran"} <= top and entity("Iran") != entity("Russia")
    ev = entities.evidence(m, s, shoigu, "Iran Press")
    assert len(ev) == 1 and "Sjojgoe" in ev["text"].iloc[0]


TOWNS = ["Ashford", "Brill", "Carrow", "Dunmore", "Elstead", "Fenwick", "Garth", "Holt", "Ivybridge", "Jarrow",
         "Kelso", "Lydd", "Marlow", "Nairn", "Oakham", "Penrith", "Quorn", "Rye", "Selby", "Thirsk", "Usk",
         "Ventnor", "Wells", "Yarm", "Zennor", "Alston"]


def test_entities_page_on_many_outlets_shows_the_busiest_and_names_what_it_leaves_out(home, tmp_path):
    """26 outlets, outlet k naming Maria Lopez in k + 1 sentences: the heatmaps show the 20 busiest outlets and
    say so, while the outlet picker still offers every one."""
    rows = []
    for k, town in enumerate(TOWNS):
        lines = [f"Maria Lopez visited the {town} flood barrier on day {i} and spoke to {town} residents, "
                 f"according to Valley News." for i in range(k + 1)]
        rows.append({"headline": f"Flood barrier in {town}", "body": " ".join([*lines, *FILLER]),
                     "source": f"{town} Gazette"})
    (tmp_path / "many.csv").write_bytes(csv_bytes(rows))
    pipeline.ingest_paths(store.connect(home), "many", [tmp_path / "many.csv"])
    at = AppTest.from_file(str(SEEDS.parent / "pages" / "3_Entities.py"), default_timeout=120)
    at.query_params["corpus"] = "many"
    at.run()
    assert not at.exception
    heatmap = at.get("vega_lite_chart")[0]
    assert "mentions" in heatmap.proto.spec
    drawn = {o for d in heatmap.proto.datasets for o in pa.ipc.open_stream(d.data.data).read_pandas()["outlet"]}
    assert drawn == {f"{town} Gazette" for town in TOWNS[-20:]}  # the 20 that name her most
    assert any(c.value.startswith("Shown: the 20 outlets (of 26) with the most mentions") for c in at.caption)
    assert any(c.value.startswith("Shown: the 20 outlets (of 26) with the most citations") for c in at.caption)
    outlet = next(s for s in at.selectbox if s.key.startswith("ent_outlet"))
    assert len(outlet.options) == 27  # all, and every outlet
    outlet.set_value("Ashford Gazette").run()
    assert set(next(d.value for d in at.dataframe if "surface" in d.value.columns)["outlet"]) == {"Ashford Gazette"}
    assert json.loads(heatmap.proto.spec)["layer"][0]["encoding"]["color"]["legend"]["format"] == "d"


def test_sentences_that_name_nobody_give_no_mention_and_no_error():
    """Capitalised words that are only sentence openers and common words: no name, an empty table (this raised an
    IndexError, and the Entities and Compare pages with it)."""
    m = entities.mentions(corpus(("A", ["The council met on Tuesday.", "Officials expect work to begin."])))
    assert m.empty and list(m.columns) == list(entities.COLUMNS)
