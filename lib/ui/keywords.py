"""The Keywords page's cached tables (keywords, distinctive terms, keyword in context, over ``lib/service``) and its
widgets: the corpus's custom stopwords, and keyword in context (every piece of article text shown as text)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import service
from lib.text import terms
from lib.ui import KWIC_ROWS, download, plain, scroll_here, writable
from lib.ui import data as ui_data
from lib.ui.data import Scope, conn, stats, term_matrix


def stopwords(scope: ui_data.Scope) -> None:
    """The sidebar box of the corpus's custom stopwords, saved with the corpus by whoever may change it."""
    with st.sidebar.expander("Custom stopwords (saved with the corpus)"):
        custom = st.text_area("One per line", "\n".join(ui_data.stopwords(scope)),
                              key=f"kw_custom_{scope.tag}")  # a new box for each corpus
        if st.button("Save stopwords", key="kw_custom_save") and writable(scope.corpus, "save the stopwords of"):
            ui_data.set_stopwords(scope, [w.strip() for w in custom.splitlines() if w.strip()])
            st.rerun()


@st.fragment  # a new term reruns this section only, not the clouds and the scatter above
def in_context(scope: ui_data.Scope, vocab: terms.Vocabulary, stem: str) -> None:
    """Keyword in context: the sentences that use a term (``kw_term``), of every outlet or those picked, newest
    first, the first ``KWIC_ROWS`` shown and every one in the CSV."""
    scroll_here("kw_here", st.session_state.pop("kw_scroll", None))  # a click above brings this into view
    left, right = st.columns([1, 2])
    term = left.text_input("Term (or click a bar or a point above)", key="kw_term", bind="query-params").strip()
    chosen = tuple(right.multiselect("Outlets (empty: all)", ui_data.outlets(scope), key="kw_kwic_outlets",
                                     bind="query-params"))
    if not term:
        return
    hits, articles = kwic(scope, vocab, term, chosen, KWIC_ROWS)
    found = (f"{len(hits):,} sentence{'s' * (len(hits) != 1)} use{'s' * (len(hits) == 1)} {plain(term)}"
             if len(hits) < KWIC_ROWS else f"the {KWIC_ROWS:,} sentences of the newest shown (the CSV has every one)")
    st.caption(f"{articles:,} article{'s' * (articles != 1)} may use {plain(term)}; {found}. Newest first; "
               "the match is its own column, shown as text.")
    st.dataframe(hits, hide_index=True, key="kw_kwic")
    download(lambda: kwic_every(scope, vocab, term, chosen)[0], f"{stem}-kwic.csv", key="kw_kwic_csv")


def vocabulary(scope: Scope, ngram_range: tuple[int, int], min_df: int | None, english: bool) -> terms.Vocabulary:
    """The keyword settings, with the corpus's saved custom stopwords."""
    return service.vocabulary(conn(), scope.corpus, ngram_range, min_df, english)


TOP_MAX = 60  # the most terms a cloud or a table shows; tables are cached at this size and cut per request


@st.cache_data(max_entries=32, show_spinner=False)
def own_names(scope: Scope, vocab: terms.Vocabulary, by: str, among: tuple[str, ...] = ()) -> dict[str, frozenset[str]]:
    """``service.own_names`` of each unit (outlet, story, article or value of a field) of the scope."""
    return service.own_names(term_matrix(scope.corpus, scope.version, vocab), stats(scope), by, list(among))


@st.cache_data(max_entries=32, show_spinner="Ranking terms…")
def _keyword_table(scope: Scope, vocab: terms.Vocabulary, by: str, own: bool) -> pd.DataFrame:
    names = own_names(scope, vocab, by) if own else None  # the same cached names as the page's caption
    return service.keyword_table(term_matrix(scope.corpus, scope.version, vocab), stats(scope), by, TOP_MAX, own,
                                 names)


def keyword_table(scope: Scope, vocab: terms.Vocabulary, by: str, top: int, own: bool = False) -> pd.DataFrame:
    """``service.keyword_table`` of the scope's units (outlet, story or article), ``top`` per unit."""
    table = _keyword_table(scope, vocab, by, own)
    return table[table["rank"] <= top]


@st.cache_data(max_entries=32, show_spinner="Scoring distinctive terms…")
def _distinctive_table(scope: Scope, vocab: terms.Vocabulary, group: str, among: tuple[str, ...],
                       own: bool) -> pd.DataFrame:
    names = own_names(scope, vocab, group, among) if own else None
    return service.distinctive_table(term_matrix(scope.corpus, scope.version, vocab), stats(scope), group,
                                     list(among), TOP_MAX, own, names)


def distinctive_table(scope: Scope, vocab: terms.Vocabulary, top: int, group: str = "outlet",
                      among: tuple[str, ...] = (), own: bool = False) -> pd.DataFrame:
    """``service.distinctive_table`` of the scope's outlets (or values of ``group``, only those in ``among`` when
    given), ``top`` per outlet."""
    table = _distinctive_table(scope, vocab, group, among, own)
    return table[table["rank"] <= top]


def own_caption(names: dict[str, frozenset[str]], shown: list[str], by: str) -> str:
    """The caption that lists the own names left out of the ``shown`` units' terms (names are data: quoted
    as text)."""
    listed = [f"{plain(u)}: {plain(', '.join(sorted(names[u])))}" for u in shown if names.get(u)]
    whose = "its own name" if by == "outlet" else "the names of its articles' outlets"
    return (f"Left out of each {by}'s terms, {whose} and short forms (from the outlet names; turn off “Leave out "
            "outlets' own names” in the sidebar to keep them)" + (": " + "; ".join(listed) if listed else "") + ".")


def unit_values(units: list[str], by: str) -> dict[str, str]:
    """Short values for the units a picker offers (an article's id, else the unit itself) -> the unit."""
    return {u.split(":", 1)[0] if by == "article" else u: u for u in units}


def kwic_every(scope: Scope, vocab: terms.Vocabulary, term: str, outlets: tuple[str, ...] = (),
               limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """``service.kwic`` of the scope (only the articles of ``outlets``, when given): the sentences that use
    ``term``, newest article first (at most ``limit``), and the number of articles that may use it (looked
    up in the term matrix of ``vocab``). Not cached: every sentence of a common term is a CSV made on request."""
    df = stats(scope)
    df = df[df["outlet"].isin(outlets)] if outlets else df
    return service.kwic(conn(), scope.corpus, df, term, term_matrix(scope.corpus, scope.version, vocab), limit)


@st.cache_data(max_entries=32, show_spinner="Finding the term's sentences…")
def kwic(scope: Scope, vocab: terms.Vocabulary, term: str, outlets: tuple[str, ...],
         limit: int) -> tuple[pd.DataFrame, int]:
    """``kwic_every``, at most ``limit`` sentences: what the page shows."""
    return kwic_every(scope, vocab, term, outlets, limit)
