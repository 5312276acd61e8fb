"""The Keywords page's widgets: the corpus's custom stopwords, and keyword in context (every piece of article text
shown as text)."""

from __future__ import annotations

import streamlit as st

from lib.text import terms
from lib.ui import KWIC_ROWS, download, plain, scroll_here, writable
from lib.ui import data as ui_data


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
    hits, articles = ui_data.kwic(scope, vocab, term, chosen, KWIC_ROWS)
    found = (f"{len(hits):,} sentence{'s' * (len(hits) != 1)} use{'s' * (len(hits) == 1)} {plain(term)}"
             if len(hits) < KWIC_ROWS else f"the {KWIC_ROWS:,} sentences of the newest shown (the CSV has every one)")
    st.caption(f"{articles:,} article{'s' * (articles != 1)} may use {plain(term)}; {found}. Newest first; "
               "the match is its own column, shown as text.")
    st.dataframe(hits, hide_index=True, key="kw_kwic")
    download(lambda: ui_data.kwic_every(scope, vocab, term, chosen)[0], f"{stem}-kwic.csv", key="kw_kwic_csv")
