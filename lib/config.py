"""Settings: the data folder, the limits on untrusted input and logging, read from the environment.

Every limit has a sane default and a ``FRAMESCOPE_*`` variable to change it.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path


def home() -> Path:
    """The data folder: ``$FRAMESCOPE_HOME`` or ``~/.framescope``."""
    return Path(os.environ.get("FRAMESCOPE_HOME") or Path.home() / ".framescope")


def term_matrix_budget() -> int:
    """Bytes the server may hold in corpus term matrices, shared by every user: ``FRAMESCOPE_TERM_MATRIX_MB``,
    default 1024 (what corpora of several sizes take: docs/caches.md)."""
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


# --- logging ----------------------------------------------------------------------------------------------------
# The ``framescope`` logger and its children (``framescope.cli``, ``framescope.ui``, ``framescope.store``) record
# every ingest (corpus, counts, seconds; each input that failed), every deleted corpus, every refusal (an account
# the allowlist refuses, an upload or a change the user may not make) and every error. The library only emits
# records; the command line (``framescope --log-level``) and the server (``lib.ui``, at import) send them to
# standard error, at the level ``$FRAMESCOPE_LOG_LEVEL`` names unless told otherwise.
LOGGER = "framescope"
LOG_ENV = "FRAMESCOPE_LOG_LEVEL"
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def logger(name: str) -> logging.Logger:
    """The logger ``framescope.<name>``."""
    return logging.getLogger(f"{LOGGER}.{name}")


class _Stderr(logging.StreamHandler):
    """A handler that writes to ``sys.stderr`` as it is when a record comes (not as it was when made)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter(LOG_FORMAT))

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def log_level(name: str | None, default: str) -> int:
    """The logging level named ``name`` (any case), else ``$FRAMESCOPE_LOG_LEVEL``, else ``default``; a name that is
    not a level counts as absent."""
    for candidate in (name, os.environ.get(LOG_ENV), default):
        if candidate and candidate.strip().lower() in LOG_LEVELS:
            return logging.getLevelName(candidate.strip().upper())
    return logging.INFO


def configure_logging(name: str | None = None, default: str = "info") -> logging.Logger:
    """Send ``framescope`` records at ``log_level(name, default)`` and above to standard error. Called again, it
    changes the level and adds no second handler. Returns the ``framescope`` logger."""
    root = logging.getLogger(LOGGER)
    root.setLevel(log_level(name, default))
    if not any(isinstance(h, _Stderr) for h in root.handlers):
        root.addHandler(_Stderr())
    return root


def log_ingest(log: logging.Logger, report, seconds: float) -> None:
    """Log one ingest: its ``pipeline.Report`` (corpus, revision, added, duplicates, copies, failed, warnings) and
    its wall time; then each input that failed, with its reason. Names are quoted (``%r``), so a name with control
    characters cannot forge a log line."""
    log.info("ingest corpus=%r revision=%s added=%d duplicates=%d copies=%d failed=%d warnings=%d seconds=%.2f",
             report.corpus, report.revision, report.added, len(report.duplicates), len(report.copies),
             len(report.problems), len(report.warnings), seconds)
    for problem in report.problems:
        log.info("ingest corpus=%r failed input %r: %r", report.corpus, problem.source, problem.reason)
