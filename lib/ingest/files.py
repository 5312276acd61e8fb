"""Bytes from files and archives within limits: regular files only, and gzip streams cut at the limit.

The readers of ``lib.ingest`` get their bytes here: a FIFO, a device or a socket given as a path is refused
before it is read (a FIFO blocks, /dev/zero never ends), and a .gz is decompressed as a stream that stops at
the per-file limit, so a bomb costs no more memory than the limit.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from pathlib import Path

from lib.config import Limits
from lib.ingest.encoding import BadInput


class LimitExceeded(BadInput):
    """An archive beyond its limits; raised through nested archives so the outermost is the problem."""


def size(n: float) -> str:
    """A byte count for people: 512 B, 3.5 KB, 50 MB, 1 GB."""
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" or n >= 10 or n == int(n) else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.0f} GB" if n >= 10 or n == int(n) else f"{n:.1f} GB"


def gunzip(data: bytes, limits: Limits) -> bytes:
    """Decompress a .gz file (all its members) as a stream, stopping once it passes the file size limit
    (or what is left of an enclosing zip's), so that a bomb costs no more memory than the limit; a file
    cut short is reported as truncated."""
    cap = min(limits.max_file_bytes, limits.max_zip_bytes)
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(cap + 1)
    except EOFError:
        raise BadInput("truncated gzip file (it ends before its compressed data does)") from None
    except (OSError, zlib.error) as exc:
        raise BadInput(f"not a readable gzip file ({exc})") from None
    if len(out) <= cap:
        return out
    if cap < limits.max_file_bytes:
        raise LimitExceeded(f"gzip expands beyond {size(cap)} (what is left of the zip limit)")
    raise BadInput(f"file too large once uncompressed (over {size(cap)})")


SPECIAL_FILES = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                 (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def regular(mode: int) -> None:
    """Raise ``BadInput`` naming the kind of file unless ``mode`` is a regular file's."""
    for test, kind in SPECIAL_FILES:
        if test(mode):
            raise BadInput(f"not a regular file ({kind})")
    if not stat.S_ISREG(mode):
        raise BadInput("not a regular file")


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file, no more than ``limit``; ``BadInput`` for anything else.

    A FIFO blocks on opening and a device such as /dev/zero never ends: the file is opened without
    blocking, checked to be a regular file once open (it may have been swapped since a check by
    name), and no more than ``limit + 1`` bytes are read, whatever its size said.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        regular(os.fstat(fd).st_mode)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise BadInput(f"file too large (over {size(limit)})")
    return data
