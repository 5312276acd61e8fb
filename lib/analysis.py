"""The analyses of a stored corpus, shared by the pages (through ``lib/ui.py``) and the CLI.

Heavy results (stories, reuse) are kept as artifacts keyed by (corpus, revision, parameters), so the
first computation is paid once per revision, by whoever asks first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pandas as pd

from lib import coverage, store, stories

WINDOW_DAYS = 7
TABLES = ["coverage", "first", "undated", "timeline", "stories", "story-matrix"]


def _cached(conn: sqlite3.Connection, name: str, params: dict, compute: Callable[[], object]) -> object:
    rev = store.revision(conn, name)
    found = store.load_artifact(name, rev, params)
    if found is None:
        found = compute()
        store.save_artifact(name, rev, params, found)
    return found


def articles(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """Articles with texts and labelled outlets (``coverage.UNKNOWN`` where none is named)."""
    df = store.articles(conn, name, text=True)
    df["outlet"] = coverage.label_outlets(df["outlet"])
    return df


def story_result(conn: sqlite3.Connection, name: str) -> stories.Stories:
    return _cached(conn, name, {"analysis": "stories", "version": 1, "window_days": WINDOW_DAYS},
                   lambda: stories.cluster(articles(conn, name), window_days=WINDOW_DAYS))


def stats(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """``store.article_stats`` with labelled outlets and each article's story."""
    df = store.article_stats(conn, name)
    df["outlet"] = coverage.label_outlets(df["outlet"])
    df["story"] = df["id"].map(story_result(conn, name).assignments)
    return df


def in_story(df: pd.DataFrame, story: int | None, column: str = "story") -> pd.DataFrame:
    """The rows of one story (all rows when ``story`` is None)."""
    return df if story is None else df[df[column] == story]


def tables(conn: sqlite3.Connection, name: str, story: int | None = None, tz: str = "UTC") -> dict[str, Callable]:
    """The tables the pages show, by name, each computed on demand."""
    all_stats = stats(conn, name)
    scoped = in_story(all_stats, story)
    result = story_result(conn, name)
    order = coverage.outlet_order(all_stats)
    return {
        "coverage": lambda: coverage.outlets(scoped, tz),
        "first": lambda: coverage.first_reports(scoped, tz),
        "undated": lambda: coverage.undated(scoped),
        "timeline": lambda: coverage.timeline(scoped, tz)[0],
        "stories": lambda: result.table[result.table["story"].isin(scoped["story"])],
        "story-matrix": lambda: stories.matrix(scoped, result.table, order, top=len(result.table)).reset_index(),
    }
