"""A stored corpus written as a partitioned Parquet dataset (``framescope dataset``, ``lib.service.dataset``): the
layout, its tables against the store's, hostile outlet names, fsspec locations, atomic rewrites, the page."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path

import pandas as pd
import pyarrow.dataset as pads
import pytest
from conftest import NEWSWCL50, SEEDS, csv_bytes, prose
from streamlit.testing.v1 import AppTest

from lib import cli, service, store
from lib.ingest import pipeline
from lib.service import dataset
from lib.store import dataset as parquet
from lib.store.location import DatasetError, resolve

PAGE = Path(__file__).resolve().parents[1] / "pages" / "7_Dataset.py"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # and its flags: as tests/test_browser.py launches it
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE = ["../x", "a/b", "=", "ünïcødé ☃ 新闻", "..", "%2F..", "n" * 300, "m" * 300]


def stored(home: Path, name: str, paths: list[Path]) -> store.Connection:
    conn = store.connect(home)
    pipeline.ingest_paths(conn, name, paths)
    return conn


@pytest.fixture
def demo(home: Path) -> store.Connection:
    return stored(home, "demo", [SEEDS])


def test_the_demo_dataset_has_the_layout_and_round_trips(demo, home):
    written = dataset.write(demo, "demo")
    root = home / "datasets" / "demo"
    assert written.loc.path == root.as_posix() and (root / "manifest.json").is_file()
    assert {p.name for p in (root / "aggregates").iterdir()} == {f"{n}.parquet" for n in
                                                                 ("coverage", "outlets", "terms", "units", "vocabulary",
                                                                  "stories", "reuse", "index")}
    files = sorted(p.relative_to(root / "articles").as_posix() for p in (root / "articles").rglob("*.parquet"))
    assert "month=2020-08/outlet=UrduPoint/part-0.parquet" in files
    assert any(f.startswith("month=undated/") for f in files)
    manifest = dataset.open_dataset(root).manifest
    at = store.version(demo, "demo")
    assert (manifest["corpus"], manifest["generation"], manifest["revision"]) == ("demo", at.generation, at.revision)
    assert manifest["counts"]["articles"] == 5 and manifest["vocabulary"]["min_df"] == 1
    listed = store.list_corpora(demo).set_index("name").loc["demo"]  # as framescope list counts them
    assert manifest["counts"]["outlets"] == listed["outlets"] == 3  # the article with no outlet is not one
    # every reader of hive partitioning sees the articles: their texts and per-article results are the store's
    table = pads.dataset(root / "articles", format="parquet", partitioning="hive").to_table().to_pandas()
    texts = store.texts(demo, "demo").set_index("id")["text"]
    assert table.set_index("id")["text"].sort_index().equals(texts.sort_index())
    stats = service.stats(demo, "demo").set_index("id")
    assert (table.set_index("id")["story"].sort_index() == stats["story"].sort_index()).all()
    assert set(table["outlet_name"]) == set(stats["outlet"])
    assert {"url", "byline", "published", "retrieved", "source_file", "words", "copy_of"} <= set(table.columns)


def _same_tables(conn: store.Connection, name: str, where: str) -> None:
    opened = dataset.open_dataset(where)
    index = dataset.article_index(opened)
    named = service.tables(conn, name)
    pd.testing.assert_frame_equal(dataset.aggregate(opened, "outlets"), named["coverage"](), check_dtype=False)
    for kind in ("outlet", "story"):
        g = dataset.grouped(opened, kind)
        by_kind = service.tables(conn, name, by=kind, group=kind)
        pd.testing.assert_frame_equal(dataset.unit_table(index, g, kind, 25), by_kind["keywords"](),
                                      check_dtype=False)
        pd.testing.assert_frame_equal(dataset.unit_table(index, g, kind, 25, distinctive=True),
                                      by_kind["distinctive"](), check_dtype=False)
        for distinctive, column, table in ((False, "unit", by_kind["keywords"]()),
                                           (True, kind, by_kind["distinctive"]())):
            for unit in table[column].unique()[:3]:  # one unit's rows, ranked alone: the same as in the whole table
                pd.testing.assert_frame_equal(dataset.unit_table(index, g, kind, 25, distinctive, unit),
                                              table[table[column] == unit].reset_index(drop=True), check_dtype=False)
    stats = service.stats(conn, name)
    daily = service.timeline(stats, "UTC", "day")[0].drop(columns="offsets")
    ours = dataset.coverage_by_day(dataset.aggregate(opened, "coverage")).drop(columns="offsets")
    pd.testing.assert_frame_equal(ours.sort_values(["outlet", "bin"]).reset_index(drop=True),
                                  daily.sort_values(["outlet", "bin"]).reset_index(drop=True), check_dtype=False)
    reuse = service.reuse_pairs(conn, name)
    pd.testing.assert_frame_equal(dataset.aggregate(opened, "reuse"), reuse, check_dtype=False)


def test_the_demo_datasets_tables_are_the_stores(demo, home):
    dataset.write(demo, "demo")
    _same_tables(demo, "demo", dataset.default_location("demo"))


@pytest.mark.slow
@pytest.mark.skipif(not NEWSWCL50.exists(), reason=f"NewsWCL50 not found at {NEWSWCL50}")
def test_the_newswcl50_datasets_tables_are_the_stores(home):
    conn = stored(home, "newswcl50", [NEWSWCL50])
    dataset.write(conn, "newswcl50")
    _same_tables(conn, "newswcl50", dataset.default_location("newswcl50"))
    opened = dataset.open_dataset(dataset.default_location("newswcl50"))
    story = int(dataset.aggregate(opened, "stories")["story"].iloc[0])
    assert dataset.coverage_by_day(dataset.aggregate(opened, "coverage"), story=story)["articles"].sum() == 5


def test_a_filter_by_month_outlet_and_story_narrows_the_coverage():
    cov = pd.DataFrame({"day": pd.to_datetime(["2020-01-01", "2020-01-01", "2020-02-03", None]),
                        "month": ["2020-01", "2020-01", "2020-02", "undated"], "outlet": ["A", "B", "A", "A"],
                        "story": [1, 2, 1, 1], "articles": [2, 1, 4, 3], "words": [10, 5, 20, 15],
                        "first": pd.to_datetime(["2020-01-01 10:00", "2020-01-01 09:00", "2020-02-03 08:00", None])})
    assert dataset.coverage_by_day(cov)["articles"].sum() == 7  # undated left out
    assert dataset.coverage_by_day(cov, months=["2020-02"])["articles"].tolist() == [4]
    assert dataset.coverage_by_day(cov, outlets=["B"])["articles"].tolist() == [1]
    assert dataset.coverage_by_day(cov, story=1)["articles"].tolist() == [2, 4]


def test_hostile_outlet_names_stay_inside_the_dataset(home, tmp_path):
    rows = [{"text": prose(f"harbour wall number {i}"), "outlet": o, "published": f"2024-0{1 + i % 2}-1{i}"}
            for i, o in enumerate(HOSTILE)]
    (tmp_path / "hostile.csv").write_bytes(csv_bytes(rows))
    conn = stored(home, "hostile", [tmp_path / "hostile.csv"])
    where = tmp_path / "out" / "hostile"
    dataset.write(conn, "hostile", str(where))
    inside = [p.resolve() for p in (tmp_path / "out").rglob("*")]
    assert all(p.is_relative_to(where.resolve()) for p in inside)
    folders = [p for p in (where / "articles").glob("month=*/outlet=*") if p.is_dir()]
    assert len(folders) == len(HOSTILE)
    assert all(len(p.name.encode()) <= 255 and "/" not in p.name for p in folders)
    opened = dataset.open_dataset(where)
    index = dataset.article_index(opened)
    assert sorted(index["outlet"]) == sorted(HOSTILE)  # the full names, the long ones too
    assert index["key"].nunique() == len(HOSTILE)  # two long names with one prefix stay apart
    for _, row in index.iterrows():
        found = dataset.article_text(opened, index, int(row["id"]))
        assert found["outlet_name"] == row["outlet"] and "harbour wall" in found["text"]


def test_an_article_is_read_from_its_one_partition(demo, home, monkeypatch):
    dataset.write(demo, "demo")
    opened = dataset.open_dataset(dataset.default_location("demo"))
    index = dataset.article_index(opened)
    row = index[index["outlet"] == "UrduPoint"].iloc[0]
    read = []
    real = parquet.pq.read_table
    monkeypatch.setattr(parquet.pq, "read_table", lambda path, **kw: read.append(path) or real(path, **kw))
    found = dataset.article_text(opened, index, int(row["id"]))
    assert read == [parquet.partition_folder(opened, row["month"], row["key"])]
    assert read[0].endswith("month=2020-08/outlet=UrduPoint") and len(list(Path(read[0]).iterdir())) == 1
    assert found["text"] == store.texts(demo, "demo", [int(row["id"])])["text"].iloc[0]
    assert dataset.article_text(opened, index, 10_000) is None


def test_a_memory_location_works_through_fsspec(demo):
    pytest.importorskip("fsspec", reason='fsspec comes with the scale extra: pip install -e ".[scale]"')
    where = f"memory://framescope-{uuid.uuid4().hex}/demo"
    dataset.write(demo, "demo", where)
    opened = dataset.open_dataset(where)
    assert not opened.loc.local and opened.manifest["counts"]["articles"] == 5
    index = dataset.article_index(opened)
    assert dataset.article_text(opened, index, int(index["id"].iloc[0]))["text"]
    assert dataset.unit_table(index, dataset.grouped(opened, "outlet"), "outlet", 5)["unit"].nunique() == 4
    dataset.write(demo, "demo", where)  # a rewrite replaces it
    import fsspec

    fs = fsspec.filesystem("memory")
    assert [p for p in fs.ls(where.removeprefix("memory://").rsplit("/", 1)[0]) if ".tmp-" in p] == []


def test_a_failed_rewrite_leaves_the_old_dataset(demo, home, tmp_path):
    where = tmp_path / "sets" / "demo"
    first = dataset.write(demo, "demo", str(where)).manifest
    before = {p.relative_to(where): p.read_bytes() for p in where.rglob("*") if p.is_file()}

    def crash() -> None:
        assert any(p.name.startswith(".demo.tmp-") for p in where.parent.iterdir())  # the new one is written aside
        raise OSError("disk full")

    pipeline.ingest_paths(demo, "demo", [SEEDS], replace=True)  # a new revision to write
    with pytest.raises(OSError, match="disk full"):
        dataset.write(demo, "demo", str(where), before_swap=crash)
    assert {p.relative_to(where): p.read_bytes() for p in where.rglob("*") if p.is_file()} == before
    assert [p.name for p in where.parent.iterdir()] == ["demo"]  # no half dataset beside it
    again = dataset.write(demo, "demo", str(where)).manifest
    assert again["revision"] > first["revision"] and dataset.open_dataset(where).manifest == again


def test_no_dataset_and_a_url_without_fsspec_are_one_line_errors(demo, home, monkeypatch, capsys):
    with pytest.raises(DatasetError, match="no dataset"):
        dataset.open_dataset(home / "nothing")
    monkeypatch.setitem(sys.modules, "fsspec", None)
    monkeypatch.setitem(sys.modules, "fsspec.core", None)
    with pytest.raises(DatasetError, match="needs fsspec"):
        resolve("s3://bucket/x")
    assert cli.main(["dataset", "demo", "--to", "s3://bucket/x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install" in err[0]
    assert resolve("file:///tmp/x").local and resolve("/tmp/x").path == "/tmp/x"


def test_the_command_writes_the_dataset_the_dashboard_lists(demo, home, monkeypatch, capsys):
    assert cli.main(["dataset", "demo"]) == 0
    out = capsys.readouterr().out
    assert "5 articles in 5 partitions" in out and ", 1 story, " in out
    monkeypatch.setenv(dataset.SETTING, " memory://elsewhere/x , ")
    assert dataset.locations() == {"demo": str(home / "datasets" / "demo"), "memory://elsewhere/x":
                                   "memory://elsewhere/x"}
    assert cli.main(["dataset", "nosuch"]) == 2


def test_the_page_shows_the_chart_tables_and_an_articles_text(demo, home):
    dataset.write(demo, "demo")
    at = AppTest.from_file(str(PAGE), default_timeout=90).run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.get("vega_lite_chart")) == 1  # coverage by day
    assert any(c.value.endswith(": 5 articles, 3 outlets, 1 story.") for c in at.caption)  # the demo is one story
    shown = {tuple(d.value.columns)[:3] for d in at.dataframe}
    assert ("unit", "rank", "term") in shown and ("outlet", "rank", "term") in shown
    assert ("story", "articles", "outlets") in shown
    texts = store.texts(demo, "demo").set_index("id")["text"]
    assert at.code[0].language == "plaintext" and at.code[0].value in set(texts)  # text, never Markdown
    assert not any(at.code[0].value[:40] in m.value for m in at.markdown)
    article = next(s for s in at.selectbox if s.key.startswith("ds_article"))
    first = dataset.open_dataset(dataset.default_location("demo")).manifest["outlet_order"][0]  # the unit shown
    arts = store.texts(demo, "demo")
    ids = arts.loc[arts["outlet"] == first, "id"].tolist()
    assert len(article.options) == len(ids) == 2
    for value in ids:
        article.set_value(str(value)).run()
        assert not at.exception and at.code[0].value == texts[value]
        article = next(s for s in at.selectbox if s.key.startswith("ds_article"))
    at.segmented_control(key="ds_by").set_value("story").run()
    assert not at.exception and len(at.get("vega_lite_chart")) == 1
    story = next(d.value for d in at.dataframe if d.value.columns[0] == "story" and "rank" in d.value.columns)
    assert (story["story"] == 1).all()


def test_the_page_without_a_dataset_says_how_to_make_one(home):
    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert not at.exception and "framescope dataset" in at.info[0].value


@pytest.mark.slow
def test_on_a_cluster_the_dataset_is_the_same(demo, home, local_cluster, tmp_path):
    here, there = tmp_path / "here", tmp_path / "there"
    dataset.write(demo, "demo", str(here))
    dataset.write(demo, "demo", str(there), client=local_cluster)
    a, b = dataset.open_dataset(here), dataset.open_dataset(there)
    for name in ("coverage", "outlets", "terms", "units", "vocabulary", "stories", "reuse", "index"):
        pd.testing.assert_frame_equal(dataset.aggregate(a, name), dataset.aggregate(b, name))
    assert os.path.exists(there / "articles")


@pytest.mark.browser
def test_in_the_browser_an_article_picked_shows_its_text(demo, home):
    """The page in chromium (driven as tests/test_browser.py drives it): open an outlet, pick its article in the
    picker, read its text."""
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e .[dev]")
    from lib.serve import start

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    dataset.write(demo, "demo")
    texts = store.texts(demo, "demo")
    wanted = texts.loc[texts["outlet"] == "UrduPoint", "text"].iloc[0]
    proc, url = start(home)
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 2400})
            page.goto(f"{url}/Dataset?ds_unit=UrduPoint")
            page.get_by_role("heading", name="Articles").wait_for(timeout=120_000)
            page.get_by_role("combobox", name="Article").click()
            page.get_by_role("option").filter(has_text="UrduPoint").first.click()
            code = page.get_by_test_id("stCode").first
            playwright.expect(code).to_contain_text(" ".join(wanted.split()[:8]), timeout=60_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.get_by_test_id("stVegaLiteChart").count() == 1
            page.screenshot(path=str(home / "dataset.png"))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
