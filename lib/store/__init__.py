"""The embedded store: one SQLite database in WAL mode, the analyst's edits, and analysis artifacts.

- ``lib/store/schema.py``: the tables, opening and migrating the database, transactions, a corpus's
  ``Version`` (generation and revision).
- ``lib/store/writes.py``: saving articles, deleting and sharing a corpus.
- ``lib/store/reads.py``: every query that reads a corpus.
- ``lib/store/edits.py``: what the analyst changes in a stored corpus (restored spans, metadata, stopwords).
- ``lib/store/artifacts.py``: heavy analysis results, pickled per corpus revision.
- ``lib/store/dataset.py``: a corpus as a partitioned Parquet dataset (its layout, an atomic write, the reads), at a
  place ``lib/store/location.py`` resolves (a folder, or an fsspec URL).

The names of the first three are importable from ``lib.store`` (``store.connect``, ``store.save``,
``store.sentences``, ...).
"""

from __future__ import annotations

from lib.store import artifacts  # noqa: F401 (re-exported: store.artifacts)
from lib.store.reads import (  # noqa: F401 (re-exported)
    article_count,
    article_stats,
    articles,
    containing,
    corpus_names,
    creator,
    list_corpora,
    paragraphs,
    raw_text,
    removed,
    sentence_texts,
    sentences,
    sentences_at,
    shared_with,
    texts,
)
from lib.store.schema import (  # noqa: F401 (re-exported)
    LOG,
    MAX_PARAMS,
    META_COLUMNS,
    NAME_RE,
    SCHEMA,
    Connection,
    StoreError,
    Version,
    bump,
    connect,
    corpus_id,
    db_path,
    migrate,
    new_generation,
    revision,
    transaction,
    version,
)
from lib.store.writes import Article, SaveResult, delete, insert_segments, save, share, text_hash, words  # noqa: F401 (re-exported)
