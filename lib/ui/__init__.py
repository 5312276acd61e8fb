"""Streamlit page furniture shared by the pages: the page header and the sidebar (corpus, story, copies), the demo
corpus, deleting a corpus; and, from the modules beside it, what the pages use by ``ui.NAME``: pickers kept in the
address (``address``), charts and downloads (``drawing``), login (``login``), uploads (``upload``), untrusted
text shown as text and counts with their noun (``text``). The cached reads the pages draw are in ``lib/ui/data.py``
and the Compare page's widgets in ``lib/ui/compare.py``: the package ``lib/ui`` is the only Streamlit code in
``lib``.
"""

from __future__ import annotations

import time
import zoneinfo
from pathlib import Path

import pandas as pd
import streamlit as st

from lib import config, service, store
from lib.ingest import pipeline
from lib.ui import data as ui_data
from lib.ui.address import (  # the pickers the pages use, and the sidebar's links
    LARGEST,
    PAGES,
    PICKER_STORIES,
    _story_picker,
    choice,
    choices,
    copy_link,
    navigation,
    to_url,
    valid_choice,
)
from lib.ui.drawing import (  # charts and downloads
    cell_picker,
    chart,
    chart_downloads,
    download,
    heatmap_cells,
    pick_term,
    scroll_here,
    token_counts,
)
from lib.ui.login import gate, login_configured, may_change, may_share, refused, user
from lib.ui.text import MARKDOWN, ingest_outcome, number, plain
from lib.ui.upload import PastedFile, column_choices, new_corpus_name, upload

LOG = config.logger("ui")

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

DEMO = "demo"

@st.cache_resource(max_entries=1)
def _demo_ready(home: str) -> bool:
    c = store.connect(Path(home))
    if DEMO not in store.corpus_names(c):
        t0 = time.perf_counter()
        config.log_ingest(LOG, pipeline.ingest_paths(c, DEMO, [SEEDS]), time.perf_counter() - t0)
    c.close()
    return True

def ensure_demo() -> None:
    """Create the demo corpus from ``seeds/`` on first start."""
    _demo_ready(str(config.home()))

TIME_ZONES = ["UTC", *sorted(zoneinfo.available_timezones() - {"UTC"})]

CLOUDS = 6  # clouds drawn unless the analyst picks others; the CSV has every unit
CLOUDS_MAX = 12  # clouds drawn at most at once (each is about 40 ms to draw)
PICKABLE = 1000  # units offered in a picker (the largest); the CSV has every one
KWIC_ROWS = 1000  # sentences shown for a term, newest first; the CSV has every one

def page_header(title: str, caption: str = "") -> None:
    st.set_page_config(page_title=f"{title} · FrameScope", layout="wide")
    gate()
    st.title(title)
    if caption:
        st.caption(caption)

def sidebar_scope(title: str = "FrameScope", first_story: str = "all") -> ui_data.Scope | None:
    """The sidebar: links to the pages, the corpus (``?corpus=NAME``), the story (``?story=ID``, the page's
    ``first_story`` when the address has none) and whether copies are left out (``?no_copies=true``); the
    address is read first on every run and each choice written back to it, so a link, a reload and a click in
    the sidebar all show the same view. None (with a message) when no corpus exists."""
    page = next((name for _, name, t in PAGES if t == title), title)
    nav = st.sidebar.container()
    ensure_demo()
    names = store.corpus_names(ui_data.conn())
    if not names:
        navigation(nav, page)
        st.info("No corpus yet: upload articles below or run `framescope ingest PATH --corpus NAME`.")
        return None
    default = DEMO if DEMO in names else names[0]
    wanted = st.query_params.get("corpus")
    if wanted is not None and wanted not in names:
        if wanted == st.session_state.get("deleted_corpus"):
            st.success(f"Deleted {plain(wanted)}.")
        else:
            st.warning(f"There is no corpus named {plain(wanted)}; showing {plain(default)} instead.")
        wanted = None
        to_url("story", None)  # a story of another corpus
    if (pending := st.session_state.pop("pending_corpus", None)) in names and pending != wanted:  # just uploaded
        wanted = pending
        to_url("story", None)
    st.session_state["corpus"] = wanted or default
    name = st.sidebar.selectbox("Corpus", names, key="corpus", on_change=_corpus_changed)
    to_url("corpus", name)
    version = store.version(ui_data.conn(), name)
    story = _story_picker(name, version, first_story)
    st.session_state["no_copies"] = st.query_params.get("no_copies", "").lower() in ("true", "1")
    no_copies = st.sidebar.toggle("Leave out copies", key="no_copies", on_change=lambda: to_url(
        "no_copies", "true" if st.session_state["no_copies"] else None),
        help="Articles that copy another article of the corpus (see Reuse) are left out.")
    to_url("no_copies", "true" if no_copies else None)
    navigation(nav, page)
    copy_link()
    return ui_data.Scope(name, version.generation, version.revision, story, no_copies)

def _corpus_changed() -> None:
    to_url("corpus", st.session_state["corpus"])
    to_url("story", None)

def view(title: str, caption: str, first_story: str = "all") -> ui_data.Scope:
    """An analysis page's header and sidebar (``sidebar_scope``); stops the page (with a message) when there is
    no corpus."""
    page_header(title, caption)
    scope = sidebar_scope(title, first_story)
    if scope is None:
        st.stop()
    return scope

def writable(corpus: str, what: str) -> bool:
    """Whether this user may change ``corpus``; if not, says so (and logs the refusal)."""
    if may_change(corpus):
        return True
    st.error(refused(corpus, what))
    return False


def share_corpus(corpus: str) -> None:
    """'Share this corpus' (with login on): its creator or an admin lists the addresses that may change it as
    its creator may; everyone sees whom it is shared with."""
    if not login_configured():
        return
    with st.expander("Share this corpus"):
        shared = store.shared_with(ui_data.conn(), corpus)
        st.caption("Shared with " + (", ".join(map(plain, shared)) if shared else "nobody") + ". Whoever it is shared "
                   "with may change it as its creator may: upload into it, edit metadata, restore removed text, save "
                   "stopwords, delete it.")
        if not may_share(corpus):
            st.info("Only the corpus's creator or an admin may change whom it is shared with.")
            return
        typed = st.text_area("E-mail addresses, one a line", "\n".join(shared), key=f"share_{corpus}")
        if st.button("Save", key="share_save"):
            store.share(ui_data.conn(), corpus, typed.splitlines())
            st.rerun()


def delete_corpus(corpus: str) -> None:
    """'Delete this corpus' (its name typed to confirm), offered to its creator or an admin (anyone
    without login); the other users are told who may."""
    with st.expander("Delete this corpus"):
        creator = store.creator(ui_data.conn(), corpus)
        st.caption("Created by " + (plain(creator) if creator else "nobody logged in (the demo, the command line "
                                                                   "or a local upload)") + ".")
        if not may_change(corpus):
            st.info("Only the corpus's creator, an admin or someone it is shared with may delete it.")
            return
        typed = st.text_input("Type the corpus's name to delete it, its articles and its analyses",
                              key=f"delete_confirm_{corpus}")
        if st.button("Delete", key="delete_go", disabled=typed != corpus):
            generation = store.version(ui_data.conn(), corpus).generation
            store.delete(ui_data.conn(), corpus)
            LOG.info("corpus %r deleted by %r", corpus, user() or "(no login)")
            ui_data.forget(corpus, generation)  # a corpus made again under this name is a new generation
            st.session_state["deleted_corpus"] = corpus
            st.rerun()

StoreError = store.StoreError  # what a refused or failed read or write of the store raises


def marked_text(raw: str, spans: pd.DataFrame) -> str:
    """The raw text with removed spans marked, for ``st.code`` (shown as text, never as Markdown)."""
    return service.marked_text(raw, spans)


__all__ = ["DEMO", "LARGEST", "MARKDOWN", "PAGES", "PICKER_STORIES", "PastedFile", "StoreError", "TIME_ZONES",
           "cell_picker", "chart", "chart_downloads", "choice", "choices", "column_choices", "copy_link",
           "delete_corpus", "download", "ensure_demo", "gate", "heatmap_cells", "ingest_outcome", "login_configured",
           "marked_text", "may_change", "navigation", "new_corpus_name", "number", "page_header", "pick_term", "plain",
           "refused", "scroll_here", "share_corpus", "sidebar_scope", "to_url", "token_counts", "upload", "user",
           "valid_choice", "view", "writable"]
