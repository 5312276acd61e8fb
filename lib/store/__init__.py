"""The embedded store: one SQLite database in WAL mode (analysis results are in ``lib/store/artifacts.py``).

Tables: ``corpora`` (name, generation, revision, who created it), ``articles`` (raw and cleaned text, metadata
with provenance), ``paragraphs`` and ``sentences`` (offsets into the cleaned text), ``removed``
(spans of the raw text that cleaning took out, each restorable). Every change to a corpus runs in
one transaction and bumps its revision, so a failed or killed write leaves it as it was, and
readers (the dashboard) see either the old or the new corpus while a writer (the CLI) works. A corpus's
generation is a random id given when it is created and never again: a corpus deleted and created again
under the same name is another generation, so (generation, revision) names one state of one corpus
(``Version``), the key of every cache and artifact. What the analyst changes in a stored corpus
(restored spans, metadata, stopwords) is ``lib/store/edits.py``.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lib import config
from lib.cleaning import clean
from lib.ingest.metadata import FIELDS, utc_now
from lib.store import artifacts
from lib.text import segment

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


@dataclass
class Article:
    """One cleaned, segmented article ready to store."""

    source_file: str
    key: str
    raw_text: str
    text: str
    meta: dict[str, str]
    spans: list[clean.Span]
    segments: segment.Segments
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


def text_hash(text: str) -> str:
    """Identity of a cleaned text, for exact-duplicate detection."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def db_path(home: Path | None = None) -> Path:
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


def insert_segments(conn: sqlite3.Connection, cid: int, aid: int, seg: segment.Segments) -> None:
    """Store an article's paragraph and sentence offsets (``segment.split``)."""
    conn.executemany("INSERT INTO paragraphs VALUES (?,?,?,?,?)",
                     [(cid, aid, i, s, e) for i, (s, e) in enumerate(seg.paragraphs)])
    conn.executemany("INSERT INTO sentences VALUES (?,?,?,?,?,?)",
                     [(cid, aid, i, p, s, e) for i, (p, s, e) in enumerate(seg.sentences)])


@dataclass(frozen=True)
class SaveResult:
    revision: int
    added: int
    duplicates: list[tuple[str, str]]  # (source, source of the article it duplicates)
    copies: list[tuple[str, str]] = field(default_factory=list)  # (source, the other outlet's article it reprints)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)


def save(conn: sqlite3.Connection, name: str, articles: Iterable[Article], replace: bool = False,
         created_by: str = "") -> SaveResult:
    """Store articles in corpus ``name`` (created if new) in one transaction. An article whose outlet and
    cleaned text are already in the corpus (or earlier in the batch) is skipped as a duplicate; the same text
    from another outlet is a reprint, stored as an article of its own (reuse detection marks it a copy). An
    article the store cannot take (a savepoint each) is reported in ``failed`` and the others land."""
    if not NAME_RE.match(name):
        raise StoreError(f"corpus name {name!r}: use letters, digits, spaces, '.', '-' or '_' (max 64)")
    duplicates: list[tuple[str, str]] = []
    copies: list[tuple[str, str]] = []
    failed: list[tuple[str, str]] = []
    with transaction(conn):
        row = conn.execute("SELECT id FROM corpora WHERE name = ?", (name,)).fetchone()
        conn.execute("SAVEPOINT corpus")
        if row is None:
            now = utc_now()
            cid = conn.execute("INSERT INTO corpora (name, created_at, updated_at, created_by, generation) "
                               "VALUES (?,?,?,?,?)", (name, now, now, created_by, new_generation())).lastrowid
        else:
            cid = row[0]
        if replace:
            for table in ("articles", "paragraphs", "sentences", "removed"):
                conn.execute(f"DELETE FROM {table} WHERE corpus_id = ?", (cid,))
        seen: dict[str, dict[str, str]] = {}  # text hash -> outlet -> source
        for h, outlet, source in conn.execute("SELECT text_hash, outlet, source_file FROM articles "
                                              "WHERE corpus_id = ? ORDER BY id", (cid,)):
            seen.setdefault(h, {}).setdefault(outlet or "", source)
        next_id = conn.execute("SELECT COALESCE(MAX(id), -1) + 1 FROM articles WHERE corpus_id = ?",
                               (cid,)).fetchone()[0]
        added = 0
        for art in articles:
            h, outlet = art.text_hash, art.meta.get("outlet", "")
            if outlet in seen.get(h, {}):
                duplicates.append((art.source_file, seen[h][outlet]))
                continue
            conn.execute("SAVEPOINT article")
            try:
                _insert(conn, cid, next_id, art, h)
            except (sqlite3.Error, ValueError, OverflowError) as exc:  # UnicodeEncodeError: a lone surrogate
                conn.execute("ROLLBACK TO article")
                failed.append((art.source_file, f"could not be stored ({type(exc).__name__}: {str(exc)[:200]})"))
                continue
            finally:
                conn.execute("RELEASE article")
            if h in seen:
                copies.append((art.source_file, next(iter(seen[h].values()))))
            seen.setdefault(h, {})[outlet] = art.source_file
            next_id += 1
            added += 1
        if row is None and not added:  # a corpus that would hold nothing is not created
            conn.execute("ROLLBACK TO corpus")
            return SaveResult(0, 0, duplicates, copies, failed)
        rev = bump(conn, cid)
    return SaveResult(rev, added, duplicates, copies, failed)


def _insert(conn: sqlite3.Connection, cid: int, aid: int, art: Article, h: str) -> None:
    """One article's rows: the article, its paragraphs and sentences, the spans cleaning removed."""
    conn.execute(
        f"INSERT INTO articles (corpus_id, id, source_file, key, raw_text, text, text_hash, words, extra, "
        f"{', '.join(META_COLUMNS)}) VALUES ({', '.join('?' * (9 + len(META_COLUMNS)))})",
        (cid, aid, art.source_file, art.key, art.raw_text, art.text, h, len(art.text.split()),
         json.dumps(art.extra, ensure_ascii=False), *(art.meta.get(c, "") for c in META_COLUMNS)),
    )
    insert_segments(conn, cid, aid, art.segments)
    conn.executemany("INSERT INTO removed VALUES (?,?,?,?,?,?,?)",
                     [(cid, aid, i, s.start, s.end, s.kind, int(s.restored)) for i, s in enumerate(art.spans)])


def delete(conn: sqlite3.Connection, name: str) -> None:
    """Delete a corpus, its rows and its artifacts."""
    with transaction(conn):
        cid = corpus_id(conn, name)
        generation = version(conn, name).generation
        for table in ("articles", "paragraphs", "sentences", "removed"):
            conn.execute(f"DELETE FROM {table} WHERE corpus_id = ?", (cid,))
        conn.execute("DELETE FROM corpora WHERE id = ?", (cid,))
    artifacts.delete(name, generation)
    LOG.info("deleted corpus %r", name)


def shared_with(conn: sqlite3.Connection, name: str) -> list[str]:
    """The addresses corpus ``name`` is shared with: they may change it as its creator may."""
    row = conn.execute("SELECT shared_with FROM corpora WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise StoreError(f"no corpus named {name!r}")
    return [a for a in row[0].split("\n") if a]


def share(conn: sqlite3.Connection, name: str, addresses: list[str]) -> None:
    """Share corpus ``name`` with ``addresses`` (the list replaces the one before; lower case, each once)."""
    kept = "\n".join(dict.fromkeys(a.strip().lower() for a in addresses if a.strip()))
    with transaction(conn):
        if conn.execute("UPDATE corpora SET shared_with = ? WHERE name = ?", (kept, name)).rowcount == 0:
            raise StoreError(f"no corpus named {name!r}")
    LOG.info("corpus %r shared with %d addresses", name, len(kept.split("\n")) if kept else 0)


def creator(conn: sqlite3.Connection, name: str) -> str:
    """Who created corpus ``name`` (an e-mail address with login; "" without, or from the command line)."""
    row = conn.execute("SELECT created_by FROM corpora WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise StoreError(f"no corpus named {name!r}")
    return row[0]


def article_count(conn: sqlite3.Connection, name: str) -> int:
    """The number of articles in the corpus."""
    cid = corpus_id(conn, name)
    return int(conn.execute("SELECT COUNT(*) FROM articles WHERE corpus_id = ?", (cid,)).fetchone()[0])


def corpus_names(conn: sqlite3.Connection) -> list[str]:
    """Names of the stored corpora, sorted."""
    return [name for (name,) in conn.execute("SELECT name FROM corpora ORDER BY name")]


def list_corpora(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per corpus: name, revision, articles, outlets named, articles naming none, words,
    first and last publication dates, created and updated times, creator."""
    return pd.read_sql_query(
        """SELECT c.name, c.revision, COUNT(a.id) AS articles, COUNT(DISTINCT NULLIF(a.outlet, '')) AS outlets,
                  COUNT(a.id) - COUNT(NULLIF(a.outlet, '')) AS no_outlet,
                  COALESCE(SUM(a.words), 0) AS words, MIN(NULLIF(a.published, '')) AS first_published,
                  MAX(NULLIF(a.published, '')) AS last_published, c.created_at, c.updated_at, c.created_by
           FROM corpora c LEFT JOIN articles a ON a.corpus_id = c.id GROUP BY c.id ORDER BY c.name""",
        conn,
    )


def articles(conn: sqlite3.Connection, name: str, text: bool = False, search: str = "",
             limit: int | None = None) -> pd.DataFrame:
    """The corpus's articles with metadata and provenance (and texts when ``text``); ``search``
    keeps those whose outlet, title or source file contains it (case-insensitive), ``limit`` caps
    the rows."""
    cols = "id, source_file, " + ", ".join(META_COLUMNS) + ", words, extra"
    if text:
        cols += ", text, raw_text"
    where, params = "corpus_id = ?", [corpus_id(conn, name)]
    if search:
        where += " AND (outlet LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR source_file LIKE ? ESCAPE '\\')"
        pattern = _like(search)
        params += [pattern] * 3
    sql = f"SELECT {cols} FROM articles WHERE {where} ORDER BY id" + (f" LIMIT {int(limit)}" if limit else "")
    return pd.read_sql_query(sql, conn, params=params)


def article_stats(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    """Per article: id, source file, outlet, title, published (and offset), words, extra fields
    (JSON), characters of the cleaned and of the raw text, sentences; the coverage view's input,
    without the texts."""
    return pd.read_sql_query(
        """SELECT a.id, a.source_file, a.outlet, a.title, a.published, a.published_offset, a.words, a.extra,
                  length(a.text) AS chars, length(a.raw_text) AS raw_chars,
                  (SELECT COUNT(*) FROM sentences s WHERE s.corpus_id = a.corpus_id AND s.article_id = a.id)
                  AS sentences
           FROM articles a WHERE a.corpus_id = ? ORDER BY a.id""", conn, params=(corpus_id(conn, name),))


def texts(conn: sqlite3.Connection, name: str, ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Per article (all, or those in ``ids``): id, outlet, published, title and the cleaned text
    (the analyses' input)."""
    sql = "SELECT id, outlet, published, title, text FROM articles WHERE corpus_id = ?"
    params: list = [corpus_id(conn, name)]
    if ids is not None:
        ids = [int(i) for i in ids]
        sql += f" AND id IN ({', '.join('?' * len(ids))})" if ids else " AND 0"
        params += ids
    return pd.read_sql_query(sql + " ORDER BY id", conn, params=params)


def raw_text(conn: sqlite3.Connection, name: str, article_id: int) -> str:
    """One article's text as read, before cleaning."""
    row = conn.execute("SELECT raw_text FROM articles WHERE corpus_id = ? AND id = ?",
                       (corpus_id(conn, name), article_id)).fetchone()
    if row is None:
        raise StoreError(f"no article {article_id} in {name!r}")
    return row[0]


def _like(words: str) -> str:
    """A LIKE pattern (with ``ESCAPE '\\'``) matching text that contains ``words``."""
    return "%" + re.sub(r"([%_\\])", r"\\\1", words) + "%"


def _spans(conn: sqlite3.Connection, name: str, table: str, columns: str, ids: Iterable[int] | None) -> pd.DataFrame:
    """Rows of ``table`` (sentences or paragraphs) with the outlet and the text they cover, in article
    order; only those of the articles ``ids`` when given. Each article's text is read once and cut in
    Python: SQLite's ``substr`` per row reads the whole text again for every sentence."""
    wanted = None if ids is None else sorted({int(i) for i in ids})
    where, params = "corpus_id = ?", [corpus_id(conn, name)]
    if wanted is not None and len(wanted) <= MAX_PARAMS:
        where += f" AND {{id}} IN ({','.join('?' * len(wanted))})" if wanted else " AND 0"
        params += wanted
    df = pd.read_sql_query(f"""SELECT article_id, {columns}, start, "end" FROM {table}
                               WHERE {where.format(id="article_id")} ORDER BY article_id, idx""", conn, params=params)
    if wanted is not None and len(wanted) > MAX_PARAMS:  # too many for one query: filter after reading
        df = df[df["article_id"].isin(wanted)].reset_index(drop=True)
    articles = pd.read_sql_query(f"SELECT id, outlet, text FROM articles WHERE {where.format(id='id')}", conn,
                                 params=params)
    return _with_text(df, articles)


def _with_text(df: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """``df`` (article_id, start, end, …) with the outlet and the text each row covers, cut from
    ``articles`` (id, outlet, text)."""
    articles = articles.set_index("id")
    text = articles["text"].to_dict()
    df["outlet"] = articles["outlet"].reindex(df["article_id"]).to_numpy()
    df["text"] = [text[a][s:e] for a, s, e in zip(df["article_id"], df["start"], df["end"], strict=True)]
    return df


def sentences(conn: sqlite3.Connection, name: str, ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Every sentence (of the articles ``ids``, when given): article id, index, paragraph, offsets,
    outlet and the sentence text."""
    return _spans(conn, name, "sentences", "idx AS sentence, paragraph", ids)


def sentences_at(conn: sqlite3.Connection, name: str, articles: pd.DataFrame,
                 positions: list[tuple[int, int]]) -> pd.DataFrame:
    """The sentences holding the (article id, character offset) ``positions`` in ``articles`` (id, outlet,
    text: ``texts``, already read by the caller), each once, in article order: article id, index,
    paragraph, offsets, outlet and the sentence text."""
    cid, cols = corpus_id(conn, name), ["article_id", "sentence", "paragraph", "start", "end"]
    found = []
    for i in range(0, len(positions), MAX_PARAMS // 2):
        chunk = positions[i:i + MAX_PARAMS // 2]
        found += conn.execute(
            f"""WITH p(article_id, pos) AS (VALUES {','.join(['(?, ?)'] * len(chunk))})
                SELECT DISTINCT s.article_id, s.idx, s.paragraph, s.start, s."end" FROM p
                CROSS JOIN sentences s ON s.corpus_id = ? AND s.article_id = p.article_id
                                          AND p.pos < s."end" AND s.start <= p.pos""",
            [int(v) for position in chunk for v in position] + [cid]).fetchall()
    return _with_text(pd.DataFrame(sorted(set(found)), columns=cols), articles)


def paragraphs(conn: sqlite3.Connection, name: str, ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Every paragraph (of the articles ``ids``, when given): article id, index, offsets, outlet and
    the paragraph's text."""
    return _spans(conn, name, "paragraphs", "idx AS paragraph", ids)


def containing(conn: sqlite3.Connection, name: str, words: str) -> list[int]:
    """Ids of the articles whose cleaned text contains ``words`` (case-insensitive for ASCII letters):
    a fast prefilter before a regular expression looks at their sentences."""
    pattern = _like(words)
    return [i for (i,) in conn.execute("SELECT id FROM articles WHERE corpus_id = ? AND text LIKE ? ESCAPE '\\'",
                                       (corpus_id(conn, name), pattern))]


def sentence_texts(conn: sqlite3.Connection, name: str, keys: list[tuple[int, int]]) -> pd.DataFrame:
    """The sentences ``keys`` ((article id, index) pairs): article id, index, outlet and text."""
    cols = ["article_id", "sentence", "outlet", "text"]
    if not keys:
        return pd.DataFrame(columns=cols)
    values = ",".join("(?, ?)" for _ in keys)
    return pd.read_sql_query(
        f"""WITH k(article_id, idx) AS (VALUES {values})
            SELECT s.article_id, s.idx AS sentence, a.outlet, substr(a.text, s.start + 1, s."end" - s.start) AS text
            FROM k CROSS JOIN sentences s ON s.corpus_id = ? AND s.article_id = k.article_id AND s.idx = k.idx
                   JOIN articles a ON a.corpus_id = s.corpus_id AND a.id = s.article_id
            ORDER BY s.article_id, s.idx""",
        conn, params=[int(v) for key in keys for v in key] + [corpus_id(conn, name)])


def removed(conn: sqlite3.Connection, name: str, article_id: int | None = None) -> pd.DataFrame:
    """Removed spans (offsets into the raw text) with their text, kind and restored flag."""
    cid = corpus_id(conn, name)
    where, params = "r.corpus_id = ?", [cid]
    if article_id is not None:
        where, params = where + " AND r.article_id = ?", [cid, article_id]
    return pd.read_sql_query(
        f"""SELECT r.article_id, a.source_file, r.idx AS span, r.start, r."end", r.kind, r.restored,
                   substr(a.raw_text, r.start + 1, r."end" - r.start) AS text
            FROM removed r JOIN articles a ON a.corpus_id = r.corpus_id AND a.id = r.article_id
            WHERE {where} ORDER BY r.article_id, r.idx""", conn, params=params)
