"""Writing a corpus: saving a batch of articles (duplicates skipped, reprints kept), deleting a corpus,
sharing it.

Every change runs in one transaction and bumps the corpus's revision, so a failed or killed write leaves it
as it was, and readers (the dashboard) see either the old or the new corpus while a writer (the CLI) works.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from lib.cleaning import clean
from lib.ingest.dates import utc_now
from lib.store import artifacts
from lib.store.schema import (
    LOG,
    META_COLUMNS,
    NAME_RE,
    StoreError,
    bump,
    corpus_id,
    new_generation,
    transaction,
    version,
)
from lib.text import segment

GROUP = 256  # articles stored under one savepoint (``_group``)
STORE_ERRORS = (sqlite3.Error, ValueError, OverflowError)  # what one article can make an insert raise (a lone
# surrogate: UnicodeEncodeError, a ValueError); anything else ends the write


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
    words: int = -1  # words in ``text`` (``words``), counted here when not given (-1)
    text_hash: str = ""  # ``text_hash(text)``, made here when not given ("")

    def __post_init__(self) -> None:
        self.words = words(self.text) if self.words < 0 else self.words
        self.text_hash = self.text_hash or text_hash(self.text)


def words(text: str) -> int:
    """How many words a cleaned text has: its runs of characters between whitespace."""
    return len(text.split())


def text_hash(text: str) -> str:
    """Identity of a cleaned text, for exact-duplicate detection."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def insert_segments(conn: sqlite3.Connection, cid: int, aid: int, seg: segment.Segments) -> None:
    """Store an article's paragraph and sentence offsets (``segment.split``)."""
    conn.executemany("INSERT INTO paragraphs VALUES (?,?,?,?,?)",
                     [(cid, aid, i, s, e) for i, (s, e) in enumerate(seg.paragraphs)])
    conn.executemany("INSERT INTO sentences VALUES (?,?,?,?,?,?)",
                     [(cid, aid, i, p, s, e) for i, (p, s, e) in enumerate(seg.sentences)])


@dataclass(frozen=True)
class SaveResult:
    """What ``save`` did: the corpus's new revision, articles added, and the duplicates, copies and
    failures by source.
    """
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
    article the store cannot take (``_group``) is reported in ``failed`` and the others land."""
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
        first = conn.execute("SELECT COALESCE(MAX(id), -1) + 1 FROM articles WHERE corpus_id = ?",
                             (cid,)).fetchone()[0]
        next_id, items = first, iter(articles)
        while group := list(itertools.islice(items, GROUP)):
            next_id = _group(conn, cid, group, next_id, seen, duplicates, copies, failed)
        added = next_id - first
        if row is None and not added:  # a corpus that would hold nothing is not created
            conn.execute("ROLLBACK TO corpus")
            return SaveResult(0, 0, duplicates, copies, failed)
        rev = bump(conn, cid)
    return SaveResult(rev, added, duplicates, copies, failed)


def _group(conn: sqlite3.Connection, cid: int, arts: list[Article], aid: int, seen: dict[str, dict[str, str]],
           duplicates: list[tuple[str, str]], copies: list[tuple[str, str]], failed: list[tuple[str, str]]) -> int:
    """Store ``arts`` from id ``aid`` on (``_each``) under one savepoint; should one fail, the group is rolled back
    (``seen``, ``duplicates`` and ``copies`` too) and stored again one article at a time, each under a savepoint of
    its own, so that the failing one alone is left out (in ``failed``). The next id."""
    marks, new = (len(duplicates), len(copies)), []
    conn.execute("SAVEPOINT articles")
    try:
        return _each(conn, cid, arts, aid, seen, duplicates, copies, new)
    except STORE_ERRORS:
        conn.execute("ROLLBACK TO articles")
        del duplicates[marks[0]:], copies[marks[1]:]
        for h, outlet in new:
            del seen[h][outlet]
            if not seen[h]:
                del seen[h]
    finally:
        conn.execute("RELEASE articles")
    return _each(conn, cid, arts, aid, seen, duplicates, copies, [], failed)


def _each(conn: sqlite3.Connection, cid: int, arts: list[Article], aid: int, seen: dict[str, dict[str, str]],
          duplicates: list[tuple[str, str]], copies: list[tuple[str, str]], new: list[tuple[str, str]],
          failed: list[tuple[str, str]] | None = None) -> int:
    """Insert each of ``arts`` from id ``aid`` on but those whose outlet and text are in ``seen`` (text hash ->
    outlet -> source; a duplicate), a text another outlet has a copy; with ``failed``, each under a savepoint of its
    own, one the store cannot take left out and reported there. The (hash, outlet) of each inserted go to ``new``.
    The next id."""
    for art in arts:
        h, outlet = art.text_hash, art.meta.get("outlet", "")
        if outlet in seen.get(h, {}):
            duplicates.append((art.source_file, seen[h][outlet]))
            continue
        if failed is None:
            _insert(conn, cid, aid, art, h)
        elif not _alone(conn, cid, aid, art, h, failed):
            continue
        if h in seen:
            copies.append((art.source_file, next(iter(seen[h].values()))))
        seen.setdefault(h, {})[outlet] = art.source_file
        new.append((h, outlet))
        aid += 1
    return aid


def _alone(conn: sqlite3.Connection, cid: int, aid: int, art: Article, h: str, failed: list[tuple[str, str]]) -> bool:
    """Insert one article under a savepoint of its own; whether it was, or else why not, in ``failed``."""
    conn.execute("SAVEPOINT article")
    try:
        _insert(conn, cid, aid, art, h)
    except STORE_ERRORS as exc:
        conn.execute("ROLLBACK TO article")
        failed.append((art.source_file, f"could not be stored ({type(exc).__name__}: {str(exc)[:200]})"))
        return False
    finally:
        conn.execute("RELEASE article")
    return True


def _insert(conn: sqlite3.Connection, cid: int, aid: int, art: Article, h: str) -> None:
    """One article's rows: the article, its paragraphs and sentences, the spans cleaning removed."""
    conn.execute(
        f"INSERT INTO articles (corpus_id, id, source_file, key, raw_text, text, text_hash, words, extra, "
        f"{', '.join(META_COLUMNS)}) VALUES ({', '.join('?' * (9 + len(META_COLUMNS)))})",
        (cid, aid, art.source_file, art.key, art.raw_text, art.text, h, art.words,
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


def share(conn: sqlite3.Connection, name: str, addresses: list[str]) -> None:
    """Share corpus ``name`` with ``addresses`` (the list replaces the one before; lower case, each once)."""
    kept = "\n".join(dict.fromkeys(a.strip().lower() for a in addresses if a.strip()))
    with transaction(conn):
        if conn.execute("UPDATE corpora SET shared_with = ? WHERE name = ?", (kept, name)).rowcount == 0:
            raise StoreError(f"no corpus named {name!r}")
    LOG.info("corpus %r shared with %d addresses", name, len(kept.split("\n")) if kept else 0)
