"""The reads of the composer on a Dask cluster (``lib.cluster``): the same results as ``lib.service.reads``,
computed by tasks over partitions of the corpus and merged by tree reductions on the workers.

- Term counts per unit (keywords and distinctive terms): each partition's ``terms.tally`` (its terms, their
  article frequencies and its counts per unit) of the terms of ``min_df`` articles in the corpus (found first by
  hash: ``terms.term_hashes`` added up in a tree), merged by ``terms.merge`` in a tree; only the merged counts come
  back (``terms.grouped``), never a per-article matrix.
- Reuse: a shingle join partitioned by hash. Each partition's (shingle, article) keys (``shingles.keyed``) are cut
  into slices of the hash range; each slice, from every partition, is paired by one task (``shingles.slice_pairs``),
  which hands its pairs on in buckets by their first article; each bucket adds its pairs up over the slices and
  keeps those that pass the thresholds (``shingles.bucket_pairs``). The client gets the pairs found, each article's
  number of shingles and the keys of quoted shingles, and makes the table (``reuse.pairs``).
- Stories (more than ``stories.DENSE_MAX`` articles; fewer make one dense matrix, clustered here): each
  partition's ledes counted (``ledes.lede_counts``), their terms merged in corpus order in a tree
  (``ledes.merge_ledes``), the columns decided on a worker (``ledes.lede_columns``) and each partition's
  vectors made there (``ledes.lede_rows``); the blocks of articles along the time axis are compared by tasks
  (``stories.edge_blocks``), and the rest of ``stories.cluster`` (the cut, the components) runs here.

The corpus's texts are read here from the store and scattered to the workers by partition.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import scipy.sparse as sp

from lib import cluster, store
from lib.analyses import ledes, reuse, shingles, stories
from lib.service.reads import WINDOW_DAYS, _texts_ids, articles
from lib.text import hashes, terms

PARTITION = 5000  # articles per task
BLOCKS_PER_TASK = 4  # blocks of articles along the time axis compared by one task


def _tally(part: tuple[list[str], object], vocab: terms.Vocabulary, kept: np.ndarray | None) -> terms.Tally:
    return terms.tally(*part, vocab, kept)


def _term_hashes(part: tuple[list[str], object], vocab: terms.Vocabulary) -> hashes.HashCounts:
    return terms.term_hashes(part[0], vocab)


def _merged(*tallies: terms.Tally) -> terms.Tally:
    return functools.reduce(terms.merge, tallies)


def term_groups(client, conn: store.Connection, name: str, units: pd.Series, vocab: terms.Vocabulary,
                partition: int = PARTITION) -> terms.Grouped:
    """The corpus's term counts summed per unit (``units``: each article's, indexed by id), with the terms of
    ``vocab.min_df`` articles: what ``keywords.by_unit`` gives of ``reads.term_matrix``."""
    return term_groups_df(client, conn, name, units, vocab, partition)[0]


def _grouped_df(t: terms.Tally, vocab: terms.Vocabulary) -> tuple[terms.Grouped, np.ndarray]:
    g = terms.grouped(t, vocab)
    return g, pd.Series(t.df, index=t.terms).reindex(g.terms).to_numpy()


def term_groups_df(client, conn: store.Connection, name: str, units: pd.Series, vocab: terms.Vocabulary,
                   partition: int = PARTITION) -> tuple[terms.Grouped, np.ndarray]:
    """``term_groups``, and the article frequency in the corpus of each of its terms (the merged ``Tally``'s
    ``df``), for a dataset's ``terms`` aggregate (``lib.service.dataset``)."""
    texts, ids = _texts_ids(conn, name)
    labels = units.reindex(ids.to_numpy()).to_numpy()
    parts = client.scatter([(texts.iloc[i : i + partition].tolist(), labels[i : i + partition])
                            for i in range(0, len(texts), partition)] or [([], labels[:0])])
    least = max(1, min(vocab.min_df, len(texts)))
    kept = None  # the hashes of the terms of min_df articles: most terms of a large corpus are one article's
    if least > 1:
        kept = client.submit(hashes.HashCounts.sorted_at_least, cluster.tree(client, hashes.added, [
            client.submit(_term_hashes, part, vocab) for part in parts]), least)
    tallies = [client.submit(_tally, part, vocab, kept) for part in parts]
    return client.submit(_grouped_df, cluster.tree(client, _merged, tallies), vocab).result()


def _nth(result: tuple, i: int, j: int | None = None):
    return result[i] if j is None else result[i][j]


def reuse_pairs(client, conn: store.Connection, name: str, partition: int = PARTITION) -> pd.DataFrame:
    """The corpus's article pairs that share passages, as ``reads.reuse_pairs`` finds them (``reuse.pairs``, default
    settings), by a shingle join on the cluster (see the module docstring)."""
    arts = articles(conn, name)
    rows, n = len(arts), reuse.SHINGLE
    bits, max_df = shingles.index_bits(rows), reuse.frequent_above(rows)
    buckets = max(1, len(client.scheduler_info()["workers"]))
    parts = client.scatter([arts["text"].iloc[i : i + partition].tolist() for i in range(0, rows, partition)])
    keyed = [client.submit(shingles.keyed, part, i * partition, n, bits) for i, part in enumerate(parts)]
    slices = [client.submit(shingles.slice_pairs, [[client.submit(_nth, k, 0, j) for k in keyed]], rows, bits, max_df,
                            buckets) for j in range(1 << shingles.SLICE_BITS)]
    size = np.concatenate(client.gather([client.submit(_nth, k, 2) for k in keyed]) or [np.zeros(0, np.int64)])
    size -= np.bincount(np.concatenate(client.gather([client.submit(_nth, s, 0) for s in slices])), minlength=rows)
    shared_size = client.scatter(size, broadcast=True)
    found = client.gather([client.submit(shingles.bucket_pairs, [client.submit(_nth, s, 1, b) for s in slices],
                                         shared_size, rows, reuse.MIN_SHARED, reuse.MIN_CONTAINMENT)
                           for b in range(buckets)])
    a, b, shared = (np.concatenate(x) for x in zip(*found, strict=True))
    quoted = np.concatenate(client.gather([client.submit(_nth, k, 1) for k in keyed]) or [np.zeros(0, np.uint64)])
    return reuse.pairs(arts, counts=(a, b, shared, size, shingles.quoted_shared(quoted, bits, a, b)))


def _lede_rows(counted: tuple, columns: ledes.LedeColumns) -> sp.csr_matrix:
    return ledes.lede_rows(*counted, columns)


def _names(columns: ledes.LedeColumns):
    return columns.names


def _edge_blocks(client):
    """``stories.edge_blocks`` as tasks on the cluster, ``BLOCKS_PER_TASK`` blocks each."""
    def blocks(x, days, jobs, window, min_sim):
        x_at, days_at = client.scatter([x, days], broadcast=True)
        tasks = [client.submit(stories.edge_blocks, x_at, days_at, jobs[i : i + BLOCKS_PER_TASK], window, min_sim)
                 for i in range(0, len(jobs), BLOCKS_PER_TASK)]
        return [pair for part in client.gather(tasks) for pair in part]
    return blocks


def story_result(client, conn: store.Connection, name: str, partition: int = PARTITION) -> stories.Stories:
    """The corpus's stories as ``reads.story_result`` finds them (``stories.cluster``, default vocabulary, a window
    of ``WINDOW_DAYS``), with the lede vectors and the time blocks on the cluster (see the module docstring)."""
    arts = articles(conn, name)
    if len(arts) <= stories.DENSE_MAX:  # one dense matrix: nothing to share out
        return stories.cluster(arts, window_days=WINDOW_DAYS)
    texts = ledes.ledes(arts)
    parts = client.scatter([texts.iloc[i : i + partition].tolist() for i in range(0, len(texts), partition)])
    counted = [client.submit(ledes.lede_counts, part) for part in parts]
    total = cluster.tree(client, ledes.merge_ledes, [client.submit(_nth, c, 0) for c in counted])
    columns = client.submit(ledes.lede_columns, total)
    rows = client.gather([client.submit(_lede_rows, c, columns) for c in counted])
    names = client.submit(_names, columns).result()
    x = sp.vstack(rows, format="csr") if len(names) else sp.csr_matrix((len(arts), 0), dtype=np.float32)
    return stories.cluster(arts, window_days=WINDOW_DAYS, lede=(x, names), blocks=_edge_blocks(client))
