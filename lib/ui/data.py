"""The cached reads behind the pages: this session's store connection, the sidebar's ``Scope``, and
``st.cache_data`` wrappers around ``lib/service``'s reads and the named tables of Home, Coverage, Reuse and
Entities (and the store's own reads); those of Keywords, Topics and Compare are in ``lib/ui/keywords.py``,
``lib/ui/topics.py`` and ``lib/ui/compare.py``, beside the widgets of their page.

Cache keys are small hashables (corpus name and ``store.Version``: its generation, which never repeats, and
its revision; a ``Scope``; parameters): a new revision is a new key, so every page sees an edit at once,
and a corpus deleted and created again under its name is a new generation, so no page is ever served the
old corpus from a cache (nor needs every user's cache cleared). Only a drawing is keyed by its content: a
cloud and a chart (``lib/ui/drawing.py``), by the small table they draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from lib import config, service, store
from lib.analyses import stories
from lib.store import edits
from lib.text import terms
from lib.ui.sized import SizedCache
from lib.views import grids


def conn():
    """This session's connection to the store of ``$FRAMESCOPE_HOME``. One per session, so one
    user's write transaction never mixes with another's reads (SQLite in WAL mode serialises writers)."""
    home = str(config.home())
    if st.session_state.get("_store_home") != home:
        st.session_state["_store"], st.session_state["_store_home"] = store.connect(Path(home)), home
    return st.session_state["_store"]


WINDOW_DAYS = service.WINDOW_DAYS  # the stories' time window, for the Coverage page's caption
EDITABLE = edits.EDITABLE  # the metadata fields the editor lets the analyst change


def corpus_names() -> list[str]:
    """The stored corpora's names."""
    return store.corpus_names(conn())


def metadata_edits(shown: pd.DataFrame, edited: pd.DataFrame) -> dict:
    """``edits.metadata_edits``: the articles whose editable fields the analyst changed, with their new values."""
    return edits.metadata_edits(shown, edited)


def update_metadata(scope: Scope, changed: dict) -> None:
    """Save the edited metadata (``edits.update_metadata``; a new revision)."""
    edits.update_metadata(conn(), scope.corpus, changed)


def set_restored(scope: Scope, article_id: int, restored: dict[int, bool]) -> None:
    """Put removed spans of an article back into its text, or take them out again (``edits.set_restored``)."""
    edits.set_restored(conn(), scope.corpus, article_id, restored)


def separator(raw: str) -> str | None:
    """``service.separator``: what a crawler flattened this page's blocks with, if anything."""
    return service.separator(raw)


EDITOR_ROWS = 1000  # rows the metadata editor shows at once; a filter narrows larger corpora


@st.cache_data(max_entries=32, show_spinner=False)
def articles(corpus: str, version: store.Version, search: str = "", limit: int | None = EDITOR_ROWS) -> pd.DataFrame:
    return store.articles(conn(), corpus, search=search, limit=limit)


@st.cache_data(max_entries=32, show_spinner=False)
def raw_text(corpus: str, version: store.Version, article_id: int) -> str:
    return store.raw_text(conn(), corpus, article_id)


@st.cache_data(max_entries=32, show_spinner=False)
def summary(corpus: str, version: store.Version) -> dict:
    """The corpus's row of ``store.list_corpora``: articles, outlets, words, first and last dates
    ("" when no article has a date)."""
    df = store.list_corpora(conn())
    row = df[df["name"] == corpus].iloc[0]
    return {k: "" if pd.isna(v) else v for k, v in row.items()}


@st.cache_data(max_entries=32, show_spinner=False)
def removed(corpus: str, version: store.Version, article_id: int) -> pd.DataFrame:
    return store.removed(conn(), corpus, article_id)


@dataclass(frozen=True)
class Scope:
    """The sidebar's choices: corpus, its generation and revision, a story (None: all articles), and whether
    articles that copy another article of the corpus are left out."""

    corpus: str
    generation: str
    revision: int
    story: int | None = None
    no_copies: bool = False

    @property
    def version(self) -> store.Version:
        """The corpus's generation and revision: with its name, the key of every per-corpus cached read."""
        return store.Version(self.generation, self.revision)

    @property
    def tag(self) -> str:
        """The corpus, generation and revision in one string, for the keys of widgets tied to one corpus state."""
        return f"{self.corpus}/{self.generation}/{self.revision}"

    @property
    def stem(self) -> str:
        """The start of a download's file name: corpus, and story if one is picked."""
        return self.corpus + (f"-story{self.story}" if self.story else "")


@st.cache_data(max_entries=16, show_spinner=False)
def all_stats(corpus: str, version: store.Version) -> pd.DataFrame:
    """``service.stats``: every article's figures, labelled outlet, story and original if a copy."""
    story_result(corpus, version)  # with their spinners, the first time
    reuse_pairs(corpus, version)
    return service.stats(conn(), corpus)


@st.cache_data(max_entries=64, show_spinner=False)
def stats(scope: Scope) -> pd.DataFrame:
    """The scope's articles (the picked story's, or all; copies left out if asked), without texts. Cached
    as well: a page reads them several times, and a story's few rows are quicker to copy than the corpus's."""
    return service.scoped(all_stats(scope.corpus, scope.version), scope.story, scope.no_copies)


@st.cache_data(max_entries=32, show_spinner=False)
def coverage_tables(scope: Scope, tz: str) -> dict[str, pd.DataFrame]:
    """``service.coverage_tables``: the tables that depend on the time zone."""
    return service.coverage_tables(stats(scope), tz)


@st.cache_data(max_entries=32, show_spinner=False)
def story_tables(scope: Scope) -> dict[str, pd.DataFrame]:
    """``service.story_tables``, and the story matrix cut to what a heatmap shows (``matrix-shown``)."""
    found = service.story_tables(stats(scope), story_result(scope.corpus, scope.version), outlets(scope))
    return found | {"matrix-shown": grids.top_cells(found["story-matrix"])}


@st.cache_data(max_entries=32, show_spinner=False)
def timeline(scope: Scope, tz: str, unit: str | None) -> tuple[pd.DataFrame, str]:
    """``service.timeline`` of the scope (``unit`` None: the bin chosen from the span)."""
    return service.timeline(stats(scope), tz, unit)


@st.cache_data(max_entries=8, show_spinner="Finding the people, organisations and places named (once per revision)…")
def entity_mentions(corpus: str, version: store.Version) -> pd.DataFrame:
    return service.entity_mentions(conn(), corpus)


@st.cache_data(max_entries=8, show_spinner="Finding the sources each outlet credits (once per revision)…")
def cited_sources(corpus: str, version: store.Version) -> pd.DataFrame:
    return service.cited_sources(conn(), corpus)


def _in_scope(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Rows (mentions, credits) of the scope's articles; all of them when the scope is the corpus."""
    if scope.story is None and not scope.no_copies:
        return df
    return service.in_articles(df, stats(scope)["id"])


@st.cache_data(max_entries=32, show_spinner=False)
def entity_table(scope: Scope, top: int = service.ENTITIES_TOP, kind: str | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``service.entity_table`` of the scope: its ``top`` entities (of ``kind``), long and as an entity x outlet
    grid."""
    mentions = _in_scope(entity_mentions(scope.corpus, scope.version), scope)
    return service.entity_table(mentions, outlets(scope), top, kind)


@st.cache_data(max_entries=16, show_spinner=False)
def _referents(scope: Scope) -> pd.DataFrame:
    return service.referent_table(_in_scope(entity_mentions(scope.corpus, scope.version), scope))


@st.cache_data(max_entries=32, show_spinner=False)
def referent_table(scope: Scope, kind: str | None = None) -> pd.DataFrame:
    """``service.referent_table`` of the scope: who and what each entity (of ``kind``) is; every kind is counted
    once per scope, a kind picked is a filter."""
    return service.referents_of(_referents(scope), kind)


REFERENTS_SHOWN = 300  # rows of the who-is-who table a page shows (sent on every rerun); the CSV has all


@st.cache_data(max_entries=32, show_spinner=False)
def referents_shown(scope: Scope, kind: str | None = None) -> tuple[pd.DataFrame, int]:
    """The ``REFERENTS_SHOWN`` most mentioned rows of ``referent_table``, and how many there are in all."""
    table = referent_table(scope, kind)
    return table.head(REFERENTS_SHOWN), len(table)


@st.cache_data(max_entries=8, show_spinner=False)
def _top_mentions(scope: Scope, top: int, kind: str | None) -> pd.DataFrame:
    """The mentions of the ``top`` entities: the evidence behind every cell, small next to all mentions."""
    mentions = _in_scope(entity_mentions(scope.corpus, scope.version), scope)
    return service.top_mentions(mentions, entity_table(scope, top, kind)[1].index)


@st.cache_data(max_entries=64, show_spinner=False)
def entity_evidence(scope: Scope, top: int, kind: str | None, entity: str, outlet: str | None
                    ) -> tuple[int, pd.DataFrame]:
    """``service.entity_evidence`` of ``entity`` (one of the ``top`` of ``kind``), in ``outlet``'s articles or
    all."""
    return service.entity_evidence(conn(), scope.corpus, _top_mentions(scope, top, kind), entity, outlet)


def _credits(scope: Scope, media_only: bool) -> pd.DataFrame:
    return service.credits(_in_scope(cited_sources(scope.corpus, scope.version), scope), media_only)


@st.cache_data(max_entries=32, show_spinner=False)
def source_table(scope: Scope, media_only: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``service.source_table`` of the scope's credits (media and platforms only, or every credited name)."""
    return service.source_table(_credits(scope, media_only), outlets(scope))


@st.cache_data(max_entries=64, show_spinner=False)
def source_evidence(scope: Scope, media_only: bool, source: str, outlet: str | None) -> pd.DataFrame:
    """The credits to ``source`` (by ``outlet``, or all) in the scope, with their sentences."""
    return service.cell(_credits(scope, media_only), "source", source, outlet)


@st.cache_resource(show_spinner=False)
def term_matrices() -> SizedCache:
    """The corpus term matrices of every session, by (corpus, version, vocabulary), held while their sizes
    (``terms.Matrix.nbytes``) add up to at most ``config.term_matrix_budget()``: several corpora at once,
    the least recently used going first."""
    return SizedCache(config.term_matrix_budget(), lambda m: m.nbytes)


def term_matrix(corpus: str, version: store.Version, vocab: terms.Vocabulary) -> terms.Matrix:
    """The corpus term matrix, shared and never modified: a cached copy per rerun would cost seconds
    on a large corpus (hundreds of MB), so it is held like a model (``term_matrices``), not copied like data."""
    def build() -> terms.Matrix:
        with st.spinner("Counting the corpus's terms (once per revision and vocabulary)…"):
            return service.term_matrix(conn(), corpus, vocab)

    return term_matrices().get((corpus, version, vocab), build)


def forget(corpus: str, generation: str) -> None:
    """Let go of the term matrices of a deleted corpus generation at once (its other cached reads are never
    asked for again, and go as newer ones come)."""
    term_matrices().drop(lambda key: (key[0], key[1].generation) != (corpus, generation))


def counted(scope: Scope) -> str:
    """``service.counted`` of the scope: "300 articles from 43 outlets" (and how many name none)."""
    return service.counted(stats(scope))


@st.cache_data(max_entries=8, show_spinner="Finding shared passages between articles (once per revision)…")
def reuse_pairs(corpus: str, version: store.Version) -> pd.DataFrame:
    return service.reuse_pairs(conn(), corpus)


@st.cache_data(max_entries=32, show_spinner=False)
def reuse_table(scope: Scope, across: bool) -> pd.DataFrame:
    """``service.reuse_table`` of the scope: its pairs, only those of two outlets when ``across``."""
    return service.reuse_table(reuse_pairs(scope.corpus, scope.version), stats(scope)["id"], across)


@st.cache_data(max_entries=32, show_spinner=False)
def shared_quotations(scope: Scope, across: bool) -> pd.DataFrame:
    """``service.reuse_table`` of the scope's pairs that share only quotations (not republishing)."""
    return service.reuse_table(reuse_pairs(scope.corpus, scope.version), stats(scope)["id"], across, quotations=True)


@st.cache_data(max_entries=32, show_spinner=False)
def republishing(scope: Scope, across: bool) -> pd.DataFrame:
    """``service.republishing`` of the scope's pairs: who republishes whom."""
    return service.republishing(reuse_table(scope, across))


@st.cache_data(max_entries=32, show_spinner=False)
def pair_labels(scope: Scope, across: bool) -> dict[str, str]:
    """``service.pair_labels`` of the scope's pairs: "source-target" -> what the pair picker shows."""
    return service.pair_labels(reuse_table(scope, across), stats(scope))


def group_fields(scope: Scope) -> list[str]:
    """``service.group_fields``: the fields that can group the scope's articles for distinctive terms."""
    return service.group_fields(stats(scope))


def stopwords(scope: Scope) -> list[str]:
    """The corpus's saved custom stopwords."""
    return edits.stopwords(conn(), scope.corpus)


def set_stopwords(scope: Scope, words: list[str]) -> None:
    """Save the corpus's custom stopwords (a new revision: every cached view of the corpus is new)."""
    edits.set_stopwords(conn(), scope.corpus, words)


@st.cache_data(max_entries=64, show_spinner=False)
def passages(corpus: str, version: store.Version, source: int, target: int) -> tuple[pd.DataFrame, str, str]:
    """The shared passages of two articles, and both texts with the passages marked ⟦shared k: …⟧."""
    return service.passages(conn(), corpus, source, target)


@st.cache_data(max_entries=16, show_spinner=False)
def _outlet_order(corpus: str, version: store.Version) -> list[str]:
    return service.outlet_order(all_stats(corpus, version))


def outlets(scope: Scope) -> list[str]:
    """The corpus's outlets in their colour order (the same on every page, whatever the story); cached apart
    from ``all_stats``, which a large corpus takes milliseconds to copy out of the cache."""
    return _outlet_order(scope.corpus, scope.version)


@st.cache_data(max_entries=8, show_spinner="Finding the stories in this corpus (once per revision)…")
def story_result(corpus: str, version: store.Version) -> stories.Stories:
    return service.story_result(conn(), corpus)


@st.cache_data(max_entries=8, show_spinner=False)
def story_labels(corpus: str, version: store.Version) -> dict[str, str]:
    return service.story_labels(story_result(corpus, version))


