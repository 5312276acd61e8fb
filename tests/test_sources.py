"""Sources: the agencies, outlets and platforms each outlet credits, cue by cue, and the medium/person rule."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SEEDS

from lib import store
from lib.analyses import sources
from lib.ingest import pipeline


def corpus(*articles: tuple[str, list[str]]) -> pd.DataFrame:
    rows = [(aid, i, i, 0, len(text), outlet, text) for aid, (outlet, texts) in enumerate(articles)
            for i, text in enumerate(texts)]
    return pd.DataFrame(rows, columns=["article_id", "sentence", "paragraph", "start", "end", "outlet", "text"])


def found(*texts: str, outlet: str = "Valley Post") -> set[tuple[str, str, str]]:
    """(source, cue, kind) for sentences of one article."""
    c = sources.cited(corpus((outlet, list(texts))))
    return set(zip(c["source"], c["cue"], c["kind"], strict=True))


@pytest.mark.parametrize(("text", "expected"), [
    ("Sources: Reuters, Kyodo and Yonhap",
     {("Reuters", "source line", "media"), ("Kyodo", "source line", "media"), ("Yonhap", "source line", "media")}),
    ("Photo: Jane Doe/AP", {("AP", "source line", "media")}),
    ("The mayor waves (AP Photo/Jane Doe).", {("AP", "photo", "media")}),
    ("The mayor waves (Jane Doe/Getty Images).", {("Getty Images", "photo", "media")}),
    ("OSLO (Reuters) - The king opened the bridge.", {("Reuters", "credit", "media")}),
    ("LIMA (Andina / EFE - 3 May 2021) The minister resigned.", {("Andina", "credit", "media"),
                                                                 ("EFE", "credit", "media")}),
    ("(CNN)The storm hit the coast.", {("CNN", "credit", "media")}),
    ("HOST: (Laughter).", set()),  # a transcript's speaker and a stage note, not a dateline's credit
    ("SHOW MORE (Jane Doe/Springfield Ledger via AP, File)", {("AP", "credit", "media")}),  # a photo's: the agency
    ("The mayor waves (NurPhoto via Getty Images).", {("Getty Images", "photo", "media")}),
    ("Nordic Press/Europe: The minister resigned.", {("Nordic Press", "lead", "media")}),
    ("The mayor resigned, according to Jane Doe.", set()),  # a person: a speaker, not a credited source
    ("The mayor resigned, according to the Oslo Police District.", {("Oslo Police District", "according to", "other")}),
    ("The mayor resigned, according to the Oslo Times.", {("Oslo Times", "according to", "media")}),
    ("The mayor told the Bergen Herald that she resigned.", {("Bergen Herald", "told", "media")}),
    ("The Bergen Herald reported that the mayor resigned.", {("Bergen Herald", "reported", "media")}),
    ("The resignation was first reported by AFP on Monday.", {("AFP", "reported by", "media")}),
    ("The mayor, quoted by Kyodo, denied it.", {("Kyodo", "quoted by", "other")}),
    ("Prices rose, citing Statistics Norway.", {("Statistics Norway", "citing", "other")}),
    ("Prices rose, citing Oslo.", set()),  # a place is no source
    ("Nordic PressNordic Wire: The minister resigned.", {("Nordic Press", "lead", "media")}),  # a glued desk
    ("It was cited by the Daily Star.", {("Daily Star", "cited by", "media")}),
    ("In an interview with Nordic 24 tv channel, the mayor resigned.", {("Nordic 24", "interview", "media")}),
    ("The Russian news agency Interfax said so.", {("Interfax", "news agency", "media")}),
    ("Norway's NTB news agency said so.", {("NTB", "news agency", "media")}),
    ("The Associated Press contributed to this report.", {("Associated Press", "contributed", "media")}),
    ("She wrote in the Bergen Post last week.", {("Bergen Post", "wrote in", "media")}),
    ("The mayor spoke to Radio Oslo on Friday.", {("Radio Oslo", "spoke to", "media")}),
    ("The mayor said on Telegram that she resigned.", {("Telegram", "platform", "platform")}),
    ("The mayor tweeted her resignation.", {("Twitter", "platform", "platform")}),
])
def test_each_cue(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "Read More: the minister resigned", "The mayor resigned, according to the ministry.",
    "The mayor told reporters that she resigned.", "He said: the talks failed.", "REPORTER: What happened?",
    "BEIRUT, LEBANON (12:00 P.M.) - The minister resigned.",
])
def test_no_credit(text):
    assert found(text) == set()


def test_a_name_credited_as_a_medium_anywhere_is_a_medium_everywhere():
    assert found("The mayor told Kyodo that she resigned.") == {("Kyodo", "told", "other")}
    assert ("Kyodo", "told", "media") in found("TOKYO (Kyodo) - The mayor resigned.",
                                               "The mayor told Kyodo that she resigned.")


def test_outlets_of_the_corpus_acronyms_and_own_credits():
    c = sources.cited(corpus(("Valley Post", ["Valley Post/Europe: The mayor resigned.",
                                              "The mayor told Hill Herald she resigned.",
                                              "The story was reported by the Associated Press.",
                                              "The mayor later told AP she would stay."]),
                             ("Hill Herald", ["The mayor resigned, according to Valley Post."])))
    rows = c.set_index(["outlet", "source"])
    assert rows.loc[("Valley Post", "Valley Post"), "own"] and not rows.loc[("Valley Post", "Hill Herald"), "own"]
    assert rows.loc[("Hill Herald", "Valley Post"), "kind"] == "media"  # an outlet of the corpus
    assert ("Valley Post", "AP") not in rows.index  # AP is renamed to the credited name it abbreviates
    assert len(c[(c["outlet"] == "Valley Post") & (c["source"] == "Associated Press")]) == 2


def test_by_outlet_counts_and_kinds():
    c = sources.cited(corpus(("A", ["OSLO (Reuters) - One.", "The mayor told Reuters so.", "Posted on Facebook."]),
                             ("A", ["The mayor spoke to Reuters.", "The mayor resigned, according to Jane Doe."]),
                             ("B", ["ROME (Reuters) - Two."])))
    table = sources.by_outlet(c)
    assert list(table.columns) == ["outlet", "source", "kind", "citations", "articles", "own"]
    rows = table.set_index(["outlet", "source"])
    assert tuple(rows.loc[("A", "Reuters"), ["citations", "articles"]]) == (3, 2)
    assert tuple(rows.loc[("B", "Reuters"), ["citations", "articles"]]) == (1, 1)
    assert table.iloc[0]["source"] == "Reuters"  # most cited first
    assert set(sources.by_outlet(c, kinds=("media",))["source"]) == {"Reuters"}
    assert sources.by_outlet(c.iloc[:0]).empty and sources.cited(corpus()).empty


@pytest.fixture
def demo(home) -> pd.DataFrame:
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "demo", [SEEDS])
    s = store.sentences(conn, "demo")
    s["outlet"] = s["outlet"].fillna("").replace("", "(unknown)")
    return sources.cited(s)


def test_demo_credits(demo):
    by = {o: set(zip(g["source"], g["kind"], strict=True)) for o, g in demo.groupby("outlet")}
    assert {("RT", "media"), ("Fars", "media"), ("Sputnik", "media")} <= by["Al-Masdar News"]  # "Sources: ..."
    assert ("Iranian TV", "media") in by["Al-Masdar News"]  # "In an interview with Iranian TV"
    assert {("Sputnik", "media"), ("Telegram", "platform")} <= by["UrduPoint"]  # the dateline credit; "on Telegram"
    assert ("Russia 24", "media") in by["Iran Press"]  # "in an interview with Russia 24 tv channels"
    assert not {s for s, _ in by["Iran Press"]} & {"Kazem Jalali", "Iran PressIran News"}  # a person; glued names
    credited = set(sources.by_outlet(demo)["source"])
    assert credited == {"Sputnik", "RT", "Fars", "Russia 24", "Telegram", "Iranian TV", "Iran Press", "UrduPoint News"}
    own = demo[demo["own"]]
    assert set(own["outlet"]) == {"Iran Press", "UrduPoint"} and "Sputnik" not in set(own["source"])
    table = sources.by_outlet(demo, kinds=("media", "platform"))
    assert set(table.loc[table["outlet"] == "Al-Masdar News", "source"]) == {"RT", "Fars", "Sputnik", "Iranian TV"}


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("Oslo TimesOslo Desk", "Oslo TimesOslo Desk: Oslo voted.", ["Oslo Times", "Oslo Desk"]),
    ("WhatsApp", "He wrote on WhatsApp.", ["WhatsApp"]),  # no "App" on its own: a name, not two
    ("McDonald", "McDonald said so. Donald too.", ["McDonald"]),  # two letters before the capital
])
def test_unglued(name, text, expected):
    assert sources.unglued(name, text) == expected
