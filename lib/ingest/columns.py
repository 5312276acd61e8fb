"""Choosing a table's columns: a preview of its first rows, and the columns an analyst chose for its fields (and
its paragraph separator), remembered in the data folder for the next file with the same columns."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path, PurePosixPath

import pandas as pd

from lib import config
from lib.ingest.dispatch import TABLE_SUFFIXES
from lib.ingest.encoding import BadInput, decode
from lib.ingest.records import _cell


def _file(home: Path | None = None) -> Path:
    return (home or config.home()) / "column-choices.json"


def signature(columns: list[str]) -> str:
    """A table's columns as a key: the same names, in any order and case, are the same kind of file."""
    names = "\x1f".join(sorted(c.strip().lower() for c in columns))
    return hashlib.sha1(names.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def remembered(columns: list[str], home: Path | None = None) -> dict[str, str | None] | None:
    """The choice last made for a table of these ``columns`` (field -> column, None for none, and the paragraph
    separator), or None."""
    try:
        return json.loads(_file(home).read_text(encoding="utf-8")).get(signature(columns))
    except (OSError, ValueError, AttributeError):
        return None


def remember(columns: list[str], choice: dict[str, str | None], home: Path | None = None) -> None:
    """Keep ``choice`` for tables of these ``columns`` (written whole: another writer never sees half a file)."""
    path = _file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
        known = known if isinstance(known, dict) else {}
    except (OSError, ValueError):
        known = {}
    known[signature(columns)] = choice
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8") as fh:
        json.dump(known, fh)
    os.replace(fh.name, path)


def preview(name: str, data: bytes, rows: int = 5) -> pd.DataFrame | None:
    """The first ``rows`` records of a CSV, TSV, JSON or JSON Lines file as text, every column shown (for choosing
    which column is which); None for any other file or one that cannot be read as a table."""
    suffix = PurePosixPath(name.lower()).suffix
    try:
        text = decode(data)
        if suffix in TABLE_SUFFIXES:
            reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t" if suffix == ".tsv" else ",")
            records = [r for _, r in zip(range(rows), reader, strict=False)]
            columns = [c for c in reader.fieldnames or [] if c is not None]
        elif suffix == ".json":
            records = [r for r in json.loads(text)[:rows] if isinstance(r, dict)]
            columns = list(dict.fromkeys(k for r in records for k in r))
        elif suffix in (".jsonl", ".ndjson"):
            lines = (line for line in text.splitlines() if line.strip())
            records = [r for r in (json.loads(line) for _, line in zip(range(rows), lines, strict=False))
                       if isinstance(r, dict)]
            columns = list(dict.fromkeys(k for r in records for k in r))
        else:
            return None
    except (BadInput, ValueError, TypeError, csv.Error, RecursionError):
        return None
    return pd.DataFrame([{c: _cell(r.get(c))[:200] for c in columns} for r in records], columns=columns, dtype=str)
