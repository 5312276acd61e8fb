"""The cached reads of the Dataset page: a corpus written as a partitioned Parquet dataset
(``framescope dataset``, ``lib.service.dataset``), opened by location and answered from its aggregates.

Only the locations ``service.dataset.locations`` lists are offered (the data folder's ``datasets/`` and the
``FRAMESCOPE_DATASETS`` setting): a location is never typed in the browser, so a hosted app reads no URL its
operator did not name. Cache keys are the location and the manifest's ``Made`` (corpus generation, revision and
time written), so a rewritten dataset is a new key; each aggregate is read once per key and process.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lib.service import dataset as service_dataset


@dataclass(frozen=True)
class Made:
    """A dataset's identity: its location and what its manifest says it was made from and when."""

    location: str
    generation: str
    revision: int
    made_at: str


def locations() -> dict[str, str]:
    """The datasets offered: label -> location (``service.dataset.locations``)."""
    return service_dataset.locations()


@st.cache_resource(max_entries=16, show_spinner=False)
def _opened(made: Made):
    return service_dataset.open_dataset(made.location)


def made(location: str) -> Made:
    """The dataset at ``location``, opened (its manifest read again on every run, so a rewrite shows at once)."""
    manifest = service_dataset.open_dataset(location).manifest
    return Made(location, str(manifest.get("generation")), int(manifest.get("revision", 0)),
                str(manifest.get("made_at")))


def manifest(key: Made) -> dict:
    return _opened(key).manifest


@st.cache_data(max_entries=32, show_spinner="Reading the dataset's aggregates…")
def aggregate(key: Made, name: str) -> pd.DataFrame:
    """One aggregate, whole (coverage, outlets, stories, reuse)."""
    return service_dataset.aggregate(_opened(key), name)


@st.cache_data(max_entries=8, show_spinner="Reading the article index…")
def index(key: Made) -> pd.DataFrame:
    return service_dataset.article_index(_opened(key))


@st.cache_resource(max_entries=8, show_spinner="Reading the term counts…")
def _grouped(key: Made, kind: str):
    """The term counts per outlet or story, shared (held like a model, not copied per rerun)."""
    return service_dataset.grouped(_opened(key), kind)


@st.cache_data(max_entries=32, show_spinner=False)
def coverage_by_day(key: Made, months: tuple[str, ...], outlets: tuple[str, ...], story: int | None) -> pd.DataFrame:
    return service_dataset.coverage_by_day(aggregate(key, "coverage"), list(months), list(outlets), story)


@st.cache_data(max_entries=64, show_spinner="Weighting the terms…")
def unit_table(key: Made, by: str, unit: str, distinctive: bool, top: int) -> pd.DataFrame:
    """The keywords (TF-IDF) or distinctive terms (log-odds) of one outlet or story against the rest."""
    return service_dataset.unit_table(index(key), _grouped(key, by), by, top, distinctive,
                                      int(unit) if by == "story" else unit)


@st.cache_data(max_entries=32, show_spinner=False)
def reuse_of(key: Made, outlet: str | None) -> pd.DataFrame:
    return service_dataset.reuse_of(aggregate(key, "reuse"), outlet)


ARTICLES_SHOWN = 1000  # articles the picker offers (the newest of the outlet or story)
STORIES_SHOWN = 300  # rows of the story table shown; the CSV has every story


@st.cache_data(max_entries=32, show_spinner=False)
def article_labels(key: Made, by: str, unit: str) -> dict[str, str]:
    """The article picker's labels by id: the ``ARTICLES_SHOWN`` newest articles of one outlet or story."""
    return service_dataset.article_labels(service_dataset.articles_of(index(key), by, unit), ARTICLES_SHOWN)


@st.cache_data(max_entries=8, show_spinner=False)
def stories_shown(key: Made) -> pd.DataFrame:
    """The ``STORIES_SHOWN`` largest stories."""
    return aggregate(key, "stories").head(STORIES_SHOWN)


@st.cache_data(max_entries=64, show_spinner=False)
def article(key: Made, article_id: int) -> dict | None:
    """One article's row, read from its partition's file only."""
    return service_dataset.article_text(_opened(key), index(key), article_id)


@st.cache_data(max_entries=8, show_spinner=False)
def story_choices(key: Made) -> dict[str, str]:
    return service_dataset.story_choices(aggregate(key, "stories"))


@st.cache_data(max_entries=8, show_spinner=False)
def months(key: Made) -> list[str]:
    return service_dataset.month_list(aggregate(key, "coverage"))
