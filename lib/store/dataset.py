"""A corpus as a partitioned Parquet dataset: its layout, an atomic write, and the reads.

Layout (hive partitioning: ``pyarrow.dataset``, Dask's ``read_parquet`` and DuckDB's ``read_parquet(...,
hive_partitioning=true)`` read it as one table)::

    LOCATION/manifest.json                     format, corpus, generation and revision, counts, settings
    LOCATION/articles/month=YYYY-MM/outlet=KEY/part-0.parquet   one row per article, its cleaned text
    LOCATION/aggregates/NAME.parquet           what the pages read: coverage, outlets, terms, stories, reuse, index

Partition values are URI-encoded by pyarrow (``a/b`` is ``outlet=a%2Fb``, ``..`` stays inside ``outlet=..``), so
no outlet name leaves its folder; a name whose encoding would pass ``KEY_BYTES`` is cut and given a CRC-32 suffix
(``partition_key``), and the full name is the ``outlet_name`` column. Undated articles are in ``month=undated``.

A write goes to a hidden sibling folder first and takes the dataset's place only when complete (``write``), so a
failed write leaves the old dataset (or none) as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from lib.store.location import DatasetError, Location, exists, resolve

FORMAT = 1  # the layout's version, in the manifest; a reader refuses another
MANIFEST = "manifest.json"
ARTICLES = "articles"
AGGREGATES = "aggregates"
UNDATED = "undated"
KEY_BYTES = 200  # a file name holds 255 bytes; the partition key's encoding stays below this
PARTITIONING = ds.partitioning(pa.schema([("month", pa.string()), ("outlet", pa.string())]), flavor="hive")


def partition_key(outlet: str) -> str:
    """The ``outlet=`` value of an outlet: its name, or, when the name's URI encoding passes ``KEY_BYTES``, its
    longest prefix that fits, "~" and the name's CRC-32 (so two long names sharing a prefix stay apart)."""
    if len(quote(outlet, safe="")) <= KEY_BYTES:
        return outlet
    cut = len(outlet)
    while len(quote(outlet[:cut], safe="")) > KEY_BYTES - 9:
        cut -= 1
    return f"{outlet[:cut]}~{zlib.crc32(outlet.encode()):08x}"


@dataclass(frozen=True)
class Dataset:
    """An opened dataset: where it is and its manifest."""

    loc: Location
    manifest: dict

    def path(self, *parts: str) -> str:
        return "/".join([self.loc.path, *parts])


def _remove(loc: Location, path: str) -> None:
    if loc.local:
        shutil.rmtree(path, ignore_errors=True)
    elif exists(loc, path):
        loc.fs.delete_dir(path)


def _swap(loc: Location, tmp: str) -> None:
    """Put the complete dataset at ``tmp`` in ``loc``'s place. Locally two renames (the old one aside, the new one
    in; a crash between them leaves the old one in its ``.old`` sibling); elsewhere (object stores have no rename of
    a folder) the old one is deleted, then the new one moved."""
    if loc.local:
        old = f"{tmp}.old"
        had = os.path.exists(loc.path)
        if had:
            os.rename(loc.path, old)
        os.rename(tmp, loc.path)
        if had:
            shutil.rmtree(old, ignore_errors=True)
        return
    _remove(loc, loc.path)
    loc.fs.move(tmp, loc.path)


def write(location: str | Path, articles: pd.DataFrame, aggregates: dict[str, pd.DataFrame], manifest: dict,
          before_swap=None) -> Dataset:
    """Write a dataset at ``location``, replacing any there: ``articles`` (with ``month`` and ``outlet`` partition
    columns, sorted by them so that each partition is one file), each aggregate as ``aggregates/NAME.parquet`` and
    the manifest, into a temporary sibling first (``before_swap``, if given, is called just before it takes the
    dataset's place: tests make it fail there)."""
    loc = resolve(location)
    parent, _, name = loc.path.rpartition("/")
    tmp = f"{parent}/.{name}.tmp-{uuid.uuid4().hex[:12]}"
    try:
        loc.fs.create_dir(f"{tmp}/{AGGREGATES}", recursive=True)
        table = pa.Table.from_pandas(articles.sort_values(["month", "outlet", "id"], kind="stable"),
                                     preserve_index=False)
        parts = max(1, len(articles[["month", "outlet"]].drop_duplicates()))
        ds.write_dataset(table, f"{tmp}/{ARTICLES}", filesystem=loc.fs, format="parquet", partitioning=PARTITIONING,
                         basename_template="part-{i}.parquet", max_partitions=parts + 1,
                         existing_data_behavior="error")
        for key, df in aggregates.items():
            pq.write_table(pa.Table.from_pandas(df, preserve_index=False), f"{tmp}/{AGGREGATES}/{key}.parquet",
                           filesystem=loc.fs)
        with loc.fs.open_output_stream(f"{tmp}/{MANIFEST}") as out:
            out.write(json.dumps({"format": FORMAT, **manifest}, indent=1, default=str).encode())
        if before_swap is not None:
            before_swap()
        _swap(loc, tmp)
    except BaseException:
        _remove(loc, tmp)
        raise
    return Dataset(loc, {"format": FORMAT, **manifest})


def open_dataset(location: str | Path) -> Dataset:
    """The dataset at ``location`` (its manifest read); ``DatasetError`` when there is none or its format is
    another."""
    loc = resolve(location)
    try:
        with loc.fs.open_input_stream(f"{loc.path}/{MANIFEST}") as f:
            manifest = json.loads(f.read())
    except (FileNotFoundError, OSError, json.JSONDecodeError) as exc:
        raise DatasetError(f"no dataset at {location}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise DatasetError(f"{location}: dataset format {manifest.get('format')!r}, this FrameScope reads {FORMAT}")
    return Dataset(loc, manifest)


def aggregate(dataset: Dataset, name: str, columns: list[str] | None = None, filters=None) -> pd.DataFrame:
    """One aggregate (``aggregates/NAME.parquet``) as a DataFrame, its ``columns`` only and the rows of
    ``filters`` (pyarrow's DNF filters, which skip the row groups that cannot match)."""
    return pq.read_table(dataset.path(AGGREGATES, f"{name}.parquet"), filesystem=dataset.loc.fs, columns=columns,
                         filters=filters).to_pandas()


def articles(dataset: Dataset, columns: list[str] | None = None, filter=None) -> pd.DataFrame:
    """The articles of every partition (``columns`` only, the rows of the ``filter`` expression: partitions it
    rules out are not read)."""
    found = ds.dataset(dataset.path(ARTICLES), filesystem=dataset.loc.fs, format="parquet", partitioning="hive")
    return found.to_table(columns=columns, filter=filter).to_pandas()


def partition_folder(dataset: Dataset, month: str, key: str) -> str:
    """The folder of one partition, its values encoded as the writer encodes them (``HivePartitioning.format``)."""
    folder, _ = PARTITIONING.format((ds.field("month") == month) & (ds.field("outlet") == key))
    return dataset.path(ARTICLES, folder.strip("/"))


def article(dataset: Dataset, article_id: int, month: str, key: str) -> dict | None:
    """One article's row, read from its partition's file only (its ``month`` and outlet ``key``); None when that
    partition has no such article."""
    folder = partition_folder(dataset, month, key)
    if not exists(dataset.loc, folder):
        return None
    table = pq.read_table(folder, filesystem=dataset.loc.fs, filters=[("id", "=", int(article_id))],
                          partitioning=None)
    rows = table.to_pylist()
    return rows[0] if rows else None


def listed(folder: str | Path) -> list[str]:
    """The datasets (their folders' names) in a local ``folder``: subfolders holding a manifest, sorted."""
    root = Path(folder)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if not p.name.startswith(".") and (p / MANIFEST).is_file())
