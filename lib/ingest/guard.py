"""One article never takes a batch down (DESIGN.md rule 5): a stage's work on one article, guarded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Failed:
    """An article a stage could not process: the reason, for the report."""

    reason: str


def guarded(func: Callable, *args):
    """``func(*args)``, or ``Failed`` with the reason for anything it raises but an interrupt or an exit: native
    extensions' panics (pyo3's ``PanicException``) derive from ``BaseException``, and one article must never take
    a batch (or a pool worker) down."""
    try:
        return func(*args)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: B036
        return Failed(f"{type(exc).__name__}: {str(exc)[:200]}")
