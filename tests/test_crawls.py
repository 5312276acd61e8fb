"""Crawler exports of one event: flattened pages load whole, shared wire text stays, reprints are articles and
copies, page clutter goes (DESIGN.md rule 0). The crawl is built here; the shared crawls are checked where present."""

from __future__ import annotations

import csv
import itertools
import re

import pytest
from conftest import SHARED, csv_bytes

from lib import store
from lib.analyses import coverage, reuse
from lib.cleaning import clean
from lib.cleaning.blocks import blocks, separator
from lib.config import Limits
from lib.ingest import pipeline, read_bytes

WIRE = [
    "Dock workers at the country's three largest container ports walked off the job on Monday, halting the "
    "loading of ships after talks over pay and automation broke down late on Sunday night.",
    "The union said about 14,000 members had joined the strike, which it called the first coordinated stoppage "
    "at the ports in more than four decades.",
    "Shipping companies warned that dozens of vessels were already waiting offshore and that a long walkout "
    "would delay deliveries of food, fuel and car parts within days.",
    "The transport minister urged both sides to return to the table and said the government was prepared to "
    "appoint a mediator if no progress was made by Wednesday.",
    "Port operators said they had offered a raise of 12 percent over three years, but the union said the offer "
    "did nothing to protect jobs from automated cranes.",
    "Economists said the stoppage could cost the economy hundreds of millions a day if it lasted beyond a week.",
]
OTHER_STORY = [
    "The city council approved a new budget for its libraries on Tuesday after a debate that lasted most of the "
    "evening and drew dozens of residents to the chamber.",
    "Officials said the extra money would extend opening hours at eleven branches and pay for repairs to the "
    "roof of the central library, which has leaked for years.",
]
CLUTTER = ["Advertisement", "Share this article", "Comments", "Sign up for our morning newsletter",
           "Purchase: Order Reprint", "Most Read"]
OUTLETS = {  # outlet: (separator, its own clutter, what of the wire it carries)
    "dailyport.com": (" ### ", ["Skip to main content"], "all"),
    "harbourtimes.com": (" ### ", ["Weather: 18°C Sunny"], "all"),
    "coastnews.net": (" | ", ["Listen to this article"], "all"),
    "tradepost.org": (" • ", ["Gallery: 1 of 9"], "part"),
    "eveningstar.com": (" ### ", ["Poll: Should the strike end?"], "part"),
}
AGO = "{n} hours ago"


def _page(outlet: str, paragraphs: list[str], own: list[str], sep: str, n: int) -> str:
    top = ["Menu", f"{n} hours ago", *own, CLUTTER[0]]
    middle = [*paragraphs[:2], CLUTTER[0], *paragraphs[2:]]
    return sep.join([*top, *middle, *CLUTTER[1:], f"© 2024 {outlet}"])


def crawl() -> list[dict[str, str]]:
    """A crawl of one news day: each outlet's page of the wire story (whole, or part of it with its own
    paragraphs), a second outlet's identical reprint of one page, and each outlet's page on another story;
    every page with the shared clutter, its own, and its outlet's separator."""
    rows = []
    for i, (outlet, (sep, own, share)) in enumerate(OUTLETS.items()):
        body = WIRE if share == "all" else [
            f"Reporters for {outlet.split('.')[0]} spoke to workers outside the gates of the northern port, where "
            "pickets gathered from dawn and lorries queued along the coast road.", *WIRE[:4]]
        rows.append({"id": f"w{i}", "publisher": outlet, "scrape_time": "2024-05-06T18:00:00+00:00",
                     "text": _page(outlet, body, own, sep, i + 2)})
        rows.append({"id": f"o{i}", "publisher": outlet, "scrape_time": "2024-05-06T18:05:00+00:00",
                     "text": _page(outlet, OTHER_STORY, own, sep, i + 3)})
    # a reprint: another outlet's page with the very same text
    rows.append({"id": "r1", "publisher": "reprints.example", "scrape_time": "2024-05-06T19:00:00+00:00",
                 "text": rows[0]["text"]})
    rows.append({"id": "d1", "publisher": "dailyport.com", "scrape_time": "2024-05-06T19:30:00+00:00",
                 "text": rows[0]["text"]})  # the same outlet again: a duplicate
    return rows


@pytest.fixture
def stored(home):
    rows = crawl()
    batch = read_bytes("crawl.csv", csv_bytes(rows), Limits())
    conn = store.connect(home)
    report = pipeline.store_batch(conn, "crawl", batch)
    arts = store.articles(conn, "crawl", text=True).sort_values("id")
    return rows, batch, report, arts, conn


def test_each_outlets_separator_splits_its_pages_into_blocks():
    for outlet, (sep, own, _) in OUTLETS.items():
        page = _page(outlet, WIRE, own, sep, 3)
        assert separator(page) == sep.strip()
        texts = [b.text for b in blocks(page)]
        assert texts[:3] == ["Menu", "3 hours ago", own[0]] and WIRE[0] in texts
    prose = " — ".join(["He said the vote — and its cost — would wait", *WIRE[:2]])
    assert separator(prose) == ""  # a dash inside prose is not a separator
    assert separator("\n".join(WIRE) + " | ".join(["a", "B", "C"])) == ""  # lines: not a flattened page


def test_every_article_and_reprint_is_stored_and_the_same_outlets_copy_is_a_duplicate(stored):
    rows, batch, report, arts, conn = stored
    assert not report.problems
    assert report.added == len(rows) - 1
    sources = {a.key: a.source for a in batch.articles}
    outlet = {a.source: a.given["outlet"] for a in batch.articles}
    assert (sources["r1"], sources["w0"]) in report.copies
    assert all(outlet[copy] != outlet[original] for copy, original in report.copies)
    assert report.duplicates == [(sources["d1"], sources["w0"])]
    assert set(arts["outlet"]) >= set(OUTLETS) | {"reprints.example"}
    counted = coverage.outlets(store.article_stats(conn, "crawl")).set_index("outlet")["articles"]
    assert counted["reprints.example"] == 1 and counted["dailyport.com"] == 2  # the reprint counts, the duplicate not
    assert counted["reprints.example"] + counted.drop("reprints.example").sum() == report.added


def test_wire_text_the_outlets_share_stays_in_every_article(stored):
    rows, _, _, arts, _ = stored
    for text, row in zip(arts["text"], [r for r in rows if r["id"] != "d1"], strict=True):
        carried = [p for p in WIRE + OTHER_STORY if p in row["text"]]
        assert carried and all(p in text for p in carried), row["id"]


def test_page_clutter_goes_as_reviewable_spans(stored):
    _, _, _, arts, conn = stored
    for text in arts["text"]:
        paragraphs = text.split("\n\n")
        for line in [*CLUTTER, "Menu"]:
            assert line not in paragraphs
        assert not any(re.fullmatch(r"\d+ hours ago", p) for p in paragraphs)
    removed = store.removed(conn, "crawl")
    assert {"Advertisement", "Sign up for our morning newsletter"} <= set(removed["text"])


def test_reuse_marks_the_reprint_a_copy_and_finds_the_partial_wire_copies(stored):
    _, batch, _, arts, _ = stored
    ids = dict(zip((a.key for a in batch.articles if a.key != "d1"), arts["id"], strict=True))
    pairs = reuse.pairs(arts.assign(published=""))
    assert reuse.copies(pairs)[ids["r1"]] == ids["w0"]  # the first stored of the identical pages
    partial = {ids[f"w{i}"] for i, (_, (_, _, share)) in enumerate(OUTLETS.items()) if share == "part"}
    linked = set(pairs.loc[(pairs["source"] == ids["w0"]) | (pairs["target"] == ids["w0"]),
                           ["source", "target"]].to_numpy().ravel())
    assert partial <= linked


def test_wire_paragraphs_ten_outlets_carry_stay_and_their_shared_clutter_goes(home):
    # ten outlets or more carry each wire paragraph: the count at which a repeated prose line was boilerplate
    towns = ["Ashford", "Brill", "Carrow", "Dunmore", "Elstead", "Fenwick", "Garth", "Holt", "Ivybridge", "Jarrow",
             "Kelso", "Lydd", "Morley", "Nairn"]
    rows = []
    for i, town in enumerate(towns):
        body = [f"Trucking firms around {town} have parked {i + 3} lorries since the walkout began, their owners said.",
                *(p for j, p in enumerate(WIRE) if (i + j) % 3),
                f"In {town}, shopkeepers expect shortages of imported goods by the weekend if no deal is reached."]
        page = _page(f"outlet{i}.com", body, [], " ### ", i)
        rows.append({"id": str(i), "publisher": f"outlet{i}.com", "text": page})
    conn = store.connect(home)
    report = pipeline.store_batch(conn, "wire", read_bytes("wire.csv", csv_bytes(rows), Limits()))
    assert report.added == 14 and not report.problems
    for row, text in zip(rows, store.articles(conn, "wire", text=True)["text"], strict=True):
        assert all(p in text for p in WIRE if p in row["text"])
        assert not set(CLUTTER) & set(text.split("\n\n"))


CRAWLS = sorted((SHARED / "corpora" / "crawls").glob("*.csv"))


@pytest.mark.skipif(not CRAWLS, reason="the shared crawls live in ../shared/corpora/crawls/ (absent on a fresh clone)")
@pytest.mark.parametrize("path", CRAWLS, ids=lambda p: p.stem)
def test_a_shared_crawl_loads_whole_and_keeps_what_publishers_share(path, home):
    csv.field_size_limit(2**31 - 1)
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    conn = store.connect(home)
    report = pipeline.ingest_paths(conn, "crawl", [path])
    assert not report.problems
    assert report.added + len(report.duplicates) == len(rows)
    # a paragraph two publishers both carry, word for word, stays (its opening at least: a photo credit
    # glued to a caption's end goes)
    carriers: dict[str, set[str]] = {}
    for row in rows:
        for p in row["text"].split(" ### "):
            if len(p.split()) >= 20:
                carriers.setdefault(" ".join(p.split()), set()).add(row["publisher"])
    shared = {p for p, who in carriers.items() if len(who) >= 2}
    assert shared
    arts = store.articles(conn, "crawl", text=True)
    kept = " ".join(arts["text"])
    lost = [p for p in shared if " ".join(p.split()[:12]) not in kept]
    assert not lost, lost[:3]
    # reuse finds every pair of publishers' pages that share two paragraphs or more, verbatim copies or not
    paragraphs = {r.id: {" ".join(p.split()) for p in r.raw_text.split(" ### ") if len(p.split()) >= 15}
                  for r in arts.itertuples()}
    wire = {frozenset((a.id, b.id)) for a, b in itertools.combinations(arts.itertuples(), 2)
            if a.outlet != b.outlet and len(paragraphs[a.id] & paragraphs[b.id]) >= 2}
    pairs = reuse.pairs(arts.assign(published=arts["published"].fillna("")))
    assert wire and wire <= {frozenset(p) for p in pairs[["source", "target"]].to_numpy().tolist()}


def test_the_cleaning_report_marks_clutter_in_a_flattened_page():
    page = _page("dailyport.com", WIRE, [], " ### ", 2)
    text, spans = clean.clean(page)
    assert WIRE[0] in text and " ### " not in text
    assert "⟦" in clean.marked(page, spans)
