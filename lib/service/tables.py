"""The composers: a view's parameters and the reads' results (``lib.service.reads``) -> one named table, with the
same defaults for the pages (through ``lib/ui``) and ``framescope analyze`` (``tables``)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from lib import store
from lib.analyses import compare, coverage, entities, keywords, kinds, naming, reuse, sources, stories, topics
from lib.cleaning import blocks, clean
from lib.service.reads import (
    STATS_COLUMNS,
    cited_sources,
    entity_mentions,
    reuse_pairs,
    sentences,
    stats,
    term_matrix,
    vocabulary,
)
from lib.text import terms
from lib.views import topic_views


def units(scoped: pd.DataFrame, by: str) -> pd.Series:
    """Each article's unit (outlet, story, or the article itself as "id: title"), indexed by id."""
    if by == "article":
        return pd.Series(scoped["id"].astype(str) + ": " + scoped["title"].fillna("").str.slice(0, 60),
                         index=scoped["id"].to_numpy())
    return pd.Series(scoped[by].to_numpy(), index=scoped["id"].to_numpy())


def groups(scoped: pd.DataFrame, field: str, among: list[str] | None = None) -> pd.Series:
    """Each article's value of ``field`` (outlet or an extra field), indexed by id; with ``among``,
    articles of other values are left out (so "left" is compared with "right" only)."""
    if field not in scoped.columns:
        raise store.StoreError(f"no field {field!r}: choose from {', '.join(group_fields(scoped))}")
    values = units(scoped, field)
    return values[values.isin(among)] if among else values


def topic_time(result: topics.Topics, stats: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """``topic_views.over_time`` in the bin the articles' date span calls for (``coverage.time_bin``, days at
    the finest: a topic's share of one hour's few articles says little), and the bin."""
    t = coverage.times(stats)
    instants = pd.Series(t["instant"].to_numpy(), index=stats["id"].to_numpy())
    unit = coverage.time_bin(instants.dropna())
    unit = "day" if unit == "hour" else unit
    return topic_views.over_time(result, instants, unit), unit


def with_dates(df: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    """Rows of articles (``article_id``) with each article's publication (``published``)."""
    published = stats.set_index("id")["published"]
    return df.assign(published=df["article_id"].map(published))


def in_articles(df: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """The rows (mentions, credits) of the articles ``ids``."""
    return df[df["article_id"].isin(ids)]


def cell(df: pd.DataFrame, column: str, value: str, outlet: str | None = None) -> pd.DataFrame:
    """The rows behind one cell of a grid: ``column`` equal to ``value`` (and of ``outlet``)."""
    keep = df[column] == value
    return df[keep & (df["outlet"] == outlet) if outlet is not None else keep]


def grid(cells: pd.DataFrame, row: str, value: str, outlets: list[str], top: int | None = None) -> pd.DataFrame:
    """A long table (row, outlet, value) as a wide one: the ``top`` rows by total value, largest
    first; outlets in the corpus order; zeros where nothing was counted."""
    wide = cells.pivot_table(index=row, columns="outlet", values=value, aggfunc="sum", fill_value=0, observed=True)
    rows = wide.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]
    wide = wide.reindex(index=rows, columns=[o for o in outlets if o in wide.columns])
    return wide.fillna(0).astype(int).rename_axis(index=row, columns="outlet")


GROUP_VALUES = 50  # an extra field with 2 to this many values can group articles (e.g. a bias rating)


def group_fields(stats: pd.DataFrame) -> list[str]:
    """The columns that can group articles for distinctive terms: outlet, then the extra fields
    with 2 to ``GROUP_VALUES`` distinct values, fewer than the articles that have one (an id or a
    URL groups nothing)."""
    extra = [c for c in stats.columns if c not in STATS_COLUMNS]
    return ["outlet"] + [c for c in extra if 2 <= stats[c].nunique() <= min(GROUP_VALUES, stats[c].count() - 1)]


def pair_labels(pairs: pd.DataFrame, stats: pd.DataFrame, limit: int = 500) -> dict[str, str]:
    """"source-target" -> "outlet: title → outlet: title (containment)" for the first ``limit`` pairs."""
    title = stats.set_index("id")["title"].fillna("").str.slice(0, 70)
    top = pairs.head(limit)
    return {f"{r.source}-{r.target}": f"{r.source_outlet}: {title.get(r.source, '') or r.source} → "
            f"{r.target_outlet}: {title.get(r.target, '') or r.target} ({r.target_in_source:.0%} of the target)"
            for r in top.itertuples()}


def in_pairs(pairs: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """The pairs whose two articles are both among ``ids``."""
    return pairs[pairs["source"].isin(ids) & pairs["target"].isin(ids)]


def in_story(df: pd.DataFrame, story: int | None) -> pd.DataFrame:
    """The articles of one story (all when ``story`` is None)."""
    return df if story is None else df[df["story"] == story]


# The named tables: each composes the cached reads above into what a page shows and ``framescope analyze`` prints,
# with the same defaults, so the CLI and a page show the same table for the same parameters.


ENTITIES_TOP = 25  # entities a table shows unless asked for more


SOURCES_TOP = 30  # sources a grid shows (its table has every one)


EVIDENCE_ROWS = 500  # sentences shown behind one cell


def scoped(all_stats: pd.DataFrame, story: int | None = None, no_copies: bool = False) -> pd.DataFrame:
    """The articles of a view (rows of ``stats``): one story's (all when None), without the articles that copy
    another article of the corpus when ``no_copies``."""
    df = in_story(all_stats, story)
    return df[df["copy_of"].isna()] if no_copies else df


def outlet_order(all_stats: pd.DataFrame) -> list[str]:
    """``coverage.outlet_order``: the corpus's outlets in their colour order, the same on every page."""
    return coverage.outlet_order(all_stats)


def counted(scoped: pd.DataFrame) -> str:
    """``coverage.counted``: "300 articles from 43 outlets" (and how many name none)."""
    return coverage.counted(scoped)


def coverage_tables(scoped: pd.DataFrame, tz: str) -> dict[str, pd.DataFrame]:
    """The coverage tables that depend on the time zone: ``coverage`` (per outlet) and ``first`` (first reports)."""
    return {"coverage": coverage.outlets(scoped, tz), "first": coverage.first_reports(scoped, tz)}


def story_tables(scoped: pd.DataFrame, result: stories.Stories, order: list[str]) -> dict[str, pd.DataFrame]:
    """The coverage tables that do not: ``undated`` articles, the ``stories`` of the view and the
    ``story-matrix`` (story x outlet articles, every story)."""
    return {"undated": coverage.undated(scoped), "stories": result.table[result.table["story"].isin(scoped["story"])],
            "story-matrix": stories.matrix(scoped, result.table, order, top=len(result.table))}


def timeline(scoped: pd.DataFrame, tz: str, unit: str | None = None) -> tuple[pd.DataFrame, str]:
    """``coverage.timeline`` (``unit`` None: the bin the date span calls for) and the bin."""
    return coverage.timeline(scoped, tz, unit)


def story_labels(result: stories.Stories) -> dict[str, str]:
    """The story picker's labels by value: "all", then every story of two articles or more, largest first."""
    table = result.table
    labels = {"all": f"All articles ({int(table['articles'].sum()):,})"}
    return labels | {str(r.story): f"{r.story}: {r.terms} ({r.articles} articles)"
                     for r in table[table["articles"] > 1].itertuples()}


def largest_story(result: stories.Stories) -> int | None:
    """``stories.largest``: the story the most outlets carry, then the largest."""
    return stories.largest(result.table)


def of_kind(mentions: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """The mentions of entities (``kinds.KINDS``), titles left out (they describe people); only those of ``kind``
    when given."""
    if kind is not None and kind not in kinds.KINDS:
        raise store.StoreError(f"kind must be one of {', '.join(k for k in kinds.KINDS if k != 'title')}")
    return mentions[mentions["kind"] == kind] if kind else mentions[mentions["kind"] != "title"]


def entity_table(mentions: pd.DataFrame, order: list[str], top: int = ENTITIES_TOP, kind: str | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``top`` entities of the ``mentions`` (of ``kind``, or all but titles): per entity and outlet
    (``entities.by_outlet``, long, with each entity's kind), and as an entity x outlet grid."""
    shown = of_kind(mentions, kind)
    cells = entities.by_outlet(shown, top=top)
    kind_of = shown.drop_duplicates("entity").set_index("entity")["kind"].astype(str)
    cells.insert(1, "kind", cells["entity"].map(kind_of))
    return cells, grid(cells, "entity", "mentions", order)


def referent_table(mentions: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """``kinds.table`` of the mentions (of ``kind``, or all but titles): who and what each entity is."""
    return referents_of(kinds.table(of_kind(mentions)), kind)


def referents_of(table: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """The rows of a ``referent_table`` of one kind (all when None)."""
    return table if kind is None else table[table["kind"] == kind].reset_index(drop=True)


def top_mentions(mentions: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """The mentions of the entities ``names``: the evidence behind a grid, small next to all mentions."""
    return mentions[mentions["entity"].isin(list(names))]


def entity_evidence(conn: store.Connection, name: str, mentions: pd.DataFrame, entity: str, outlet: str | None,
                    rows: int = EVIDENCE_ROWS) -> tuple[int, pd.DataFrame]:
    """How many sentences of ``mentions`` name ``entity`` (in ``outlet``'s articles, or all), and the first
    ``rows`` of them with their text (``entities.evidence``)."""
    hits = cell(mentions, "entity", entity, outlet)
    total = len(hits[["article_id", "sentence"]].drop_duplicates())
    first = hits.head(rows)  # mentions come in corpus order
    keys = list(dict.fromkeys(zip(first["article_id"], first["sentence"], strict=True)))
    return total, entities.evidence(first, store.sentence_texts(conn, name, keys), entity, outlet)


def credits(cited: pd.DataFrame, media_only: bool = True) -> pd.DataFrame:
    """The credits (``sources.cited``) of media and platforms only, or every credited name."""
    return cited[cited["kind"].isin(["media", "platform"])] if media_only else cited


def source_table(credited: pd.DataFrame, order: list[str], top: int = SOURCES_TOP
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Credits per outlet and source (``sources.by_outlet``), and the ``top`` sources as a source x outlet grid."""
    table = sources.by_outlet(credited)
    return table, grid(table, "source", "citations", order, top=top)


def reuse_table(pairs: pd.DataFrame, ids: pd.Series, across: bool = True, quotations: bool = False) -> pd.DataFrame:
    """The pairs (``reuse.pairs``) of two articles among ``ids`` that republish (copies, shared passages), or with
    ``quotations`` those that share only quotations; only pairs of two outlets when ``across`` (pairs within one
    outlet are mostly its own furniture or follow-ups)."""
    pairs = in_pairs(pairs, ids)
    pairs = pairs[(pairs["relation"] == "shared quotation") == quotations]
    return pairs[pairs["source_outlet"] != pairs["target_outlet"]] if across else pairs


def republishing(pairs: pd.DataFrame) -> pd.DataFrame:
    """``reuse.outlet_matrix``: source outlet x republishing outlet, pairs whose direction is sure."""
    return reuse.outlet_matrix(pairs)


def passages(conn: store.Connection, name: str, source: int, target: int) -> tuple[pd.DataFrame, str, str]:
    """The shared passages of two articles (``reuse.passage_table``), and both texts with them marked
    ⟦shared k: …⟧."""
    text = store.texts(conn, name, [source, target]).set_index("id")["text"]
    table = reuse.passage_table(text[source], text[target])
    marks = [(clean.Span(r.source_start, r.source_end, f"shared {r.passage}", False),
              clean.Span(r.target_start, r.target_end, f"shared {r.passage}", False)) for r in table.itertuples()]
    return (table, clean.marked(text[source], [m[0] for m in marks]),
            clean.marked(text[target], [m[1] for m in marks]))


def unit_of(scoped: pd.DataFrame, by: str, among: list[str] | None = None) -> pd.Series:
    """Each article's unit: outlet, story, article (``units``) or a value of an extra field (``groups``)."""
    return units(scoped, by) if by in ("story", "article") else groups(scoped, by, among)


def own_names(matrix: terms.Matrix | terms.Grouped, scoped: pd.DataFrame, by: str, among: list[str] | None = None,
              only: list | None = None) -> dict[str, frozenset[str]]:
    """Each unit's own names (those ``only``, when given), those of its articles' outlets (``keywords.unit_names``),
    but for the words most other units use too (``keywords.named_alone``)."""
    unit = unit_of(scoped, by, among)
    mine = unit if only is None else unit[unit.isin(only)]
    names = keywords.unit_names(mine, pd.Series(scoped["outlet"].to_numpy(), index=scoped["id"].to_numpy()))
    return keywords.named_alone(matrix, unit, names)


def keyword_table(matrix: terms.Matrix | terms.Grouped, scoped: pd.DataFrame, by: str = "outlet", top: int = 25,
                  own: bool = True, names: dict[str, frozenset[str]] | None = None, only: list | None = None
                  ) -> pd.DataFrame:
    """``keywords.keywords``: the ``top`` TF-IDF terms of each unit (outlet, story or article; those ``only``, when
    given, weighted across all); ``own``: each unit's outlets' own names left out of its terms (``names``, when
    already found: ``own_names``)."""
    names = (names if names is not None else own_names(matrix, scoped, by, None, only)) if own else None
    return keywords.keywords(matrix, units(scoped, by), top, names, only)


def distinctive_table(matrix: terms.Matrix | terms.Grouped, scoped: pd.DataFrame, group: str = "outlet",
                      among: list[str] | None = None, top: int = 25, own: bool = True,
                      names: dict[str, frozenset[str]] | None = None, only: list | None = None) -> pd.DataFrame:
    """``keywords.distinctive``: each outlet's (or value of ``group``'s, only those ``among`` when given) ``top``
    terms against the others (listed for those ``only``, when given); ``own`` and ``names`` as
    ``keyword_table``."""
    names = (names if names is not None else own_names(matrix, scoped, group, among, only)) if own else None
    return keywords.distinctive(matrix, groups(scoped, group, among), top, group, names, only)


def compare_view(cmp: compare.Comparison, which: str, outlet: str | None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The elements of one view of the grid (``compare.view``), its cells (``compare.grid``) and the view as a
    table of each outlet's sentence (``compare.wide``)."""
    shown = compare.view(cmp, which, outlet)
    return shown, compare.grid(cmp, shown), compare.wide(cmp, shown)


def compare_tables(cmp: compare.Comparison) -> dict[str, pd.DataFrame]:
    """``compare.tables``: every table of the comparison by name, as the downloads and ``framescope analyze NAME
    compare`` give them."""
    return compare.tables(cmp)


def default_outlets(order: list[str], present: pd.Series) -> list[str]:
    """``compare.default_outlets``: the outlets compared when none are chosen."""
    return compare.default_outlets(order, present)


def wording(cmp: compare.Comparison, element: int) -> pd.DataFrame:
    """``naming.wording``: each outlet's sentence of ``element``, the words that differ from its label marked."""
    label = cmp.elements.set_index("element").loc[element, "label"]
    return naming.wording(cmp.members, element, label)


def topic_outlets(model: topics.Topics, order: list[str]) -> pd.DataFrame:
    """Topic x outlet: the percentage of each outlet's words in each topic (``topic_views.outlet_shares``)."""
    return topic_views.outlet_shares(model, order)


def topic_examples(model: topics.Topics, topic: int, outlet: str | None, stats: pd.DataFrame) -> pd.DataFrame:
    """The passages most like ``topic`` (in ``outlet``, or all), with their publication."""
    return with_dates(topic_views.passages_of(model, topic, outlet), stats)


def topic_points(model: topics.Topics, box: dict, stats: pd.DataFrame) -> pd.DataFrame:
    """The topic map's points in a brushed box (``{"x": [lo, hi], "y": [lo, hi]}``), with their publication."""
    points = topic_views.in_box(model.points, box.get("x"), box.get("y"))
    return with_dates(points.drop(columns=["x", "y"]), stats)


def marked_text(raw: str, spans: pd.DataFrame) -> str:
    """The raw text with the removed ``spans`` (``store.removed``) marked, as the cleaning report shows it."""
    return clean.marked(raw, [clean.Span(r.start, r.end, r.kind, bool(r.restored)) for r in spans.itertuples()])


def separator(raw: str) -> str | None:
    """The separator a crawler flattened the page's blocks with (``blocks.separator``), if any."""
    return blocks.separator(raw)


def compared_outlets(conn: store.Connection, name: str, scoped: pd.DataFrame,
                     outlets: list[str] | None = None) -> list[str]:
    """The outlets to compare: those asked for (an unknown one is an error), else the story's largest
    ``compare.MAX_OUTLETS`` in the corpus order."""
    present = list(dict.fromkeys(scoped["outlet"]))
    if outlets:
        unknown = [o for o in outlets if o not in present]
        if unknown:
            raise store.StoreError(f"no articles of {', '.join(map(repr, unknown))} here: choose from "
                                   f"{', '.join(present)}")
        return list(outlets)
    return default_outlets(coverage.outlet_order(stats(conn, name)), scoped["outlet"])


def comparison(conn: store.Connection, name: str, scoped: pd.DataFrame,
               outlets: list[str] | None = None) -> compare.Comparison:
    """``compare.compare`` of the ``outlets`` (default: ``compared_outlets``) on the articles of ``scoped``
    (rows of ``stats``: a story, or the corpus)."""
    outlets = compared_outlets(conn, name, scoped, outlets)
    scoped = scoped[scoped["outlet"].isin(outlets)]
    ids = scoped["id"]
    meta = store.articles(conn, name)[["id", "byline", "dateline"]]
    arts = scoped[["id", "outlet", "title", "published", "words"]].merge(meta, on="id", how="left")
    distinct = (keywords.distinctive(term_matrix(conn, name, vocabulary(conn, name)),
                                     groups(scoped, "outlet", outlets), top=8) if len(outlets) > 1 else None)
    return compare.compare(arts, sentences(conn, name, ids), in_articles(entity_mentions(conn, name), ids), outlets,
                           copies=reuse.copies(reuse_pairs(conn, name)),
                           credits=in_articles(cited_sources(conn, name), ids), distinctive=distinct)
