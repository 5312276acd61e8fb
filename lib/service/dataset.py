"""A stored corpus written as a partitioned Parquet dataset (``lib.store.dataset``), and the pages' interactions
answered from its aggregates.

Writing (``write``): the per-article results are those ``framescope analyze`` uses (``reads.stats``,
``reads.story_result``, ``reads.reuse_pairs``; with a Dask ``client``, computed on its cluster as ``analyze
--cluster`` does), and the aggregates are made by the composers' own functions:

- ``coverage``: articles and words per day (UTC, ``coverage.times``), outlet and story; undated articles have no day;
- ``outlets``: the per-outlet coverage table (``coverage.outlets``, UTC), as ``analyze NAME coverage`` prints it;
- ``terms``, ``units``, ``vocabulary``: term counts per outlet and per story (``kind``, ``unit_id``, ``term_id``,
  ``count``), the units (``kind``, ``unit_id``, ``unit``) and the terms with their article frequency in the corpus
  (``term_id``, ``term``, ``df``): the ``terms.Grouped`` that ``keywords.by_unit`` takes, for the corpus's
  vocabulary (``reads.vocabulary``), summed from the corpus matrix (``reads.term_matrix``) or, on a cluster, merged
  from the partitions' ``terms.Tally`` (``cluster.term_groups_df``);
- ``stories`` (``Stories.table``), ``reuse`` (the pairs), and ``index``: each article's metadata, story, copy_of and
  partition (month, outlet key), without text.

Reading: the keyword and distinctive tables are the composers' (``tables.keyword_table``,
``tables.distinctive_table``) over the ``Grouped`` rebuilt from ``terms`` and the articles of ``index``, so they equal
those of the store to the last digit; an article's text is read from its one partition file.
"""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd
import scipy.sparse as sp

from lib import config, store
from lib.analyses import coverage, keywords
from lib.service import cluster
from lib.service.reads import WINDOW_DAYS, reuse_pairs, stats, story_result, term_matrix, vocabulary
from lib.service.tables import distinctive_table, keyword_table, outlet_order
from lib.store import dataset as parquet
from lib.store.location import DatasetError, resolve  # noqa: F401 (re-exported)
from lib.text import terms

KINDS = ("outlet", "story")  # the units the term counts are summed by
SETTING = "FRAMESCOPE_DATASETS"  # more dataset locations the dashboard lists, comma-separated
INDEX_COLUMNS = ["id", "outlet", "outlet_name", "title", "published", "month", "story", "copy_of", "words"]


def default_location(name: str) -> str:
    """Where ``framescope dataset NAME`` writes without ``--to``: ``$FRAMESCOPE_HOME/datasets/NAME``."""
    return str(config.home() / "datasets" / name)


def locations() -> dict[str, str]:
    """The datasets the dashboard offers, label -> location: each one in ``$FRAMESCOPE_HOME/datasets/`` and each
    location named in ``FRAMESCOPE_DATASETS`` (comma-separated; set by whoever runs the server, never typed in
    a browser)."""
    found = {name: default_location(name) for name in parquet.listed(config.home() / "datasets")}
    for entry in os.environ.get(SETTING, "").split(","):
        if entry.strip():
            found.setdefault(entry.strip(), entry.strip())
    return found


def _coded(kind: str, g: terms.Grouped, code: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A ``Grouped`` in long form, (kind, unit_id, term_id, count) rows in unit then term order (``code``: each of its
    terms' ``term_id``), and its units (kind, unit_id, unit)."""
    counts = g.counts.tocsr()
    counts.sort_indices()
    rows = np.repeat(np.arange(counts.shape[0], dtype=np.int32), np.diff(counts.indptr))
    long = pd.DataFrame({"kind": kind, "unit_id": rows, "term_id": code[counts.indices].astype(np.int32),
                         "count": counts.data.astype(np.int64)})
    units = pd.DataFrame({"kind": kind, "unit_id": np.arange(len(g.units), dtype=np.int32),
                          "unit": np.asarray(g.units).astype(str)})
    return long, units


def term_frames(conn: store.Connection, name: str, all_stats: pd.DataFrame, vocab: terms.Vocabulary,
                client=None) -> dict[str, pd.DataFrame]:
    """The ``terms``, ``units`` and ``vocabulary`` aggregates: for each of ``KINDS``, the ``Grouped`` counts in long
    form, integer-coded (terms by their place in the vocabulary, sorted; units by their place among the kind's,
    sorted), and the vocabulary with each term's article frequency in the corpus (``df``)."""
    found = []
    m = None if client is not None else term_matrix(conn, name, vocab)
    for kind in KINDS:
        units = pd.Series(all_stats[kind].to_numpy(), index=all_stats["id"].to_numpy())
        if m is None:
            found.append(cluster.term_groups_df(client, conn, name, units, vocab))
        else:
            counts, names = keywords.by_unit(m, units)
            found.append((terms.Grouped(counts, names, m.terms),
                          np.bincount(m.counts.indices, minlength=len(m.terms))))
    first, df = found[0]  # every kind has the corpus's terms of min_df articles, sorted: the vocabulary
    if any(not np.array_equal(g.terms, first.terms) for g, _ in found):
        raise ValueError("the term counts of the kinds are not of one vocabulary")
    vocabulary = pd.DataFrame({"term_id": np.arange(len(first.terms), dtype=np.int32), "term": first.terms,
                               "df": np.asarray(df, dtype=np.int64)})
    code = vocabulary["term_id"].to_numpy()
    parts = [_coded(kind, g, code) for kind, (g, _) in zip(KINDS, found, strict=True)]
    return {"terms": pd.concat([p[0] for p in parts], ignore_index=True),
            "units": pd.concat([p[1] for p in parts], ignore_index=True), "vocabulary": vocabulary}


def frames(conn: store.Connection, name: str, client=None) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], dict]:
    """The articles (partition columns ``month`` and ``outlet`` added), the aggregates and the manifest of corpus
    ``name`` (see the module docstring)."""
    all_stats = stats(conn, name, client)
    result = story_result(conn, name, client)
    pairs = reuse_pairs(conn, name, client)
    meta = store.articles(conn, name)
    extra = meta.drop(columns=[c for c in meta.columns if c in all_stats.columns and c != "id"] + ["extra"])
    texts = store.texts(conn, name)[["id", "text"]]
    arts = all_stats.rename(columns={"outlet": "outlet_name"}).merge(extra, on="id").merge(texts, on="id")
    t = coverage.times(all_stats, "UTC")  # a time of unknown zone as written
    month = t["shown"].dt.strftime("%Y-%m").fillna(parquet.UNDATED).astype(str).to_numpy()
    arts["month"] = month  # the partition: "YYYY-MM" of the publication in UTC, or undated
    arts["outlet"] = arts["outlet_name"].map(parquet.partition_key)
    vocab = vocabulary(conn, name)
    cov = all_stats.assign(day=t["shown"].dt.floor("D"), shown=t["shown"], month=month)
    by_day = (cov.groupby(["day", "month", "outlet", "story"], dropna=False)
              .agg(articles=("id", "size"), words=("words", "sum"), first=("shown", "min")).reset_index())
    aggregates = {
        "coverage": by_day,
        "outlets": coverage.outlets(all_stats, "UTC"),
        **term_frames(conn, name, all_stats, vocab, client),
        "stories": result.table,
        "reuse": pairs,
        "index": arts[INDEX_COLUMNS],
    }
    at = store.version(conn, name)
    named = arts.loc[arts["outlet_name"] != coverage.UNKNOWN, "outlet_name"]  # as framescope list counts outlets
    manifest = {"corpus": name, "generation": at.generation, "revision": at.revision,
                "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "counts": {"articles": len(arts), "outlets": int(named.nunique()),
                           "stories": len(result.table), "reuse_pairs": len(pairs),
                           "partitions": int(len(arts[["month", "outlet"]].drop_duplicates())),
                           "terms": len(aggregates["vocabulary"])},
                "vocabulary": {"ngram_range": list(vocab.ngram_range), "min_df": vocab.min_df,
                               "english": vocab.english, "custom": list(vocab.custom)},
                "tokenizer": "lib.text.tokeniser (docs/text.md)", "window_days": WINDOW_DAYS,
                "outlet_order": outlet_order(all_stats)}
    return arts, aggregates, manifest


def write(conn: store.Connection, name: str, location: str | None = None, client=None,
          before_swap=None) -> parquet.Dataset:
    """Write stored corpus ``name`` as a dataset at ``location`` (default ``default_location``), replacing one
    there, atomically for a local folder (``lib.store.dataset.write``)."""
    store.corpus_id(conn, name)  # an unknown corpus is refused before any work
    arts, aggregates, manifest = frames(conn, name, client)
    return parquet.write(location or default_location(name), arts, aggregates, manifest, before_swap)


open_dataset = parquet.open_dataset


def aggregate(dataset: parquet.Dataset, name: str) -> pd.DataFrame:
    """One aggregate of the dataset, whole (``lib.store.dataset.aggregate``)."""
    return parquet.aggregate(dataset, name)


def grouped(dataset: parquet.Dataset, kind: str) -> terms.Grouped:
    """The term counts per ``kind`` ("outlet" or "story") as ``keywords.by_unit`` takes them, from the ``terms``
    aggregate's rows of that kind (integer columns only: they are in unit then term order, so they are the CSR
    matrix's arrays as they are), its ``units`` and the ``vocabulary`` (every kind's columns)."""
    df = parquet.aggregate(dataset, "terms", ["unit_id", "term_id", "count"], [("kind", "=", kind)])
    units = parquet.aggregate(dataset, "units", ["unit_id", "unit"], [("kind", "=", kind)]).sort_values("unit_id")
    names = units["unit"].to_numpy(dtype=object)
    names = names.astype(np.int64) if kind == "story" else names
    vocabulary = parquet.aggregate(dataset, "vocabulary", ["term"])["term"].to_numpy(dtype=object)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(df["unit_id"].to_numpy(), minlength=len(names)))])
    counts = sp.csr_matrix((df["count"].to_numpy(), df["term_id"].to_numpy(), indptr),
                           shape=(len(names), len(vocabulary)))
    return terms.Grouped(counts, names, vocabulary)


def unit_table(index: pd.DataFrame, g: terms.Grouped, by: str, top: int = 25, distinctive: bool = False,
               unit: str | int | None = None) -> pd.DataFrame:
    """The keyword table (TF-IDF, ``tables.keyword_table``) or the distinctive-terms table (log-odds,
    ``tables.distinctive_table``) of every unit of ``by`` ("outlet" or "story"), from the counts ``g`` and the
    articles ``index`` (the dataset's ``index`` aggregate, with ``outlet`` the full names); with ``unit``, that
    unit's rows only, weighted against all the others as in the whole table (only its terms are ranked)."""
    only = None if unit is None else [unit]
    if distinctive:
        return distinctive_table(g, index, by, None, top, only=only)
    return keyword_table(g, index, by, top, only=only)


def article_index(dataset: parquet.Dataset) -> pd.DataFrame:
    """The ``index`` aggregate with ``outlet`` the full name and ``key`` the partition key."""
    index = parquet.aggregate(dataset, "index")
    return index.rename(columns={"outlet": "key", "outlet_name": "outlet"})


def coverage_by_day(cov: pd.DataFrame, months: list[str] | None = None, outlets: list[str] | None = None,
                    story: int | None = None) -> pd.DataFrame:
    """Articles per day and outlet of the ``coverage`` aggregate in the ``months``, ``outlets`` and ``story`` given
    (None: all), undated articles left out, as ``coverage.timeline`` gives them by day (outlet, bin, end, articles,
    first, offsets; the offsets are not kept in the aggregate: ""), for ``charts.timeline``."""
    keep = cov["day"].notna()
    if months:
        keep &= cov["month"].isin(months)
    if outlets:
        keep &= cov["outlet"].isin(outlets)
    if story is not None:
        keep &= cov["story"] == story
    out = cov[keep].groupby(["outlet", "day"], as_index=False).agg(articles=("articles", "sum"),
                                                                  first=("first", "min"))
    out = out.rename(columns={"day": "bin"})
    out.insert(2, "end", out["bin"] + pd.Timedelta(days=1))
    return out.assign(offsets="")


def reuse_of(pairs: pd.DataFrame, outlet: str | None = None) -> pd.DataFrame:
    """The reuse pairs in which ``outlet`` is the source or the target (all when None)."""
    if outlet is None:
        return pairs
    return pairs[(pairs["source_outlet"] == outlet) | (pairs["target_outlet"] == outlet)].reset_index(drop=True)


def article_text(dataset: parquet.Dataset, index: pd.DataFrame, article_id: int) -> dict | None:
    """One article's row (its cleaned ``text`` and metadata), read from its partition only; None if unknown."""
    row = index[index["id"] == article_id]
    if row.empty:
        return None
    return parquet.article(dataset, article_id, row["month"].iloc[0], row["key"].iloc[0])


def articles_of(index: pd.DataFrame, by: str, unit: str) -> pd.DataFrame:
    """The articles (id, outlet, title, published) of one outlet or story (``unit`` as the address holds it),
    newest first."""
    value = int(unit) if by == "story" else unit
    rows = index[index[by] == value]
    return rows.sort_values(["published", "id"], ascending=[False, True])[["id", "outlet", "title", "published"]]


def article_labels(articles: pd.DataFrame, limit: int) -> dict[str, str]:
    """Labels by article id, "published · outlet · title", of the first ``limit`` ``articles``."""
    rows = articles.head(limit).itertuples()
    return {str(r.id): f"{r.published or 'undated'} · {r.outlet} · {r.title}" for r in rows}


def story_choices(stories: pd.DataFrame, limit: int = 300) -> dict[str, str]:
    """The story picker's labels by value: the ``limit`` largest stories, "N: terms (n articles)"."""
    top = stories.sort_values(["articles", "story"], ascending=[False, True]).head(limit)
    return {str(r.story): f"{r.story}: {r.terms} ({r.articles} articles)" for r in top.itertuples()}


def month_list(cov: pd.DataFrame) -> list[str]:
    """The months of the ``coverage`` aggregate that have dated articles, in order."""
    return sorted(cov.loc[cov["day"].notna(), "month"].unique().tolist())
