"""Where a dataset lives: a local folder, or any fsspec URL (``memory://x``, ``s3://bucket/x``), as a pyarrow
filesystem and a path on it.

Local paths (and ``file://`` URLs) use ``pyarrow.fs.LocalFileSystem``. Other URLs need fsspec (installed with Dask,
the ``scale`` extra): its filesystem is wrapped for pyarrow by ``pyarrow.fs.PyFileSystem(FSSpecHandler(fs))``, so
``pyarrow.dataset`` reads and writes it as it does a local folder. fsspec is imported here only, when a URL needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow.fs as pafs

from lib.store.schema import StoreError

INSTALL = 'pip install -e ".[scale]"'
URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")


class DatasetError(StoreError):
    """A dataset that cannot be read or written: no such dataset, a URL without fsspec, a bad layout."""


@dataclass(frozen=True)
class Location:
    """A dataset's place: the pyarrow filesystem, the path on it, and whether it is a local folder."""

    fs: pafs.FileSystem
    path: str
    local: bool
    url: str  # as given, for messages and cache keys


def resolve(location: str | Path) -> Location:
    """The filesystem and path of ``location``: a local path or ``file://`` URL, else an fsspec URL (which needs
    fsspec: ``DatasetError`` naming the install command otherwise)."""
    text = str(location)
    scheme = URL.match(text)
    if scheme is None or scheme.group(1).lower() == "file":
        path = Path(text[len("file://"):] if scheme else text).expanduser().absolute()
        return Location(pafs.LocalFileSystem(), path.as_posix(), True, text)
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise DatasetError(f"{text}: a {scheme.group(1)}:// location needs fsspec, the scale extra: {INSTALL}"
                           ) from None
    try:
        fs, path = url_to_fs(text)
    except (ImportError, ValueError) as exc:  # an unknown protocol, or its driver (s3fs, gcsfs) missing
        raise DatasetError(f"{text}: {exc}") from None
    return Location(pafs.PyFileSystem(pafs.FSSpecHandler(fs)), path.rstrip("/"), False, text)


def exists(loc: Location, path: str) -> bool:
    """Whether ``path`` (a file or a folder) exists on ``loc``'s filesystem."""
    return loc.fs.get_file_info(path).type != pafs.FileType.NotFound
