"""The named tables ``framescope analyze`` prints (``TABLES``), each composed on demand from the reads
(``lib.service.reads``) by the composers (``lib.service.tables``) with the pages' defaults; with a Dask client, the
analyses of ``ON_A_CLUSTER`` run on its cluster (``lib.service.cluster``)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from lib import store
from lib.analyses import compare, topics
from lib.service import cluster
from lib.service.reads import (
    cited_sources,
    entity_mentions,
    kwic,
    reuse_pairs,
    stats,
    story_result,
    term_matrix,
    topic_model,
    vocabulary,
)
from lib.service.tables import (
    ENTITIES_TOP,
    comparison,
    coverage_tables,
    credits,
    distinctive_table,
    entity_table,
    groups,
    in_articles,
    keyword_table,
    outlet_order,
    referent_table,
    republishing,
    reuse_table,
    scoped,
    source_table,
    story_tables,
    timeline,
    topic_outlets,
    units,
)
from lib.text import terms

# the tables whose analyses ``tables`` runs on a Dask cluster when given one (stories, reuse, term counts)
ON_A_CLUSTER = ("stories", "story-matrix", "undated", "keywords", "distinctive", "reuse", "reuse-outlets",
                "shared-quotations")
TABLES = ["coverage", "first", "undated", "timeline", "stories", "story-matrix", "reuse", "reuse-outlets",
          "shared-quotations", "entities", "referents", "sources", "keywords", "distinctive", "kwic", "compare",
          "topics", "topic-assignments", "topic-outlets", "topic-k"]


def tables(conn: store.Connection, name: str, story: int | None = None, no_copies: bool = False, tz: str = "UTC",
           by: str = "outlet", top: int = 25, vocab: terms.Vocabulary | None = None, term: str = "",
           group: str = "outlet", among: list[str] | None = None, outlets: list[str] | None = None,
           topic_settings: topics.Settings | None = None, media_only: bool = True, across: bool = True,
           own: bool = True, entities_top: int = ENTITIES_TOP, kind: str | None = None, client=None
           ) -> dict[str, Callable[[], pd.DataFrame]]:
    """The named tables (``TABLES``) of a view, each computed on demand, as ``framescope analyze`` prints them;
    the pages show the same tables through ``lib/ui`` for the same parameters. With a Dask ``client``, the stories,
    the reuse pairs (when not kept yet) and the term counts of keywords and distinctive terms are computed on its
    cluster (``lib.service.cluster``): the same tables."""
    vocab = vocab or vocabulary(conn, name)
    all_stats = stats(conn, name, client)
    view = scoped(all_stats, story, no_copies)
    result = story_result(conn, name, client)
    order = outlet_order(all_stats)
    whole = story is None and not no_copies

    def model() -> topics.Topics:
        return topic_model(conn, name, topic_settings, None if whole else view["id"])

    def story_table(key: str) -> pd.DataFrame:
        return story_tables(view, result, order)[key]

    def mentions() -> pd.DataFrame:
        return in_articles(entity_mentions(conn, name), view["id"])

    def found() -> pd.DataFrame:
        return reuse_pairs(conn, name, client)

    def pairs() -> pd.DataFrame:
        return reuse_table(found(), view["id"], across)

    def matrix(unit: pd.Series) -> terms.Matrix | terms.Grouped:
        if client is None:
            return term_matrix(conn, name, vocab)
        return cluster.term_groups(client, conn, name, unit, vocab)  # the same counts, summed per unit there

    return {
        "coverage": lambda: coverage_tables(view, tz)["coverage"],
        "first": lambda: coverage_tables(view, tz)["first"],
        "undated": lambda: story_table("undated"),
        "timeline": lambda: timeline(view, tz)[0],
        "stories": lambda: story_table("stories"),
        "story-matrix": lambda: story_table("story-matrix").reset_index(),
        "reuse": pairs,
        "shared-quotations": lambda: reuse_table(found(), view["id"], across, quotations=True),
        "reuse-outlets": lambda: republishing(pairs()).reset_index(),
        "entities": lambda: entity_table(mentions(), order, entities_top, kind)[0],
        "referents": lambda: referent_table(mentions(), kind),
        "sources": lambda: source_table(credits(in_articles(cited_sources(conn, name), view["id"]), media_only),
                                        order)[0],
        "keywords": lambda: keyword_table(matrix(units(view, by)), view, by, top, own),
        "distinctive": lambda: distinctive_table(matrix(groups(view, group, among)), view, group, among, top, own),
        "kwic": lambda: kwic(conn, name, view, term)[0],
        "compare": lambda: compare.wide(comparison(conn, name, view, outlets)),
        "topics": lambda: model().table,
        "topic-assignments": lambda: model().assignments,
        "topic-outlets": lambda: topic_outlets(model(), order).reset_index(),
        "topic-k": lambda: model().criterion,
    }
