"""Reading a corpus: the corpora, an article's metadata and texts, its sentences, paragraphs and removed
spans, as DataFrames."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

import pandas as pd

from lib.store.schema import MAX_PARAMS, META_COLUMNS, StoreError, corpus_id


def shared_with(conn: sqlite3.Connection, name: str) -> list[str]:
    """The addresses corpus ``name`` is shared with: they may change it as its creator may."""
    row = conn.execute("SELECT shared_with FROM corpora WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise StoreError(f"no corpus named {name!r}")
    return [a for a in row[0].split("\n") if a]


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
