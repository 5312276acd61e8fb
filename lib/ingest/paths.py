"""Files and folders on disk into one batch: folders walked (hidden files skipped), each file's kind, type and
size checked before it is opened."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from lib.config import Limits
from lib.ingest.batch import Batch, Problem
from lib.ingest.dispatch import _check_type, read_bytes
from lib.ingest.encoding import BadInput
from lib.ingest.files import read_regular_file, regular, size


class Listed(NamedTuple):
    """A path as given and the files in it to read, each with the name it is read as; ``whole``: every file of it
    (not cut short by ``Limits.max_files``)."""

    path: str
    files: list[tuple[Path, str]]
    whole: bool = True


def listing(paths: list[Path | str], limits: Limits) -> list[Listed | Problem]:
    """What ``read_paths`` reads, in order, without opening a file: each path with its files (a folder's walked,
    hidden files skipped), or the problem that it does not exist; past ``limits.max_files`` files, a problem and
    nothing more. A cluster lists the inputs so and reads the files on its workers."""
    out: list[Listed | Problem] = []
    count = 0
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            out.append(Problem(str(raw), "no such file or folder"))
            continue
        # everything but folders: a FIFO, a device or a broken link in a folder is reported, not passed over
        files = sorted(p for p in path.rglob("*") if not p.is_dir()) if path.is_dir() else [path]
        listed = Listed(str(raw), [])
        for file in files:
            rel = file.relative_to(path.parent) if path.is_dir() else file
            if path.is_dir() and any(part.startswith(".") for part in rel.parts[1:]):
                continue
            count += 1
            if count > limits.max_files:
                return [*out, listed._replace(whole=False),
                        Problem(str(rel), f"more than {limits.max_files} files; rest skipped")]
            listed.files.append((file, str(rel)))
        out.append(listed)
    return out


def read_paths(
    paths: list[Path | str], limits: Limits | None = None, overrides: dict[str, str] | None = None
) -> Batch:
    """Read files, folders (recursively, hidden files skipped) and zips into one batch (``listing``)."""
    limits = limits or Limits.from_env()
    batch = Batch()
    for entry in listing(paths, limits):
        if isinstance(entry, Problem):
            batch.problems.append(entry)
            continue
        before = (len(batch.articles), len(batch.problems), len(batch.manifest))
        for file, name in entry.files:
            batch.extend(read_file(file, name, limits, overrides))
        if entry.whole and (len(batch.articles), len(batch.problems), len(batch.manifest)) == before:
            batch.problems.append(Problem(entry.path, "no files to read (hidden files are skipped)"))
    return batch


def read_file(file: Path, name: str, limits: Limits, overrides: dict[str, str] | None) -> Batch:
    """One file on disk, read as ``name``; its kind, type and size are checked before it is opened."""
    try:
        info = os.stat(file)
        regular(info.st_mode)
        _check_type(name)
        if info.st_size > limits.max_file_bytes:
            raise BadInput(f"file too large ({size(info.st_size)} > {size(limits.max_file_bytes)})")
        data = read_regular_file(file, limits.max_file_bytes)
    except BadInput as exc:
        return Batch(problems=[Problem(name, str(exc))])
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        return Batch(problems=[Problem(name, f"cannot read ({getattr(exc, 'strerror', None) or exc})")])
    return read_bytes(name, data, limits, overrides)
