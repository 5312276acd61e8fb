"""The only Streamlit code in lib: the store connection, cached reads, the shared sidebar, uploads.

Cache keys are small hashables (corpus name, revision), never DataFrames; a new revision is a new
key, so every page sees an edit at once.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from lib import (
    analysis,
    charts,
    clean,
    config,
    coverage,
    entities,
    export,
    ingest,
    keywords,
    pipeline,
    reuse,
    sources,
    store,
    stories,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DEMO = "demo"


def conn():
    """This session's connection to the store of ``$FRAMESCOPE_HOME``. One per session, so one
    user's write transaction never mixes with another's reads (SQLite in WAL mode serialises writers)."""
    home = str(config.home())
    if st.session_state.get("_store_home") != home:
        st.session_state["_store"], st.session_state["_store_home"] = store.connect(Path(home)), home
    return st.session_state["_store"]


@st.cache_resource(max_entries=1)
def _demo_ready(home: str) -> bool:
    c = store.connect(Path(home))
    if DEMO not in store.corpus_names(c):
        pipeline.ingest_paths(c, DEMO, [SEEDS])
    c.close()
    return True


def ensure_demo() -> None:
    """Create the demo corpus from ``seeds/`` on first start."""
    _demo_ready(str(config.home()))


TIME_ZONES = ["UTC", *sorted(zoneinfo.available_timezones() - {"UTC"})]
EDITOR_ROWS = 1000  # rows the metadata editor shows at once; a filter narrows larger corpora


@st.cache_data(max_entries=32, show_spinner=False)
def articles(corpus: str, revision: int, search: str = "", limit: int | None = EDITOR_ROWS) -> pd.DataFrame:
    return store.articles(conn(), corpus, search=search, limit=limit)


@st.cache_data(max_entries=32, show_spinner=False)
def raw_text(corpus: str, revision: int, article_id: int) -> str:
    return store.raw_text(conn(), corpus, article_id)


@st.cache_data(max_entries=32, show_spinner=False)
def summary(corpus: str, revision: int) -> dict:
    """The corpus's row of ``store.list_corpora``: articles, outlets, words, first and last dates
    ("" when no article has a date)."""
    df = store.list_corpora(conn())
    row = df[df["name"] == corpus].iloc[0]
    return {k: "" if pd.isna(v) else v for k, v in row.items()}


@st.cache_data(max_entries=32, show_spinner=False)
def removed(corpus: str, revision: int, article_id: int) -> pd.DataFrame:
    return store.removed(conn(), corpus, article_id)


@dataclass(frozen=True)
class PastedFile:
    """Pasted text, shaped like an uploaded file."""

    name: str
    text: str

    def getvalue(self) -> bytes:
        return self.text.encode("utf-8")


@dataclass(frozen=True)
class Scope:
    """The sidebar's choices: corpus, its revision, a story (None: all articles), and whether
    articles that copy another article of the corpus are left out."""

    corpus: str
    revision: int
    story: int | None = None
    no_copies: bool = False

    @property
    def stem(self) -> str:
        """The start of a download's file name: corpus, and story if one is picked."""
        return self.corpus + (f"-story{self.story}" if self.story else "")


@st.cache_data(max_entries=16, show_spinner=False)
def all_stats(corpus: str, revision: int) -> pd.DataFrame:
    """``analysis.stats``: every article's figures, labelled outlet, story and original if a copy."""
    story_result(corpus, revision)  # with their spinners, the first time
    reuse_pairs(corpus, revision)
    return analysis.stats(conn(), corpus)


def stats(scope: Scope) -> pd.DataFrame:
    """The scope's articles (the picked story's, or all; copies left out if asked), without texts."""
    df = analysis.in_story(all_stats(scope.corpus, scope.revision), scope.story)
    return df[df["copy_of"].isna()] if scope.no_copies else df


@st.cache_data(max_entries=32, show_spinner=False)
def coverage_tables(scope: Scope, tz: str) -> dict[str, pd.DataFrame]:
    """The coverage page's tables that depend on the time zone: outlets and first reports."""
    df = stats(scope)
    return {"outlets": coverage.outlets(df, tz), "first": coverage.first_reports(df, tz)}


@st.cache_data(max_entries=32, show_spinner=False)
def story_tables(scope: Scope) -> dict[str, pd.DataFrame]:
    """The coverage page's tables that do not: undated articles, stories, story x outlet matrix."""
    df = stats(scope)
    result = story_result(scope.corpus, scope.revision)
    return {"undated": coverage.undated(df), "stories": result.table[result.table["story"].isin(df["story"])],
            "matrix": stories.matrix(df, result.table, outlets(scope))}


@st.cache_data(max_entries=32, show_spinner=False)
def timeline(scope: Scope, tz: str, unit: str | None) -> tuple[pd.DataFrame, str]:
    """``coverage.timeline`` of the scope (``unit`` None: the bin chosen from the span)."""
    return coverage.timeline(stats(scope), tz, unit)


@st.cache_data(max_entries=8, show_spinner="Finding the people, organisations and places named (once per revision)…")
def entity_mentions(corpus: str, revision: int) -> pd.DataFrame:
    return analysis.entity_mentions(conn(), corpus)


@st.cache_data(max_entries=8, show_spinner="Finding the sources each outlet credits (once per revision)…")
def cited_sources(corpus: str, revision: int) -> pd.DataFrame:
    return analysis.cited_sources(conn(), corpus)


def _in_scope(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Rows (mentions, credits) of the scope's articles; all of them when the scope is the corpus."""
    if scope.story is None and not scope.no_copies:
        return df
    return analysis.in_articles(df, stats(scope)["id"])


@st.cache_data(max_entries=32, show_spinner=False)
def entity_table(scope: Scope, top: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``top`` entities of the scope: per entity and outlet (long), and as an entity x outlet grid."""
    cells = entities.by_outlet(_in_scope(entity_mentions(scope.corpus, scope.revision), scope), top=top)
    return cells, analysis.grid(cells, "entity", "mentions", outlets(scope))


@st.cache_data(max_entries=8, show_spinner=False)
def _top_mentions(scope: Scope, top: int) -> pd.DataFrame:
    """The mentions of the ``top`` entities: the evidence behind every cell, small next to all mentions."""
    mentions = _in_scope(entity_mentions(scope.corpus, scope.revision), scope)
    return mentions[mentions["entity"].isin(entity_table(scope, top)[1].index)]


EVIDENCE_ROWS = 500  # sentences shown behind one cell


@st.cache_data(max_entries=64, show_spinner=False)
def entity_evidence(scope: Scope, top: int, entity: str, outlet: str | None) -> tuple[int, pd.DataFrame]:
    """How many sentences of the scope mention ``entity`` (one of the ``top``; in ``outlet``'s
    articles, or all), and the first ``EVIDENCE_ROWS`` of them with their text."""
    hits = analysis.cell(_top_mentions(scope, top), "entity", entity, outlet)
    total = len(hits[["article_id", "sentence"]].drop_duplicates())
    first = hits.head(EVIDENCE_ROWS)  # mentions come in corpus order
    keys = list(dict.fromkeys(zip(first["article_id"], first["sentence"], strict=True)))
    return total, entities.evidence(first, store.sentence_texts(conn(), scope.corpus, keys), entity, outlet)


def _credits(scope: Scope, media_only: bool) -> pd.DataFrame:
    cited = _in_scope(cited_sources(scope.corpus, scope.revision), scope)
    return cited[cited["kind"].isin(["media", "platform"])] if media_only else cited


@st.cache_data(max_entries=32, show_spinner=False)
def source_table(scope: Scope, media_only: bool, top: int = 30) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Credits in the scope (media and platforms only, or every credited name) per outlet and
    source, and the ``top`` sources as a source x outlet grid."""
    table = sources.by_outlet(_credits(scope, media_only))
    return table, analysis.grid(table, "source", "citations", outlets(scope), top=top)


@st.cache_data(max_entries=64, show_spinner=False)
def source_evidence(scope: Scope, media_only: bool, source: str, outlet: str | None) -> pd.DataFrame:
    """The credits to ``source`` (by ``outlet``, or all) in the scope, with their sentences."""
    return analysis.cell(_credits(scope, media_only), "source", source, outlet)


CLOUDS = 12  # clouds drawn at once; the CSV has every unit


def vocabulary(scope: Scope, ngram_range: tuple[int, int], min_df: int | None, english: bool) -> keywords.Vocabulary:
    """The keyword settings, with the corpus's saved custom stopwords."""
    return analysis.vocabulary(conn(), scope.corpus, ngram_range, min_df, english)


@st.cache_data(max_entries=256, show_spinner=False)
def cloud(terms: pd.DataFrame, color: str) -> bytes:
    return charts.cloud_png(terms, color)


def pick_term(chart_key: str):
    """An ``on_select`` callback: the clicked term becomes the keyword-in-context term."""
    def pick() -> None:
        points = st.session_state[chart_key]["selection"].get("term") or []
        if points:
            st.session_state["kw_term"] = points[0]["term"]
    return pick


TOP_MAX = 60  # the most terms a cloud or a table shows; tables are cached at this size and cut per request


@st.cache_resource(max_entries=2, show_spinner="Counting the corpus's terms (once per revision and vocabulary)…")
def term_matrix(corpus: str, revision: int, vocab: keywords.Vocabulary) -> keywords.Matrix:
    """The corpus term matrix, shared and never modified: a cached copy per rerun would cost seconds
    on a large corpus (hundreds of MB), so it is held like a model, not copied like data."""
    return analysis.term_matrix(conn(), corpus, vocab)


@st.cache_data(max_entries=32, show_spinner="Ranking terms…")
def _keyword_table(scope: Scope, vocab: keywords.Vocabulary, by: str) -> pd.DataFrame:
    m = term_matrix(scope.corpus, scope.revision, vocab)
    return keywords.keywords(m, analysis.units(stats(scope), by), TOP_MAX)


def keyword_table(scope: Scope, vocab: keywords.Vocabulary, by: str, top: int) -> pd.DataFrame:
    """``keywords.keywords`` of the scope's units (outlet, story or article), ``top`` per unit."""
    table = _keyword_table(scope, vocab, by)
    return table[table["rank"] <= top]


@st.cache_data(max_entries=32, show_spinner="Scoring distinctive terms…")
def _distinctive_table(scope: Scope, vocab: keywords.Vocabulary) -> pd.DataFrame:
    m = term_matrix(scope.corpus, scope.revision, vocab)
    return keywords.distinctive(m, analysis.units(stats(scope), "outlet"), TOP_MAX)


def distinctive_table(scope: Scope, vocab: keywords.Vocabulary, top: int) -> pd.DataFrame:
    """``keywords.distinctive`` of the scope's outlets, ``top`` per outlet."""
    table = _distinctive_table(scope, vocab)
    return table[table["rank"] <= top]


@st.cache_data(max_entries=32, show_spinner=False)
def kwic(scope: Scope, term: str) -> pd.DataFrame:
    """Every sentence of the scope that uses ``term``, with its outlet and date."""
    return analysis.kwic(conn(), scope.corpus, stats(scope), term)


@st.cache_data(max_entries=8, show_spinner="Finding shared passages between articles (once per revision)…")
def reuse_pairs(corpus: str, revision: int) -> pd.DataFrame:
    return analysis.reuse_pairs(conn(), corpus)


@st.cache_data(max_entries=64, show_spinner=False)
def passages(corpus: str, revision: int, source: int, target: int) -> tuple[pd.DataFrame, str, str]:
    """The shared passages of two articles, and both texts with the passages marked ⟦shared k: …⟧."""
    text = store.texts(conn(), corpus).set_index("id")["text"]
    table = reuse.passage_table(text[source], text[target])
    marks = [(clean.Span(r.source_start, r.source_end, f"shared {r.passage}", False),
              clean.Span(r.target_start, r.target_end, f"shared {r.passage}", False)) for r in table.itertuples()]
    return (table, clean.marked(text[source], [m[0] for m in marks]),
            clean.marked(text[target], [m[1] for m in marks]))


def outlets(scope: Scope) -> list[str]:
    """The corpus's outlets in their colour order (the same on every page, whatever the story)."""
    return coverage.outlet_order(all_stats(scope.corpus, scope.revision))


@st.cache_data(max_entries=8, show_spinner="Finding the stories in this corpus (once per revision)…")
def story_result(corpus: str, revision: int) -> stories.Stories:
    return analysis.story_result(conn(), corpus)


@st.cache_data(max_entries=8, show_spinner=False)
def _story_labels(corpus: str, revision: int) -> dict[str, str]:
    table = story_result(corpus, revision).table
    labels = {"all": f"All articles ({int(table['articles'].sum()):,})"}
    return labels | {str(r.story): f"{r.story}: {r.terms} ({r.articles} articles)"
                     for r in table[table["articles"] > 1].itertuples()}


PICKER_STORIES = 300  # the largest stories offered in the picker; any other is reachable by its link


def _story_picker(corpus: str, revision: int) -> int | None:
    labels = _story_labels(corpus, revision)
    wanted = st.query_params.get("story")
    if wanted is not None and wanted not in labels:
        st.warning(f"There is no story {wanted!r} with more than one article in {corpus!r}; showing all articles.")
        del st.query_params["story"]
        st.session_state.pop("story", None)
    if st.session_state.get("story") not in labels:
        st.session_state["story"] = wanted if wanted in labels else "all"
    options = list(labels)[: PICKER_STORIES + 1]
    if st.session_state["story"] not in options:
        options.append(st.session_state["story"])
    picked = st.sidebar.selectbox("Story", options, format_func=labels.get, key="story", bind="query-params",
                                  help="Articles about the same event, found by clustering (see Coverage).")
    return None if picked == "all" else int(picked)


def page_header(title: str, caption: str = "") -> None:
    st.set_page_config(page_title=f"{title} · FrameScope", layout="wide")
    st.title(title)
    if caption:
        st.caption(caption)


def sidebar_scope() -> Scope | None:
    """The corpus picker, kept in the URL (``?corpus=NAME``); None (with a message) when none exists."""
    ensure_demo()
    names = store.corpus_names(conn())
    if not names:
        st.info("No corpus yet: upload articles below or run `framescope ingest PATH --corpus NAME`.")
        return None
    default = DEMO if DEMO in names else names[0]
    names = [default, *(n for n in names if n != default)]  # the widget's default, left out of URLs, comes first
    wanted = st.query_params.get("corpus")
    if wanted is not None and wanted not in names:
        st.warning(f"There is no corpus named {wanted!r}; showing {default!r} instead.")
        del st.query_params["corpus"]
        st.session_state.pop("corpus", None)
    if (pending := st.session_state.pop("pending_corpus", None)) in names:  # just uploaded
        st.session_state["corpus"] = pending
    if st.session_state.get("corpus") not in names:
        st.session_state["corpus"] = wanted if wanted in names else default
    name = st.sidebar.selectbox("Corpus", names, key="corpus", bind="query-params")
    revision = store.revision(conn(), name)
    story = _story_picker(name, revision)
    no_copies = st.sidebar.toggle("Leave out copies", key="no_copies", bind="query-params",
                                  help="Articles that copy another article of the corpus (see Reuse) are left out.")
    return Scope(name, revision, story, no_copies)


def view(title: str, caption: str) -> Scope:
    """An analysis page's header and sidebar; stops the page (with a message) when there is no corpus."""
    page_header(title, caption)
    scope = sidebar_scope()
    if scope is None:
        st.stop()
    return scope


def upload(files: list, corpus: str, replace: bool) -> pipeline.Report:
    """Read uploaded files (with the same limits as the CLI) and store them, with a progress bar."""
    limits = config.Limits.from_env()
    batch = ingest.Batch()
    bar = st.progress(0.0, text="Reading files")
    for i, f in enumerate(files[: limits.max_files]):
        batch.extend(ingest.read_bytes(f.name, f.getvalue(), limits))
        bar.progress((i + 1) / len(files) * 0.3, text=f"Read {f.name}")
    weights = {"clean": 0.3, "metadata": 0.5, "segment": 0.7, "store": 0.9}

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(min(1.0, weights.get(stage, 0) + 0.2 * done / max(total, 1)), text=f"{stage.capitalize()}…")

    report = pipeline.store_batch(conn(), corpus, batch, replace=replace, progress=progress)
    bar.progress(1.0, text=f"{report.added} articles stored")
    return report


def marked_text(raw: str, spans: pd.DataFrame) -> str:
    """The raw text with removed spans marked, for ``st.code`` (shown as text, never as Markdown)."""
    return clean.marked(raw, [clean.Span(r.start, r.end, r.kind, bool(r.restored)) for r in spans.itertuples()])


def valid_choice(key: str, options: list) -> list:
    """Forget a widget's choice (from the URL or an earlier run) that is no longer among its options,
    so it falls back to the first; returns the options."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    return options


def _pick_cell(prefix: str, row: str) -> None:
    cells = st.session_state[f"{prefix}_heatmap"]["selection"].get("cell") or []
    if cells:
        st.session_state[f"{prefix}_row"], st.session_state[f"{prefix}_outlet"] = cells[0][row], cells[0]["outlet"]


def chart(c: alt.Chart, key: str) -> None:
    """Draw a single-view ``lib/charts.py`` chart (a DataFrame at its top level) as ``st.altair_chart``
    would, without Altair's JSON-schema validation of the spec on every rerun (a third of a rerun on a
    large corpus, for a 491-outlet colour scale); the builders' specs are validated by their tests.
    Layered charts (heatmaps) go through ``st.altair_chart``: drawn this way they gain an empty cell."""
    spec = c.copy(deep=False)
    spec.data = alt.Undefined
    st.vega_lite_chart(c.data, spec.to_dict(validate=False), key=key)


def heatmap_cells(grid: pd.DataFrame, value: str, prefix: str) -> None:
    """The ``charts.heatmap`` of a rows x outlets grid; a clicked cell becomes the choice of
    ``cell_picker(..., prefix)`` (and so goes into the URL)."""
    st.altair_chart(charts.heatmap(grid, value=value), key=f"{prefix}_heatmap", selection_mode="cell",
                    on_select=lambda: _pick_cell(prefix, grid.index.name))


def cell_picker(label: str, grid: pd.DataFrame, prefix: str) -> tuple[str, str | None]:
    """Pick a row of a rows x outlets grid and an outlet (None: all); both kept in the URL."""
    left, right = st.columns(2)
    row = left.selectbox(label, valid_choice(f"{prefix}_row", list(grid.index)), key=f"{prefix}_row",
                         bind="query-params")
    outlet = right.selectbox("Outlet", valid_choice(f"{prefix}_outlet", ["all", *grid.columns]),
                             key=f"{prefix}_outlet", bind="query-params")
    return row, None if outlet == "all" else outlet


def download(df: pd.DataFrame, filename: str, key: str, label: str = "Download CSV") -> None:
    """A CSV download of exactly the table shown (formula-like cells neutralised), written when
    clicked rather than on every rerun."""
    st.download_button(label, lambda: export.to_csv(df), filename, "text/csv", key=key)

