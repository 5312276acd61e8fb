"""Readers: files, folders, zips and pasted text into raw article rows.

Every reader turns untrusted bytes into ``RawArticle`` rows plus ``Problem`` lines that name the
file (and line) and the reason; one bad input never stops the rest of the batch. Encodings are
detected by ``lib.encoding``; HTML goes through trafilatura (main text, title, date, author, site
name); archives (.zip, .gz) are read within the limits of ``lib.config.Limits``.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from lib.config import Limits
from lib.encoding import BadInput, decode, jsonl_lines

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
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
TABLE_SUFFIXES = {".csv", ".tsv"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES | {".json", ".jsonl", ".ndjson", ".zip", ".gz"}
MANIFEST_NAME = "manifest.csv"


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
    """What one ingest read: articles, problems, and manifest rows."""

    articles: list[RawArticle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    manifest: list[dict[str, str]] = field(default_factory=list)

    def extend(self, other: Batch) -> None:
        self.articles += other.articles
        self.problems += other.problems
        self.manifest += other.manifest


class LimitExceeded(BadInput):
    """An archive beyond its limits; raised through nested archives so the outermost is the problem."""


def _size(n: float) -> str:
    """A byte count for people: 512 B, 3.5 KB, 50 MB, 1 GB."""
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" or n >= 10 or n == int(n) else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.0f} GB" if n >= 10 or n == int(n) else f"{n:.1f} GB"


# --- column mapping ------------------------------------------------------------------------------


def map_columns(columns: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Map our fields to a table's columns by common names (case-insensitive); overrides win.

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
        if col:
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
    records: Iterator[tuple[int, dict]], source: str, overrides: dict[str, str] | None, batch: Batch
) -> None:
    """Turn (line number, record) pairs of a table or JSON file into articles."""
    mapping: dict[str, str] | None = None
    for line, record in records:
        if mapping is None:
            mapping = map_columns(list(record), overrides)
            if "text" not in mapping:
                raise BadInput(
                    "no text column (looked for " + ", ".join(COLUMN_NAMES["text"]) + "; use --text-col)"
                )
        text = _cell(record.get(mapping["text"]))
        if not text:
            batch.problems.append(Problem(f"{source}:{line}", "empty text"))
            continue
        given = {f: _cell(record.get(c)) for f, c in mapping.items() if f != "text"}
        given = {f: v for f, v in given.items() if v}
        used = set(mapping.values())
        extra = {k: _cell(v) for k, v in record.items() if k not in used and _cell(v)}
        key = given.pop("id", "") or f"{PurePosixPath(source).name}:{line}"
        batch.articles.append(RawArticle(f"{source}:{line}", key, text, given, extra))


# --- one file ------------------------------------------------------------------------------------


def read_text(name: str, text: str) -> Batch:
    """Pasted text (or a .txt/.md file) as one article keyed by its name."""
    if not text.strip():
        return Batch(problems=[Problem(name, "empty text")])
    return Batch(articles=[RawArticle(name, PurePosixPath(name).name, text)])


def read_html(name: str, html: str) -> Batch:
    """An HTML page: main text, title, date, author and site name extracted with trafilatura."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
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

    _records_to_articles(rows(), name, overrides, batch)
    return batch


def read_json(name: str, text: str, overrides: dict[str, str] | None = None) -> Batch:
    """A JSON array of objects, one article each."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise BadInput("expected a JSON array of objects")
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
            if not isinstance(record, dict):
                batch.problems.append(Problem(f"{name}:{number}", "not a JSON object"))
                continue
            yield number, record

    _records_to_articles(records(), name, overrides, batch)
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
    archive ``nested`` in another that breaks the limits: the outer archive is then the problem)."""
    suffix = PurePosixPath(name).suffix.lower()
    try:
        if suffix not in SUFFIXES:
            raise BadInput(f"unsupported file type {suffix or '(none)'!r}")
        if len(data) > limits.max_file_bytes:
            raise BadInput(f"file too large ({_size(len(data))} > {_size(limits.max_file_bytes)})")
        if suffix == ".zip":
            return read_zip(name, data, limits, overrides)
        if suffix == ".gz":
            return read_bytes(name[:-3], gunzip(data, limits), limits, overrides)
        if suffix in (".jsonl", ".ndjson"):
            if not data[:65536].strip() and not data.strip():
                raise BadInput("empty file")
            return read_jsonl(name, jsonl_lines(data), overrides)
        text = decode(data)
        if PurePosixPath(name).name.lower() == MANIFEST_NAME:
            return Batch(manifest=read_manifest(name, text))
        if suffix in TEXT_SUFFIXES:
            return read_text(name, text)
        if suffix in HTML_SUFFIXES:
            return read_html(name, text)
        if suffix in TABLE_SUFFIXES:
            return read_table(name, text, overrides)
        return read_json(name, text, overrides)
    except BadInput as exc:
        if nested and isinstance(exc, LimitExceeded):
            raise
        return Batch(problems=[Problem(name, str(exc))])


def gunzip(data: bytes, limits: Limits) -> bytes:
    """Decompress a .gz file, refusing to expand beyond the zip size limit."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limits.max_zip_bytes + 1)
    except zlib.error as exc:
        raise BadInput(f"not a readable gzip file ({exc})") from None
    if len(out) > limits.max_zip_bytes or inflater.unconsumed_tail:
        raise LimitExceeded(f"gzip expands beyond {_size(limits.max_zip_bytes)} (limit)")
    return out


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
        raise LimitExceeded(f"zip would expand to {_size(declared)} (limit {_size(limits.max_zip_bytes)})")
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
                                f"({limits.max_zip_entries} entries, {_size(limits.max_zip_bytes)})") from None
        if path.suffix.lower() in (".zip", ".gz"):
            total += sum(len(a.text) for a in sub.articles)
            count += len(sub.articles) + len(sub.problems)
        batch.extend(sub)
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
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        before = (len(batch.articles), len(batch.problems), len(batch.manifest))
        for file in files:
            rel = file.relative_to(path.parent) if path.is_dir() else file
            if path.is_dir() and any(part.startswith(".") for part in rel.parts[1:]):
                continue
            count += 1
            if count > limits.max_files:
                batch.problems.append(Problem(str(rel), f"more than {limits.max_files} files; rest skipped"))
                return batch
            try:
                size = file.stat().st_size
                if size > limits.max_file_bytes and file.suffix.lower() in SUFFIXES:
                    batch.problems.append(Problem(str(rel), f"file too large ({_size(size)} > "
                                                            f"{_size(limits.max_file_bytes)})"))
                    continue
                data = file.read_bytes()
            except OSError as exc:
                batch.problems.append(Problem(str(rel), f"cannot read ({exc.strerror})"))
                continue
            batch.extend(read_bytes(str(rel), data, limits, overrides))
        if (len(batch.articles), len(batch.problems), len(batch.manifest)) == before:
            batch.problems.append(Problem(str(raw), "no files to read (hidden files are skipped)"))
    return batch
