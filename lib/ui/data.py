"""The cached reads behind the pages: this session's store connection, the sidebar's ``Scope``, and
``st.cache_data`` wrappers around ``lib/analysis.py`` (and ``lib/store/__init__.py``) reads.

Cache keys are small hashables (corpus name and ``store.Version``: its generation, which never repeats, and
its revision; a ``Scope``; parameters): a new revision is a new key, so every page sees an edit at once,
and a corpus deleted and created again under its name is a new generation, so no page is ever served the
old corpus from a cache (nor needs every user's cache cleared). Only a drawing is keyed by its content: a
cloud (here) and a chart (``lib.ui.chart``), by the small table they draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from lib import analysis, config, store
from lib.analyses import compare, coverage, entities, keywords, reuse, sources, stories, topics
from lib.cleaning import clean
from lib.text import terms
from lib.ui.sized import SizedCache
from lib.ui.text import plain
from lib.views import charts, grids, report, topic_views


def conn():
    """This session's connection to the store of ``$FRAMESCOPE_HOME``. One per session, so one
    user's write transaction never mixes with another's reads (SQLite in WAL mode serialises writers)."""
    home = str(config.home())
    if st.session_state.get("_store_home") != home:
        st.session_state["_store"], st.session_state["_store_home"] = store.connect(Path(home)), home
    return st.session_state["_store"]


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
    """``analysis.stats``: every article's figures, labelled outlet, story and original if a copy."""
    story_result(corpus, version)  # with their spinners, the first time
    reuse_pairs(corpus, version)
    return analysis.stats(conn(), corpus)


@st.cache_data(max_entries=64, show_spinner=False)
def stats(scope: Scope) -> pd.DataFrame:
    """The scope's articles (the picked story's, or all; copies left out if asked), without texts. Cached
    as well: a page reads them several times, and a story's few rows are quicker to copy than the corpus's."""
    df = analysis.in_story(all_stats(scope.corpus, scope.version), scope.story)
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
    result = story_result(scope.corpus, scope.version)
    every = stories.matrix(df, result.table, outlets(scope), top=len(result.table))
    return {"undated": coverage.undated(df), "stories": result.table[result.table["story"].isin(df["story"])],
            "matrix": every, "matrix_shown": grids.top_cells(every)}


@st.cache_data(max_entries=32, show_spinner=False)
def timeline(scope: Scope, tz: str, unit: str | None) -> tuple[pd.DataFrame, str]:
    """``coverage.timeline`` of the scope (``unit`` None: the bin chosen from the span)."""
    return coverage.timeline(stats(scope), tz, unit)


@st.cache_data(max_entries=8, show_spinner="Finding the people, organisations and places named (once per revision)…")
def entity_mentions(corpus: str, version: store.Version) -> pd.DataFrame:
    return analysis.entity_mentions(conn(), corpus)


@st.cache_data(max_entries=8, show_spinner="Finding the sources each outlet credits (once per revision)…")
def cited_sources(corpus: str, version: store.Version) -> pd.DataFrame:
    return analysis.cited_sources(conn(), corpus)


def _in_scope(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Rows (mentions, credits) of the scope's articles; all of them when the scope is the corpus."""
    if scope.story is None and not scope.no_copies:
        return df
    return analysis.in_articles(df, stats(scope)["id"])


@st.cache_data(max_entries=32, show_spinner=False)
def entity_table(scope: Scope, top: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``top`` entities of the scope: per entity and outlet (long), and as an entity x outlet grid."""
    cells = entities.by_outlet(_in_scope(entity_mentions(scope.corpus, scope.version), scope), top=top)
    return cells, analysis.grid(cells, "entity", "mentions", outlets(scope))


@st.cache_data(max_entries=8, show_spinner=False)
def _top_mentions(scope: Scope, top: int) -> pd.DataFrame:
    """The mentions of the ``top`` entities: the evidence behind every cell, small next to all mentions."""
    mentions = _in_scope(entity_mentions(scope.corpus, scope.version), scope)
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
    cited = _in_scope(cited_sources(scope.corpus, scope.version), scope)
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


def vocabulary(scope: Scope, ngram_range: tuple[int, int], min_df: int | None, english: bool) -> terms.Vocabulary:
    """The keyword settings, with the corpus's saved custom stopwords."""
    return analysis.vocabulary(conn(), scope.corpus, ngram_range, min_df, english)


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


TOP_MAX = 60  # the most terms a cloud or a table shows; tables are cached at this size and cut per request


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
            return analysis.term_matrix(conn(), corpus, vocab)

    return term_matrices().get((corpus, version, vocab), build)


def forget(corpus: str, generation: str) -> None:
    """Let go of the term matrices of a deleted corpus generation at once (its other cached reads are never
    asked for again, and go as newer ones come)."""
    term_matrices().drop(lambda key: (key[0], key[1].generation) != (corpus, generation))


@st.cache_data(max_entries=32, show_spinner=False)
def own_names(scope: Scope, vocab: terms.Vocabulary, by: str, among: tuple[str, ...] = ()) -> dict[str, frozenset[str]]:
    """Each unit's (outlet's, story's, article's, group's) own names, those of its articles' outlets
    (``keywords.unit_names``), but for the words most other units use too (``keywords.named_alone``)."""
    df = stats(scope)
    units = analysis.groups(df, by, list(among)) if by not in ("story", "article") else analysis.units(df, by)
    names = keywords.unit_names(units, pd.Series(df["outlet"].to_numpy(), index=df["id"].to_numpy()))
    return keywords.named_alone(term_matrix(scope.corpus, scope.version, vocab), units, names)


@st.cache_data(max_entries=32, show_spinner="Ranking terms…")
def _keyword_table(scope: Scope, vocab: terms.Vocabulary, by: str, own: bool) -> pd.DataFrame:
    m = term_matrix(scope.corpus, scope.version, vocab)
    return keywords.keywords(m, analysis.units(stats(scope), by), TOP_MAX, own_names(scope, vocab, by) if own else None)


def keyword_table(scope: Scope, vocab: terms.Vocabulary, by: str, top: int, own: bool = False) -> pd.DataFrame:
    """``keywords.keywords`` of the scope's units (outlet, story or article), ``top`` per unit; ``own``: each
    unit's outlets' own names left out of its terms."""
    table = _keyword_table(scope, vocab, by, own)
    return table[table["rank"] <= top]


@st.cache_data(max_entries=32, show_spinner="Scoring distinctive terms…")
def _distinctive_table(scope: Scope, vocab: terms.Vocabulary, group: str, among: tuple[str, ...],
                       own: bool) -> pd.DataFrame:
    m = term_matrix(scope.corpus, scope.version, vocab)
    names = own_names(scope, vocab, group, among) if own else None
    return keywords.distinctive(m, analysis.groups(stats(scope), group, list(among)), TOP_MAX, group, names)


def distinctive_table(scope: Scope, vocab: terms.Vocabulary, top: int, group: str = "outlet",
                      among: tuple[str, ...] = (), own: bool = False) -> pd.DataFrame:
    """``keywords.distinctive`` of the scope's outlets (or values of ``group``, only those in
    ``among`` when given), ``top`` per outlet; ``own`` as ``keyword_table``."""
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


def counted(scope: Scope) -> str:
    """``coverage.counted`` of the scope: "300 articles from 43 outlets" (and how many name none)."""
    return coverage.counted(stats(scope))


def kwic_every(scope: Scope, vocab: terms.Vocabulary, term: str, outlets: tuple[str, ...] = (),
               limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """``analysis.kwic`` of the scope (only the articles of ``outlets``, when given): the sentences that use
    ``term``, newest article first (at most ``limit``), and the number of articles that may use it (looked
    up in the term matrix of ``vocab``). Not cached: every sentence of a common term is a CSV made on request."""
    df = stats(scope)
    df = df[df["outlet"].isin(outlets)] if outlets else df
    return analysis.kwic(conn(), scope.corpus, df, term, term_matrix(scope.corpus, scope.version, vocab), limit)


@st.cache_data(max_entries=32, show_spinner="Finding the term's sentences…")
def kwic(scope: Scope, vocab: terms.Vocabulary, term: str, outlets: tuple[str, ...],
         limit: int) -> tuple[pd.DataFrame, int]:
    """``kwic_every``, at most ``limit`` sentences: what the page shows."""
    return kwic_every(scope, vocab, term, outlets, limit)


@st.cache_data(max_entries=8, show_spinner="Finding shared passages between articles (once per revision)…")
def reuse_pairs(corpus: str, version: store.Version) -> pd.DataFrame:
    return analysis.reuse_pairs(conn(), corpus)


@st.cache_data(max_entries=64, show_spinner=False)
def passages(corpus: str, version: store.Version, source: int, target: int) -> tuple[pd.DataFrame, str, str]:
    """The shared passages of two articles, and both texts with the passages marked ⟦shared k: …⟧."""
    text = store.texts(conn(), corpus, [source, target]).set_index("id")["text"]
    table = reuse.passage_table(text[source], text[target])
    marks = [(clean.Span(r.source_start, r.source_end, f"shared {r.passage}", False),
              clean.Span(r.target_start, r.target_end, f"shared {r.passage}", False)) for r in table.itertuples()]
    return (table, clean.marked(text[source], [m[0] for m in marks]),
            clean.marked(text[target], [m[1] for m in marks]))


@st.cache_data(max_entries=16, show_spinner=False)
def _outlet_order(corpus: str, version: store.Version) -> list[str]:
    return coverage.outlet_order(all_stats(corpus, version))


def outlets(scope: Scope) -> list[str]:
    """The corpus's outlets in their colour order (the same on every page, whatever the story); cached apart
    from ``all_stats``, which a large corpus takes milliseconds to copy out of the cache."""
    return _outlet_order(scope.corpus, scope.version)


@st.cache_data(max_entries=8, show_spinner="Finding the stories in this corpus (once per revision)…")
def story_result(corpus: str, version: store.Version) -> stories.Stories:
    return analysis.story_result(conn(), corpus)


@st.cache_data(max_entries=8, show_spinner=False)
def story_labels(corpus: str, version: store.Version) -> dict[str, str]:
    table = story_result(corpus, version).table
    labels = {"all": f"All articles ({int(table['articles'].sum()):,})"}
    return labels | {str(r.story): f"{r.story}: {r.terms} ({r.articles} articles)"
                     for r in table[table["articles"] > 1].itertuples()}


@st.cache_data(max_entries=16, show_spinner="Aligning the outlets' sentences into story elements…")
def comparison(scope: Scope, outlets: tuple[str, ...]) -> compare.Comparison:
    """``analysis.comparison`` of the scope's articles of ``outlets``."""
    return analysis.comparison(conn(), scope.corpus, stats(scope), list(outlets))


@st.cache_data(max_entries=16, show_spinner=False)
def compare_tables(scope: Scope, outlets: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """``compare.tables`` of the comparison: every table by name, as the CSV downloads give them."""
    return compare.tables(comparison(scope, outlets))


@st.cache_data(max_entries=64, show_spinner=False)
def compare_view(scope: Scope, outlets: tuple[str, ...], which: str, outlet: str | None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The elements of one view of the grid (``compare.view``), its cells (``compare.grid``) and the view as a
    table of each outlet's sentence (``compare.wide``)."""
    cmp = comparison(scope, outlets)
    shown = compare.view(cmp, which, outlet)
    return shown, compare.grid(cmp, shown), compare.wide(cmp, shown)


@st.cache_data(max_entries=8, show_spinner="Writing the report…")
def compare_report(scope: Scope, outlets: tuple[str, ...]) -> bytes:
    """The comparison as one standalone HTML file."""
    title = f"FrameScope comparison: {scope.corpus}" + (f", story {scope.story}" if scope.story else "")
    return report.build(comparison(scope, outlets), title).encode("utf-8")


def _topic_ids(scope: Scope) -> tuple[int, ...] | None:
    """The scope's articles, or None for the whole corpus."""
    return None if scope.story is None and not scope.no_copies else tuple(int(i) for i in stats(scope)["id"])


@st.cache_resource(max_entries=4, show_spinner="Finding topics (once per scope and settings; a large corpus takes "
                   "about a minute)…")
def topic_model(scope: Scope, settings: topics.Settings) -> topics.Topics:
    """``analysis.topic_model`` of the scope, shared and never modified: a large corpus's passage
    assignments are too large to copy on every rerun."""
    return analysis.topic_model(conn(), scope.corpus, settings, _topic_ids(scope))


@st.cache_data(max_entries=32, show_spinner=False)
def topic_outlets(scope: Scope, settings: topics.Settings) -> pd.DataFrame:
    """Topic x outlet: the percentage of each outlet's words in each topic."""
    return topic_views.outlet_shares(topic_model(scope, settings), outlets(scope))


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
    return analysis.topic_time(topic_model(scope, settings), stats(scope))


@st.cache_data(max_entries=64, show_spinner=False)
def topic_passages(scope: Scope, settings: topics.Settings, topic: int, outlet: str | None) -> pd.DataFrame:
    """The passages most like ``topic`` (in ``outlet``, or all), with their publication."""
    return analysis.with_dates(topic_views.passages_of(topic_model(scope, settings), topic, outlet), stats(scope))


def topic_points(scope: Scope, settings: topics.Settings, box: dict) -> pd.DataFrame:
    """The map's points in a brushed box (``{"x": [lo, hi], "y": [lo, hi]}``), with their publication."""
    points = topic_views.in_box(topic_model(scope, settings).points, box.get("x"), box.get("y"))
    return analysis.with_dates(points.drop(columns=["x", "y"]), stats(scope))
