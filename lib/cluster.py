"""A Dask cluster (``dask.distributed``, the optional ``scale`` extra) to run the pipeline's phases on: ``connect`` to
one, ``tree``, a reduction on its workers, and ``trim``, their freed memory given back. Dask is imported in
``connect`` only, so the core install never needs it. How to run a cluster and what its settings do: docs/cluster.md."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

FANIN = 8  # partial results added up per reduction task
INSTALL = 'pip install -e ".[scale]"'
TRIM = "MALLOC_TRIM_THRESHOLD_"  # glibc's; set, it also fixes when large arrays are mapped (docs/cluster.md)
TRIM_GIVEN = os.environ.get(TRIM)  # the user's own, if any: kept


class ClusterError(RuntimeError):
    """No cluster to run on: the ``scale`` extra is not installed, or the address is not one."""


@contextmanager
def connect(address: str) -> Iterator:
    """A ``dask.distributed.Client`` of the scheduler at ``address`` ("tcp://host:8786"), or of a ``LocalCluster``
    of N worker processes of one thread each for "local:N", closed (the local cluster ended) on leaving."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError(f"--cluster needs Dask, the scale extra: {INSTALL}") from exc
    local = re.fullmatch(r"local:(\d+)", address.strip())
    if local:
        if int(local.group(1)) < 1:
            raise ClusterError(f"--cluster {address}: a local cluster needs one worker or more (local:2)")
        import dask

        if TRIM_GIVEN is None:  # Dask sets it for its workers, which then map and unmap every large numpy array
            os.environ.pop(TRIM, None)  # (and fault its pages in again): twice the time of the same task here
        with (dask.config.set({f"distributed.nanny.pre-spawn-environ.{TRIM}": TRIM_GIVEN}),
              LocalCluster(n_workers=int(local.group(1)), threads_per_worker=1, processes=True,
                           dashboard_address=None) as cluster, Client(cluster) as client):
            yield client
    else:
        with Client(address) as client:
            yield client


def tree(client, func: Callable, futures: list):
    """``func`` (of any number of partial results, returning one) over ``futures`` by a tree reduction on the
    workers, ``FANIN`` at a time: one future."""
    while len(futures) > 1:
        futures = [client.submit(func, *futures[i : i + FANIN]) for i in range(0, len(futures), FANIN)]
    return futures[0]


def _trimmed() -> bool:
    """glibc's ``malloc_trim(0)`` in this process: its freed heap given back to the system (False where there is no
    glibc)."""
    try:
        return bool(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False


def trim(client) -> None:
    """Give back to the system the memory each worker has freed (``_trimmed``), after a phase that freed much: with
    ``MALLOC_TRIM_THRESHOLD_`` unset (``connect``), glibc keeps it, and a worker's size stays at its highest."""
    client.run(_trimmed)
