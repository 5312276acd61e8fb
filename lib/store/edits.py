"""What the analyst changes in a stored corpus: spans of cleaning restored (or removed again), metadata edited,
a custom stopword list. Each change is one transaction (``lib/store/schema.py``) and gives the corpus a new revision,
so every cached view is recomputed from the changed corpus."""

from __future__ import annotations

import sqlite3

import pandas as pd

from lib import store
from lib.cleaning import clean
from lib.ingest.dates import parse_published
from lib.text import segment


def set_restored(conn: sqlite3.Connection, name: str, article_id: int, restored: dict[int, bool]) -> int:
    """Restore (or remove again) spans of one article; re-clean and re-segment it; new revision."""
    with store.transaction(conn):
        cid = store.corpus_id(conn, name)
        row = conn.execute("SELECT raw_text, language FROM articles WHERE corpus_id = ? AND id = ?",
                           (cid, article_id)).fetchone()
        if row is None:
            raise store.StoreError(f"no article {article_id} in {name!r}")
        for idx, flag in restored.items():
            conn.execute("UPDATE removed SET restored = ? WHERE corpus_id = ? AND article_id = ? AND idx = ?",
                         (int(flag), cid, article_id, idx))
        spans = [clean.Span(s, e, k, bool(r)) for s, e, k, r in conn.execute(
            'SELECT start, "end", kind, restored FROM removed WHERE corpus_id = ? AND article_id = ?',
            (cid, article_id))]
        text = clean.apply(row[0], spans)
        conn.execute("UPDATE articles SET text = ?, text_hash = ?, words = ? WHERE corpus_id = ? AND id = ?",
                     (text, store.text_hash(text), store.words(text), cid, article_id))
        for table in ("paragraphs", "sentences"):
            conn.execute(f"DELETE FROM {table} WHERE corpus_id = ? AND article_id = ?", (cid, article_id))
        store.insert_segments(conn, cid, article_id, segment.split(text, row[1] or "en"))
        return store.bump(conn, cid)


EDITABLE = ("outlet", "title", "published", "published_offset", "retrieved", "url", "byline", "dateline", "language")


def update_metadata(conn: sqlite3.Connection, name: str, edits: dict[int, dict[str, str]]) -> int:
    """Apply the analyst's edits ``{article id: {field: value}}``; edited fields get provenance
    ``user`` (or ``missing`` when cleared). ``published`` and ``retrieved`` are read as dates and stored
    in UTC where the zone is known. One transaction, one new revision."""
    with store.transaction(conn):
        cid = store.corpus_id(conn, name)
        for aid, changes in edits.items():
            for fld, value in changes.items():
                if fld not in EDITABLE:
                    raise store.StoreError(f"{fld!r} cannot be edited")
                value = "" if value is None or pd.isna(value) else str(value).strip()
                if fld in ("published", "retrieved") and value:
                    parsed = parse_published(value)
                    if parsed is None:
                        raise store.StoreError(f"article {aid}: cannot read {value!r} as a date ({fld})")
                    value = parsed.value
                    if fld == "published" and parsed.offset:
                        conn.execute("UPDATE articles SET published_offset = ? WHERE corpus_id = ? AND id = ?",
                                     (parsed.offset, cid, aid))
                src_col = "published_src" if fld == "published_offset" else fld + "_src"
                conn.execute(f"UPDATE articles SET {fld} = ?, {src_col} = ? WHERE corpus_id = ? AND id = ?",
                             (value, "user" if value else "missing", cid, aid))
        return store.bump(conn, cid)


def metadata_edits(before: pd.DataFrame, after: pd.DataFrame) -> dict[int, dict[str, str]]:
    """The cells the analyst changed in an edited copy of ``articles()``: ``{id: {field: value}}``."""
    cols = [c for c in EDITABLE if c in before.columns and c in after.columns]
    old = before.set_index("id")[cols].fillna("").astype(str)
    new = after.set_index("id")[cols].fillna("").astype(str).reindex(old.index)
    changed = old.ne(new)
    return {int(aid): {c: new.at[aid, c] for c in cols if changed.at[aid, c]} for aid in old.index[changed.any(axis=1)]}


def stopwords(conn: sqlite3.Connection, name: str) -> list[str]:
    """The corpus's custom stopword list (saved with ``set_stopwords``)."""
    row = conn.execute("SELECT stopwords FROM corpora WHERE id = ?", (store.corpus_id(conn, name),)).fetchone()
    return [w for w in row[0].split("\n") if w]


def set_stopwords(conn: sqlite3.Connection, name: str, words: list[str]) -> int:
    """Save the corpus's custom stopword list (one new revision)."""
    with store.transaction(conn):
        cid = store.corpus_id(conn, name)
        conn.execute("UPDATE corpora SET stopwords = ? WHERE id = ?", ("\n".join(words), cid))
        return store.bump(conn, cid)
