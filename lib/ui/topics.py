"""The Topics page's cached reads: the topic model of a scope and settings, and the tables and notes drawn from it
(``lib/service`` composes them)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import service
from lib.analyses import topics
from lib.ui.data import Scope, conn, outlets, stats
from lib.views import charts, grids


def _topic_ids(scope: Scope) -> tuple[int, ...] | None:
    """The scope's articles, or None for the whole corpus."""
    return None if scope.story is None and not scope.no_copies else tuple(int(i) for i in stats(scope)["id"])


@st.cache_resource(max_entries=4, show_spinner="Finding topics (once per scope and settings; a large corpus takes "
                   "about a minute)…")
def topic_model(scope: Scope, settings: topics.Settings) -> topics.Topics:
    """``service.topic_model`` of the scope, shared and never modified: a large corpus's passage
    assignments are too large to copy on every rerun."""
    return service.topic_model(conn(), scope.corpus, settings, _topic_ids(scope))


@st.cache_data(max_entries=32, show_spinner=False)
def topic_outlets(scope: Scope, settings: topics.Settings) -> pd.DataFrame:
    """Topic x outlet: the percentage of each outlet's words in each topic."""
    return service.topic_outlets(topic_model(scope, settings), outlets(scope))


def map_note(scope: Scope, settings: topics.Settings) -> str:
    """What the topic map groups (``charts.topic_map``): "" when every outlet has a shape of its own."""
    n = topic_model(scope, settings).points["outlet"].nunique()
    return (f" The {charts.SHAPES - 1} largest of its {n:,} outlets have a shape each; the others share one."
            if n > charts.SHAPES else "")


@st.cache_data(max_entries=32, show_spinner=False)
def topic_outlets_shown(scope: Scope, settings: topics.Settings) -> pd.DataFrame:
    """``topic_outlets`` cut to what a heatmap shows (``grids.top_cells``: every topic, the outlets with the
    largest shares in them)."""
    grid = topic_outlets(scope, settings)
    return grids.top_cells(grid, max_rows=len(grid))


@st.cache_data(max_entries=32, show_spinner=False)
def topic_time(scope: Scope, settings: topics.Settings) -> tuple[pd.DataFrame, str]:
    """Each topic's share of the words in each time bin, and the bin."""
    return service.topic_time(topic_model(scope, settings), stats(scope))


@st.cache_data(max_entries=64, show_spinner=False)
def topic_passages(scope: Scope, settings: topics.Settings, topic: int, outlet: str | None) -> pd.DataFrame:
    """The passages most like ``topic`` (in ``outlet``, or all), with their publication."""
    return service.topic_examples(topic_model(scope, settings), topic, outlet, stats(scope))


def topic_points(scope: Scope, settings: topics.Settings, box: dict) -> pd.DataFrame:
    """The map's points in a brushed box (``{"x": [lo, hi], "y": [lo, hi]}``), with their publication."""
    return service.topic_points(topic_model(scope, settings), box, stats(scope))
