"""The columns an analyst chose for a table's fields (and its paragraph separator), remembered in the data folder
for the next file with the same columns."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from lib import config


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
