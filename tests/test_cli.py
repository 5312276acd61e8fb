"""The ``framescope`` command: the seeds end to end, exit codes, show formats, help, safe CSV."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import MIXED_ENV, REPO, prose

from lib import service, store
from lib.cli import main
from lib.views import export

COMMANDS = ("ingest", "list", "show", "analyze", "delete", "run")


def command() -> list[str]:
    """The installed ``framescope`` script next to this Python, else the module."""
    script = Path(sys.executable).parent / "framescope"
    return [str(script)] if script.exists() else [sys.executable, "-m", "lib.cli"]


def run(args: list[str], home: Path, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "FRAMESCOPE_HOME": str(home)}
    return subprocess.run([*command(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def show(capsys, *args: str) -> pd.DataFrame:
    capsys.readouterr()
    assert main(["show", *args, "--format", "jsonl"]) == 0
    return pd.read_json(io.StringIO(capsys.readouterr().out), lines=True, dtype=False)


def by_prefix(df: pd.DataFrame) -> dict[str, pd.Series]:
    return {Path(row.source_file).name[:3]: row for row in df.itertuples()}


# --- the demo seeds ------------------------------------------------------------------------------


@pytest.fixture
def demo(home, seeds, capsys, monkeypatch):
    monkeypatch.chdir(seeds.parent)
    assert main(["ingest", "seeds", "--corpus", "demo"]) == 0
    out = capsys.readouterr()
    assert "demo: 5 articles added (revision 1); 0 duplicates; 0 failed" in out.out
    return home


def test_demo_shows_five_articles_with_the_manifest_metadata(demo, capsys):
    df = show(capsys, "demo")
    assert len(df) == 5
    rows = by_prefix(df)
    expected = {
        "000": ("Iran Press", "Iran's Def. Min. departs for Russia", "2020-08-22T12:58:00Z", "+04:30"),
        "001": ("UrduPoint", "Iran-Russia Military Cooperation Grows Constantly - Ambassador",
                "2020-08-22T11:50:00Z", "+05:00"),
        "002": ("Iran Press", "New chapter in Iran-Russia defense cooperation begins", "", ""),
        "003": ("", "Defense Minister Hatami in Moscow", "", ""),
        "004": ("Al-Masdar News", "", "2020-08-25", ""),
    }
    for prefix, (outlet, title, published, offset) in expected.items():
        row = rows[prefix]
        assert (row.outlet, row.title, row.published, row.published_offset) == (outlet, title, published, offset)
        assert row.outlet_src == ("manifest" if outlet else "missing")
        assert row.published_src == ("manifest" if published else "missing")
        assert row.language == "en"
    assert (rows["001"].byline, rows["001"].byline_src) == ("Umer Jamshaid", "manifest")
    assert (rows["004"].dateline, rows["004"].dateline_src) == ("BEIRUT, LEBANON", "inferred")
    # the repost's doubled body counts once
    assert rows["003"].words < 0.55 * len(Path(REPO, rows["003"].source_file).read_text().split())


def test_demo_csv_and_list(demo, capsys):
    assert main(["show", "demo"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert len(df) == 5 and set(df.outlet) == {"Iran Press", "UrduPoint", "Al-Masdar News", ""}
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "demo" in out and "2020-08-25" in out


def test_show_sentences_and_removed_tables(demo, capsys):
    sentences = show(capsys, "demo", "--table", "sentences")
    assert set(sentences.article_id) == {0, 1, 2, 3, 4}
    assert (sentences.text.str.len() > 0).all()
    assert "Gen. Hatami is going to visit the 6th edition of the International Military-Technical Forum " \
           "called Army-2020." in set(sentences.text)
    for _, sentence in sentences.iterrows():  # offsets index the article's cleaned text
        assert sentence.end - sentence.start == len(sentence.text)

    spans = show(capsys, "demo", "--table", "removed")
    assert {"article_id", "source_file", "start", "end", "kind", "restored", "text"} <= set(spans.columns)
    files = spans.source_file.str.slice(6, 9)
    assert (spans[files == "003"].kind == "repeated paragraph").sum() >= 15
    urdu = spans[files == "001"]
    for heading in ("Related Topics", "Recent Stories"):
        assert (urdu.text == heading).any()
    assert urdu.text.str.contains("©").any()
    assert not (spans[files == "004"].text.str.contains("Sources")).any()


def test_show_parquet_keeps_every_table_with_its_types(demo, tmp_path, capsys):
    import pandas as pd

    for table, rows in (("articles", 5), ("sentences", None), ("removed", None)):
        out = tmp_path / f"{table}.parquet"
        assert main(["show", "demo", "--table", table, "--format", "parquet", "--out", str(out)]) == 0
        df = pd.read_parquet(out)
        assert len(df) == (rows or len(df)) and len(df) > 0
    sentences = pd.read_parquet(tmp_path / "sentences.parquet")
    assert pd.api.types.is_integer_dtype(sentences["article_id"])  # a number, not text as in CSV
    assert main(["show", "demo", "--format", "parquet"]) == 2  # binary: a file is needed
    assert "needs --out" in capsys.readouterr().err


def test_show_jsonl_to_a_file(demo, tmp_path, capsys):
    out = tmp_path / "demo.jsonl"
    assert main(["show", "demo", "--format", "jsonl", "--out", str(out), "--text"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "wrote 5 rows" in captured.err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5
    assert rows[0]["outlet"] == "Iran Press" and rows[0]["published_offset"] == "+04:30"  # JSON is not neutralised
    assert all(r["text"] and r["raw_text"] for r in rows)
    assert all("Related Topics" not in r["text"] for r in rows)


def test_seeds_one_by_one_get_inferred_metadata(home, seeds, capsys):
    files = sorted(str(p) for p in seeds.glob("*.txt"))
    assert main(["ingest", *files, "--corpus", "raw"]) == 0  # no manifest applies
    rows = by_prefix(show(capsys, "raw"))
    assert len(rows) == 5

    def field(prefix, name):
        row = rows[prefix]
        return getattr(row, name), getattr(row, name + "_src")

    assert field("000", "outlet") == ("Iran Press", "inferred")
    assert field("000", "published") == ("2020-08-22T12:58:00Z", "inferred")
    assert rows["000"].published_offset == "+04:30"
    assert field("001", "byline") == ("Umer Jamshaid", "inferred")
    assert field("001", "dateline") == ("MOSCOW", "inferred")
    assert field("001", "published") == ("2020-08-22T16:50:00", "inferred")  # wall time: no zone in the text
    assert field("002", "outlet") == ("Iran Press", "inferred")
    assert field("002", "published") == ("", "missing")
    assert field("003", "outlet") == ("", "missing")
    assert field("003", "published") == ("", "missing")
    assert field("004", "published") == ("2020-08-25", "inferred")
    assert field("004", "outlet") == ("", "missing")
    assert field("004", "title") == ("", "missing")
    for row in rows.values():  # nothing claims to come from a manifest or the user
        sources = {row.outlet_src, row.title_src, row.published_src, row.url_src, row.byline_src}
        assert sources <= {"inferred", "missing"}


def test_manifest_flag(home, seeds, capsys):
    files = sorted(str(p) for p in seeds.glob("*.txt"))
    assert main(["ingest", *files, "--corpus", "m", "--manifest", str(seeds / "manifest.csv")]) == 0
    rows = by_prefix(show(capsys, "m"))
    assert (rows["001"].outlet, rows["001"].outlet_src) == ("UrduPoint", "manifest")
    assert (rows["001"].published, rows["001"].published_offset) == ("2020-08-22T11:50:00Z", "+05:00")
    assert (rows["003"].outlet, rows["003"].outlet_src) == ("", "missing")


def test_ingest_again_reports_duplicates_and_replace(demo, seeds, capsys):
    assert main(["ingest", "seeds", "--corpus", "demo"]) == 0
    captured = capsys.readouterr()
    assert "0 articles added" in captured.out and "5 duplicates" in captured.out
    assert captured.err.count("duplicate:") == 5
    assert main(["ingest", str(seeds / "004_2ce101c8010756d4.txt"), "--corpus", "demo", "--replace"]) == 0
    assert "demo: 1 article added (revision 3); 0 duplicates; 0 failed" in capsys.readouterr().out
    assert len(show(capsys, "demo")) == 1
    assert main(["ingest", str(seeds / "004_2ce101c8010756d4.txt"), "--corpus", "demo"]) == 0
    assert re.search(r"demo: 0 articles added \(revision \d+\); 1 duplicate; 0 failed", capsys.readouterr().out)


# --- exit codes ----------------------------------------------------------------------------------


def test_exit_1_when_some_inputs_fail_and_the_rest_is_stored(home, mixed, capsys, monkeypatch):
    for key, value in MIXED_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(mixed.folder.parent)
    assert main(["ingest", "batch", "--corpus", "mixed"]) == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(mixed.bad)
    for source in mixed.bad:
        assert sum(line.startswith(f"error: {source}: ") for line in errors) == 1, source
    assert f"mixed: {len(mixed.good_sources)} articles added (revision 1)" in captured.out
    assert set(show(capsys, "mixed").source_file) == mixed.good_sources


def test_exit_1_when_nothing_could_be_read(home, tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nowhere"), "--corpus", "x"]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["list"]) == 0
    assert "x" not in capsys.readouterr().out.split()  # nothing stored, no empty corpus created


def test_exit_2_for_usage_errors(home, capsys):
    assert main(["show", "nope"]) == 2
    assert "no corpus named 'nope'" in capsys.readouterr().err
    assert main(["delete", "nope"]) == 2
    for argv in (["ingest", "seeds"], ["show"], ["frobnicate"], [], ["show", "x", "--table", "words"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2, argv


def test_delete(demo, capsys):
    assert main(["delete", "demo"]) == 0
    assert "deleted demo" in capsys.readouterr().out
    assert main(["show", "demo"]) == 2


@pytest.mark.slow
def test_subprocess_ingest_show_and_exit_codes(home, seeds):
    done = run(["ingest", "seeds", "--corpus", "demo"], home, cwd=seeds.parent)
    assert done.returncode == 0, done.stderr
    assert "5 articles added" in done.stdout
    shown = run(["show", "demo"], home)
    assert shown.returncode == 0
    df = pd.read_csv(io.StringIO(shown.stdout), keep_default_na=False)
    assert sorted(df.outlet) == ["", "Al-Masdar News", "Iran Press", "Iran Press", "UrduPoint"]
    assert "2020-08-22T12:58:00Z" in set(df.published)
    assert run(["show", "nope"], home).returncode == 2
    missing = run(["ingest", "seeds"], home)
    assert missing.returncode == 2 and "--corpus" in missing.stderr


def test_help_mentions_every_command():
    done = subprocess.run([*command(), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for name in COMMANDS:
        assert name in done.stdout
    assert "FRAMESCOPE_HOME" in done.stdout and "manifest.csv" in done.stdout
    ingest = subprocess.run([*command(), "ingest", "--help"], capture_output=True, text=True, timeout=60)
    for flag in ("--corpus", "--manifest", "--replace", "--text-col", "--outlet-col"):
        assert flag in ingest.stdout
    show_help = subprocess.run([*command(), "show", "--help"], capture_output=True, text=True, timeout=60)
    for flag in ("--table", "--format", "--out", "sentences", "removed", "jsonl"):
        assert flag in show_help.stdout


# --- safe CSV ------------------------------------------------------------------------------------


def test_csv_export_neutralises_formulas():
    df = pd.DataFrame({"title": ["=HYPERLINK(\"http://x\")", "+1 (555) 0100", "-2+3", "@SUM(A1)", "plain",
                                 "\tTAB", None], "n": [1, -2, 3, 4, 5, 6, 7]})
    back = pd.read_csv(io.StringIO(export.to_csv(df)), keep_default_na=False)
    assert list(back.title) == ["'=HYPERLINK(\"http://x\")", "'+1 (555) 0100", "'-2+3", "'@SUM(A1)", "plain",
                                "'\tTAB", ""]
    assert list(back.n) == [1, -2, 3, 4, 5, 6, 7]  # numbers are not formulas
    assert df.title.iloc[0] == "=HYPERLINK(\"http://x\")"  # the input frame is not changed
    matrix = pd.DataFrame({"story": [1], "=HYPERLINK(\"http://x\")": [2]})  # an outlet name as a column
    assert export.to_csv(matrix).splitlines()[0] == 'story,"\'=HYPERLINK(""http://x"")"'


def test_cli_csv_of_hostile_metadata_is_neutralised(home, tmp_path, capsys):
    (tmp_path / "evil.csv").write_text(
        'title,text,source\n"=cmd|\' /C calc\'!A0","' + prose("harbour", 1).strip() + '",@evil\n', encoding="utf-8")
    assert main(["ingest", str(tmp_path / "evil.csv"), "--corpus", "evil"]) == 0
    capsys.readouterr()
    assert main(["show", "evil"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert df.title.iloc[0] == "'=cmd|' /C calc'!A0" and df.outlet.iloc[0] == "'@evil"
    assert show(capsys, "evil").title.iloc[0] == "=cmd|' /C calc'!A0"  # JSON keeps the value as it is


def analyze(capsys, *args: str) -> pd.DataFrame:
    capsys.readouterr()
    assert main(["analyze", *args, "--format", "json"]) == 0
    return pd.read_json(io.StringIO(capsys.readouterr().out), dtype=False)


def test_analyze_prints_the_coverage_tables(demo, capsys):
    table = analyze(capsys, "demo", "coverage")
    assert table["articles"].sum() == 5 and len(table) == 4
    first = analyze(capsys, "demo", "first", "--tz", "Asia/Tehran")
    assert list(first["outlet"][:2]) == ["UrduPoint", "Iran Press"]
    assert first["shown"][1].startswith("2020-08-22T17:28")
    stories = analyze(capsys, "demo", "stories")
    assert list(stories["articles"]) == [5]
    assert len(analyze(capsys, "demo", "coverage", "--story", "1")) == 4
    capsys.readouterr()
    assert main(["analyze", "demo", "stories"]) == 0
    assert capsys.readouterr().out.startswith("story,articles,outlets,first,last,terms,headline")


def test_analyze_unknown_corpus_is_a_usage_error(home, capsys):
    assert main(["analyze", "nope", "coverage"]) == 2
    assert "nope" in capsys.readouterr().err


def test_analyze_keywords_distinctive_and_kwic(demo, capsys):
    kw = analyze(capsys, "demo", "keywords", "--top", "5")
    assert set(kw["unit"]) == {"Iran Press", "UrduPoint", "Al-Masdar News", "(no outlet)"}
    assert (kw.groupby("unit").size() == 5).all()
    assert set(analyze(capsys, "demo", "keywords", "--by", "story", "--top", "3")["unit"]) == {1}
    unigrams = analyze(capsys, "demo", "distinctive", "--ngram", "1", "--top", "10")
    assert not unigrams["term"].str.contains(" ").any() and {"z", "count", "others", "tokens"} <= set(unigrams)
    hits = analyze(capsys, "demo", "kwic", "Security", "Council")
    assert len(hits) >= 3 and set(hits["match"].str.lower()) == {"security council"}
    assert main(["analyze", "demo", "kwic"]) == 2
    assert main(["analyze", "demo", "keywords", "--ngram", "x"]) == 2


def test_kwic_reads_the_newest_articles_first_and_stops_at_its_limit(demo):
    conn = store.connect(demo)
    scoped = service.stats(conn, "demo")
    matrix = service.term_matrix(conn, "demo", service.vocabulary(conn, "demo"))
    every, articles = service.kwic(conn, "demo", scoped, "Hatami", matrix)
    assert articles == 5 and len(every) > 10 and every["match"].eq("Hatami").all()
    assert list(every["published"]) == sorted(every["published"], reverse=True)  # newest article first
    first, _ = service.kwic(conn, "demo", scoped, "Hatami", limit=3)
    assert first.equals(every.head(3))
    phrase, fewer = service.kwic(conn, "demo", scoped, "International Army Games", matrix)  # not a term: its words
    searched, more = service.kwic(conn, "demo", scoped, "International Army Games")
    assert len(phrase) > 0 and phrase.equals(searched) and fewer < more  # only articles with all three
    either, _ = service.kwic(conn, "demo", scoped, "Iran's")  # any apostrophe, found in the texts
    assert set(either["match"]) == {"Iran's", "Iran’s"}


def test_run_passes_streamlit_options_through(monkeypatch):
    calls = []
    monkeypatch.setattr("lib.serve.call", lambda cmd, cwd=None: calls.append(cmd) or 0)
    assert main(["run", "--server.port", "8999", "--server.headless", "true"]) == 0
    assert calls[0][-4:] == ["--server.port", "8999", "--server.headless", "true"]
    with pytest.raises(SystemExit):
        main(["list", "--server.port", "1"])  # other commands still refuse unknown options


def test_run_passes_a_stop_signal_on_to_the_server(tmp_path):
    """A service manager or a container stops ``framescope run`` with SIGTERM: the server it started stops too."""
    child = ("import pathlib, signal, sys, time\n"
             "def stop(*_):\n"
             "    pathlib.Path(sys.argv[1]).write_text('stopped')\n"
             "    sys.exit(3)\n"
             "signal.signal(signal.SIGTERM, stop)\n"
             "pathlib.Path(sys.argv[2]).write_text('up')\n"
             "time.sleep(60)\n")
    stopped, up = tmp_path / "stopped", tmp_path / "up"
    run = "import sys; from lib import serve; sys.exit(serve.call(sys.argv[1:]))"
    parent = subprocess.Popen([sys.executable, "-c", run, sys.executable, "-c", child, str(stopped), str(up)],
                              cwd=REPO)
    for _ in range(200):
        if up.exists():
            break
        time.sleep(0.05)
    parent.terminate()
    assert parent.wait(timeout=20) == 3  # the server's own exit status
    assert stopped.read_text() == "stopped"


# --- hostile names -------------------------------------------------------------------------------


def test_ingest_prints_names_and_reasons_from_input_with_control_characters_escaped(home, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\x1b[31m\r\x07.txt").write_bytes(bytes(range(256)) * 4)  # binary: an error line
    (folder / "keys.json").write_text(json.dumps([{"story": prose("quay"), "si\u001bte\u0007": "x"}]))
    (folder / "nul\u202e.txt").write_text(prose("dock") + "\x00\n")  # loads, with a warning line
    assert main(["ingest", str(folder), "--corpus", "esc", "--text-col", "body"]) == 1
    captured = capsys.readouterr()
    assert not set("\x1b\r\x07\u202e") & set(captured.err + captured.out)
    lines = captured.err.splitlines()
    assert f"error: {folder.name}/evil\\x1b[31m\\r\\x07.txt: binary file or unknown encoding" in lines
    assert f"error: {folder.name}/keys.json: no column 'body' for text (columns: story, si\\x1bte\\x07)" in lines
    assert (f"warning: {folder.name}/nul\\u202e.txt: 1 control character (NUL, escape and the like) removed "
            "from the text") in lines
    assert "esc: 1 article added (revision 1)" in captured.out
    assert "\x00" not in show(capsys, "esc", "--text").text.iloc[0]


def test_printable_escapes_what_drives_a_terminal_and_keeps_the_rest():
    from lib.cli import printable

    assert printable("a\x1b[2J\r\n\t\x07\x9b\u2028\u202eb") == "a\\x1b[2J\\r\\n\\t\\x07\\x9b\\u2028\\u202eb"
    assert printable("Café – 中文 ‌زبان") == "Café – 中文 ‌زبان"
