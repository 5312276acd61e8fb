"""One reader per format of decoded text: plain text, HTML (trafilatura), CSV/TSV, JSON, JSON Lines, and a
manifest."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from lib.ingest.batch import Batch, Problem, RawArticle
from lib.ingest.encoding import BadInput
from lib.ingest.records import _records_to_articles


def read_text(name: str, text: str) -> Batch:
    """Pasted text (or a .txt/.md file) as one article keyed by its name."""
    if not text.strip():
        return Batch(problems=[Problem(name, "empty text")])
    return Batch(articles=[RawArticle(name, PurePosixPath(name).name, text)])


def read_html(name: str, html: str, url: str | None = None) -> Batch:
    """An HTML page: main text, title, date, author and site name extracted with trafilatura (``url``: where the
    page was found, which helps it)."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None or not (doc.text or "").strip():
        return Batch(problems=[Problem(name, "no article text found in the HTML")])
    given = {"title": doc.title, "published": doc.date, "byline": doc.author, "outlet": doc.sitename,
             "url": doc.url}
    given = {k: v.strip() for k, v in given.items() if v and v.strip()}
    return Batch(articles=[RawArticle(name, PurePosixPath(name).name, doc.text, given)])


def read_table(name: str, text: str, overrides: dict[str, str] | None = None) -> Batch:
    """A CSV or TSV export, one article a row; the delimiter follows the suffix."""
    delimiter = "\t" if name.lower().endswith(".tsv") else ","
    batch = Batch()
    csv.field_size_limit(2**31 - 1)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    if not reader.fieldnames or None in reader.fieldnames:
        raise BadInput("no header row")

    def rows() -> Iterator[tuple[int, dict]]:
        start = reader.line_num + 1  # a row's first line (a quoted cell can span several)
        try:
            for row in reader:
                if None in row:
                    batch.problems.append(Problem(f"{name}:{start}", "more cells than columns"))
                else:
                    yield start, row
                start = reader.line_num + 1
        except csv.Error as exc:
            raise BadInput(f"malformed CSV in the row starting at line {start}: {exc}") from None

    _records_to_articles(rows(), name, overrides, batch, "no articles in it (header only)")
    return batch


def read_json(name: str, text: str, overrides: dict[str, str] | None = None) -> Batch:
    """A JSON array of objects, one article each."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise BadInput("JSON nested too deeply to read") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise BadInput("expected a JSON array of objects")
    if not data:
        raise BadInput("empty JSON array")
    batch = Batch()
    _records_to_articles(((i + 1, d) for i, d in enumerate(data)), name, overrides, batch)
    return batch


def read_jsonl(name: str, lines: Iterable[str], overrides: dict[str, str] | None = None) -> Batch:
    """JSON Lines: one object a line; a broken line is reported and the other lines load."""
    batch = Batch()

    def records() -> Iterator[tuple[int, dict]]:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                batch.problems.append(Problem(f"{name}:{number}", f"invalid JSON: {exc.msg}"))
                continue
            except RecursionError:
                batch.problems.append(Problem(f"{name}:{number}", "JSON nested too deeply to read"))
                continue
            if not isinstance(record, dict):
                batch.problems.append(Problem(f"{name}:{number}", "not a JSON object"))
                continue
            yield number, record

    _records_to_articles(records(), name, overrides, batch, "no articles in it (only blank lines)")
    return batch


def read_manifest(name: str, text: str) -> list[dict[str, str]]:
    """Manifest rows: a ``file`` or ``id`` key plus outlet, title, published, timezone, url, byline."""
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if rows and not ({"file", "id"} & {k.strip().lower() for k in rows[0] if k}):
        raise BadInput("a manifest needs a 'file' or 'id' column")
    return [{(k or "").strip().lower(): (v or "").strip() for k, v in r.items()} for r in rows]
