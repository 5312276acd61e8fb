"""The reads of the composer: each analysis's whole result for a stored corpus, kept as an artifact.

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
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from lib import store
from lib.analyses import coverage, entities, kinds, reuse, sources, stories, topics
from lib.analyses import kwic as concordance
from lib.store import artifacts, edits
from lib.text import terms

WINDOW_DAYS = 7


SMALL = 1000  # below this many articles, a term in one article counts (min_df 1); above, it takes two


def _cached(conn: store.Connection, name: str, params: dict, compute: Callable[[], object]) -> object:
    """The artifact of ``params`` for the corpus's current generation and revision, computed and kept when
    there is none."""
    at = store.version(conn, name)
    found = artifacts.load(name, at.generation, at.revision, params)
    if found is None:
        found = compute()
        artifacts.save(name, at.generation, at.revision, params, found)
    return found


def articles(conn: store.Connection, name: str) -> pd.DataFrame:
    """Articles (id, outlet, published, title, text) with labelled outlets (``coverage.UNKNOWN``
    where none is named)."""
    df = store.texts(conn, name)
    df["outlet"] = coverage.label_outlets(df["outlet"])
    return df


def story_result(conn: store.Connection, name: str, client=None) -> stories.Stories:
    """The corpus's stories (``stories.cluster`` in a window of ``WINDOW_DAYS``); computed on the cluster of a Dask
    ``client`` when given and not kept yet (``lib.service.cluster``: the same result, kept the same way)."""
    params = {"analysis": "stories", "code": CODE["stories"], "window_days": WINDOW_DAYS}
    if client is not None:
        from lib.service import cluster
        return _cached(conn, name, params, lambda: cluster.story_result(client, conn, name))
    return _cached(conn, name, params,
                   lambda: stories.cluster(articles(conn, name), window_days=WINDOW_DAYS))


def reuse_params() -> dict:
    """What the reuse pairs are kept by (``lib.store.artifacts``)."""
    return {"analysis": "reuse", "code": CODE["reuse"]}


def reuse_pairs(conn: store.Connection, name: str, client=None) -> pd.DataFrame:
    """Article pairs that share passages (``reuse.pairs``, default settings); computed on the cluster of a Dask
    ``client`` when given and not kept yet (``lib.service.cluster``)."""
    params = reuse_params()
    if client is not None:
        from lib.service import cluster
        return _cached(conn, name, params, lambda: cluster.reuse_pairs(client, conn, name))
    return _cached(conn, name, params, lambda: reuse.pairs(articles(conn, name)))


def sentences(conn: store.Connection, name: str, ids=None) -> pd.DataFrame:
    """``store.sentences`` with labelled outlets."""
    df = store.sentences(conn, name, ids)
    df["outlet"] = coverage.label_outlets(df["outlet"])
    return df


def sentences_at(conn: store.Connection, name: str, articles: pd.DataFrame,
                 positions: list[tuple[int, int]]) -> pd.DataFrame:
    """``store.sentences_at`` with labelled outlets."""
    df = store.sentences_at(conn, name, articles, positions)
    df["outlet"] = coverage.label_outlets(df["outlet"])
    return df


def entity_mentions(conn: store.Connection, name: str) -> pd.DataFrame:
    """Every entity mention of the corpus (``entities.mentions``), typed (``kinds.typed``: a country's names and
    demonyms joined, the names the outlets credit as media taken for organisations)."""
    params = {"analysis": "entities", "code": CODE["entities"]}

    def compute() -> pd.DataFrame:
        cited = cited_sources(conn, name)
        media = cited.loc[cited["kind"].isin(["media", "platform"]), "source"]  # one name a credit
        return kinds.typed(entities.mentions(sentences(conn, name)), media)

    return _cached(conn, name, params, compute)


def cited_sources(conn: store.Connection, name: str) -> pd.DataFrame:
    """Every credit to a source (``sources.cited``)."""
    params = {"analysis": "sources", "code": CODE["sources"]}
    return _cached(conn, name, params, lambda: sources.cited(sentences(conn, name)))


def vocabulary(conn: store.Connection, name: str, ngram_range: tuple[int, int] = (1, 2), min_df: int | None = None,
               english: bool = True) -> terms.Vocabulary:
    """Keyword settings with the corpus's saved custom stopwords; ``min_df`` None: 1 for a corpus of
    fewer than ``SMALL`` articles (a small corpus's specific terms are in one article), else 2."""
    if min_df is None:
        min_df = 1 if store.article_count(conn, name) < SMALL else 2
    return terms.Vocabulary(tuple(ngram_range), min_df, english, tuple(edits.stopwords(conn, name)))


def term_matrix_params(vocab: terms.Vocabulary) -> dict:
    """The artifact parameters of the corpus matrix for these settings."""
    return {"analysis": "term-matrix", "code": CODE["term-matrix"], "vocabulary": vocab}


def term_matrix(conn: store.Connection, name: str, vocab: terms.Vocabulary) -> terms.Matrix:
    """The corpus matrix (``terms.matrix``) for these settings."""
    return _cached(conn, name, term_matrix_params(vocab), lambda: terms.matrix(*_texts_ids(conn, name), vocab))


def _texts_ids(conn: store.Connection, name: str) -> tuple[pd.Series, pd.Series]:
    df = store.texts(conn, name)
    return df["text"], df["id"]


def kwic(conn: store.Connection, name: str, scoped: pd.DataFrame, term: str,
         matrix: terms.Matrix | None = None, limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """``concordance.kwic`` over the articles in ``scoped``, with their publication, newest article first;
    and the number of articles that may use the term: those the term ``matrix`` counts it in, when it is
    one of its terms; else those it counts each of its words in that are terms, but words with an
    apostrophe ("build the wall": the articles with "build" and "wall", the matrix as an inverted index);
    else those whose text contains its longest word (apostrophes split words). Their texts are searched
    with ``concordance.uses`` and only the sentences holding a match are read. With ``limit``, articles are
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
    ids = ids.to_list() if concordance.pattern(term) else []
    found, start, size = [], 0, max(1, (limit or 4 * len(ids)) // 4)  # a first batch of 250 articles for 1,000 lines
    while start < len(ids) and (limit is None or sum(map(len, found)) < limit):
        batch = store.texts(conn, name, ids[start:start + size])
        at = [(a, i) for a, text in zip(batch["id"], batch["text"], strict=True) for i in concordance.uses(text, term)]
        found.append(concordance.kwic(sentences_at(conn, name, batch, at), term))
        start, size = start + size, size * 2
    hits = pd.concat(found, ignore_index=True) if found else concordance.kwic(store.sentences(conn, name, []), term)
    hits = hits.merge(scoped[["id", "published"]].rename(columns={"id": "article_id"}), on="article_id", how="left")
    rank = hits["article_id"].map({article: i for i, article in enumerate(ids)})
    hits = hits.assign(_rank=rank).sort_values(["_rank", "sentence"]).drop(columns="_rank")
    return (hits.head(limit) if limit else hits).reset_index(drop=True), len(ids)


def topic_passages(conn: store.Connection, name: str, unit: str | None,
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


def topic_model(conn: store.Connection, name: str, settings: topics.Settings | None = None,
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


STATS_COLUMNS = ["id", "source_file", "outlet", "title", "published", "published_offset", "words", "chars",
                 "raw_chars", "sentences", "story", "copy_of"]


def _extra_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The JSON ``extra`` column spread into one text column per field (a field whose name is taken gets an
    ``extra_`` prefix, as many as it takes to be free: ``outlet`` beside a field ``extra_outlet``)."""
    extra = pd.DataFrame([json.loads(x or "{}") for x in df.pop("extra")], index=df.index)
    taken = set(STATS_COLUMNS) | set(df.columns)
    free = [c for c in extra.columns if c not in taken]  # fields whose own name is free keep it
    taken |= set(free)
    names = []
    for c in extra.columns:
        if c not in free:
            while c in taken:
                c = f"extra_{c}"
            taken.add(c)
        names.append(c)
    extra.columns = names
    extra = extra.map(lambda v: None if v is None or v == "" else str(v)).astype("str")
    return pd.concat([df, extra], axis=1)


def stats(conn: store.Connection, name: str, client=None) -> pd.DataFrame:
    """``store.article_stats`` with labelled outlets, its extra fields as columns, each article's
    story, and ``copy_of``: the original of an article that copies another one (else NA); stories and reuse found
    on the cluster of a Dask ``client`` when given."""
    df = _extra_columns(store.article_stats(conn, name))
    df["outlet"] = coverage.label_outlets(df["outlet"])
    df["story"] = df["id"].map(story_result(conn, name, client).assignments)
    df["copy_of"] = df["id"].map(reuse.copies(reuse_pairs(conn, name, client))).astype("Int64")
    return df


CODE = {  # each artifact's code version: the method's modules, the function that reads its input and its own
    "stories": artifacts.code_version(stories, articles, story_result),
    "reuse": artifacts.code_version(reuse, articles, reuse_pairs),
    "entities": artifacts.code_version(entities, kinds, sentences, entity_mentions, sources, cited_sources),
    "sources": artifacts.code_version(sources, sentences, cited_sources),
    "term-matrix": artifacts.code_version(terms, _texts_ids, term_matrix),
    "topics": artifacts.code_version(topics, topic_passages, topic_model),
}
