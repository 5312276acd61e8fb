"""Artifacts: heavy analysis results pickled under ``$FRAMESCOPE_HOME/artifacts/CORPUS/REVISION/``,
keyed by their parameters, so each is computed once per corpus revision; a new revision prunes the old.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import shutil
import tempfile
from pathlib import Path

from lib import config


def folder(home: Path | None = None) -> Path:
    return (home or config.home()) / "artifacts"


def slug(name: str) -> str:
    return re.sub(r"[^\w.-]", "_", name)


def path(corpus: str, rev: int, params: dict, home: Path | None = None) -> Path:
    """Where a heavy result for (corpus, revision, parameters) lives; parameters are hashed."""
    digest = hashlib.sha1(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return folder(home) / slug(corpus) / str(rev) / f"{digest}.pkl"


def save(corpus: str, rev: int, params: dict, value: object, home: Path | None = None) -> Path:
    """Pickle a result atomically (write to a file of its own, then rename: two writers of the same
    result, say the app and the CLI, never share a half-written file); older revisions are pruned."""
    file = path(corpus, rev, params, home)
    file.parent.mkdir(parents=True, exist_ok=True)
    for old in file.parent.parent.iterdir():
        if old.name != str(rev):
            shutil.rmtree(old, ignore_errors=True)
    with tempfile.NamedTemporaryFile(dir=file.parent, prefix=file.stem, suffix=".tmp", delete=False) as fh:
        try:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            Path(fh.name).unlink()
            raise
    Path(fh.name).replace(file)
    return file


def load(corpus: str, rev: int, params: dict, home: Path | None = None) -> object | None:
    """The stored result, or None when there is none for this revision and these parameters, or when it can no
    longer be read (written by code that has changed since: a class moved or renamed; it is then removed and
    computed again)."""
    file = path(corpus, rev, params, home)
    if not file.exists():
        return None
    try:
        with file.open("rb") as fh:
            return pickle.load(fh)
    except (pickle.UnpicklingError, ImportError, AttributeError, EOFError, TypeError):
        file.unlink(missing_ok=True)
        return None


def delete(corpus: str, home: Path | None = None) -> None:
    """Remove every artifact of a corpus."""
    shutil.rmtree(folder(home) / slug(corpus), ignore_errors=True)
