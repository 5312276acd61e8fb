"""Entity kinds: people, organisations, places and titles from general resources, and a country's names joined."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SEEDS

from lib import service, store
from lib.analyses import kinds
from lib.ingest import pipeline
from lib.text import gazetteer


@pytest.mark.parametrize(("name", "kind"), [
    ("Jane Doe", "person"), ("Kim Jong-un", "person"), ("Ministry of Health", "organisation"),
    ("Harbour Council", "organisation"), ("NATO", "organisation"), ("Gulf of Mexico", "place"),
    ("Norway", "place"), ("Oslo", "place"), ("U.K.", "place"), ("Norwegian", "place"),
    ("Deputy Foreign Minister", "title"),
    ("Minister of Fisheries of Norway", "title"), ("Norwegian Ambassador", "title"), ("Secretary of State", "title"),
    ("East Asia", "place"), ("Greater London", "place"),
    ("Expo 2020", "other"), ("Affordable Care Act", "other"), ("Islamic State", "other"),
])
def test_kind_of_a_name_written_alone(name, kind):
    assert kinds.kind(name, [name]) == kind


def test_a_name_written_after_a_title_or_alone_by_its_last_word_is_a_person():
    assert kinds.kind("Ola Nordmann", ["Defense Minister Ola Nordmann"]) == "person"
    assert kinds.kind("Trygve Lie", ["Trygve Lie", "Lie"]) == "person"  # "lie" is a common word, "Lie" alone a name
    assert kinds.kind("Ola Oslo", ["Ola Oslo", "Oslo"]) == "person"  # a surname that is also a town
    assert kinds.split_title("Norwegian President Ola Nordmann") == ("Norwegian President", "Ola Nordmann")
    assert kinds.split_title("Ola Nordmann") == ("", "Ola Nordmann")


def test_a_credited_medium_named_for_a_place_is_an_organisation():
    assert kinds.kind("Oslo", ["Oslo"]) == "place"
    assert kinds.kind("Oslo", ["Oslo"], {"oslo": 3}, mentions=5) == "organisation"  # credited as often as named
    assert kinds.kind("Oslo", ["Oslo"], {"oslo": 1}, mentions=400) == "place"  # a dateline credited once
    assert kinds.kind("Norwegian", ["Norwegian"], {"norwegian": 9}, mentions=9) == "place"  # a demonym, never a medium


def test_a_group_named_by_a_plural_noun_is_no_person_and_titles_lose_their_conjunction():
    assert kinds.kind("Liberals", ["Liberals", "Justice Liberals"]) == "other"
    assert kinds._titled("Jane Doe", ["But Sen. Jane Doe", "The Defense Minister Jane Doe"]) == [
        "Sen.", "Defense Minister"]


def test_country_names_codes_and_demonyms_join_the_country():
    assert gazetteer.place_of("U.S.") == gazetteer.place_of("United States of America") == "United States"
    assert gazetteer.place_of("us") is None and gazetteer.place_of("It") is None  # words, not codes
    assert gazetteer.country_of_demonym("Norwegians") == "Norway"
    assert kinds.place("US-led") == "United States"


def test_typed_mentions_join_referents_and_keep_the_form_written():
    m = pd.DataFrame({"article_id": [1, 1, 2, 2, 3], "sentence": [0, 1, 0, 1, 0], "outlet": ["A", "A", "B", "B", "B"],
                      "entity": ["Norway", "Norwegian", "Ola Nordmann", "Foreign Minister", "Norway"],
                      "surface": ["Norway", "Norwegian", "Foreign Minister Ola Nordmann", "Foreign Minister",
                                  "Norway"]})
    typed = kinds.typed(m)
    assert list(typed["entity"].astype(str)) == ["Norway", "Norway", "Ola Nordmann", "Foreign Minister", "Norway"]
    assert list(typed["surface"]) == list(m["surface"])
    assert list(typed["kind"].astype(str)) == ["place", "place", "person", "title", "place"]
    table = kinds.table(typed[typed["kind"] != "title"]).set_index("entity")
    assert table.loc["Norway", "mentions"] == 3 and "Norwegian" in table.loc["Norway", "forms"]
    assert table.loc["Ola Nordmann", "description"] == "Foreign Minister"


def test_demo_entities_are_typed(home):
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "demo", [SEEDS])
    mentions = service.entity_mentions(conn, "demo")
    table = service.referent_table(mentions).set_index("entity")
    ministers = [e for e in table.index if table.loc[e, "description"].endswith(("Minister", "General"))]
    assert len(ministers) == 2 and all(table.loc[e, "kind"] == "person" for e in ministers)  # the two ministers
    assert table.loc["Moscow", "kind"] == "place" and table.loc["Security Council", "kind"] == "organisation"
    assert table.loc["Russia", "mentions"] > (mentions["surface"] == "Russia").sum()  # "Russian" joined to Russia
    assert not set(table.index) & {"Russian", "Iranian", "Minister of Defense", "Iranian Ambassador"}  # titles apart


def test_a_surname_in_capitals_written_in_full_elsewhere_is_a_person_not_an_acronym():
    assert kinds.kind("ROE", ["ROE", "Kari Roe", "KARI ROE"]) == "person"  # a transcript's speaker label
    assert kinds.kind("NATO", ["NATO", "The NATO"]) == "organisation"
