"""Forked worker processes for the heavy passes (cleaning at ingest, tokenising for the term matrix):
forked, so they inherit the texts instead of receiving them.

A forked worker also inherits its parent's signal handlers. A Streamlit server handles SIGTERM by
printing "Stopping..." and shutting its event loop down, which in a worker does nothing: the worker
lives on, and ``Pool.terminate`` waits for it forever (a Topics page stuck at "Finding topics…").
So each worker first restores the default handlers: SIGTERM ends it, as ``Pool.terminate`` expects."""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import signal


def _default_signals() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def pool(workers: int) -> multiprocessing.pool.Pool:
    """A pool of ``workers`` forked processes with the default SIGTERM and SIGINT handlers."""
    return multiprocessing.get_context("fork").Pool(workers, initializer=_default_signals)
