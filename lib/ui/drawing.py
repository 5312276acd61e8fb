"""Charts drawn from ``lib/views/charts.py`` builders, cached by content, with their downloads; grids whose cells
pick; a scroll to a place on the page."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st

from lib.ui.address import choice, to_url
from lib.ui.text import plain
from lib.views import charts, export


def _without(spec: dict, theme: dict) -> dict:
    """``spec`` without the entries that have the value ``theme`` gives them (nested dicts entry by entry)."""
    kept = {}
    for name, value in spec.items():
        if name in theme and isinstance(value, dict) and isinstance(theme[name], dict):
            value = _without(value, theme[name])
            if not value:
                continue
        elif name in theme and value == theme[name]:
            continue
        kept[name] = value
    return kept

@st.cache_data(max_entries=256, show_spinner=False)
def _vega_lite(builder: str, *args) -> dict:
    """The Vega-Lite spec of ``charts.<builder>(*args)`` for ``st.vega_lite_chart``: Altair's ``to_dict()``
    (validated), without what Altair's default theme adds (a 300 x 300 px view, which ``st.altair_chart`` leaves out
    too, for Streamlit's theme), its named ``datasets`` as Arrow tables rather than JSON records (``_table``).
    Built once per content: building and validating an Altair chart costs 10 to 50 ms."""
    chart = getattr(charts, builder)(*args)
    try:
        spec = chart.to_dict()
    except alt.MaxRowsError:  # Altair's guard for notebooks (5,000 rows); a page's chart is bounded by its builder
        with alt.data_transformers.enable("default", max_rows=None):
            spec = chart.to_dict()
    if alt.theme.active == "default":
        spec = _without(spec, alt.theme.get()())
    if "datasets" in spec:
        spec["datasets"] = {name: _table(rows) for name, rows in spec["datasets"].items()}
    return spec

def _table(rows: list[dict]) -> pa.Table | pd.DataFrame:
    """JSON records as an Arrow table (a DataFrame when a column mixes types Arrow cannot hold in one column): read
    back from the cache and sent in 0.2 ms for 2,000 rows, against 3 ms as a DataFrame and 11 ms as records."""
    frame = pd.DataFrame.from_records(rows)
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return frame

def chart(build: Callable[..., alt.Chart], *args, key: str, stem: str, data: pd.DataFrame | None = None,
          on_select: str | Callable = "ignore", selection_mode: str | None = None):
    """Draw the ``lib/views/charts.py`` chart ``build(*args)`` under ``key``, with its Download menu
    (``chart_downloads``: files ``stem``.csv/.png/.svg, the CSV being ``data`` or the table the chart draws); returns
    the selection state when ``on_select`` is given.

    A rerun does not build the chart again: its spec is cached by content (``st.cache_data`` hashes the builder's
    name and its arguments, the small tables a page draws: at most a few thousand rows), so the same arguments on
    any page or session give the same spec (``_vega_lite``), drawn with ``st.vega_lite_chart``. A builder in
    ``charts.ROWS_AS_DATA`` is built once per kind of table (its columns) and other arguments: a new table's rows
    go as the chart's data (a story's six bar twins: 30 to 50 ms, not 100). The chart is built again only for a PNG or
    SVG download, when clicked."""
    if getattr(charts, build.__name__, None) is not build:
        raise ValueError(f"{build!r} is not a lib/views/charts.py builder")
    if build.__name__ in charts.ROWS_AS_DATA:  # one spec per kind of table, its rows sent as the chart's data
        table, *rest = args
        spec = _vega_lite(build.__name__, table.head(0), *rest)
        state = st.vega_lite_chart(table, {k: v for k, v in spec.items() if k not in ("data", "datasets")}, key=key,
                                   on_select=on_select, selection_mode=selection_mode)
    else:
        state = st.vega_lite_chart(spec=_vega_lite(build.__name__, *args), key=key, on_select=on_select,
                                   selection_mode=selection_mode)
    chart_downloads(lambda: build(*args), stem, key, data=data)
    return state if on_select != "ignore" else None

def _pick_cell(prefix: str, row: str, short: Callable[[str], object]) -> None:
    cells = st.session_state[f"{prefix}_heatmap"]["selection"].get("cell") or []
    if cells:
        to_url(f"{prefix}_row", str(short(cells[0][row])))
        to_url(f"{prefix}_outlet", cells[0]["outlet"])

def heatmap_cells(grid: pd.DataFrame, value: str, prefix: str, stem: str, short: Callable[[str], object] = str,
                  ) -> None:
    """The ``charts.heatmap`` of a rows x outlets grid, with its downloads (``stem``.csv/.png/.svg); a clicked
    cell becomes the choice of ``cell_picker(..., prefix, short)`` (and so goes into the address)."""
    chart(charts.heatmap, grid, value, key=f"{prefix}_heatmap", stem=stem, data=grid.reset_index(),
          selection_mode="cell", on_select=lambda: _pick_cell(prefix, grid.index.name, short))

def cell_picker(label: str, grid: pd.DataFrame, prefix: str, short: Callable[[str], object] = str,
                ) -> tuple[str, str | None]:
    """Pick a row of a rows x outlets grid and an outlet (None: all); both kept in the address (``prefix``_row as
    ``short(row)``, a topic's number say, and ``prefix``_outlet)."""
    left, right = st.columns(2)
    rows = {str(short(r)): r for r in grid.index}
    row = rows[choice(left, label, rows, f"{prefix}_row", widget=",".join(rows))]
    outlet = choice(right, "Outlet", ["all", *grid.columns], f"{prefix}_outlet", widget=",".join(grid.columns))
    return row, None if outlet == "all" else outlet

def download(df: pd.DataFrame | Callable[[], pd.DataFrame], filename: str, key: str,
             label: str = "Download CSV") -> None:
    """A CSV download of exactly the table shown (formula-like cells neutralised), or of the table ``df()`` makes,
    and the same as Parquet (types kept, for the next tool) beside it; each written when clicked rather than on
    every rerun (and without rerunning the page)."""
    def table() -> pd.DataFrame:
        return df() if callable(df) else df

    with st.container(horizontal=True, gap="small"):
        st.download_button(label, lambda: export.to_csv(table()), filename, "text/csv", key=key, on_click="ignore")
        st.download_button("Parquet", lambda: export.to_parquet(table()), filename.removesuffix(".csv") + ".parquet",
                           "application/vnd.apache.parquet", key=f"{key}_parquet", on_click="ignore",
                           help="The same table as Parquet: types kept, for pandas, R, DuckDB or Spark.")

def chart_downloads(build: Callable[[], alt.Chart], stem: str, key: str, data: pd.DataFrame | None = None) -> None:
    """The downloads of one chart (``build()`` makes it), in one small menu: the data behind it as CSV (``data``,
    or the table the chart draws; formula-like cells neutralised) and as Parquet, and the chart as PNG and as SVG
    (vl-convert), each made when clicked. Files are ``stem``.csv/.parquet/.png/.svg; keys ``key``_csv/_parquet/
    _png/_svg."""
    def table() -> pd.DataFrame:
        df = charts.chart_data(build()) if data is None else data
        return df.drop(columns=[col for col in df.columns if str(col).startswith("_")])

    with st.popover("Download", icon=":material/download:"):
        st.download_button("Data (CSV)", lambda: export.to_csv(table()), f"{stem}.csv", "text/csv", key=f"{key}_csv",
                           on_click="ignore")
        st.download_button("Data (Parquet)", lambda: export.to_parquet(table()), f"{stem}.parquet",
                           "application/vnd.apache.parquet", key=f"{key}_parquet", on_click="ignore")
        st.download_button("Chart (PNG)", lambda: charts.png(build()), f"{stem}.png", "image/png", key=f"{key}_png",
                           on_click="ignore")
        st.download_button("Chart (SVG)", lambda: charts.svg(build()), f"{stem}.svg", "image/svg+xml",
                           key=f"{key}_svg", on_click="ignore")

_SCROLL = st.components.v2.component(
    "framescope_scroll_here",
    html='<span class="here"></span>',
    js="""
const seen = new WeakMap()
export default function (component) {
  const { parentElement, data } = component
  const host = parentElement.host || parentElement
  const ask = data && data.nonce
  if (!ask || seen.get(host) === ask) return
  seen.set(host, ask)
  const go = () => host.scrollIntoView({ behavior: "auto", block: "start" })
  go()
  for (const wait of [250, 800, 1600]) setTimeout(go, wait)  // again after the rest of the page is drawn
}
""",
)

def scroll_here(key: str, nonce: int | None) -> None:
    """Bring this place of the page into view when ``nonce`` is new (a click elsewhere asked for it): a
    component whose script calls the browser's ``scrollIntoView``; nothing when ``nonce`` is None."""
    _SCROLL(key=key, data={"nonce": nonce}, height=0)

def pick_term(chart_key: str):
    """An ``on_select`` callback: the clicked term becomes the keyword-in-context term (``kw_term``), and
    the next run brings keyword in context into view (``kw_scroll``, read by ``scroll_here``)."""
    def pick() -> None:
        points = st.session_state[chart_key]["selection"].get("term") or []
        if points:
            st.session_state["kw_term"] = points[0]["term"]
            st.session_state["kw_scroll"] = st.session_state.get("kw_scroll_n", 0) + 1
            st.session_state["kw_scroll_n"] = st.session_state["kw_scroll"]
    return pick

def token_counts(table: pd.DataFrame, field: str, shown: list[str]) -> str:
    """"A 1,234, B 567": the token totals (column ``tokens``) of the ``shown`` values of ``field``."""
    tokens = table.groupby(field)["tokens"].first()
    return ", ".join(f"{plain(o)} {int(tokens[o]):,}" for o in shown if o in tokens.index)


PICTURES = 256  # clouds kept drawn for every session (about 30 KB each)


@st.cache_data(max_entries=PICTURES, show_spinner=False)
def _cloud(words: tuple[str, ...], scores: tuple[float, ...], color: str) -> bytes:
    """``charts.cloud_jpeg`` of one cloud, kept by its content (terms, scores and colour)."""
    return charts.cloud_jpeg(pd.DataFrame({"term": list(words), "score": list(scores)}), color)


def clouds(tables: list[pd.DataFrame], colors: list[str]) -> list[bytes]:
    """``charts.cloud_jpeg`` of each table (columns term, score) in its colour, drawn in this thread, each cloud
    kept by its content: a cloud drawn once, for any page or session, is not drawn again."""
    return [_cloud(tuple(t["term"]), tuple(float(x) for x in t["score"]), c)
            for t, c in zip(tables, colors, strict=True)]
