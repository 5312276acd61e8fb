"""Compare: story elements, omissions, naming choices, quotes, tone and the report, on inline texts, the demo
corpus and (where present) NewsWCL50."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from conftest import NEWSWCL50, SEEDS

from lib import cli, service, store
from lib.analyses import compare, elements, naming, quotes, speakers, tone
from lib.ingest import pipeline
from lib.views import report


def _sentences(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    """(article_id, outlet, text) rows -> a sentence table, one paragraph per sentence."""
    df = pd.DataFrame(rows, columns=["article_id", "outlet", "text"])
    df["sentence"] = df.groupby("article_id").cumcount()
    df["paragraph"] = df["sentence"]
    return df


INLINE = _sentences([
    (1, "Post", "The city council voted to close the old harbour bridge for repairs on Monday."),
    (1, "Post", "Mayor Jane Doe said the repairs would cost four million euros."),
    (1, "Post", "Fishermen protested outside the town hall against the closure."),
    (2, "Herald", "On Monday the council voted to shut the harbour bridge for repairs."),
    (2, "Herald", "The repairs will cost four million euros, Mayor Jane Doe said."),
    (2, "Herald", "A new ferry line will run while the bridge is closed."),
    (3, "Times", "Councillors voted on Monday to close the harbour bridge so that it can be repaired."),
    (3, "Times", "The weather was mild and sunny across the region all week."),
])


def test_aligned_sentences_form_elements_and_unrelated_ones_stay_apart():
    found = elements.align(INLINE, random_state=0)
    m = found.members.set_index(["article_id", "sentence"])["element"]
    assert m[(1, 0)] == m[(2, 0)] == m[(3, 0)]  # the vote, in three outlets
    assert m[(1, 1)] == m[(2, 1)]  # the cost
    assert m[(1, 2)] != m[(2, 2)] and m[(3, 1)] not in {m[(1, 0)], m[(1, 1)]}
    top = found.table.iloc[0]
    assert top["outlets"] == 3 and top["element"] == 1  # the most carried comes first
    assert 0 < found.threshold < 1


def test_the_threshold_comes_from_the_data_and_the_seed_fixes_it():
    a = elements.align(INLINE, random_state=1).threshold
    assert a == elements.align(INLINE, random_state=1).threshold
    assert elements.align(INLINE, alpha=0.5, random_state=1).threshold < a  # a looser chance level, a lower bar


def test_a_copy_counts_once_and_a_repeated_sentence_too():
    copied = pd.concat([INLINE, _sentences([(4, "Wire", INLINE["text"][3]), (4, "Wire", INLINE["text"][3])])])
    found = elements.align(copied, copies=pd.Series({4: 2}), random_state=0)
    vote = found.table.iloc[0]
    assert vote["outlets"] == 4 and vote["independent"] == 3


def test_stem_and_words():
    assert elements.stem("voted") == elements.stem("voting") == elements.stem("votes") == "vot"
    assert "said" not in elements.words("The mayor said the bridge is closed")


def test_diff_marks_changed_words_as_text():
    marked, flags = naming.diff("The council voted to close the bridge.", "The council decided to shut the bridge.")
    assert marked == "The council ⟦decided⟧ to ⟦shut⟧ the bridge."
    assert [t for t, f in flags if f] == ["decided", "shut"]


def test_substitutions_count_word_pairs_across_outlets():
    found = elements.align(INLINE, random_state=0)
    subs = naming.substitutions(found.members)
    pairs = set(zip(subs["a"].str.lower(), subs["b"].str.lower(), strict=True))
    assert ("close", "shut") in pairs


def test_quotes_find_direct_and_reported_quotes_and_their_speakers():
    s = _sentences([
        (1, "Post", "Jane Doe said that the bridge would reopen in the spring after the works."),
        (1, "Post", '"We will not give up the harbour," she added.'),
        (1, "Post", 'He touched on the "big mess" of the works.'),
        (2, "Herald", 'The mayor warned: "The works could take longer than a year if the winter is hard."'),
    ])
    mentions = pd.DataFrame({"article_id": [1, 2], "sentence": [0, 0], "outlet": ["Post", "Herald"],
                             "entity": ["Jane Doe", "Jane Doe"], "surface": ["Jane Doe", "Jane Doe"]})
    q = speakers.resolve(quotes.find(s), mentions, s)
    assert list(q["kind"]) == ["reported", "direct", "direct"]  # "big mess" is a scare quote
    assert list(q["verb"]) == ["said", "added", "warned"]
    assert q["entity"].tolist()[:2] == ["Jane Doe", "Jane Doe"]  # "she" is the article's last named speaker
    assert q["quote"].iloc[0].startswith("the bridge would reopen")
    ledger = speakers.ledger(q, s).set_index("outlet")
    assert ledger.loc["Post", "direct"] == 1 and ledger.loc["Post", "quoted_pct"] > 0


def test_quote_speakers_are_people_not_the_words_or_places_around_them():
    s = _sentences([
        (1, "Post", "About 80 families have offered to sponsor migrants, said Jane Doe, director of a local charity."),
        (1, "Post", "Juan Perez, 34, a migrant from Ruritania who walked with the group, said he had no family there."),
        (1, "Post", "The migrants were told that officials could not process their claims until Monday."),
        (2, "Herald", "Lawyers in Freedonia City spent the day with the families at the shelter."),
        (2, "Herald", '"One can always make up for lost time with a child," he said to reporters.'),
    ])
    mentions = pd.DataFrame({"article_id": [1, 1, 1, 2], "sentence": [0, 1, 1, 3],
                             "outlet": ["Post", "Post", "Post", "Herald"],
                             "entity": ["Jane Doe", "Juan Perez", "Ruritania", "Freedonia City"],
                             "surface": ["Jane Doe", "Juan Perez", "Ruritania", "Freedonia City"]})
    q = speakers.resolve(quotes.find(s), mentions, s)
    assert q["speaker"].tolist() == ["Jane Doe", "Juan Perez", "he"]  # no quote is "the migrants were told"
    assert q["entity"].tolist() == ["Jane Doe", "Juan Perez", ""]  # a place never speaks for "he"


def test_what_an_outlet_quotes_is_not_its_own_tone():
    texts = pd.Series(['Calls for the minister to resign grew on Monday. "I think it would be better if he went," '
                       "a senior colleague said.", '"This is a disgrace and a scandal," she said.'])
    own, quoted = tone.voices(texts)
    assert own[0] == "Calls for the minister to resign grew on Monday. a senior colleague said."
    assert quoted[0] == "I think it would be better if he went,"
    scored = tone.scored(texts)
    assert scored.loc[0, "quoted_tone"] > 0.3  # the quote is positive; the outlet's own words are not
    assert abs(scored.loc[0, "tone"]) < scored.loc[0, "quoted_tone"]
    assert scored.loc[1, "quoted_tone"] < 0 and abs(scored.loc[1, "tone"]) < 0.05  # "she said." alone: neutral


def test_tone_scores_and_loaded_sentences():
    scored = INLINE.assign(tone=tone.scores(INLINE["text"]))
    assert scored.loc[2, "tone"] < 0  # "protested against"
    table = tone.by_group(scored, "outlet").set_index("outlet")
    assert table.loc["Post", "sentences"] == 3
    assert set(tone.loaded(scored)["outlet"]) <= {"Post", "Herald", "Times"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "demo", [SEEDS])
    return conn, service.comparison(conn, "demo", service.stats(conn, "demo"))


def _carried(cmp: compare.Comparison, pattern: str) -> pd.DataFrame:
    """The elements whose sentences match ``pattern``, with their outlets."""
    m = cmp.members[cmp.members["text"].str.contains(pattern, regex=True)]
    return cmp.elements[cmp.elements["element"].isin(m["element"])]


def test_demo_elements_carried_by_three_outlets(demo):
    _, cmp = demo
    assert set(cmp.outlets) == {"Iran Press", "UrduPoint", "Al-Masdar News", "(no outlet)"}
    three = cmp.elements[cmp.elements["outlets"] >= 3]
    members = cmp.members[cmp.members["element"].isin(three["element"])]
    for fact in ["voted against the recent US-sponsored", "voting against the US-proposed",  # the vote
                 "Army-2020", "Military-Technical Forum",  # the forum
                 "Sjojgoe", "Shoigu"]:  # the meeting
        assert members["text"].str.contains(fact).any(), fact
    vote = _carried(cmp, "voted against the recent US-sponsored")
    assert vote["outlets"].iloc[0] >= 3


def test_demo_elements_only_one_outlet_carries(demo):
    _, cmp = demo
    for pattern, outlet in [("S-400", "Al-Masdar News"), ("Su-30", "Al-Masdar News"),
                            ("15-member Security Council vote", "(no outlet)"), ("bullying", "(no outlet)"),
                            ("big defeat", "(no outlet)")]:
        element = _carried(cmp, pattern)
        assert len(element) == 1 and element["outlets"].iloc[0] == 1, pattern
        only = compare.view(cmp, "only-one")
        assert element["element"].iloc[0] in set(only["element"])
        assert set(cmp.members.loc[cmp.members["element"] == element["element"].iloc[0], "outlet"]) == {outlet}


def test_demo_omissions_and_views(demo):
    _, cmp = demo
    gaps = cmp.omissions[cmp.omissions["outlet"] == "Al-Masdar News"]
    vote = _carried(cmp, "voted against the recent US-sponsored")["element"].iloc[0]
    assert vote in set(gaps["element"])  # Al-Masdar leaves the vote out
    assert set(compare.view(cmp, "omissions", "Al-Masdar News")["element"]) == set(gaps["element"])
    assert (compare.view(cmp, "every")["outlets"] == 4).all()
    wide = compare.wide(cmp)
    assert list(wide.columns[-4:]) == list(cmp.outlets)


def test_demo_naming_choices_merge_the_misspelled_name(demo):
    _, cmp = demo
    names = cmp.variants
    shoigu = names[names["form"].str.contains("Sjojgoe")]
    assert len(shoigu) == 1 and shoigu["kind"].iloc[0] == "spelling"
    referent = shoigu["entity"].iloc[0]
    assert names.loc[names["entity"] == referent, "form"].str.contains("Shoigu").any()


def test_demo_quotes_name_their_speakers(demo):
    _, cmp = demo
    q = cmp.quotes
    for outlet in cmp.outlets:
        named = set(q.loc[q["outlet"] == outlet, "entity"])
        assert named & {"Kazem Jalali", "Amir Hatami"}, outlet
    he = q[(q["outlet"] == "Iran Press") & q["speaker"].eq("He")]
    assert set(he["entity"]) <= {"Kazem Jalali", "Amir Hatami"} and len(he)
    columns = cmp.columns.set_index("outlet")
    assert "Kazem Jalali" in columns.loc["UrduPoint", "quoted"]
    assert "Sputnik" in columns.loc["Al-Masdar News", "sources"]


def test_demo_tone_per_outlet_and_element(demo):
    _, cmp = demo
    assert set(cmp.tone_outlets["outlet"]) == set(cmp.outlets)
    assert cmp.members["tone"].dropna().between(-1, 1).all() and cmp.members["tone"].notna().mean() > 0.8
    assert cmp.members["quoted_tone"].notna().any()  # the demo quotes its ministers
    assert {"quoting", "quoted_tone"} <= set(cmp.tone_outlets.columns)
    assert set(cmp.tone_elements["element"]) <= set(cmp.elements.loc[cmp.elements["outlets"] > 1, "element"])


def _remote(page: str) -> list[tuple[str, str]]:
    """The attributes of the page's tags that point at another host (a request when the page opens)."""
    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend((tag, v) for k, v in attrs
                         if not k.startswith("xmlns") and re.match(r"\s*(?:\w+:)?//", v or ""))

    Parser().feed(page)
    return found


def test_remote_finds_a_remote_image():
    assert _remote('<p><img src="http://x.example/a.png"></p>') == [("img", "http://x.example/a.png")]


def test_report_is_standalone_and_escapes_article_text(demo):
    _, cmp = demo
    evil = cmp.members.copy()
    evil.loc[0, "text"] = '<script>alert(1)</script><img src="http://evil.example/x.png">'
    labels = cmp.elements.copy()
    labels.loc[labels["element"] == evil.loc[0, "element"], "label"] = evil.loc[0, "text"]
    page = report.build(compare.Comparison(**{**cmp.__dict__, "members": evil, "elements": labels}), "<b>demo</b>")
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert not _remote(page) and "@import" not in page and "url(" not in page
    assert page.count("<svg") == 2 and "&lt;b&gt;demo" in page


def test_cli_compare_and_report(demo, tmp_path, monkeypatch, capsys):
    conn, _ = demo
    monkeypatch.setenv("FRAMESCOPE_HOME", str(tmp_path / "cli"))
    pipeline.ingest_paths(store.connect(tmp_path / "cli"), "demo", [SEEDS])
    assert cli.main(["analyze", "demo", "compare", "--format", "json", "--outlets", "UrduPoint,Iran Press"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"outlets", "elements", "omissions", "names", "words", "quotes"}
    assert [r["outlet"] for r in out["outlets"]] == ["UrduPoint", "Iran Press"]
    assert {"UrduPoint", "Iran Press"} <= set(out["elements"][0])
    assert cli.main(["analyze", "demo", "compare"]) == 0
    assert "# omissions" in capsys.readouterr().out
    assert cli.main(["analyze", "demo", "compare", "--outlets", "Nowhere"]) == 2
    assert cli.main(["report", "demo", "--out", str(tmp_path / "r.html")]) == 0
    assert "<svg" in (tmp_path / "r.html").read_text()


@pytest.mark.skipif(not NEWSWCL50.exists(), reason=f"NewsWCL50 not found at {NEWSWCL50}")
def test_newswcl50_event_compares_five_outlets(tmp_path):
    conn = store.connect(tmp_path)
    pipeline.ingest_paths(conn, "nw", [NEWSWCL50])
    stats = service.stats(conn, "nw")
    story = int(stats.loc[stats["title"].fillna("").str.contains("caravan", case=False), "story"].mode()[0])
    cmp = service.comparison(conn, "nw", service.in_story(stats, story))
    assert len(cmp.outlets) == 5
    shared = cmp.elements[cmp.elements["outlets"] >= 2]
    assert len(shared) >= 10
    text = cmp.members[cmp.members["element"].isin(shared["element"])]["text"]
    assert text.str.contains("Nielsen").sum() >= 2 and text.str.contains("Mensing").sum() >= 2
    assert len(cmp.omissions) and set(cmp.omissions["outlet"]) <= set(cmp.outlets)


def test_a_column_shows_the_first_items_and_counts_the_rest():
    from lib.ui import compare as ui_compare
    assert ui_compare.brief("A | B | C | D | E", " | ", 3) == "A | B | C (+2 more)"
    assert ui_compare.brief("A | B", " | ", 3) == "A | B"
    assert ui_compare.brief(42, "", 0) == "42"


def test_a_block_of_sentences_with_no_pair_alike_enough_is_passed_over(monkeypatch):
    """The alignment works in blocks of sentences; a block none of whose pairs reaches the threshold (a crawl's
    page of unrelated clutter) used to raise on the empty selection."""
    from lib.analyses import elements

    monkeypatch.setattr(elements, "BLOCK", 2)
    s = pd.DataFrame({"article_id": [1, 1, 2, 2], "sentence": [0, 1, 0, 1], "outlet": ["A", "A", "B", "B"],
                      "text": ["Ferries stop at the north quay today.", "Tickets cost more from Monday.",
                               "Ferries stop at the north quay today.", "A new bakery opened on Elm Street."]})
    x, counts, _ = elements.vectors(s)
    links = elements._links(x, (counts > 0).astype(float).tocsr(), s["article_id"].to_numpy(), 0.5)
    assert list(zip(links.row, links.col, strict=True)) == [(0, 2)]
    assert elements.align(s).members.groupby("element").size().max() == 2
    nothing = elements._links(x, (counts > 0).astype(float).tocsr(), s["article_id"].to_numpy(), 1.5)
    assert nothing.nnz == 0  # no pair anywhere: no link, no error
