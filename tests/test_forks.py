"""Forked workers end on SIGTERM, whatever handler their parent installed."""

from __future__ import annotations

import signal

from lib import forks


def _sigterm_is_default() -> bool:
    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_a_worker_forked_from_a_server_that_outlives_sigterm_does_not():
    """A Streamlit server handles SIGTERM without exiting; a worker that inherited that handler would outlive
    ``Pool.terminate``, which then waits for it forever."""
    old = signal.signal(signal.SIGTERM, lambda *args: None)
    try:
        with forks.pool(1) as pool:
            assert pool.apply(_sigterm_is_default)
    finally:
        signal.signal(signal.SIGTERM, old)
