"""Readers: every input format, column mapping, encodings, and every bad input of the specification."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import pytest
from conftest import MIXED_LIMITS, REPO, prose

from lib import store
from lib.config import Limits
from lib.ingest import BadInput, decode, map_columns, pipeline, read_bytes, read_paths

LIMITS = Limits()


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _only(batch):
    assert not batch.problems, [str(p) for p in batch.problems]
    assert len(batch.articles) == 1
    return batch.articles[0]


# --- formats -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["story.txt", "story.md", "STORY.TXT"])
def test_text_file_is_one_article_keyed_by_file_name(name):
    text = prose("water plan")
    art = _only(read_bytes(name, text.encode(), LIMITS))
    assert art.text == text
    assert art.key == name
    assert art.given == {}  # a plain text file states no metadata; that is inferred later


HTML = """<!DOCTYPE html><html lang="en"><head><title>Harbor expansion approved | Coastal Ledger</title>
<meta property="og:site_name" content="Coastal Ledger">
<meta property="og:title" content="Harbor expansion approved">
<meta name="author" content="Dana Whitfield">
<meta property="article:published_time" content="2021-05-04T10:15:00+00:00">
<link rel="canonical" href="https://www.coastalledger.example/news/harbor-expansion">
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sports">Sports</a> | <a href="/about">About</a></nav>
<article><h1>Harbor expansion approved</h1>
<p>Port officials approved the long-delayed harbor expansion on Friday, saying construction would begin in
the spring and last about three years.</p>
<p>The project will deepen the main channel so that larger cargo ships can dock, a change that business
groups have sought for a decade.</p>
<p>Residents near the waterfront raised concerns about noise and traffic during the public comment period,
and officials promised to limit night work.</p>
</article>
<footer>Subscribe to our newsletter. Follow us on social media.</footer></body></html>"""


@pytest.mark.parametrize("name", ["page.html", "page.htm"])
def test_html_main_text_and_metadata_via_trafilatura(name):
    art = _only(read_bytes(name, HTML.encode(), LIMITS))
    assert "Port officials approved the long-delayed harbor expansion" in art.text
    assert "officials promised to limit night work" in art.text
    assert "Home" not in art.text.split() and "newsletter" not in art.text  # navigation and footer dropped
    assert art.given["title"] == "Harbor expansion approved"
    assert art.given["outlet"] == "Coastal Ledger"
    assert art.given["byline"] == "Dana Whitfield"
    assert art.given["published"].startswith("2021-05-04")
    assert art.given["url"] == "https://www.coastalledger.example/news/harbor-expansion"


def test_html_without_article_text_is_a_problem():
    page = b"<html><head><title>Only a title</title></head><body><script>var x = 1;</script></body></html>"
    batch = read_bytes("nav.html", page, LIMITS)
    assert not batch.articles
    assert [p.source for p in batch.problems] == ["nav.html"]
    assert "no article text" in batch.problems[0].reason


def test_csv_maps_common_column_names():
    data = (
        "id,headline,content,publisher,publish_date,link,byline,topic\n"
        f'n1,Library plan,"{prose("library", 1).strip()}",Valley Post,2021-03-04,'
        "https://valley.example/1,Ann Lee,local\n"
        f'n2,Road plan,"{prose("ring road", 1).strip()}",Hill Herald,2021-03-05,'
        "https://hill.example/2,Bo Chen,roads\n"
    )
    batch = read_bytes("export.csv", data.encode(), LIMITS)
    assert not batch.problems
    first, second = batch.articles
    assert first.source == "export.csv:2" and second.source == "export.csv:3"
    assert first.key == "n1"  # the id column keys the manifest
    assert first.text.startswith("The regional council debated the library")
    assert first.given == {"title": "Library plan", "outlet": "Valley Post", "published": "2021-03-04",
                           "url": "https://valley.example/1", "byline": "Ann Lee"}
    assert first.extra == {"topic": "local"}  # other columns are kept, not dropped
    assert second.given["outlet"] == "Hill Herald"


def test_tsv_uses_tabs():
    data = f"title\ttext\tsource\nA\t{prose('tram', 1).strip()}\tTram Times\n"
    art = _only(read_bytes("export.tsv", data.encode(), LIMITS))
    assert art.given == {"title": "A", "outlet": "Tram Times"}
    assert art.text.startswith("The regional council debated the tram")


def test_column_mapping_is_case_insensitive_and_overrides_win():
    assert map_columns(["Headline", "Body", "Source", "Date"]) == {
        "text": "Body", "outlet": "Source", "title": "Headline", "published": "Date"}
    mapping = map_columns(["body", "summary", "site", "newspaper"], {"text": "summary", "outlet": "newspaper"})
    assert mapping["text"] == "summary" and mapping["outlet"] == "newspaper"
    with pytest.raises(BadInput, match="no column 'missing' for text"):
        map_columns(["body"], {"text": "missing"})


def test_override_flags_pick_columns_a_file_names_its_own_way():
    data = f"story,paper,when\n\"{prose('pier', 1).strip()}\",Bay Daily,2020-01-02\n"
    assert "no text column" in read_bytes("odd.csv", data.encode(), LIMITS).problems[0].reason
    art = _only(read_bytes("odd.csv", data.encode(), LIMITS,
                           {"text": "story", "outlet": "paper", "published": "when"}))
    assert art.given == {"outlet": "Bay Daily", "published": "2020-01-02"}
    bad = read_bytes("odd.csv", data.encode(), LIMITS, {"text": "nope"})
    assert not bad.articles and "no column 'nope'" in bad.problems[0].reason


def test_json_array_of_objects():
    records = [{"body": prose("ferry"), "source": "Isle News", "title": "Ferry", "date": "2022-02-02",
                "authors": ["A. One", "B. Two"]},
               {"body": prose("airport"), "source": "Isle News", "title": "Airport"}]
    batch = read_bytes("dump.json", json.dumps(records).encode(), LIMITS)
    assert not batch.problems
    assert [a.source for a in batch.articles] == ["dump.json:1", "dump.json:2"]
    assert batch.articles[0].given == {"outlet": "Isle News", "title": "Ferry", "published": "2022-02-02",
                                       "byline": "A. One, B. Two"}


def test_json_that_is_not_an_array_of_objects_is_a_problem():
    batch = read_bytes("dump.json", b'{"text": "one object, not an array"}', LIMITS)
    assert not batch.articles and "array of objects" in batch.problems[0].reason


def test_jsonl_one_article_a_line():
    lines = [json.dumps({"article": prose(topic), "site": "Metro"}) for topic in ("bus", "metro", "bike lane")]
    batch = read_bytes("feed.jsonl", ("\n".join(lines) + "\n\n").encode(), LIMITS)
    assert not batch.problems
    assert [a.source for a in batch.articles] == ["feed.jsonl:1", "feed.jsonl:2", "feed.jsonl:3"]
    assert all(a.given == {"outlet": "Metro"} for a in batch.articles)


def test_row_with_empty_text_is_reported_with_its_line():
    data = f'text,outlet\n"{prose("dam", 1).strip()}",A\n"",B\n'
    batch = read_bytes("rows.csv", data.encode(), LIMITS)
    assert len(batch.articles) == 1
    assert [str(p) for p in batch.problems] == ["rows.csv:3: empty text"]


def test_zip_with_folders_and_mixed_files():
    data = _zip({
        "news/a.txt": prose("canal").encode(),
        "news/deeper/b.md": prose("lighthouse").encode(),
        "news/table.csv": f'text,outlet\n"{prose("pier", 1).strip()}",Bay Daily\n'.encode(),
        "news/.hidden.txt": prose("secret").encode(),
        "__MACOSX/news/._a.txt": b"\x00\x05\x16\x07",
    })
    batch = read_bytes("upload.zip", data, LIMITS)
    assert not batch.problems
    assert sorted(a.source for a in batch.articles) == [
        "upload.zip/news/a.txt", "upload.zip/news/deeper/b.md", "upload.zip/news/table.csv:2"]


def test_folder_is_read_recursively_and_hidden_files_skipped(tmp_path):
    root = tmp_path / "corpus"
    (root / "2020" / "08").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "top.txt").write_text(prose("museum"))
    (root / "2020" / "08" / "deep.txt").write_text(prose("harbour"))
    (root / "2020" / ".draft.txt").write_text(prose("draft"))
    (root / ".git" / "config.txt").write_text(prose("git"))
    batch = read_paths([root], LIMITS)
    assert not batch.problems
    assert sorted(a.source for a in batch.articles) == ["corpus/2020/08/deep.txt", "corpus/top.txt"]


def test_missing_path_and_unsupported_type_are_problems(tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "ok.txt").write_text(prose("zoo"))
    batch = read_paths([tmp_path / "nowhere", tmp_path / "photo.png", tmp_path / "ok.txt"], LIMITS)
    assert len(batch.articles) == 1
    reasons = {Path(p.source).name: p.reason for p in batch.problems}
    assert reasons == {"nowhere": "no such file or folder", "photo.png": "unsupported file type '.png'"}


def _stored(home, corpus):
    return store.articles(store.connect(home), corpus).set_index("source_file")


def test_manifest_csv_in_a_folder_supplies_metadata(tmp_path, home):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.txt").write_text(prose("orchard"))
    (folder / "b.txt").write_text("Orchard Gazette: " + prose("vineyard"))
    (folder / "manifest.csv").write_text(
        "file,outlet,title,published,timezone,url\n"
        "a.txt,Farm Weekly,Orchards grow,2021-09-01 08:00,Europe/Paris,https://farm.example/a\n"
        "b.txt,,,2021-09-02,,\n")
    report = pipeline.ingest_paths(store.connect(home), "m", [folder])
    assert not report.problems and report.added == 2  # the manifest is not an article
    df = _stored(home, "m")
    a, b = df.loc["drop/a.txt"], df.loc["drop/b.txt"]
    assert (a.outlet, a.outlet_src, a.title, a.title_src) == ("Farm Weekly", "manifest", "Orchards grow", "manifest")
    assert (a.published, a.published_offset, a.published_src) == ("2021-09-01T06:00:00Z", "+02:00", "manifest")
    assert (a.url, a.url_src) == ("https://farm.example/a", "manifest")
    assert (b.outlet, b.outlet_src) == ("Orchard Gazette", "inferred")  # an empty manifest cell corrects nothing
    assert (b.published, b.published_src) == ("2021-09-02", "manifest")


def test_manifest_flag_keyed_by_file_name_or_id(tmp_path, home):
    (tmp_path / "c.txt").write_text(prose("quarry"))
    (tmp_path / "rows.jsonl").write_text(json.dumps({"id": "r7", "text": prose("mill"), "source": "Old"}) + "\n")
    manifest = tmp_path / "meta.csv"
    manifest.write_text("file,id,outlet,published,timezone\nc.txt,,Stone Times,2019-05-05 12:00,UTC\n"
                        ",r7,New Name,,\n,zz,Nobody,,\n")
    report = pipeline.ingest_paths(store.connect(home), "f", [tmp_path / "c.txt", tmp_path / "rows.jsonl"],
                                   manifest=manifest)
    assert not report.problems and report.added == 2
    assert report.unmatched_manifest == ["zz"]  # a manifest row that matches nothing is reported
    df = _stored(home, "f")
    c = df.loc[str(tmp_path / "c.txt")]
    assert (c.outlet, c.outlet_src, c.published) == ("Stone Times", "manifest", "2019-05-05T12:00:00Z")
    row = df.loc[f"{tmp_path / 'rows.jsonl'}:1"]
    assert (row.outlet, row.outlet_src) == ("New Name", "manifest")  # the manifest corrects the file


def test_missing_manifest_file_is_a_problem_and_the_rest_loads(tmp_path, home):
    (tmp_path / "c.txt").write_text(prose("quarry"))
    report = pipeline.ingest_paths(store.connect(home), "f", [tmp_path / "c.txt"], manifest=tmp_path / "nope.csv")
    assert report.added == 1
    assert [Path(p.source).name for p in report.problems] == ["nope.csv"]


# --- encodings -----------------------------------------------------------------------------------

ENGLISH = "“We’ll decide on Tuesday,” the mayor said — the café’s €5 menu stays. Naïve? Perhaps.\n"
ARABIC = "قال وزير الدفاع إن التعاون العسكري بين البلدين يتوسع يوما بعد يوم في مجالات عديدة.\n"
FRENCH = "Le président a visité Zürich et São Paulo; à bientôt, señor Müller. Très bien, ça va.\n"


@pytest.mark.parametrize(("text", "encoding"), [
    (ENGLISH, "utf-8"),
    (ARABIC, "utf-8"),
    (ENGLISH, "utf-8-sig"),
    (ENGLISH, "utf-16"),  # with BOM
    (ARABIC, "utf-16"),
    (ENGLISH, "utf-16-le"),  # without BOM
    (ENGLISH, "utf-16-be"),
    (ARABIC, "utf-16-le"),
    (ARABIC, "utf-16-be"),
    (ENGLISH, "cp1252"),
    (ARABIC, "cp1256"),
    (FRENCH, "latin-1"),
])
def test_encodings_decode_correctly(text, encoding):
    data = text.encode(encoding)
    assert decode(data) == text
    art = _only(read_bytes("story.txt", data, LIMITS))
    assert art.text == text


def test_legacy_encoded_csv_keeps_its_accents():
    data = f'title,text\nCafé,"{FRENCH.strip()}"\n'.encode("latin-1")
    art = _only(read_bytes("fr.csv", data, LIMITS))
    assert art.given["title"] == "Café" and art.text == FRENCH.strip()


# --- bad inputs ----------------------------------------------------------------------------------


def _problems_by_file(batch) -> Counter:
    return Counter(p.source for p in batch.problems)


def test_mixed_batch_every_bad_input_is_one_named_problem_and_good_files_load(mixed, monkeypatch):
    monkeypatch.chdir(mixed.folder.parent)
    batch = read_paths([Path("batch")], MIXED_LIMITS)
    assert {a.source for a in batch.articles} == mixed.good_sources
    counts = _problems_by_file(batch)
    assert set(counts) == set(mixed.bad), [str(p) for p in batch.problems]
    assert all(n == 1 for n in counts.values()), counts
    for problem in batch.problems:
        assert mixed.bad[problem.source] in problem.reason, str(problem)
        assert "Traceback" not in problem.reason and len(problem.reason) < 200
        assert str(problem) == f"{problem.source}: {problem.reason}"


@pytest.mark.parametrize(("name", "data", "word"), [
    ("blob.txt", bytes(range(256)) * 4, "binary"),
    ("blob.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
    ("zeros.txt", bytes(2048), "binary"),
    ("empty.txt", b"", "empty"),
    ("blank.md", b"  \n\n\t \n", "empty"),
    ("empty.csv", b"", "empty"),
    ("empty.jsonl", b"", "empty"),
    ("bad.csv", b'text,outlet\n"a fine row",A\n"unterminated,B\n', "malformed CSV"),
    ("bad.json", b'[{"text": "a"},', "malformed JSON"),
    ("notext.csv", b"title,outlet\nT,O\n", "no text column"),
    ("notext.json", b'[{"title": "T"}]', "no text column"),
    ("noheader.csv", b"", "empty"),
    ("junk.zip", b"PK\x03\x04 this is not really a zip", "not a readable zip"),
])
def test_each_bad_input_is_one_problem_naming_the_file(name, data, word):
    batch = read_bytes(name, data, LIMITS)
    assert not batch.articles
    assert [p.source for p in batch.problems] == [name]
    assert word in batch.problems[0].reason


def test_malformed_csv_names_the_line_where_the_bad_row_starts():
    data = 'text,outlet\n"row one, about the bridge",A\n"row two\nspans lines",B\nbad "quote" here ok,C\n"x"y,D\n'
    batch = read_bytes("bad.csv", data.encode(), LIMITS)
    assert [str(p) for p in batch.problems] == [
        "bad.csv: malformed CSV in the row starting at line 6: ',' expected after '\"'"]


def test_csv_row_with_too_many_cells_is_reported_and_the_other_rows_load():
    data = f'text,outlet\n"{prose("a", 1).strip()}",A\n"{prose("b", 1).strip()}",B,extra\n"{prose("c", 1).strip()}",C\n'
    batch = read_bytes("rows.csv", data.encode(), LIMITS)
    assert [a.source for a in batch.articles] == ["rows.csv:2", "rows.csv:4"]
    assert [str(p) for p in batch.problems] == ["rows.csv:3: more cells than columns"]


def test_jsonl_with_one_broken_line_loads_the_others():
    lines = [json.dumps({"text": prose("one")}), '{"text": "unterminated', json.dumps({"text": prose("three")}),
             "[1, 2]", json.dumps({"text": prose("five")})]
    batch = read_bytes("feed.jsonl", "\n".join(lines).encode(), LIMITS)
    assert [a.source for a in batch.articles] == ["feed.jsonl:1", "feed.jsonl:3", "feed.jsonl:5"]
    assert [p.source for p in batch.problems] == ["feed.jsonl:2", "feed.jsonl:4"]
    assert "invalid JSON" in batch.problems[0].reason and "not a JSON object" in batch.problems[1].reason


def test_file_over_the_size_limit(tmp_path):
    small = Limits(max_file_bytes=1000)
    (tmp_path / "big.txt").write_text("x" * 1001)
    (tmp_path / "ok.txt").write_text("y" * 900)
    batch = read_paths([tmp_path / "big.txt", tmp_path / "ok.txt"], small)
    assert len(batch.articles) == 1
    reasons = [(Path(p.source).name, p.reason) for p in batch.problems]
    assert reasons == [("big.txt", "file too large (1001 B > 1000 B)")]
    in_memory = read_bytes("big.txt", b"x" * 1001, small)
    assert in_memory.problems[0].reason == "file too large (1001 B > 1000 B)"


def test_size_limit_message_is_readable_in_megabytes(tmp_path):
    limits = Limits(max_file_bytes=512 * 1024)
    batch = read_bytes("big.txt", b"x" * (3 * 2**20), limits)
    assert batch.problems[0].reason == "file too large (3 MB > 512 KB)"


def test_zip_entry_count_limit():
    data = _zip({f"a{i}.txt": prose(f"park {i}").encode() for i in range(6)})
    batch = read_bytes("many.zip", data, Limits(max_zip_entries=5))
    assert not batch.articles
    assert [str(p) for p in batch.problems] == ["many.zip: zip has 6 entries (limit 5)"]
    assert len(read_bytes("many.zip", data, Limits(max_zip_entries=6)).articles) == 6


def test_zip_bomb_total_uncompressed_size_limit():
    data = _zip({f"b{i}.txt": b"a" * 400_000 for i in range(3)})  # 1.2 MB that compresses to a few KB
    assert len(data) < 10_000
    batch = read_bytes("bomb.zip", data, Limits(max_zip_bytes=2**20))
    assert not batch.articles
    assert [str(p) for p in batch.problems] == ["bomb.zip: zip would expand to 1.1 MB (limit 1 MB)"]


def test_zip_entry_over_the_file_limit_is_skipped_alone():
    data = _zip({"huge.txt": b"a" * 5000, "ok.txt": prose("kiosk").encode()})
    batch = read_bytes("z.zip", data, Limits(max_file_bytes=4000))
    assert [a.source for a in batch.articles] == ["z.zip/ok.txt"]
    assert [p.source for p in batch.problems] == ["z.zip/huge.txt"]


def test_nested_zips_share_the_outer_limits():
    inner = _zip({f"{i}.txt": prose(f"garden {i}").encode() for i in range(4)})
    outer = _zip({f"in{i}.zip": inner for i in range(4)})  # 4 + 16 entries in all
    batch = read_bytes("outer.zip", outer, Limits(max_zip_entries=10))
    assert not batch.articles
    assert [p.source for p in batch.problems] == ["outer.zip"]
    assert "zip bomb" in batch.problems[0].reason
    assert len(read_bytes("outer.zip", outer, Limits(max_zip_entries=20)).articles) == 16


def test_zip_entry_path_escaping_the_archive_is_skipped():
    data = _zip({"../evil.txt": prose("evil").encode(), "/etc/abs.txt": prose("abs").encode(),
                 "ok/fine.txt": prose("fine").encode()})
    batch = read_bytes("up.zip", data, LIMITS)
    assert [a.source for a in batch.articles] == ["up.zip/ok/fine.txt"]
    assert sorted(p.source for p in batch.problems) == ["up.zip/../evil.txt", "up.zip//etc/abs.txt"]
    assert all("escapes the archive" in p.reason for p in batch.problems)


def test_corrupt_zip_entry_is_a_problem_not_a_crash():
    good = prose("cinema").encode()
    data = bytearray(_zip({"a.txt": prose("theatre").encode() * 20, "b.txt": good}))
    start = data.index(b"a.txt") + len("a.txt")
    for i in range(start + 10, start + 40):  # flip bytes in a.txt's compressed data
        data[i] ^= 0xFF
    batch = read_bytes("bad.zip", bytes(data), LIMITS)
    assert [a.text for a in batch.articles] == [good.decode()]
    assert [p.source for p in batch.problems] == ["bad.zip/a.txt"]


def test_zip_entry_larger_than_its_header_says_is_caught():
    data = bytearray(_zip({"a.txt": prose("liar").encode() * 10, "b.txt": prose("honest").encode()}))
    central = data.index(b"PK\x01\x02")  # a.txt's central directory record: claim 100 bytes uncompressed
    struct.pack_into("<I", data, central + 24, 100)
    batch = read_bytes("liar.zip", bytes(data), LIMITS)
    assert [a.source for a in batch.articles] == ["liar.zip/b.txt"]
    assert [p.source for p in batch.problems] == ["liar.zip/a.txt"]


def test_too_many_files_in_a_batch(tmp_path):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(prose(f"pond {i}"))
    batch = read_paths([tmp_path], Limits(max_files=3))
    assert len(batch.articles) == 3
    assert len(batch.problems) == 1 and "more than 3 files" in batch.problems[0].reason


# --- a real export -------------------------------------------------------------------------------


def test_newswcl50_jsonl_loads_with_its_columns_mapped(home):
    from conftest import NEWSWCL50

    if not NEWSWCL50.exists():
        pytest.skip(f"NewsWCL50 corpus not found at {NEWSWCL50}")
    records = [json.loads(line) for line in NEWSWCL50.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = pipeline.ingest_paths(store.connect(home), "wcl", [NEWSWCL50])
    assert not report.problems
    assert report.added + len(report.duplicates) == len(records)
    df = store.articles(store.connect(home), "wcl")
    assert set(df.outlet) == {r["outlet"] for r in records}
    assert (df.outlet_src == "file").all() and (df.url_src == "file").all()
    assert (df.published_src == "file").all() and df.published.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert "event" in json.loads(df.extra.iloc[0])  # unmapped columns are kept
    assert len(store.sentences(store.connect(home), "wcl")) > 20 * len(df)


def test_a_file_named_through_a_parent_folder_loads_and_an_empty_folder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.txt").write_text("A title line\n\nThis body sentence is long enough to count as prose.\n")
    (tmp_path / "empty").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    batch = read_paths(["../data/a.txt", "../empty"])
    assert [a.key for a in batch.articles] == ["a.txt"]
    assert [(p.source, p.reason.split(" (")[0]) for p in batch.problems] == [("../empty", "no files to read")]


# --- hostile inputs ------------------------------------------------------------------------------

DEEP = ("[" * 100_000 + "]" * 100_000).encode()


def test_json_nested_100000_deep_is_a_problem_for_its_file_and_the_rest_loads(tmp_path):
    (tmp_path / "deep.json").write_bytes(DEEP)
    (tmp_path / "inside.json").write_bytes(b'[{"text": ' + b"[" * 900 + b'"x"' + b"]" * 900 + b"}]")
    (tmp_path / "ok.txt").write_text(prose("ferry"))
    batch = read_paths([tmp_path], LIMITS)
    assert [a.key for a in batch.articles] == ["ok.txt"]
    reasons = {Path(p.source).name: p.reason for p in batch.problems}
    assert reasons == {"deep.json": "JSON nested too deeply to read", "inside.json:1": "nested too deeply to read"}


def test_jsonl_line_nested_too_deeply_is_a_problem_for_that_line():
    lines = [json.dumps({"text": prose("one")}).encode(), DEEP, json.dumps({"text": prose("three")}).encode()]
    batch = read_bytes("feed.jsonl", b"\n".join(lines), LIMITS)
    assert [a.source for a in batch.articles] == ["feed.jsonl:1", "feed.jsonl:3"]
    assert [str(p) for p in batch.problems] == ["feed.jsonl:2: JSON nested too deeply to read"]


@pytest.mark.parametrize("error", [ValueError("a reader's bug"), KeyError("x"), RecursionError(), MemoryError()])
def test_any_error_while_reading_one_file_is_that_files_problem(tmp_path, monkeypatch, error):
    def broken(name, text):
        raise error

    monkeypatch.setattr("lib.ingest.dispatch.read_text", broken)
    (tmp_path / "a.txt").write_text(prose("kiln"))
    (tmp_path / "b.csv").write_text(f'text\n"{prose("mill", 1).strip()}"\n')
    batch = read_paths([tmp_path], LIMITS)
    assert [a.key for a in batch.articles] == ["b.csv:2"]
    assert [Path(p.source).name for p in batch.problems] == ["a.txt"]
    assert type(error).__name__ in batch.problems[0].reason


def test_nul_byte_in_utf8_is_removed_with_a_warning_not_read_as_utf16():
    text = "The mayor said the café would reopen.\x00 Work starts on Monday.\n"
    art = _only(batch := read_bytes("story.txt", text.encode(), LIMITS))
    assert art.text == text.replace("\x00", "")
    assert [str(w) for w in batch.warnings] == [
        "story.txt: 1 control character (NUL, escape and the like) removed from the text"]


def test_stray_control_characters_are_removed_and_counted_tabs_and_newlines_kept():
    text = "Bell\x07 and \x1b[31mred\x1b[0m text,\ttabbed\r\nand a form feed\f stay; \x0b\x08 go.\n"
    assert decode(text.encode()) == "Bell and [31mred[0m text,\ttabbed\r\nand a form feed\f stay;  go.\n"
    assert decode(FRENCH.encode("latin-1").replace(b"; ", b";\x00 ")) == FRENCH  # a stray NUL in 8-bit text
    batch = read_bytes("story.txt", text.encode(), LIMITS)
    assert batch.warnings[0].reason.startswith("5 control characters")


def test_control_characters_are_removed_as_the_pattern_removes_them_ascii_or_not():
    """``strip_controls`` tells a text without controls from its UTF-8 bytes: the same answer as the pattern, on
    random texts of every C0 character, DEL, letters, accented and astral letters and a lone surrogate."""
    from lib.ingest.encoding import CONTROLS, strip_controls

    rng = random.Random(5)
    alphabet = [chr(c) for c in range(0x20)] + ["\x7f", "a", "Z", " ", ".", "é", "\u0100", "😀", "\ud800"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        assert strip_controls(text) == CONTROLS.subn("", text), repr(text)
    assert strip_controls("tab\tnew\nfeed\fCR\r") == ("tab\tnew\nfeed\fCR\r", 0)


def test_escaped_control_characters_in_json_and_html_are_removed_and_counted():
    records = [{"text": "A story\u0000 about the \u001b[31mdam.", "source": "Dam\u0007 Daily"}]
    batch = read_bytes("dump.json", json.dumps(records).encode(), LIMITS)
    art = _only(batch)
    assert (art.text, art.given["outlet"]) == ("A story about the [31mdam.", "Dam Daily")
    assert batch.warnings[0].reason.startswith("3 control characters")
    page = HTML.replace("long-delayed", "long-&#27;[31mdelayed&#x0;").encode()
    batch = read_bytes("page.html", page, LIMITS)
    assert "long-[31mdelayed harbor" in _only(batch).text
    assert batch.warnings[0].reason.startswith("2 control characters")


@pytest.mark.parametrize("data", [
    ENGLISH.encode("utf-8") + b"\x00",  # a NUL at an odd offset
    b"\x00" + ENGLISH.encode("utf-8"),  # and at an even one
    ARABIC.encode("utf-8").replace(b" ", b" \x00", 2),
])
def test_a_few_nul_bytes_never_make_utf8_read_as_utf16(data):
    assert decode(data) == data.decode("utf-8").replace("\x00", "")


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_with_a_bom_decodes(encoding):
    bom = {"utf-32-le": "\ufeff", "utf-32-be": "\ufeff"}.get(encoding, "")
    data = (bom + ENGLISH + ARABIC).encode(encoding)
    assert data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
    assert decode(data) == ENGLISH + ARABIC
    assert _only(read_bytes("story.txt", data, LIMITS)).text == ENGLISH + ARABIC


def _gzip_of_zeros(path: Path, megabytes: int) -> None:
    """A gzip bomb: ``megabytes`` MB of NUL bytes, compressed a megabyte at a time (about 1,000 to 1)."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with path.open("wb") as out:
        for _ in range(megabytes):
            out.write(deflate.compress(bytes(2**20)))
        out.write(deflate.flush())


def test_gzip_bomb_is_refused_at_the_file_limit_without_expanding_it(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    _gzip_of_zeros(bomb, 200)
    assert bomb.stat().st_size < 300_000
    code = ("import json, resource, sys\nfrom lib.ingest import read_paths\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "batch = read_paths([sys.argv[1]])\n"
            "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(json.dumps([[str(p) for p in batch.problems], (after - before) / 1024]))\n")
    env = {**os.environ, "FRAMESCOPE_MAX_FILE_MB": "8"}
    done = subprocess.run([sys.executable, "-c", code, str(bomb)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    problems, grew_mb = json.loads(done.stdout)
    assert grew_mb < 60  # peak memory: about the 8 MB limit, not the 200 MB it would expand to
    assert problems == [f"{bomb}: file too large once uncompressed (over 8 MB)"]


def test_truncated_corrupt_and_multi_member_gzip():
    whole = gzip.compress(b"\n".join(json.dumps({"text": prose(f"pier {i}")}).encode() for i in range(50)))
    batch = read_bytes("feed.jsonl.gz", whole[: len(whole) // 2], LIMITS)
    assert not batch.articles
    assert [str(p) for p in batch.problems] == ["feed.jsonl.gz: truncated gzip file (it ends before its "
                                                "compressed data does)"]
    assert "not a readable gzip" in read_bytes("x.txt.gz", b"not gzip at all", LIMITS).problems[0].reason
    two = gzip.compress(prose("first").encode()) + gzip.compress(prose("second").encode())
    assert _only(read_bytes("two.txt.gz", two, LIMITS)).text == prose("first") + prose("second")


def test_gzip_inside_a_zip_is_held_to_the_file_limit():
    inner = gzip.compress(bytes(5000))
    data = _zip({"big.txt.gz": inner, "ok.txt": prose("kiosk").encode()})
    batch = read_bytes("z.zip", data, Limits(max_file_bytes=4000))
    assert [a.source for a in batch.articles] == ["z.zip/ok.txt"]
    assert [str(p) for p in batch.problems] == ["z.zip/big.txt.gz: file too large once uncompressed (over 3.9 KB)"]


READ_PATHS = ("import json, sys\nfrom lib.ingest import read_paths\nbatch = read_paths(sys.argv[1:])\n"
              "print(json.dumps([[a.source for a in batch.articles], [[p.source, p.reason] for p in batch.problems]]))")


def _read_paths_apart(*paths, cwd: Path) -> tuple[list, list]:
    """``read_paths`` in a child process with a timeout and a memory cap, so a regression (a FIFO that
    blocks, /dev/zero read to the end) fails this test instead of hanging or exhausting the suite."""
    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", READ_PATHS, *map(str, paths)], cwd=cwd, env=env, timeout=60,
                          capture_output=True, text=True, preexec_fn=cap_memory)
    assert done.returncode == 0, done.stderr[-2000:]
    articles, problems = json.loads(done.stdout)
    return articles, [tuple(p) for p in problems]


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="needs FIFOs and /dev/zero")
def test_fifos_and_devices_are_refused_before_they_are_opened(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "ok.txt").write_text(prose("canal"))
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.mkfifo(tmp_path / "alone.jsonl")
    articles, problems = _read_paths_apart("drop", "alone.jsonl", "/dev/zero", cwd=tmp_path)
    assert articles == ["drop/ok.txt"]
    assert problems == [("drop/pipe.txt", "not a regular file (a FIFO)"),
                        ("drop/zero.txt", "not a regular file (a character device)"),
                        ("alone.jsonl", "not a regular file (a FIFO)"),
                        ("/dev/zero", "not a regular file (a character device)")]


def test_broken_link_in_a_folder_is_reported(tmp_path):
    (tmp_path / "ok.txt").write_text(prose("weir"))
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    batch = read_paths([tmp_path], LIMITS)
    assert len(batch.articles) == 1
    assert [(Path(p.source).name, p.reason) for p in batch.problems] == [
        ("dangling.txt", "cannot read (No such file or directory)")]


def test_inputs_with_no_articles_in_a_folder_each_get_a_line(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "ok.txt").write_text(prose("lock"))
    (folder / "header.csv").write_text("title,text,outlet\n")
    (folder / "empty.json").write_text("[]")
    (folder / "blank.jsonl").write_text("\n  \n\n")
    (folder / "bom.jsonl").write_bytes(b"\xef\xbb\xbf\n\n")
    (folder / "hidden.zip").write_bytes(_zip({".secret.txt": b"x", "__MACOSX/._a.txt": b"y"}))
    batch = read_paths([folder], LIMITS)
    assert [a.source for a in batch.articles] == ["batch/ok.txt"]
    assert {p.source: p.reason for p in batch.problems} == {
        "batch/header.csv": "no articles in it (header only)",
        "batch/empty.json": "empty JSON array",
        "batch/blank.jsonl": "empty file",
        "batch/bom.jsonl": "no articles in it (only blank lines)",
        "batch/hidden.zip": "no files to read in it (hidden files are skipped)",
    }


def test_unsupported_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    (tmp_path / "film.mp4").write_bytes(b"\x00" * 100)
    monkeypatch.setattr("lib.ingest.paths.read_regular_file", lambda *a: pytest.fail("read an unsupported file"))
    batch = read_paths([tmp_path / "film.mp4"], LIMITS)
    assert [p.reason for p in batch.problems] == ["unsupported file type '.mp4'"]
