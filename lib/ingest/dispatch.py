"""One named blob of bytes to its reader by suffix (``read_bytes``), within the limits of ``lib.config.Limits``:
decoded (``lib.ingest.encoding``), gunzipped, or read as a zip archive (``read_zip``) whose entries are blobs
in turn; control characters that come through the parsers are removed, with a warning for the file."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import PurePosixPath

from lib.config import Limits
from lib.ingest.batch import Batch, Problem
from lib.ingest.encoding import BadInput, decode_counted, jsonl_lines, strip_controls
from lib.ingest.files import LimitExceeded, gunzip, size
from lib.ingest.formats import read_html, read_json, read_jsonl, read_manifest, read_table, read_text

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
TABLE_SUFFIXES = {".csv", ".tsv"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES | {".json", ".jsonl", ".ndjson", ".zip", ".gz"}
MANIFEST_NAME = "manifest.csv"
# HTML character references to C0 controls (tab, newline, form feed and CR apart): &#27; &#x1b; &#0
CONTROL_REFS = re.compile(r"&#(?:0*(?:[0-8]|11|1[4-9]|2[0-9]|3[01])(?![0-9])|[xX]0*(?:[0-8bBeEfF]|1[0-9a-fA-F])"
                          r"(?![0-9a-fA-F]));?")


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
    """Field names and values without control characters, and how many were removed (all of them tested at once
    first: most records have none)."""
    if not strip_controls("\n".join([*fields, *fields.values()]))[1]:
        return dict(fields), 0
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
