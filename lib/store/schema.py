"""The store's database: its schema, opening and migrating it, transactions, and a corpus's identity
(``Version``: its generation and revision).

One SQLite database in WAL mode. Tables: ``corpora`` (name, generation, revision, who created it),
``articles`` (raw and cleaned text, metadata with provenance), ``paragraphs`` and ``sentences`` (offsets into
the cleaned text), ``removed`` (spans of the raw text that cleaning took out, each restorable). A corpus's
generation is a random id given when it is created and never again: a corpus deleted and created again under
the same name is another generation, so (generation, revision) names one state of one corpus, the key of
every cache and artifact.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lib import config
from lib.ingest.dates import utc_now
from lib.ingest.metadata import FIELDS

SCHEMA = """
CREATE TABLE IF NOT EXISTS corpora (
    id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, revision INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '',
    stopwords TEXT NOT NULL DEFAULT '', generation TEXT NOT NULL DEFAULT '', shared_with TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS articles (
    corpus_id INTEGER NOT NULL REFERENCES corpora(id), id INTEGER NOT NULL,
    source_file TEXT NOT NULL, key TEXT NOT NULL, text_hash TEXT NOT NULL, words INTEGER NOT NULL,
    outlet TEXT, outlet_src TEXT, title TEXT, title_src TEXT, published TEXT, published_offset TEXT,
    published_src TEXT, retrieved TEXT, retrieved_src TEXT, url TEXT, url_src TEXT, byline TEXT,
    byline_src TEXT, dateline TEXT, dateline_src TEXT, language TEXT, language_src TEXT,
    extra TEXT NOT NULL DEFAULT '{}',
    raw_text TEXT NOT NULL, text TEXT NOT NULL,  -- last: metadata reads never walk the long texts
    PRIMARY KEY (corpus_id, id));
CREATE INDEX IF NOT EXISTS articles_hash ON articles (corpus_id, text_hash);
CREATE INDEX IF NOT EXISTS articles_summary ON articles (corpus_id, outlet, published, words);
CREATE TABLE IF NOT EXISTS paragraphs (
    corpus_id INTEGER NOT NULL, article_id INTEGER NOT NULL, idx INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    PRIMARY KEY (corpus_id, article_id, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sentences (
    corpus_id INTEGER NOT NULL, article_id INTEGER NOT NULL, idx INTEGER NOT NULL,
    paragraph INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    PRIMARY KEY (corpus_id, article_id, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS removed (
    corpus_id INTEGER NOT NULL, article_id INTEGER NOT NULL, idx INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, kind TEXT NOT NULL,
    restored INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (corpus_id, article_id, idx)) WITHOUT ROWID;
"""
META_COLUMNS = [c for f in FIELDS for c in (f, f + "_src")] + ["published_offset"]
MAX_PARAMS = 30000  # bound variables per query (SQLite allows 32,766)
LOG = config.logger("store")
Connection = sqlite3.Connection  # what ``connect`` returns, for the annotations of the store's callers
NAME_RE = re.compile(r"^[\w][\w .-]{0,63}$")


class StoreError(ValueError):
    """A request the store refuses: unknown corpus, bad name, unknown article or span."""


def db_path(home: Path | None = None) -> Path:
    """The database file in the data folder ``home`` (default ``$FRAMESCOPE_HOME``)."""
    return (home or config.home()) / "framescope.db"


def connect(home: Path | None = None) -> sqlite3.Connection:
    """Open (creating if needed) the store in ``home`` (default ``$FRAMESCOPE_HOME``)."""
    path = db_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=60000")
    conn.executescript(SCHEMA)
    migrate(conn)
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: all of it lands, or none of it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def new_generation() -> str:
    """A corpus generation id: 64 random bits in hex, so no two corpora ever share one."""
    return secrets.token_hex(8)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a database made by an older FrameScope up to ``SCHEMA``: a metadata column it lacks (such
    as ``retrieved``) is added, empty, and a corpus without a generation (the column is new) is given
    one, in one transaction (a second connection doing the same waits, then finds nothing to do). Added
    columns come after the texts, so reading them in a database migrated this way walks the texts; a new
    database keeps the texts last."""
    def missing() -> list[str]:
        have = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
        return [c for c in META_COLUMNS if c not in have]

    def ungenerated() -> bool:
        if not {"generation", "shared_with"} <= {row[1] for row in conn.execute("PRAGMA table_info(corpora)")}:
            return True
        return conn.execute("SELECT 1 FROM corpora WHERE generation = '' LIMIT 1").fetchone() is not None

    if not missing() and not ungenerated():
        return
    with transaction(conn):
        for column in missing():
            conn.execute(f"ALTER TABLE articles ADD COLUMN {column} TEXT")
        corpora = {row[1] for row in conn.execute("PRAGMA table_info(corpora)")}
        if "generation" not in corpora:
            conn.execute("ALTER TABLE corpora ADD COLUMN generation TEXT NOT NULL DEFAULT ''")
        if "shared_with" not in corpora:
            conn.execute("ALTER TABLE corpora ADD COLUMN shared_with TEXT NOT NULL DEFAULT ''")
        for (cid,) in conn.execute("SELECT id FROM corpora WHERE generation = ''").fetchall():
            conn.execute("UPDATE corpora SET generation = ? WHERE id = ?", (new_generation(), cid))


def corpus_id(conn: sqlite3.Connection, name: str) -> int:
    """The row id of corpus ``name``; ``StoreError`` when there is none."""
    row = conn.execute("SELECT id FROM corpora WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise StoreError(f"no corpus named {name!r}")
    return row[0]


def revision(conn: sqlite3.Connection, name: str) -> int:
    """The corpus's revision: 1 when created, one more with every change."""
    return version(conn, name).revision


@dataclass(frozen=True)
class Version:
    """One state of one corpus: its generation (never repeats) and its revision (grows with each change)."""

    generation: str
    revision: int


def version(conn: sqlite3.Connection, name: str) -> Version:
    """The corpus's generation and revision, read together."""
    row = conn.execute("SELECT generation, revision FROM corpora WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise StoreError(f"no corpus named {name!r}")
    return Version(*row)


def bump(conn: sqlite3.Connection, cid: int) -> int:
    """Give corpus ``cid`` a new revision (inside the caller's transaction) and return it."""
    conn.execute("UPDATE corpora SET revision = revision + 1, updated_at = ? WHERE id = ?", (utc_now(), cid))
    return conn.execute("SELECT revision FROM corpora WHERE id = ?", (cid,)).fetchone()[0]
