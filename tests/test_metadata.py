"""Metadata: dates in common forms, inference by general rules (on the seeds and on invented
articles), and provenance manifest > file > inferred > missing."""

from __future__ import annotations

import itertools

import pytest

from lib import ingest
from lib.ingest.dates import Published, parse_published
from lib.ingest.metadata import FIELDS, infer, manifest_warnings, resolve, site_name

# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "zone", "expected"), [
    # an IANA zone: converted to UTC with the offset of that date (Tehran was +04:30 in August 2020)
    ("Aug 22, 2020 17:28 Asia/Tehran", "", Published("2020-08-22T12:58:00Z", "+04:30")),
    ("2020-01-15 08:00 America/New_York", "", Published("2020-01-15T13:00:00Z", "-05:00")),
    ("2020-07-15 08:00 America/New_York", "", Published("2020-07-15T12:00:00Z", "-04:00")),  # daylight saving
    # no zone written: the wall-clock time is kept as it is and no offset is invented
    ("Sat 22nd August 2020 | 04:50 PM", "", Published("2020-08-22T16:50:00", "")),
    ("March 3, 2019 at 9:05 am", "", Published("2019-03-03T09:05:00", "")),
    # ISO 8601 with an offset, and with Z
    ("2021-06-01T09:30:00+02:00", "", Published("2021-06-01T07:30:00Z", "+02:00")),
    ("2021-06-01T09:30:00Z", "", Published("2021-06-01T09:30:00Z", "+00:00")),
    ("14 March 2019 10:00 GMT", "", Published("2019-03-14T10:00:00Z", "+00:00")),
    # a date only stays a date
    ("2020-08-25", "", Published("2020-08-25", "")),
    ("March 14, 2019", "", Published("2019-03-14", "")),
    ("1st February 2021", "", Published("2021-02-01", "")),
    # the zone of a manifest's timezone column applies when the text has none
    ("2020-08-22 16:50", "+05:00", Published("2020-08-22T11:50:00Z", "+05:00")),
    ("2020-08-22 17:28", "Asia/Tehran", Published("2020-08-22T12:58:00Z", "+04:30")),
    ("2020-08-22", "Asia/Tehran", Published("2020-08-22", "")),
])
def test_parse_published(text, zone, expected):
    assert parse_published(text, zone) == expected


@pytest.mark.parametrize("text", ["", "   ", "not a date", "last week", "2 hours ago", "yesterday", "August 2020",
                                  "2020-02-30", "2020-13-45", "2020-13-31", "next tuesday-ish"])
def test_parse_published_refuses_what_is_not_a_full_date(text):
    assert parse_published(text) is None


# --- inference on the seeds: what the text says, nothing invented --------------------------------


def _infer_seed(seeds, prefix: str) -> dict[str, str]:
    (path,) = seeds.glob(f"{prefix}_*.txt")
    return infer(path.read_text(encoding="utf-8"))


def test_infer_seed_000(seeds):
    found = _infer_seed(seeds, "000")
    assert found["outlet"] == "Iran Press"  # from "Iran Press/Europe:" in the lead
    assert (found["published"], found["offset"]) == ("2020-08-22T12:58:00Z", "+04:30")
    assert found["title"] == "Iran's Def. Min. departs for Russia"
    assert "byline" not in found


def test_infer_seed_001(seeds):
    found = _infer_seed(seeds, "001")
    assert found["byline"] == "Umer Jamshaid"
    assert found["dateline"] == "MOSCOW"
    assert (found["published"], found["offset"]) == ("2020-08-22T16:50:00", "")  # no zone in the text
    assert found["title"] == "Iran-Russia Military Cooperation Grows Constantly - Ambassador"
    assert "UrduPoint" in found["outlet"]


def test_infer_seed_002(seeds):
    found = _infer_seed(seeds, "002")
    assert found["outlet"] == "Iran Press"  # "Iran PressIran News:" split at the glued words
    assert "published" not in found  # no date is written in it
    assert found["title"] == "New chapter in Iran-Russia defense cooperation begins"


def test_infer_seed_003(seeds):
    found = _infer_seed(seeds, "003")
    assert "outlet" not in found  # a repost that names no publisher
    assert "published" not in found  # "said here Sunday" is not a date
    assert found["dateline"] == "MOSCOW"
    assert found["title"] == "Defense Minister Hatami in Moscow"


def test_infer_seed_004(seeds):
    found = _infer_seed(seeds, "004")
    assert (found["published"], found["offset"]) == ("2020-08-25", "")
    assert found["dateline"] == "BEIRUT, LEBANON"
    assert "outlet" not in found  # the text does not name its publisher
    assert "title" not in found  # nor a title


# --- inference on invented articles: the rules are general --------------------------------------

BODY = ("Heavy rain flooded streets across the coastal towns on Monday, forcing hundreds of families "
        "to leave their homes overnight.")


@pytest.mark.parametrize(("text", "expected"), [
    (f"NEW ORLEANS (AP) — {BODY}", {"dateline": "NEW ORLEANS", "outlet": "AP"}),
    (f"LONDON, March 3 (Reuters) - {BODY}", {"dateline": "LONDON", "outlet": "Reuters"}),
    (f"PARIS, 12 June 2019 (AFP) - {BODY}", {"dateline": "PARIS", "outlet": "AFP", "published": "2019-06-12"}),
    (f"NAIROBI, KENYA – {BODY}", {"dateline": "NAIROBI, KENYA"}),
    (f"Harbor Chronicle: {BODY}", {"outlet": "Harbor Chronicle"}),
    (f"Storm floods coastal towns\n\nBy Maria Gonzalez\nMarch 14, 2019\n\n{BODY}",
     {"title": "Storm floods coastal towns", "byline": "Maria Gonzalez", "published": "2019-03-14"}),
    (f"harborchronicle.com\nStorm floods coastal towns\n\n{BODY}",
     {"outlet": "harborchronicle.com", "title": "Storm floods coastal towns"}),
    (f"Published 2021-06-01T09:30:00+02:00\nStorm floods coastal towns\n\n{BODY}",
     {"published": "2021-06-01T07:30:00Z", "title": "Storm floods coastal towns"}),
])
def test_infer_invented_articles(text, expected):
    found = infer(text)
    assert {k: found.get(k) for k in expected} == expected
    for name in {"outlet", "published", "byline", "dateline"} - set(expected):
        assert name not in found, (name, found[name])


@pytest.mark.parametrize("text", [
    BODY,
    f"{BODY} The report, first carried by Reuters and the BBC, was confirmed by officials on 3 March 2019.",
    f"The mayor said on March 3, 2019 that the city would rebuild. {BODY}",
    f"The river rose quickly. {BODY}\n\nOfficials in LONDON said more rain was expected this week.",
])
def test_infer_invents_nothing_from_prose(text):
    """Outlets and dates mentioned in the body are not taken as the article's own metadata."""
    found = infer(text)
    assert not {"outlet", "published", "byline", "dateline", "title"} & set(found), found


# --- resolve: provenance -------------------------------------------------------------------------

RAW = f"Storm floods coastal towns\n\nHarbor Chronicle: {BODY}\n"


def test_resolve_provenance_order():
    manifest = {"outlet": "Manifest Outlet", "published": "2020-08-22 16:50", "timezone": "+05:00"}
    given = {"outlet": "File Outlet", "published": "2021-01-01", "title": "File Title"}
    out = resolve(RAW, given, manifest, BODY)
    assert (out["outlet"], out["outlet_src"]) == ("Manifest Outlet", "manifest")
    assert (out["published"], out["published_offset"], out["published_src"]) == (
        "2020-08-22T11:50:00Z", "+05:00", "manifest")
    assert (out["title"], out["title_src"]) == ("File Title", "file")

    out = resolve(RAW, given, None, BODY)
    assert (out["outlet"], out["outlet_src"]) == ("File Outlet", "file")
    assert (out["published"], out["published_src"]) == ("2021-01-01", "file")

    out = resolve(RAW, {}, None, BODY)
    assert (out["outlet"], out["outlet_src"]) == ("Harbor Chronicle", "inferred")
    assert (out["title"], out["title_src"]) == ("Storm floods coastal towns", "inferred")
    assert (out["published"], out["published_src"]) == ("", "missing")
    assert (out["url"], out["url_src"]) == ("", "missing")
    assert (out["language"], out["language_src"]) == ("en", "inferred")
    assert set(out) == {"published_offset"} | {c for f in FIELDS for c in (f, f + "_src")}


def test_resolve_empty_manifest_cells_do_not_hide_other_sources():
    out = resolve(RAW, {"outlet": "File Outlet"}, {"outlet": "", "title": "  "}, BODY)
    assert (out["outlet"], out["outlet_src"]) == ("File Outlet", "file")
    assert out["title_src"] == "inferred"


def test_a_day_written_with_an_english_month_reads_as_dateparser_reads_it():
    """The fast path for "March 3, 2020" and its kin gives what dateparser gives, a day the month lacks
    included (left to dateparser), for every month name and abbreviation, in each form, with and without a dot."""
    from lib.ingest import dates

    fast = 0
    for i, name in enumerate(dates.MONTHS):
        for written, dot, day in itertools.product((name, name.capitalize()), ("", "."), (1, 29, 30, 31)):
            for text in (f"{written}{dot} {day}, 2021", f"{written}{dot} {day} 2020", f"{day} {written}{dot} 2019"):
                if (i + day + len(text)) % 3 == 0:  # a third of the forms: dateparser takes ~5 ms a date
                    fast += dates._written_day(text) is not None
                    assert parse_published(text) == dates._dateparser(text), text
    assert fast > 100
    assert dates._written_day("March. 3, 2020") is None and dates._written_day("Mayor 3, 2020") is None


def test_resolve_unparseable_date_falls_through_to_the_next_source():
    out = resolve(f"2019-03-14\n\n{BODY}", {"published": "sometime soon"}, None, BODY)
    assert (out["published"], out["published_src"]) == ("2019-03-14", "inferred")


def test_resolve_url_domain_names_the_outlet_when_nothing_else_does():
    out = resolve(BODY, {"url": "https://www.valley-post.example/news/2020/flood"}, None, BODY)
    assert (out["outlet"], out["outlet_src"]) == ("valley-post.example", "inferred")
    assert (out["url"], out["url_src"]) == ("https://www.valley-post.example/news/2020/flood", "file")
    out = resolve(BODY, {}, {"url": "news.example.org/a"}, BODY)
    assert (out["outlet"], out["outlet_src"]) == ("news.example.org", "inferred")
    # a credit in the text, or an outlet the file states, comes before the URL's domain
    assert resolve(RAW, {"url": "https://other.example/x"}, None, BODY)["outlet"] == "Harbor Chronicle"
    assert resolve(BODY, {"url": "https://other.example/x", "outlet": "Valley"}, None, BODY)["outlet"] == "Valley"


def test_resolve_language_of_the_cleaned_text():
    french = ("Le conseil municipal a approuvé mardi soir le nouveau plan de circulation après un long "
              "débat public sur les transports.")
    assert resolve(french, {}, None, french)["language"] == "fr"
    out = resolve("", {}, None, "")
    assert (out["language"], out["language_src"]) == ("", "missing")


def test_language_codes_are_iso_639_1_whichever_detector_reads_the_text():
    import py3langid

    from lib.ingest.metadata import language

    hebrew = "הממשלה החליטה היום על תוכנית חדשה לתחבורה הציבורית בערים הגדולות של המדינה"
    assert language(hebrew) == "he"  # CLD2 says "iw"
    german = "Der Stadtrat hat am Dienstagabend nach einer langen Debatte den neuen Verkehrsplan beschlossen."
    assert language(german) == "de"
    assert language(german.replace(" nach", "\x96nach") + "\ud800") == "de"  # CLD2 cannot read it: py3langid can
    assert language("Nantes\n\nLyon") == py3langid.classify("Nantes\n\nLyon")[0]  # too short for CLD2 to be sure
    assert language(" \n ") == ""


def test_dateline_with_an_abbreviated_state():
    raw = ("WEST PALM BEACH, Fla. — The governor said on Monday that the storm had passed the coast without "
           "major damage to homes.\n")
    assert infer(raw)["dateline"] == "WEST PALM BEACH, Fla."


# --- outlets written as domains ------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("harborchronicle.com", "harborchronicle.com"),
    ("www.HarborChronicle.com", "harborchronicle.com"),
    ("valleypost.example/news", "valleypost.example"),  # a section of the site is the site
    ("https://www.valley-post.co.uk/local/", "valley-post.co.uk"),
    ("news.example.org", "news.example.org"),
    ("Harbor Chronicle", "Harbor Chronicle"),  # a name stays as written
    ("Reuters", "Reuters"),
    ("U.S. Harbor News", "U.S. Harbor News"),
])
def test_site_name(value, expected):
    assert site_name(value) == expected


def test_resolve_reads_an_outlet_given_as_a_domain_like_a_url_host():
    out = resolve(BODY, {"outlet": "www.valleypost.example/news"}, None, BODY)
    assert (out["outlet"], out["outlet_src"]) == ("valleypost.example", "file")
    assert resolve(BODY, {"url": "https://www.valleypost.example/a"}, None, BODY)["outlet"] == "valleypost.example"


# --- retrieved: when a crawler fetched the page, never the publication time ----------------------


def test_resolve_retrieved_is_parsed_like_published_and_never_dates_the_article():
    out = resolve(BODY, {"retrieved": "2019-05-31T17:45:53-04:00"}, None, BODY)
    assert (out["retrieved"], out["retrieved_src"]) == ("2019-05-31T21:45:53Z", "file")
    assert (out["published"], out["published_src"], out["published_offset"]) == ("", "missing", "")

    out = resolve(f"March 14, 2019\n\n{BODY}", {"retrieved": "2019-05-31 10:00"}, None, BODY)
    assert (out["published"], out["published_src"]) == ("2019-03-14", "inferred")  # the text's date, not the crawl's
    assert out["retrieved"] == "2019-05-31T10:00:00"

    # the manifest wins; its timezone is the zone of publication times, not of the crawl
    out = resolve(BODY, {"retrieved": "2019-05-31"}, {"retrieved": "2019-06-01 08:00", "timezone": "+05:00"}, BODY)
    assert (out["retrieved"], out["retrieved_src"]) == ("2019-06-01T08:00:00", "manifest")
    # unreadable: missing, and nothing else stands in
    out = resolve(BODY, {"retrieved": "whenever"}, None, BODY)
    assert (out["retrieved"], out["retrieved_src"], out["published"]) == ("", "missing", "")


def test_resolve_manifest_date_column_is_read_as_published():
    out = resolve(BODY, {}, {"date": "2020-08-22 16:50", "timezone": "+05:00"}, BODY)
    assert (out["published"], out["published_src"]) == ("2020-08-22T11:50:00Z", "manifest")


def test_crawler_export_columns_map_to_outlet_and_retrieved():
    text = ("id,publisher,scrape_time,text\n"
            f'7,harborchronicle.com/news,2019-05-31T17:45:53-04:00,"Council approves harbour budget\n\n{BODY}"\n')
    (art,) = ingest.read_table("crawl.csv", text).articles
    assert art.key == "7" and art.extra == {}
    out = resolve(art.text, art.given, None, BODY)
    assert (out["outlet"], out["outlet_src"]) == ("harborchronicle.com", "file")
    assert (out["retrieved"], out["retrieved_src"]) == ("2019-05-31T21:45:53Z", "file")
    assert (out["published"], out["published_src"]) == ("", "missing")
    for name in ("scraped_at", "crawl_time", "crawled_at", "fetch_time", "fetched_at", "retrieved", "accessed"):
        assert ingest.map_columns(["body", name])["retrieved"] == name


# --- titles from a short first block -------------------------------------------------------------

HARBOUR = ("The city council approved the harbour budget on Monday after a long debate, and the new "
           "harbour works are expected to begin in the spring.\n\nCouncil members said the budget "
           "would repair the old quays and dredge the harbour channel.")


@pytest.mark.parametrize(("text", "title"), [
    (f"Council approves harbour budget\n\n{HARBOUR}", "Council approves harbour budget"),
    # a headline may end like a sentence when it is written in headline case
    (f"Why The Harbour Budget Matters To Every Council Member.\n\n{HARBOUR}",
     "Why The Harbour Budget Matters To Every Council Member."),
    (f"Will The Council Approve The Harbour Budget Before Spring?\n\n{HARBOUR}",
     "Will The Council Approve The Harbour Budget Before Spring?"),
    # page furniture before the headline is passed over: it names nothing the body is about
    (f"Share on Facebook Share on Twitter\n\nCouncil approves harbour budget\n\n{HARBOUR}",
     "Council approves harbour budget"),
    (f"Subscribe to our newsletter\nMay 30, 2019\n\nCouncil approves harbour budget\n\n{HARBOUR}",
     "Council approves harbour budget"),
    # no title: a short lead sentence, a speaker label, a credit, furniture only
    (f"This week, the harbour budget passed.\n\n{HARBOUR}", None),
    (f"JANE HARBOUR, COUNCIL HOST:\n\n{HARBOUR}", None),
    (f"By Jane Doe, professor of harbour history\n\n{HARBOUR}", None),
    (f"Share on Facebook Share on Twitter\n\n{HARBOUR}", None),
])
def test_title_from_a_short_first_block(text, title):
    assert infer(text).get("title") == title


def test_resolve_title_from_the_text_only_when_the_file_gives_none():
    raw = f"Council approves harbour budget\n\n{HARBOUR}"
    assert resolve(raw, {}, None, HARBOUR)["title_src"] == "inferred"
    out = resolve(raw, {"title": "Harbour budget passes"}, None, HARBOUR)
    assert (out["title"], out["title_src"]) == ("Harbour budget passes", "file")


# --- manifest values that cannot be read are reported --------------------------------------------


def test_manifest_warnings_name_the_row_and_the_value():
    rows = [
        {"file": "a.txt", "published": "2020-08-22 16:50", "timezone": "Asia/Tehran"},  # fine
        {"file": "b.txt", "published": "next tuesday-ish"},
        {"file": "c.txt", "published": "2020-13-45", "timezone": "Mars/Olympus"},
        {"id": "d7", "date": "sometime", "retrieved": "2020-02-30"},
        {"id": "", "published": "", "timezone": "+04:30"},  # fine
        {"file": "", "id": "", "timezone": "EST"},
        {"file": "f.txt", "published": "2020-08-22", "timezone": "-03:00"},  # fine
    ]
    warnings = manifest_warnings(rows)
    assert [key for key, _ in warnings] == ["b.txt", "c.txt", "c.txt", "d7", "d7", "row 6"]
    reasons = dict(warnings[:1] + warnings[2:4] + warnings[5:])
    assert "'next tuesday-ish'" in reasons["b.txt"] and "published" in reasons["b.txt"]
    assert "'Mars/Olympus'" in warnings[1][1] and "timezone" in warnings[1][1]
    assert "'2020-13-45'" in reasons["c.txt"]
    assert "date 'sometime'" in warnings[3][1] and "retrieved '2020-02-30'" in warnings[4][1]
    assert "'EST'" in reasons["row 6"]
    assert manifest_warnings([]) == []
