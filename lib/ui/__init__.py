"""Streamlit page furniture shared by the pages: the sidebar (corpus, story, copies), page header,
uploads, and the widgets that tie charts to pickers and downloads. The cached reads the pages draw
are in ``lib/ui/data.py`` and the Compare page's widgets in ``lib/ui/compare.py``: the package ``lib/ui``
is the only Streamlit code in ``lib``.
"""

from __future__ import annotations

import re
import time
import zlib
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from lib import access, config, ingest, store
from lib.analyses import stories
from lib.cleaning import clean
from lib.ingest import columns as ingest_columns
from lib.ingest import fetch, pipeline, web
from lib.ui import data as ui_data
from lib.views import charts, export

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LOG = config.logger("ui")
config.configure_logging(default="info")  # the server: records to its standard error ($FRAMESCOPE_LOG_LEVEL)


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


@dataclass(frozen=True)
class PastedFile:
    """Pasted text, shaped like an uploaded file."""

    name: str
    text: str

    def getvalue(self) -> bytes:
        return self.text.encode("utf-8")


CLOUDS = 6  # clouds drawn unless the analyst picks others; the CSV has every unit
CLOUDS_MAX = 12  # clouds drawn at most at once (each is about 40 ms to draw)
PICKABLE = 1000  # units offered in a picker (the largest); the CSV has every one
KWIC_ROWS = 1000  # sentences shown for a term, newest first; the CSV has every one


def token_counts(table: pd.DataFrame, field: str, shown: list[str]) -> str:
    """"A 1,234, B 567": the token totals (column ``tokens``) of the ``shown`` values of ``field``."""
    tokens = table.groupby(field)["tokens"].first()
    return ", ".join(f"{plain(o)} {int(tokens[o]):,}" for o in shown if o in tokens.index)


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


MARKDOWN = re.compile(r"([\\`*_{}\[\]()|<>~$:])")  # inline markup; the text is one line inside quotes


def plain(text: object) -> str:
    """``text`` on one line, quoted and escaped for Markdown (captions, warnings): untrusted text
    stays text, with no link, emphasis, HTML or maths."""
    return "“" + MARKDOWN.sub(r"\\\1", " ".join(str(text).split())) + "”"


PICKER_STORIES = 300  # the largest stories offered in the picker; any other is reachable by its link
# the pages, in the sidebar's order: (file, the name the sidebar shows, the page's title)
PAGES = (("dashboard.py", "Home", "FrameScope"), ("pages/1_Coverage.py", "Coverage", "Coverage"),
         ("pages/2_Reuse.py", "Reuse", "Reuse"), ("pages/3_Entities.py", "Entities", "Entities and sources"),
         ("pages/4_Keywords.py", "Keywords", "Keywords"), ("pages/5_Topics.py", "Topics", "Topics"),
         ("pages/6_Compare.py", "Compare", "Compare"))
SHARED = ("corpus", "story", "no_copies")  # the sidebar's choices, which every page's link carries
LARGEST = "largest"  # a page's first story: the largest carried by the most outlets (Compare)


def _to_url(param: str, value: str | list[str] | None) -> None:
    """Write a choice into the address (``?param=value``, repeated for a list); ``None`` removes it."""
    if value is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get_all(param) != (value if isinstance(value, list) else [value]):
        st.query_params[param] = value


def _story_picker(corpus: str, version: store.Version, first: str) -> int | None:
    """The story picker (``?story=ID``, ``all`` for every article): a story's number is its value in the
    address; an old link's label ("12: terms (n articles)") is read by its number. Without one in the address,
    the page's ``first`` story: "all", or ``LARGEST`` (then written into the address, as any story picked)."""
    labels = ui_data._story_labels(corpus, version)
    biggest = stories.largest(ui_data.story_result(corpus, version).table) if first == LARGEST else None
    default = str(biggest) if str(biggest) in labels else "all"
    wanted = st.query_params.get("story")
    if wanted is not None and wanted not in labels:
        wanted = wanted.split(":", 1)[0].strip()
        if wanted not in labels:
            st.warning(f"There is no story {plain(st.query_params.get('story'))} with more than one article in "
                       f"{plain(corpus)}; showing {plain(labels[default])}.")
            wanted = None
    st.session_state["story"] = wanted if wanted is not None else default
    options = list(labels)[: PICKER_STORIES + 1]
    if st.session_state["story"] not in options:
        options.append(st.session_state["story"])
    picked = st.sidebar.selectbox(
        "Story", options, format_func=labels.get, key="story",
        on_change=lambda: _to_url("story", _story_param(st.session_state["story"], first)),
        help="Articles about the same event, found by clustering (see Coverage).")
    _to_url("story", _story_param(picked, first))
    if first == LARGEST and picked == default and default != "all":
        st.caption(f"Showing story {picked}, the largest story carried by the most outlets: "
                   f"{plain(labels[picked])}. Pick another, or all articles, in the sidebar.")
    return None if picked == "all" else int(picked)


def _story_param(picked: str, first: str) -> str | None:
    """The story as the address holds it: its number, so that every page's link carries it; "all" only where
    the page would otherwise open on a story (``LARGEST``)."""
    return None if picked == "all" and first != LARGEST else picked


def navigation(where, page: str) -> None:
    """The sidebar's links to every page, each carrying the sidebar's choices (``SHARED``) and the controls that
    page had when last seen in this session, so that a click keeps the view (Streamlit's own page list drops the
    address). ``page`` is the current page's name (``PAGES``)."""
    views = st.session_state.setdefault("_views", {})  # page -> its own controls, as last in the address
    views[page] = {k: v for k, v in st.query_params.to_dict().items() if k not in SHARED}
    shared = {k: st.query_params[k] for k in SHARED if k in st.query_params}
    for path, name, _ in PAGES:
        try:
            where.page_link(path, label=name, query_params={**shared, **views.get(name, {})},
                            disabled=name == page)
        except StreamlitPageNotFoundError:  # a page run on its own (AppTest) has no other pages
            return


def login_configured() -> bool:
    """Whether login is on: ``secrets.toml`` has an ``[auth]`` section (``st.login``, OpenID Connect). Without a
    secrets file (``st.secrets`` then raises ``FileNotFoundError``) login is off."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def user() -> str:
    """The logged-in user's e-mail address; "" when login is off (or nobody is logged in)."""
    if not login_configured() or not st.user.is_logged_in:
        return ""
    return str(st.user.get("email") or "")


def gate() -> None:
    """With login on, nobody sees a page or a corpus before logging in with an address the allowlist
    (``FRAMESCOPE_ALLOWED``) admits; stops the page otherwise. Without login, does nothing."""
    if not login_configured():
        return
    if not st.user.is_logged_in:
        st.title("FrameScope")
        st.info("This FrameScope is private: log in to see its corpora.")
        if st.button("Log in", type="primary", key="login"):
            st.login()
        st.stop()
    email, rules = user(), access.Access.from_env()
    verified = st.user.get("email_verified", True) not in (False, "false")
    if not (verified and access.permitted(email, rules)):
        LOG.warning("access refused: account %r%s is not allowed", email, "" if verified else " (not verified)")
        st.title("FrameScope")
        st.error(f"The account {plain(email or 'without an e-mail address')} may not use this FrameScope"
                 + ("" if verified else " (its e-mail address is not verified)")
                 + ". Ask its administrator to add it (or its domain) to FRAMESCOPE_ALLOWED.")
        if st.button("Log out", key="logout"):
            st.logout()
        st.stop()
    st.sidebar.caption(f"Signed in as {plain(email)}" + (" (admin)" if access.is_admin(email, rules) else ""))
    if st.sidebar.button("Log out", key="logout"):
        st.logout()


def may_change(corpus: str) -> bool:
    """Whether this user may delete (or replace the articles of) ``corpus``: anyone without login; with
    login, its creator or an admin (``FRAMESCOPE_ADMINS``)."""
    return access.may_change(user(), store.creator(ui_data.conn(), corpus), access.Access.from_env(),
                             login_configured())


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
        _to_url("story", None)  # a story of another corpus
    if (pending := st.session_state.pop("pending_corpus", None)) in names and pending != wanted:  # just uploaded
        wanted = pending
        _to_url("story", None)
    st.session_state["corpus"] = wanted or default
    name = st.sidebar.selectbox("Corpus", names, key="corpus", on_change=_corpus_changed)
    _to_url("corpus", name)
    version = store.version(ui_data.conn(), name)
    story = _story_picker(name, version, first_story)
    st.session_state["no_copies"] = st.query_params.get("no_copies", "").lower() in ("true", "1")
    no_copies = st.sidebar.toggle("Leave out copies", key="no_copies", on_change=lambda: _to_url(
        "no_copies", "true" if st.session_state["no_copies"] else None),
        help="Articles that copy another article of the corpus (see Reuse) are left out.")
    _to_url("no_copies", "true" if no_copies else None)
    navigation(nav, page)
    copy_link()
    return ui_data.Scope(name, version.generation, version.revision, story, no_copies)


def _corpus_changed() -> None:
    _to_url("corpus", st.session_state["corpus"])
    _to_url("story", None)


def view(title: str, caption: str, first_story: str = "all") -> ui_data.Scope:
    """An analysis page's header and sidebar (``sidebar_scope``); stops the page (with a message) when there is
    no corpus."""
    page_header(title, caption)
    scope = sidebar_scope(title, first_story)
    if scope is None:
        st.stop()
    return scope


NO_COLUMN = "(none)"


def column_choices(files: list, batch: int) -> dict[str, dict[str, str | None]]:
    """For each uploaded table (CSV, TSV, JSON, JSON Lines): a preview of its first rows and a choice of the column
    of each field (the command line's ``--FIELD-col``) and of the paragraph separator (``--paragraph-sep``), made
    by name at first and then as last chosen for a table of the same columns (``lib.ingest.columns``). Returns
    the choices (``ingest.read_bytes`` overrides) by file name."""
    chosen: dict[str, dict[str, str | None]] = {}
    for i, f in enumerate(files):
        table = ingest.preview(f.name, f.getvalue())
        if table is None or table.columns.empty:
            continue
        columns = [str(c) for c in table.columns]
        known = ingest_columns.remembered(columns) or {}
        auto = ingest.map_columns(columns)
        with st.expander(f"Columns of {plain(f.name)}", expanded=True):
            st.dataframe(table, hide_index=True, key=f"map_preview_{batch}_{i}")
            picks: dict[str, str | None] = {}
            for col, field_name in zip(st.columns(4) * 2, ingest.FIELDS, strict=False):
                default = known[field_name] if field_name in known else auto.get(field_name)
                options = [NO_COLUMN, *columns]
                picked = col.selectbox(f"{field_name} (--{field_name}-col)", options, format_func=str,
                                       index=options.index(default) if default in options else 0,
                                       key=f"map_{batch}_{i}_{field_name}")
                picks[field_name] = None if picked == NO_COLUMN else picked
            sep = st.text_input("Paragraph separator of the text column (--paragraph-sep; empty: none)",
                                value=known.get(ingest.PARAGRAPH_SEP) or "", key=f"map_{batch}_{i}_sep")
            chosen[f.name] = {**picks, ingest.PARAGRAPH_SEP: sep or None}
            if chosen[f.name] != known:
                ingest_columns.remember(columns, chosen[f.name])
    return chosen


def new_corpus_name(names: list[str], stem: str = "uploads") -> str:
    """The first of ``stem``, ``stem``-2, ``stem``-3, ... that names no corpus yet: uploads go into a new corpus
    unless the analyst names an existing one."""
    taken, n = set(names), 1
    while (name := stem if n == 1 else f"{stem}-{n}") in taken:
        n += 1
    return name


def upload(files: list, corpus: str, replace: bool, columns: dict[str, dict[str, str | None]] | None = None,
           ) -> pipeline.Report:
    """Read uploaded files (with the same limits as the CLI; a table's ``columns`` as chosen by
    ``column_choices``) and store them, with a progress bar; the corpus records who created it. Raises
    ``store.StoreError`` when asked to replace the articles of a corpus this user may not change (or for a name
    the store refuses); the refusal and the ingest are logged."""
    if replace and corpus in store.corpus_names(ui_data.conn()) and not may_change(corpus):
        LOG.warning("upload refused: %r may not replace the articles of corpus %r", user(), corpus)
        raise store.StoreError(f"only the creator of {corpus!r} or an admin may replace its articles")
    t0 = time.perf_counter()
    limits = config.Limits.from_env()
    if len(files) > limits.max_files:
        LOG.warning("upload to corpus %r: %d files, only the first %d read (FRAMESCOPE_MAX_FILES)", corpus,
                    len(files), limits.max_files)
    batch = ingest.Batch()
    bar = st.progress(0.0, text="Reading files")
    for i, f in enumerate(files[: limits.max_files]):
        batch.extend(ingest.read_bytes(f.name, f.getvalue(), limits, (columns or {}).get(f.name)))
        bar.progress((i + 1) / len(files) * 0.3, text=f"Read {plain(f.name)}")  # a name is text, not Markdown
    weights = {"fetch": 0.3, "count": 0.3, "clean": 0.5, "store": 0.9}

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(min(1.0, weights.get(stage, 0) + 0.2 * done / max(total, 1)), text=f"{stage.capitalize()}…")

    fetcher = fetch.Fetcher(fetch.Settings.from_env(hosted=True), cache=fetch.cache_folder())  # pasted links, feeds
    batch = web.expand_links(batch, fetcher, progress=lambda done, total: progress("fetch", done, total))
    try:
        report = pipeline.store_batch(ui_data.conn(), corpus, batch, replace=replace, created_by=user(),
                                      progress=progress)
    except store.StoreError as exc:
        LOG.warning("upload refused: corpus %r: %s", corpus, exc)
        raise
    config.log_ingest(LOG, report, time.perf_counter() - t0)
    bar.progress(1.0, text=f"{report.added} articles stored")
    return report


def delete_corpus(corpus: str) -> None:
    """'Delete this corpus' (its name typed to confirm), offered to its creator or an admin (anyone
    without login); the other users are told who may."""
    with st.expander("Delete this corpus"):
        creator = store.creator(ui_data.conn(), corpus)
        st.caption("Created by " + (plain(creator) if creator else "nobody logged in (the demo, the command line "
                                                                   "or a local upload)") + ".")
        if not may_change(corpus):
            st.info("Only the corpus's creator or an admin may delete it.")
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


def marked_text(raw: str, spans: pd.DataFrame) -> str:
    """The raw text with removed spans marked, for ``st.code`` (shown as text, never as Markdown)."""
    return clean.marked(raw, [clean.Span(r.start, r.end, r.kind, bool(r.restored)) for r in spans.itertuples()])


def valid_choice(key: str, options: list) -> list:
    """Forget a widget's choice (from the URL or an earlier run) that is no longer among its options,
    so it falls back to the first (a multiselect keeps the choices still offered), saying so when the address
    asked for it; returns the options."""
    offered = {str(o) for o in options}
    if unknown := [v for v in st.query_params.get_all(key) if v not in offered]:
        st.warning(f"The link asks for {', '.join(map(plain, unknown))}, which this view does not offer; showing "
                   + (f"{plain(options[0])} instead." if options else "nothing."))
    value = st.session_state.get(key)
    if isinstance(value, list) and not set(value) <= set(options):
        st.session_state[key] = [v for v in value if v in set(options)]
    elif key in st.session_state and not isinstance(value, list) and value not in options:
        del st.session_state[key]
    return options


def choice(where, label: str, options: dict[str, str] | list[str], param: str, default: str | None = None,
           widget: str = "", help: str | None = None) -> str:
    """A picker whose choice lives in the address as its short value (``?param=value``; labels are only shown),
    read from the address on every run and written back when it changes, the ``default`` (the first option when
    not given) left out. A value the address asks for that is not offered gets a warning naming what is shown
    instead. ``widget`` names the widget's own state apart (per corpus, per view), so that its labels follow the
    options at once."""
    labels = options if isinstance(options, dict) else {o: o for o in options}
    default = default if default in labels else next(iter(labels))
    wanted = st.query_params.get(param)
    if wanted is not None and wanted not in labels:
        st.warning(f"{label}: {plain(wanted)} is not offered here; showing {plain(labels[default])}.")
        wanted = None
    key = f"{param}@{zlib.crc32(widget.encode()):08x}" if widget else param
    st.session_state[key] = default if wanted is None else wanted

    def changed() -> None:
        _to_url(param, None if st.session_state[key] == default else st.session_state[key])

    picked = where.selectbox(label, list(labels), format_func=labels.get, key=key, on_change=changed, help=help)
    _to_url(param, None if picked == default else picked)
    return picked


def choices(where, label: str, options: dict[str, str], param: str, widget: str = "",
            max_selections: int | None = None) -> list[str]:
    """``choice`` for several values (a multiselect, empty by default): ``?param=a&param=b``; values the address
    asks for that are not offered are left out, with a warning that names them."""
    wanted = st.query_params.get_all(param)
    if unknown := [w for w in wanted if w not in options]:
        st.warning(f"{label}: {', '.join(map(plain, unknown))} not offered here; left out.")
    key = f"{param}@{zlib.crc32(widget.encode()):08x}" if widget else param
    st.session_state[key] = [w for w in wanted if w in options][:max_selections]

    def changed() -> None:
        _to_url(param, st.session_state[key] or None)

    picked = where.multiselect(label, list(options), format_func=options.get, key=key, on_change=changed,
                               max_selections=max_selections)
    _to_url(param, picked or None)
    return picked


def _pick_cell(prefix: str, row: str, short: Callable[[str], object]) -> None:
    cells = st.session_state[f"{prefix}_heatmap"]["selection"].get("cell") or []
    if cells:
        _to_url(f"{prefix}_row", str(short(cells[0][row])))
        _to_url(f"{prefix}_outlet", cells[0]["outlet"])


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


_COPY_LINK = st.components.v2.component(
    "framescope_copy_link",
    html="""<div class="link">
<input class="url" type="text" readonly aria-label="Link to this view">
<button class="copy" type="button">Copy link</button>
<span class="said" role="status"></span>
</div>""",
    css="""
.link { display: flex; flex-wrap: wrap; gap: 0.3rem; align-items: center; font-family: var(--st-font); }
.url { flex: 1 1 100%; min-width: 0; font-size: 0.75rem; padding: 0.25rem 0.4rem;
  color: var(--st-text-color); background: var(--st-secondary-background-color);
  border: 1px solid var(--st-border-color, #ccc); border-radius: 0.4rem; }
.copy { font-size: 0.85rem; padding: 0.25rem 0.7rem; cursor: pointer; color: var(--st-text-color);
  background: var(--st-background-color); border: 1px solid var(--st-border-color, #ccc); border-radius: 0.4rem; }
.said { font-size: 0.75rem; color: var(--st-text-color); opacity: 0.7; }
""",
    js="""
const timers = new WeakMap()
export default function (component) {
  const { parentElement } = component
  const url = parentElement.querySelector(".url")
  const copy = parentElement.querySelector(".copy")
  const said = parentElement.querySelector(".said")
  const show = () => { if (url.value !== window.location.href) url.value = window.location.href }
  show()
  if (!timers.has(parentElement)) timers.set(parentElement, setInterval(show, 700))
  url.onfocus = () => { show(); url.select() }
  copy.onclick = async () => {
    show()
    try {
      await navigator.clipboard.writeText(url.value)
      said.textContent = "Copied"
    } catch (e) {
      url.focus()
      url.select()
      said.textContent = "Press Ctrl+C (or Cmd+C) to copy"
    }
  }
  return () => { clearInterval(timers.get(parentElement)); timers.delete(parentElement) }
}
""",
)


def copy_link() -> None:
    """The link to this view (every control of the page is in it), with a button that copies it. Read
    from the browser's address bar when shown and when clicked, so it is always the current view."""
    with st.sidebar:
        st.caption("Share this view")
        _COPY_LINK(key="copy_link")
