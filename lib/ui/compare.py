"""The Compare page's cached comparison (over ``lib/service``) and its widgets: the outlets chosen in the sidebar,
the outlet columns, the element grid and its views, and each outlet's wording of an element (every piece of
article text shown as text)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import service
from lib.analyses import compare
from lib.ui import MARKDOWN, chart, choice, plain, to_url
from lib.ui import data as ui_data
from lib.ui.data import Scope, conn, stats
from lib.views import charts, report


def escaped(text: object) -> str:
    """``text`` on one line, escaped for Markdown (as ``plain``, without the quotation marks)."""
    return MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def whole_corpus_note(scope: ui_data.Scope) -> None:
    """On all articles of a corpus of several stories, say what it costs: every sentence is aligned with every
    other outlet's, across unrelated stories."""
    stories = len(ui_data.story_labels(scope.corpus, scope.version)) - 1
    if scope.story is None and stories > 1:
        st.warning(f"Comparing all {len(ui_data.stats(scope)):,} articles of {stories:,} stories at once: their "
                   "sentences are aligned across unrelated stories, which takes long on a large corpus and mixes "
                   "events. Pick a story in the sidebar to compare how the outlets covered one event.")


def compare_outlets(scope: ui_data.Scope) -> tuple[str, ...]:
    """The outlets to compare, chosen in the sidebar and kept in the URL (``cmp_outlets``); the story's largest
    by default. Stops the page, saying why, when fewer than two are chosen."""
    present = set(ui_data.stats(scope)["outlet"])
    options = [o for o in ui_data.outlets(scope) if o in present]
    chosen = st.session_state.get("cmp_outlets")
    if chosen is not None and not set(chosen) <= set(options):
        st.session_state["cmp_outlets"] = [o for o in chosen if o in options]
    if "cmp_outlets" not in st.session_state and "cmp_outlets" not in st.query_params:
        st.session_state["cmp_outlets"] = service.default_outlets(options, pd.Series(options))
    picked = st.sidebar.multiselect("Outlets compared", options, key="cmp_outlets", bind="query-params",
                                    help="Two to six side by side; more scroll.")
    if len(picked) < 2:
        st.info("Choose two outlets or more in the sidebar" + ("." if len(options) > 1 else
                                                                 ": this story has articles from one outlet only."))
        st.stop()
    return tuple(o for o in options if o in picked)


def outlet_columns(cmp: compare.Comparison) -> None:
    """One column per outlet (up to six; more: a table that scrolls), every value shown as text."""
    if len(cmp.outlets) > compare.MAX_OUTLETS:
        st.dataframe(cmp.columns.set_index("outlet").T, key="cmp_columns")
        return
    for col, row in zip(st.columns(len(cmp.outlets)), cmp.columns.to_dict("records"), strict=True):
        col.markdown(f"#### {escaped(row['outlet'])}")
        col.markdown("  \n".join(f"**{f}**: {escaped(brief(row[f], *BRIEF.get(f, ('', 0)))) or '—'}"
                                  for f in compare.FIELDS))


BRIEF = {"headline": (" | ", 3), "dateline": (" | ", 3), "byline": (" | ", 3), "sources": (", ", 8),
         "quoted": (", ", 8)}  # field -> (separator, items shown in a column; the CSV has them all)


def brief(value: object, sep: str, most: int) -> str:
    """The first ``most`` items of a ``sep``-joined ``value`` and how many more there are (all when ``most`` is 0)."""
    items = str(value).split(sep) if sep else [str(value)]
    if not most or len(items) <= most:
        return str(value)
    return sep.join(items[:most]) + f" (+{len(items) - most} more)"


GRID_VIEWS = {"all": "All elements", "every": "Carried by every outlet", "only-one": "Only one outlet"}


def grid_view(cmp: compare.Comparison) -> tuple[str, str | None]:
    """The grid's view (``cmp_view``, in the URL): all, every, only one, or an outlet's omissions."""
    labels = GRID_VIEWS | {f"omissions:{o}": f"What {o} leaves out" for o in cmp.outlets}
    which = choice(st, "View", labels, "cmp_view", widget=",".join(cmp.outlets))
    return ("omissions", which.split(":", 1)[1]) if which.startswith("omissions:") else (which, None)


GRID_ROWS = 400  # elements the grid draws: 20 px each; a canvas taller than 32,767 px is not drawn at all


def _pick_element() -> None:
    cells = st.session_state["cmp_grid"]["selection"].get("cell") or []
    if cells:
        to_url("cmp_element", str(int(cells[0]["element"])))


def element_grid(cmp: compare.Comparison, shown: pd.DataFrame, long: pd.DataFrame, stem: str) -> int:
    """The element x outlet grid of the elements ``shown`` (``long``: their ``compare.grid`` cells; a click picks
    an element; the first ``GRID_ROWS`` drawn) with its downloads, and the element picker (``cmp_element``, in the
    URL); returns the element picked."""
    drawn = long[long["element"].isin(shown["element"].head(GRID_ROWS))]
    if len(shown) > GRID_ROWS:
        st.caption(f"The grid draws the first {GRID_ROWS:,} of these {len(shown):,} elements (a taller chart is more "
                   "than a browser can draw); the picker, the table and the downloads have them all.")
    chart(charts.element_grid, drawn, list(cmp.outlets), key="cmp_grid", stem=f"{stem}-compare-grid", data=long,
          selection_mode="cell", on_select=_pick_element)
    labels = dict(zip(shown["element"].astype(str), shown["label"], strict=True))
    left, right = st.columns([1, 5])
    picked = choice(left, "Element (its number in the grid)", list(labels), "cmp_element",
                    widget=",".join(labels))  # a bare number: a short link
    right.caption(f"Element {picked}: {plain(labels[picked])}")
    return int(picked)


def wording(cmp: compare.Comparison, element: int) -> pd.DataFrame:
    """Each outlet's sentence of ``element`` side by side, the words that differ from the element's label marked
    ⟦…⟧ (shown as code: text, never Markdown); returns the table shown."""
    table = service.wording(cmp, element)
    present = [o for o in cmp.outlets if o in set(table["outlet"])]
    for col, outlet in zip(st.columns(max(len(present), 1)), present, strict=False):
        col.markdown(f"**{escaped(outlet)}**")
        for marked in table.loc[table["outlet"] == outlet, "marked"]:
            col.code(marked, language=None, wrap_lines=True)
    return table


@st.cache_data(max_entries=16, show_spinner="Aligning the outlets' sentences into story elements…")
def comparison(scope: Scope, outlets: tuple[str, ...]) -> compare.Comparison:
    """``service.comparison`` of the scope's articles of ``outlets``."""
    return service.comparison(conn(), scope.corpus, stats(scope), list(outlets))


@st.cache_data(max_entries=16, show_spinner=False)
def compare_tables(scope: Scope, outlets: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """``service.compare_tables`` of the comparison: every table by name, as the CSV downloads give them."""
    return service.compare_tables(comparison(scope, outlets))


@st.cache_data(max_entries=64, show_spinner=False)
def compare_view(scope: Scope, outlets: tuple[str, ...], which: str, outlet: str | None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``service.compare_view``: one view of the grid, its cells and each outlet's sentence."""
    return service.compare_view(comparison(scope, outlets), which, outlet)


@st.cache_data(max_entries=8, show_spinner="Writing the report…")
def compare_report(scope: Scope, outlets: tuple[str, ...]) -> bytes:
    """The comparison as one standalone HTML file."""
    title = f"FrameScope comparison: {scope.corpus}" + (f", story {scope.story}" if scope.story else "")
    return report.build(comparison(scope, outlets), title).encode("utf-8")
