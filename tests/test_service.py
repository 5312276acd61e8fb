"""The one composer: ``framescope analyze`` and the pages show the same table for the same parameters."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEEDS
from streamlit.testing.v1 import AppTest

from lib import service, store
from lib.cli import main
from lib.ingest import pipeline
from lib.views import export

PAGES = Path(__file__).resolve().parents[1] / "pages"


def corpus(home: Path, tmp_path: Path) -> None:
    """The demo with two republications of one of its articles (pairs across and within an outlet, copies)."""
    original = (SEEDS / "004_2ce101c8010756d4.txt").read_text(encoding="utf-8").split("\n\n")
    (tmp_path / "copy.txt").write_text("\n\n".join(original), encoding="utf-8")
    (tmp_path / "cut.txt").write_text("\n\n".join(original[:-2] + [
        "Analysts in the region said the purchases would take years to complete, and that the financing had not "
        "been announced."]), encoding="utf-8")
    pipeline.ingest_paths(store.connect(home), "demo", [SEEDS, tmp_path / "copy.txt", tmp_path / "cut.txt"])


def as_csv(df: pd.DataFrame) -> pd.DataFrame:
    """A table as its CSV download reads back: what the analyst gets from either side."""
    return pd.read_csv(io.StringIO(export.to_csv(df)), dtype=str, keep_default_na=False)


def shown(page: str, params: dict[str, str], column: str) -> pd.DataFrame:
    """The table with ``column`` on ``page`` opened at an address with ``params``."""
    at = AppTest.from_file(str(PAGES / page), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return next(d.value for d in at.dataframe if column in d.value.columns)


def printed(capsys, *args: str) -> pd.DataFrame:
    capsys.readouterr()
    assert main(["analyze", *args, "--format", "csv"]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)


CASES = [  # page, its address, the column that finds its table; the CLI's table and arguments
    ("1_Coverage.py", {}, "boilerplate_pct", ["coverage"]),
    ("1_Coverage.py", {"cov_tz": "Asia/Tehran"}, "lag_hours", ["first", "--tz", "Asia/Tehran"]),
    ("2_Reuse.py", {}, "relation", ["reuse"]),
    ("2_Reuse.py", {"reuse_across": "false"}, "relation", ["reuse", "--within"]),
    ("3_Entities.py", {}, "citations", ["sources"]),
    ("3_Entities.py", {"src_media": "false"}, "citations", ["sources", "--all-credits"]),
    ("4_Keywords.py", {}, "rank", ["keywords"]),
    ("4_Keywords.py", {"kw_own": "false", "kw_top": "10"}, "rank", ["keywords", "--own-names", "--top", "10"]),
    ("4_Keywords.py", {"kw_dtop": "12"}, "fragile", ["distinctive", "--top", "12"]),
    ("5_Topics.py", {}, "stability", ["topics"]),
]


@pytest.mark.parametrize(("page", "params", "column", "cli"), CASES,
                         ids=[f"{c[0][2:-3]}-{'-'.join(c[3])}" for c in CASES])
def test_a_page_and_the_cli_show_the_same_table(home, tmp_path, capsys, page, params, column, cli):
    corpus(home, tmp_path)
    page_table = as_csv(shown(page, {"corpus": "demo", **params}, column))
    assert len(page_table)
    pd.testing.assert_frame_equal(page_table, printed(capsys, "demo", *cli))


def test_a_story_and_no_copies_scope_the_cli_as_they_scope_a_page(home, tmp_path, capsys):
    corpus(home, tmp_path)
    conn = store.connect(home)
    story = service.largest_story(service.story_result(conn, "demo"))
    copies = service.stats(conn, "demo")["copy_of"].notna().sum()
    assert copies  # leaving copies out changes the table
    params = {"corpus": "demo", "story": str(story), "no_copies": "true"}
    page_table = as_csv(shown("1_Coverage.py", params, "boilerplate_pct"))
    assert page_table["articles"].astype(int).sum() == len(service.scoped(service.stats(conn, "demo"), story, True))
    pd.testing.assert_frame_equal(page_table, printed(capsys, "demo", "coverage", "--story", str(story),
                                                      "--no-copies"))
