"""Forked workers end on SIGTERM, whatever handler their parent installed, and leave Ctrl+C to their parent."""

from __future__ import annotations

import signal

from lib import forks


def _sigterm_is_default() -> bool:
    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def _sigint_is_ignored() -> bool:
    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_a_worker_forked_from_a_server_that_outlives_sigterm_does_not():
    """A Streamlit server handles SIGTERM without exiting; a worker that inherited that handler would outlive
    ``Pool.terminate``, which then waits for it forever."""
    old = signal.signal(signal.SIGTERM, lambda *args: None)
    try:
        with forks.pool(1) as pool:
            assert pool.apply(_sigterm_is_default)
    finally:
        signal.signal(signal.SIGTERM, old)


def test_ctrl_c_reaches_the_parent_only():
    """Ctrl+C signals every process of the terminal: a worker that died of it while waiting for a task would
    leave the pool's queue locked, and its parent stuck ending the pool at exit (seen: a server stopped that way
    never exited)."""
    with forks.pool(1) as pool:
        assert pool.apply(_sigint_is_ignored)
