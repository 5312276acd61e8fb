"""Readers: files, folders, zips and pasted text into raw article rows.

Every reader turns untrusted bytes into ``RawArticle`` rows plus ``Problem`` lines that name the
file (and line) and the reason; one bad input never stops the rest of the batch. Encodings are
detected by ``lib.ingest.encoding``; HTML goes through trafilatura (main text, title, date, author, site
name); archives (.zip, .gz) are read within the limits of ``lib.config.Limits``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from lib.config import Limits
from lib.ingest.encoding import BadInput, decode, decode_counted, jsonl_lines, strip_controls  # noqa: F401 (decode: re-exported)
from lib.ingest.files import LimitExceeded, gunzip, read_regular_file, regular, size

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
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
TABLE_SUFFIXES = {".csv", ".tsv"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES | {".json", ".jsonl", ".ndjson", ".zip", ".gz"}
MANIFEST_NAME = "manifest.csv"
# HTML character references to C0 controls (tab, newline, form feed and CR apart): &#27; &#x1b; &#0
CONTROL_REFS = re.compile(r"&#(?:0*(?:[0-8]|11|1[4-9]|2[0-9]|3[01])(?![0-9])|[xX]0*(?:[0-8bBeEfF]|1[0-9a-fA-F])"
                          r"(?![0-9a-fA-F]));?")


@dataclass
class RawArticle:
    """One article as read: where it came from, its text, and the metadata the file supplies."""

    source: str  # shown to the user: "folder/a.txt", "export.csv:12", "batch.zip/a.txt"
    key: str  # what a manifest row matches: the file name, or the row's id
    text: str
    given: dict[str, str] = field(default_factory=dict)  # fields the file states (provenance "file")
    extra: dict[str, str] = field(default_factory=dict)  # other columns, kept as they are


@dataclass(frozen=True)
class Problem:
    """An input that did not load, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Batch:
    """What one ingest read: articles, problems (inputs that did not load), warnings (inputs that loaded
    with something left out or repaired, said why), and manifest rows."""

    articles: list[RawArticle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    manifest: list[dict[str, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def extend(self, other: Batch) -> None:
        self.articles += other.articles
        self.problems += other.problems
        self.manifest += other.manifest
        self.warnings += other.warnings


# --- column mapping ------------------------------------------------------------------------------


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


# --- one file ------------------------------------------------------------------------------------


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


def read_bytes(name: str, data: bytes, limits: Limits, overrides: dict[str, str] | None = None,
               nested: bool = False) -> Batch:
    """Dispatch one named blob of bytes to its reader by suffix; problems never raise (except an
    archive ``nested`` in another that breaks the limits: the outer archive is then the problem).
    Any other error, a reader's bug or a library's, is this file's problem, named by its type."""
    try:
        return _read_bytes(name, data, limits, overrides, nested)
    except BadInput as exc:
        if nested and isinstance(exc, LimitExceeded):
            raise
        return Batch(problems=[Problem(name, str(exc))])
    except RecursionError:
        return Batch(problems=[Problem(name, "nested too deeply to read (RecursionError)")])
    except MemoryError:
        return Batch(problems=[Problem(name, "out of memory while reading it (MemoryError)")])
    except Exception as exc:  # one file never takes the batch down
        return Batch(problems=[Problem(name, f"could not be read ({type(exc).__name__}: {str(exc)[:150]})")])


def _check_type(name: str) -> None:
    """Raise ``BadInput`` unless ``name``'s suffix is one the readers know."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise BadInput(f"unsupported file type {suffix or '(none)'!r}")


def _read_bytes(name: str, data: bytes, limits: Limits, overrides: dict[str, str] | None, nested: bool) -> Batch:
    """``read_bytes`` without its safety net: raises ``BadInput`` for a file that cannot load."""
    _check_type(name)
    suffix = PurePosixPath(name).suffix.lower()
    if len(data) > limits.max_file_bytes:
        raise BadInput(f"file too large ({size(len(data))} > {size(limits.max_file_bytes)})")
    if suffix == ".zip":
        return read_zip(name, data, limits, overrides)
    if suffix == ".gz":
        return read_bytes(name[:-3], gunzip(data, limits), limits, overrides, nested)
    if suffix in (".jsonl", ".ndjson"):
        if not data[:65536].strip() and not data.strip():
            raise BadInput("empty file")
        lines = _Stripped(jsonl_lines(data))
        return _repaired(read_jsonl(name, lines, overrides), name, lines.removed)
    text, removed = decode_counted(data)
    if PurePosixPath(name).name.lower() == MANIFEST_NAME:
        return _repaired(Batch(manifest=read_manifest(name, text)), name, removed)
    if suffix in TEXT_SUFFIXES:
        batch = read_text(name, text)
    elif suffix in HTML_SUFFIXES:
        text, refs = CONTROL_REFS.subn("", text)  # trafilatura drops a page with one in it
        batch = read_html(name, text)
        removed += refs
    elif suffix in TABLE_SUFFIXES:
        batch = read_table(name, text, overrides)
    else:
        batch = read_json(name, text, overrides)
    return _repaired(batch, name, removed)


class _Stripped:
    """Lines with their control characters removed, counting them (in ``removed``)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines, self.removed = lines, 0

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            line, n = strip_controls(line)
            self.removed += n
            yield line


def _repaired(batch: Batch, name: str, removed: int) -> Batch:
    """``batch`` with control characters that came through the parsers (JSON's ``\\u0000``, HTML's
    ``&#27;``) removed from its articles, and one warning for the file if any were removed at all."""
    for art in batch.articles:
        art.text, n = strip_controls(art.text)
        art.given, g = _strip_fields(art.given)
        art.extra, e = _strip_fields(art.extra)
        removed += n + g + e
    if removed:
        what = "control character" if removed == 1 else "control characters"
        batch.warnings.append(Problem(name, f"{removed:,} {what} (NUL, escape and the like) removed from the text"))
    return batch


def _strip_fields(fields: dict[str, str]) -> tuple[dict[str, str], int]:
    """Field names and values without control characters, and how many were removed."""
    out, removed = {}, 0
    for key, value in fields.items():
        (key, a), (value, b) = strip_controls(key), strip_controls(value)
        out[key] = value
        removed += a + b
    return out, removed


def read_zip(name: str, data: bytes, limits: Limits, overrides: dict[str, str] | None = None) -> Batch:
    """A zip archive, with limits on entry count and uncompressed size and no path escapes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [e for e in archive.infolist() if not e.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadInput(f"not a readable zip ({exc})") from None
    if len(entries) > limits.max_zip_entries:
        raise LimitExceeded(f"zip has {len(entries)} entries (limit {limits.max_zip_entries})")
    declared = sum(e.file_size for e in entries)
    if declared > limits.max_zip_bytes:
        raise LimitExceeded(f"zip would expand to {size(declared)} (limit {size(limits.max_zip_bytes)})")
    batch, total, count = Batch(), 0, len(entries)
    for entry in entries:
        inner = f"{name}/{entry.filename}"
        path = PurePosixPath(entry.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in entry.filename:
            batch.problems.append(Problem(inner, "path escapes the archive; skipped"))
            continue
        if path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        if entry.file_size > limits.max_file_bytes:
            batch.problems.append(Problem(inner, "file too large once uncompressed"))
            continue
        try:
            with archive.open(entry) as handle:  # read no more than declared: a lying header is cut short
                blob = handle.read(min(entry.file_size, limits.max_file_bytes) + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            batch.problems.append(Problem(inner, f"corrupt, encrypted or unsupported zip entry ({exc})"))
            continue
        total += len(blob)
        if len(blob) > entry.file_size or total > limits.max_zip_bytes:
            raise LimitExceeded("zip entries expand beyond their declared size (zip bomb?)")
        # an archive inside the archive gets what is left of this one's limits
        inside = replace(limits, max_zip_bytes=limits.max_zip_bytes - total,
                         max_zip_entries=limits.max_zip_entries - count)
        try:
            sub = read_bytes(inner, blob, inside, overrides, nested=True)
        except LimitExceeded:
            raise LimitExceeded(f"zip bomb: {entry.filename} inside it goes beyond the limits "
                                f"({limits.max_zip_entries} entries, {size(limits.max_zip_bytes)})") from None
        if path.suffix.lower() in (".zip", ".gz"):
            total += sum(len(a.text) for a in sub.articles)
            count += len(sub.articles) + len(sub.problems)
        batch.extend(sub)
    if not (batch.articles or batch.problems or batch.manifest or batch.warnings):
        raise BadInput("no files to read in it (hidden files are skipped)")
    return batch


# --- paths ---------------------------------------------------------------------------------------


def read_paths(
    paths: list[Path | str], limits: Limits | None = None, overrides: dict[str, str] | None = None
) -> Batch:
    """Read files, folders (recursively, hidden files skipped) and zips into one batch."""
    limits = limits or Limits.from_env()
    batch, count = Batch(), 0
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            batch.problems.append(Problem(str(raw), "no such file or folder"))
            continue
        # everything but folders: a FIFO, a device or a broken link in a folder is reported, not passed over
        files = sorted(p for p in path.rglob("*") if not p.is_dir()) if path.is_dir() else [path]
        before = (len(batch.articles), len(batch.problems), len(batch.manifest))
        for file in files:
            rel = file.relative_to(path.parent) if path.is_dir() else file
            if path.is_dir() and any(part.startswith(".") for part in rel.parts[1:]):
                continue
            count += 1
            if count > limits.max_files:
                batch.problems.append(Problem(str(rel), f"more than {limits.max_files} files; rest skipped"))
                return batch
            batch.extend(_read_path(file, str(rel), limits, overrides))
        if (len(batch.articles), len(batch.problems), len(batch.manifest)) == before:
            batch.problems.append(Problem(str(raw), "no files to read (hidden files are skipped)"))
    return batch


def _read_path(file: Path, name: str, limits: Limits, overrides: dict[str, str] | None) -> Batch:
    """One file on disk, read as ``name``; its kind, type and size are checked before it is opened."""
    try:
        info = os.stat(file)
        regular(info.st_mode)
        _check_type(name)
        if info.st_size > limits.max_file_bytes:
            raise BadInput(f"file too large ({size(info.st_size)} > {size(limits.max_file_bytes)})")
        data = read_regular_file(file, limits.max_file_bytes)
    except BadInput as exc:
        return Batch(problems=[Problem(name, str(exc))])
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        return Batch(problems=[Problem(name, f"cannot read ({getattr(exc, 'strerror', None) or exc})")])
    return read_bytes(name, data, limits, overrides)
