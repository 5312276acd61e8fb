"""Records of a table or a JSON file into articles: our fields mapped to the columns by their common names
(``map_columns``), one article a record, a record without text reported on its line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import PurePosixPath

from lib.ingest.batch import Batch, Problem, RawArticle
from lib.ingest.encoding import BadInput

FIELDS = ("text", "outlet", "title", "published", "retrieved", "url", "id", "byline")
COLUMN_NAMES = {
    "text": ("text", "content", "body", "article", "article_text", "full_text"),
    "outlet": ("outlet", "source", "publisher", "site", "site_name", "sitename", "domain", "media"),
    "title": ("title", "headline"),
    "published": ("published", "date", "publish_date", "published_at", "timestamp", "pubdate", "datetime"),
    "retrieved": ("retrieved", "retrieved_at", "retrieved_on", "scrape_time", "scraped_at", "scraped", "scrape_date",
                  "crawl_time", "crawled_at", "crawled", "crawl_date", "fetch_time", "fetched_at", "fetched",
                  "fetch_date", "accessed", "accessed_at", "access_date", "download_time", "downloaded_at"),
    "url": ("url", "link", "href"),
    "id": ("id", "article_id", "doc_id", "file", "filename"),
    "byline": ("author", "authors", "byline", "by"),
}
PARAGRAPH_SEP = "paragraph_sep"  # an override that is no column: the text's paragraph separator (" ### ", "|")


def map_columns(columns: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Map our fields to a table's columns by common names (case-insensitive); overrides win (``None``: no column
    for that field).

    >>> map_columns(["Headline", "Body", "Source"])
    {'text': 'Body', 'outlet': 'Source', 'title': 'Headline'}
    """
    lower = {c.strip().lower(): c for c in columns}
    mapping: dict[str, str] = {}
    for name, candidates in COLUMN_NAMES.items():
        for cand in candidates:
            if cand in lower and lower[cand] not in mapping.values():
                mapping[name] = lower[cand]
                break
    for name, col in (overrides or {}).items():
        if name == PARAGRAPH_SEP:
            continue
        if col is None:  # chosen: no column for this field, whatever its name suggests
            mapping.pop(name, None)
        elif col:
            if col not in columns:
                raise BadInput(f"no column {col!r} for {name} (columns: {', '.join(columns)})")
            mapping[name] = col
    return mapping


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def _records_to_articles(
    records: Iterator[tuple[int, dict]], source: str, overrides: dict[str, str] | None, batch: Batch,
    empty: str = "no articles in it",
) -> None:
    """Turn (line number, record) pairs of a table or JSON file into articles; a file that yields no
    record and no problem raises ``BadInput(empty)``, so that it is never dropped without a word."""
    mapping: dict[str, str] | None = None
    problems, sep = len(batch.problems), (overrides or {}).get(PARAGRAPH_SEP)
    for line, record in records:
        if mapping is None:
            mapping = map_columns(list(record), overrides)
            if "text" not in mapping and "url" not in mapping:
                raise BadInput(
                    "no text column (looked for " + ", ".join(COLUMN_NAMES["text"]) + "; use --text-col) "
                    "and no url column to fetch the pages from"
                )
        try:
            batch.articles.append(_record_to_article(record, mapping, source, line, sep))
        except BadInput as exc:
            batch.problems.append(Problem(f"{source}:{line}", str(exc)))
        except RecursionError:
            batch.problems.append(Problem(f"{source}:{line}", "nested too deeply to read"))
    if mapping is None and len(batch.problems) == problems:
        raise BadInput(empty)


def _record_to_article(record: dict, mapping: dict[str, str], source: str, line: int,
                       paragraph_sep: str | None = None) -> RawArticle:
    """One record as an article (its text split into paragraphs at ``paragraph_sep``, when given); ``BadInput``
    when its text is empty. A table with a url column and no text
    column (a news database's export) gives the row's address as its text: a link that ``lib.ingest.web``
    fetches, the row's other columns kept as its metadata."""
    text = _cell(record.get(mapping["text"] if "text" in mapping else mapping["url"]))
    if not text:
        raise BadInput("empty text" if "text" in mapping else "no url")
    if paragraph_sep and "text" in mapping:
        text = "\n\n".join(part.strip() for part in text.split(paragraph_sep) if part.strip())
    given = {f: _cell(record.get(c)) for f, c in mapping.items() if f != "text"}
    given = {f: v for f, v in given.items() if v}
    used = set(mapping.values())
    extra = {k: _cell(v) for k, v in record.items() if k not in used and _cell(v)}
    key = given.pop("id", "") or f"{PurePosixPath(source).name}:{line}"
    return RawArticle(f"{source}:{line}", key, text, given, extra)
