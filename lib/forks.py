"""Forked worker processes for the heavy passes (cleaning at ingest, tokenising for the term matrix):
forked, so they inherit the texts instead of receiving them.

A forked worker also inherits its parent's signal handlers. A Streamlit server handles SIGTERM by
printing "Stopping..." and shutting its event loop down, which in a worker does nothing: the worker
lives on, and ``Pool.terminate`` waits for it forever (a Topics page stuck at "Finding topics…").
So each worker first restores the default SIGTERM handler: SIGTERM ends it, as ``Pool.terminate`` expects.

Ctrl+C sends SIGINT to every process of the terminal, workers included. A worker that died of it while
waiting for a task would leave the pool's queue locked, and its parent stuck at exit ending the pool. So
workers ignore SIGINT: the parent stops, and ends its pools."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import multiprocessing.pool
import os
import signal


def _signals() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def pool(workers: int) -> multiprocessing.pool.Pool:
    """A pool of ``workers`` forked processes that SIGTERM ends and SIGINT does not."""
    return multiprocessing.get_context("fork").Pool(workers, initializer=_signals)


def executor(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    """``workers`` forked processes kept for the whole run, as ``pool``'s, started now: forked later from a
    large process, they would keep its pages alive. Unlike a ``Pool``, an executor exits cleanly when its
    workers are killed with it (a stop signal sent to the process group)."""
    ran = concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                                 initializer=_signals)
    ran.submit(os.getpid).result()  # a forking executor starts all its workers at its first task
    return ran
