"""The analyses of a stored corpus, shared by the pages (through ``lib/ui``) and the CLI.

Heavy results (stories, reuse, entity mentions, cited sources, term matrices, topics) are kept as artifacts
keyed by (corpus, generation, revision, parameters), so the first computation is paid once per revision, by
whoever asks first. Their parameters hold the version of the code that computes them
(``artifacts.code_version`` of the method's modules, the function that prepares its input and the one that
calls the method), so a result of code that has changed since is never read. The versions are computed when
this module is imported, from the source the running code was loaded from.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from lib import store
from lib.analyses import compare, coverage, entities, keywords, reuse, sources, stories, topics
from lib.store import artifacts, edits
from lib.text import terms
from lib.views import topic_views

WINDOW_DAYS = 7
TABLES = ["coverage", "first", "undated", "timeline", "stories", "story-matrix", "reuse", "reuse-outlets", "entities",
          "sources", "keywords", "distinctive", "kwic", "compare", "topics", "topic-assignments", "topic-outlets",
          "topic-k"]
SMALL = 1000  # below this many articles, a term in one article counts (min_df 1); above, it takes two


def _cached(conn: sqlite3.Connection, name: str, params: dict, compute: Callable[[], object]) -> object:
    """The artifact of ``params`` for the corpus's current generation and revision, computed and kept when
    there is none."""
    at = store.version(conn, name)
    found = artifacts.load(name, at.generation, at.revision, params)
    if found is None:
        found = compute()
        artifacts.save(name, at.generation, at.revision, params, found)
    return found


def articles(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """Articles (id, outlet, published, title, text) with labelled outlets (``coverage.UNKNOWN``
    where none is named)."""
    df = store.texts(conn, name)
    df["outlet"] = coverage.label_outlets(df["outlet"])
    return df


def story_result(conn: sqlite3.Connection, name: str) -> stories.Stories:
    """The corpus's stories (``stories.cluster`` in a window of ``WINDOW_DAYS``)."""
    params = {"analysis": "stories", "code": CODE["stories"], "window_days": WINDOW_DAYS}
    return _cached(conn, name, params,
                   lambda: stories.cluster(articles(conn, name), window_days=WINDOW_DAYS))


def reuse_pairs(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """Article pairs that share passages (``reuse.pairs``, default settings)."""
    params = {"analysis": "reuse", "code": CODE["reuse"]}
    return _cached(conn, name, params, lambda: reuse.pairs(articles(conn, name)))


def sentences(conn: sqlite3.Connection, name: str, ids=None) -> pd.DataFrame:
    """``store.sentences`` with labelled outlets."""
    df = store.sentences(conn, name, ids)
    df["outlet"] = coverage.label_outlets(df["outlet"])
    return df


def sentences_at(conn: sqlite3.Connection, name: str, articles: pd.DataFrame,
                 positions: list[tuple[int, int]]) -> pd.DataFrame:
    """``store.sentences_at`` with labelled outlets."""
    df = store.sentences_at(conn, name, articles, positions)
    df["outlet"] = coverage.label_outlets(df["outlet"])
    return df


def entity_mentions(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """Every entity mention of the corpus (``entities.mentions``)."""
    params = {"analysis": "entities", "code": CODE["entities"]}
    return _cached(conn, name, params, lambda: entities.mentions(sentences(conn, name)))


def cited_sources(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """Every credit to a source (``sources.cited``)."""
    params = {"analysis": "sources", "code": CODE["sources"]}
    return _cached(conn, name, params, lambda: sources.cited(sentences(conn, name)))


def vocabulary(conn: sqlite3.Connection, name: str, ngram_range: tuple[int, int] = (1, 2), min_df: int | None = None,
               english: bool = True) -> terms.Vocabulary:
    """Keyword settings with the corpus's saved custom stopwords; ``min_df`` None: 1 for a corpus of
    fewer than ``SMALL`` articles (a small corpus's specific terms are in one article), else 2."""
    if min_df is None:
        min_df = 1 if int(conn.execute("SELECT COUNT(*) FROM articles WHERE corpus_id = ?",
                                       (store.corpus_id(conn, name),)).fetchone()[0]) < SMALL else 2
    return terms.Vocabulary(tuple(ngram_range), min_df, english, tuple(edits.stopwords(conn, name)))


def term_matrix_params(vocab: terms.Vocabulary) -> dict:
    """The artifact parameters of the corpus matrix for these settings."""
    return {"analysis": "term-matrix", "code": CODE["term-matrix"], "vocabulary": vocab}


def term_matrix(conn: sqlite3.Connection, name: str, vocab: terms.Vocabulary) -> terms.Matrix:
    """The corpus matrix (``terms.matrix``) for these settings."""
    return _cached(conn, name, term_matrix_params(vocab), lambda: terms.matrix(*_texts_ids(conn, name), vocab))


def _texts_ids(conn: sqlite3.Connection, name: str) -> tuple[pd.Series, pd.Series]:
    df = store.texts(conn, name)
    return df["text"], df["id"]


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


def kwic(conn: sqlite3.Connection, name: str, scoped: pd.DataFrame, term: str,
         matrix: terms.Matrix | None = None, limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """``keywords.kwic`` over the articles in ``scoped``, with their publication, newest article first;
    and the number of articles that may use the term: those the term ``matrix`` counts it in, when it is
    one of its terms; else those it counts each of its words in that are terms, but words with an
    apostrophe ("build the wall": the articles with "build" and "wall", the matrix as an inverted index);
    else those whose text contains its longest word (apostrophes split words). Their texts are searched
    with ``keywords.uses`` and only the sentences holding a match are read. With ``limit``, articles are
    searched newest first, in growing batches, until ``limit`` sentences are found: a common term of a
    large corpus ("trump": 160,000 sentences on AllSides) shows at once, its CSV made on request."""
    ids = scoped.sort_values(["published", "id"], ascending=[False, True], na_position="last")["id"]
    counted = None if matrix is None else matrix.articles_with(term)
    if counted is None and matrix is not None:
        plain = [word for word in term.split() if not re.search(r"['’ʼ]", word)]
        each = [found for found in map(matrix.articles_with, plain) if found is not None]
        counted = functools.reduce(np.intersect1d, each) if each else None
    longest = max(re.split(r"[\s'’ʼ]+", term), key=len)  # an apostrophe in the text may be any of them
    if counted is not None:
        ids = ids[ids.isin(counted)]
    elif longest.isascii():  # SQLite's LIKE ignores case for ASCII letters only
        ids = ids[ids.isin(store.containing(conn, name, longest))]
    ids = ids.to_list() if keywords.pattern(term) else []
    found, start, size = [], 0, max(1, (limit or 4 * len(ids)) // 4)  # a first batch of 250 articles for 1,000 lines
    while start < len(ids) and (limit is None or sum(map(len, found)) < limit):
        batch = store.texts(conn, name, ids[start:start + size])
        at = [(a, i) for a, text in zip(batch["id"], batch["text"], strict=True) for i in keywords.uses(text, term)]
        found.append(keywords.kwic(sentences_at(conn, name, batch, at), term))
        start, size = start + size, size * 2
    hits = pd.concat(found, ignore_index=True) if found else keywords.kwic(store.sentences(conn, name, []), term)
    hits = hits.merge(scoped[["id", "published"]].rename(columns={"id": "article_id"}), on="article_id", how="left")
    rank = hits["article_id"].map({article: i for i, article in enumerate(ids)})
    hits = hits.assign(_rank=rank).sort_values(["_rank", "sentence"]).drop(columns="_rank")
    return (hits.head(limit) if limit else hits).reset_index(drop=True), len(ids)


def topic_passages(conn: sqlite3.Connection, name: str, unit: str | None,
                   ids: Iterable[int] | None = None) -> tuple[str, pd.DataFrame]:
    """The unit (``unit``, or ``topics.auto_unit`` of the paragraph count) and the passages topics are
    found in: article_id, passage (index in the article), labelled outlet, text; in article order."""
    if unit not in (None, *topics.UNITS):
        raise store.StoreError(f"unit must be one of {', '.join(topics.UNITS)}, not {unit!r}")
    df = store.paragraphs(conn, name, ids) if unit != "sentence" else None
    unit = unit or topics.auto_unit(len(df))
    if unit == "sentence":
        df = store.sentences(conn, name, ids).rename(columns={"sentence": "passage"})
    else:
        df = df.rename(columns={"paragraph": "passage"})
    df["outlet"] = coverage.label_outlets(df["outlet"])
    return unit, df[["article_id", "passage", "outlet", "text"]]


def topic_model(conn: sqlite3.Connection, name: str, settings: topics.Settings | None = None,
                ids: Iterable[int] | None = None) -> topics.Topics:
    """``topics.fit`` of the corpus's passages (of the articles ``ids``, when given) with its saved
    custom stopwords; kept as an artifact per corpus revision, settings and set of articles."""
    settings = settings or topics.Settings()
    vocab = topics.vocabulary(tuple(edits.stopwords(conn, name)))
    wanted = None if ids is None else sorted({int(i) for i in ids})
    key = None if wanted is None else hashlib.sha1(json.dumps(wanted).encode()).hexdigest()[:16]
    params = {"analysis": "topics", "code": CODE["topics"], "settings": settings,
              "vocabulary": vocab, "articles": key}

    def compute() -> topics.Topics:
        unit, psg = topic_passages(conn, name, settings.unit, wanted)
        if len(psg) < 2:
            raise store.StoreError(f"too little text for topics in {name!r}: {len(psg)} passages")
        return topics.fit(psg, dataclasses.replace(settings, unit=unit), vocab)

    return _cached(conn, name, params, compute)


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


STATS_COLUMNS = ["id", "source_file", "outlet", "title", "published", "published_offset", "words", "chars",
                 "raw_chars", "sentences", "story", "copy_of"]


def group_fields(stats: pd.DataFrame) -> list[str]:
    """The columns that can group articles for distinctive terms: outlet, then the extra fields
    with 2 to ``GROUP_VALUES`` distinct values, fewer than the articles that have one (an id or a
    URL groups nothing)."""
    extra = [c for c in stats.columns if c not in STATS_COLUMNS]
    return ["outlet"] + [c for c in extra if 2 <= stats[c].nunique() <= min(GROUP_VALUES, stats[c].count() - 1)]


def _extra_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The JSON ``extra`` column spread into one text column per field (a field whose name is taken
    gets an ``extra_`` prefix)."""
    extra = pd.DataFrame([json.loads(x or "{}") for x in df.pop("extra")], index=df.index)
    extra = extra.rename(columns=lambda c: f"extra_{c}" if c in STATS_COLUMNS else c)
    extra = extra.map(lambda v: None if v is None or v == "" else str(v)).astype("str")
    return pd.concat([df, extra], axis=1)


def stats(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """``store.article_stats`` with labelled outlets, its extra fields as columns, each article's
    story, and ``copy_of``: the original of an article that copies another one (else NA)."""
    df = _extra_columns(store.article_stats(conn, name))
    df["outlet"] = coverage.label_outlets(df["outlet"])
    df["story"] = df["id"].map(story_result(conn, name).assignments)
    df["copy_of"] = df["id"].map(reuse.copies(reuse_pairs(conn, name))).astype("Int64")
    return df


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


def tables(conn: sqlite3.Connection, name: str, story: int | None = None, tz: str = "UTC", by: str = "outlet",
           top: int = 25, vocab: terms.Vocabulary | None = None, term: str = "", group: str = "outlet",
           among: list[str] | None = None, outlets: list[str] | None = None,
           topic_settings: topics.Settings | None = None) -> dict[str, Callable]:
    """The tables the pages show, by name, each computed on demand."""
    vocab = vocab or vocabulary(conn, name)
    all_stats = stats(conn, name)
    scoped = in_story(all_stats, story)
    result = story_result(conn, name)
    order = coverage.outlet_order(all_stats)

    def model() -> topics.Topics:
        return topic_model(conn, name, topic_settings, None if story is None else scoped["id"])

    return {
        "coverage": lambda: coverage.outlets(scoped, tz),
        "first": lambda: coverage.first_reports(scoped, tz),
        "undated": lambda: coverage.undated(scoped),
        "timeline": lambda: coverage.timeline(scoped, tz)[0],
        "stories": lambda: result.table[result.table["story"].isin(scoped["story"])],
        "story-matrix": lambda: stories.matrix(scoped, result.table, order, top=len(result.table)).reset_index(),
        "reuse": lambda: in_pairs(reuse_pairs(conn, name), scoped["id"]),
        "reuse-outlets": lambda: reuse.outlet_matrix(in_pairs(reuse_pairs(conn, name), scoped["id"])).reset_index(),
        "entities": lambda: entities.by_outlet(in_articles(entity_mentions(conn, name), scoped["id"]), top=50),
        "sources": lambda: sources.by_outlet(in_articles(cited_sources(conn, name), scoped["id"])),
        "keywords": lambda: keywords.keywords(term_matrix(conn, name, vocab), units(scoped, by), top),
        "distinctive": lambda: keywords.distinctive(term_matrix(conn, name, vocab), groups(scoped, group, among), top,
                                                    group),
        "kwic": lambda: kwic(conn, name, scoped, term)[0],
        "compare": lambda: compare.wide(comparison(conn, name, scoped, outlets)),
        "topics": lambda: model().table,
        "topic-assignments": lambda: model().assignments,
        "topic-outlets": lambda: topic_views.outlet_shares(model(), order).reset_index(),
        "topic-k": lambda: model().criterion,
    }


def compared_outlets(conn: sqlite3.Connection, name: str, scoped: pd.DataFrame,
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
    return compare.default_outlets(coverage.outlet_order(stats(conn, name)), scoped["outlet"])


def comparison(conn: sqlite3.Connection, name: str, scoped: pd.DataFrame,
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


CODE = {  # each artifact's code version: the method's modules, the function that reads its input and its own
    "stories": artifacts.code_version(stories, articles, story_result),
    "reuse": artifacts.code_version(reuse, articles, reuse_pairs),
    "entities": artifacts.code_version(entities, sentences, entity_mentions),
    "sources": artifacts.code_version(sources, sentences, cited_sources),
    "term-matrix": artifacts.code_version(terms, _texts_ids, term_matrix),
    "topics": artifacts.code_version(topics, topic_passages, topic_model),
}
