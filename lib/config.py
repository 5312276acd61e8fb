"""Settings: the data folder and the limits on untrusted input, read from the environment.

Every limit has a sane default and a ``FRAMESCOPE_*`` variable to change it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def home() -> Path:
    """The data folder: ``$FRAMESCOPE_HOME`` or ``~/.framescope``."""
    return Path(os.environ.get("FRAMESCOPE_HOME") or Path.home() / ".framescope")


def term_matrix_budget() -> int:
    """Bytes the server may hold in corpus term matrices, shared by every user: ``FRAMESCOPE_TERM_MATRIX_MB``,
    default 1024 (AllSides' whole corpus takes 170 MB, a 5,000-article sample 23 MB: see docs/caches.md)."""
    return int(float(os.environ.get("FRAMESCOPE_TERM_MATRIX_MB", 1024)) * 2**20)


@dataclass(frozen=True)
class Limits:
    """Limits on one ingest batch; each protects memory or disk from a hostile or broken input."""

    max_file_bytes: int = 50 * 2**20  # one file, or one zip entry once uncompressed
    max_zip_entries: int = 10_000
    max_zip_bytes: int = 1 * 2**30  # everything a zip holds, uncompressed
    max_files: int = 100_000  # files in one batch (a folder, or several zips)

    @classmethod
    def from_env(cls) -> Limits:
        """Limits from ``FRAMESCOPE_MAX_FILE_MB``, ``_MAX_ZIP_ENTRIES``, ``_MAX_ZIP_MB``, ``_MAX_FILES``."""
        env = os.environ.get
        return cls(
            max_file_bytes=int(float(env("FRAMESCOPE_MAX_FILE_MB", 50)) * 2**20),
            max_zip_entries=int(env("FRAMESCOPE_MAX_ZIP_ENTRIES", 10_000)),
            max_zip_bytes=int(float(env("FRAMESCOPE_MAX_ZIP_MB", 1024)) * 2**20),
            max_files=int(env("FRAMESCOPE_MAX_FILES", 100_000)),
        )
