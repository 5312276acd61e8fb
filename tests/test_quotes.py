"""Quote speakers: the sieve of ``speakers.resolve`` on invented articles, and its figures on the hand-labelled set."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmarks import quotes as gold
from lib.analyses import quotes
from lib.analyses import speakers as who


def table(*texts: str) -> pd.DataFrame:
    """One article, one paragraph per sentence."""
    return pd.DataFrame({"article_id": 1, "sentence": range(len(texts)), "paragraph": range(len(texts)),
                         "outlet": "Post", "text": list(texts)})


def mentions(*rows: tuple[int, str, str, str]) -> pd.DataFrame:
    """(sentence, entity, surface, kind) rows of article 1."""
    df = pd.DataFrame(rows, columns=["sentence", "entity", "surface", "kind"])
    return df.assign(article_id=1, outlet="Post")


def speakers(sentences: pd.DataFrame, found: pd.DataFrame) -> list[str]:
    q = who.resolve(quotes.find(sentences), found, sentences)
    return q.loc[q["kind"] == "direct", "entity"].tolist()


def test_a_quote_that_continues_the_one_before_keeps_its_speaker():
    s = table('"The harbour stays open," said Jane Doe, a council member.', '"We will not close it this winter."')
    assert speakers(s, mentions((0, "Jane Doe", "Jane Doe", "person"))) == ["Jane Doe", "Jane Doe"]


def test_a_colon_lead_in_gives_the_quote_of_the_next_sentence_its_speaker():
    s = table("Ola Nordmann, the mayor, wrote on Monday:", '"The bridge will reopen in the spring of next year."')
    assert speakers(s, mentions((0, "Ola Nordmann", "Ola Nordmann", "person"))) == ["Ola Nordmann"]


def test_a_fragment_takes_the_person_its_sentence_names_before_it():
    s = table('Jane Doe called the plan "a costly mistake for every family in the valley."')
    assert speakers(s, mentions((0, "Jane Doe", "Jane Doe", "person"))) == ["Jane Doe"]


def test_a_pronoun_is_the_nearest_person_named_before_it():
    s = table("Jane Doe spoke first, and Ola Nordmann answered.", "Later Ola Nordmann visited the harbour.",
              '"The boats are safe for the winter now," he said.')
    found = mentions((0, "Jane Doe", "Jane Doe", "person"), (0, "Ola Nordmann", "Ola Nordmann", "person"),
                     (1, "Ola Nordmann", "Ola Nordmann", "person"))
    assert speakers(s, found) == ["Ola Nordmann"]


def test_a_role_before_the_name_after_the_verb_is_part_of_the_speaker():
    s = table('"The roof fell but missed me," said resident Kari Nordmann, according to the Post.')
    assert speakers(s, mentions((0, "Kari Nordmann", "Kari Nordmann", "person"))) == ["Kari Nordmann"]


def test_a_surname_is_the_person_the_article_names_in_full():
    s = table("Former minister Jane Doe wrote a memoir.", '"It was a hard year," Doe said.')
    found = mentions((0, "Jane Doe", "Jane Doe", "person"), (1, "John Doe", "Doe", "person"))  # the corpus's Doe
    assert speakers(s, found) == ["Jane Doe"]


@pytest.mark.corpus
def test_speakers_of_the_hand_labelled_quotations(tmp_path):
    """The figures of tests/data/quotes_gold.md's set (``python -m benchmarks.quotes``) do not fall."""
    found, refs = gold.extracted(tmp_path)
    score = gold.score(found, refs)
    assert score.recall >= 0.95
    assert score.accuracy >= 0.83


def test_each_speaker_says_what_it_is_and_an_unknown_he_stays_unresolved():
    s = table('"The harbour stays open," said Foreign Minister Jane Doe.', '"We will see," he said.',
              "Later the Harbour Council met.", '"Nothing is decided yet," the council said.')
    s = pd.concat([table("It rained."), s.assign(article_id=2)], ignore_index=True)
    found = pd.DataFrame({"article_id": [2, 2], "sentence": [0, 2], "outlet": "Post",
                          "entity": ["Jane Doe", "Harbour Council"],
                          "surface": ["Foreign Minister Jane Doe", "Harbour Council"],
                          "kind": ["person", "organisation"], "description": ["Foreign Minister", ""]})
    q = who.resolve(quotes.find(s), found, s)
    assert q["speaker_kind"].tolist() == ["person", "person", "organisation"]
    assert q["description"].tolist()[0] == "Foreign Minister"
    lone = table('"We will see," he said.')
    assert who.resolve(quotes.find(lone), mentions(), lone)["speaker_kind"].tolist() == ["unresolved"]


def test_a_description_or_a_name_after_an_opening_phrase_is_the_subject():
    s = table("President Jane Doe met the press on Monday.",
              'The president also said that "the harbour will stay open through the winter."',
              'Hosting Ola Nordmann at the harbour, Doe called the plan "a costly mistake for every family here."')
    found = mentions((0, "Jane Doe", "President Jane Doe", "person"), (2, "Ola Nordmann", "Ola Nordmann", "person"),
                     (2, "Jane Doe", "Doe", "person"))
    assert speakers(s, found) == ["Jane Doe", "Jane Doe"]


def test_the_demo_quotes_name_people_not_titles(home):
    """The demo's outlets quote the two officials: "Iran's Defence Minister said" and "the ambassador said" resolve
    to the people those titles describe, and a description no one answers says so."""
    from conftest import SEEDS

    from lib import service, store
    from lib.ingest import pipeline

    conn = store.connect(home)
    pipeline.ingest_paths(conn, "demo", [SEEDS])
    cmp = service.comparison(conn, "demo", service.stats(conn, "demo"))
    quoted = ", ".join(cmp.quote_ledger["speakers"])
    assert "Amir Hatami" in quoted and "Kazem Jalali" in quoted
    assert "Minister" not in quoted  # no title is a speaker
    kinds = set(cmp.quotes["speaker_kind"])
    assert kinds <= {"person", "organisation", "place", "other", "named", "unresolved", ""}
    assert (cmp.quotes["speaker_kind"] == "unresolved").sum() <= 1
