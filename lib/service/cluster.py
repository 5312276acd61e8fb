"""The reads of the composer on a Dask cluster (``lib.cluster``): the same results as ``lib.service.reads``,
computed by tasks over partitions of the corpus and merged by tree reductions on the workers.

- Term counts per unit (keywords and distinctive terms): each partition's ``terms.tally`` (its terms, their
  article frequencies and its counts per unit), merged by ``terms.merge`` in a tree; only the merged counts of the
  terms of ``min_df`` articles come back (``terms.grouped``), never a per-article matrix.

The corpus's texts are read here from the store and scattered to the workers by partition.
"""

from __future__ import annotations

import functools

import pandas as pd

from lib import cluster, store
from lib.service.reads import _texts_ids
from lib.text import terms

PARTITION = 5000  # articles per task


def _tally(part: tuple[list[str], object], vocab: terms.Vocabulary) -> terms.Tally:
    return terms.tally(*part, vocab)


def _merged(*tallies: terms.Tally) -> terms.Tally:
    return functools.reduce(terms.merge, tallies)


def term_groups(client, conn: store.Connection, name: str, units: pd.Series, vocab: terms.Vocabulary,
                partition: int = PARTITION) -> terms.Grouped:
    """The corpus's term counts summed per unit (``units``: each article's, indexed by id), with the terms of
    ``vocab.min_df`` articles: what ``keywords.by_unit`` gives of ``reads.term_matrix``."""
    texts, ids = _texts_ids(conn, name)
    labels = units.reindex(ids.to_numpy()).to_numpy()
    parts = client.scatter([(texts.iloc[i : i + partition].tolist(), labels[i : i + partition])
                            for i in range(0, len(texts), partition)] or [([], labels[:0])])
    tallies = [client.submit(_tally, part, vocab) for part in parts]
    return client.submit(terms.grouped, cluster.tree(client, _merged, tallies), vocab).result()
