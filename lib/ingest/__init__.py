"""Readers: files, folders, zips and pasted text into raw article rows.

Every reader turns untrusted bytes into ``RawArticle`` rows plus ``Problem`` lines that name the
file (and line) and the reason; one bad input never stops the rest of the batch. Encodings are
detected by ``lib.ingest.encoding``; HTML goes through trafilatura (main text, title, date, author, site
name); archives (.zip, .gz) are read within the limits of ``lib.config.Limits``.

- ``lib/ingest/batch.py``: ``RawArticle``, ``Problem``, ``Batch``.
- ``lib/ingest/records.py``: a table's or a JSON file's records into articles (``map_columns``).
- ``lib/ingest/formats.py``: one reader per format (``read_text``, ``read_html``, ``read_table``, ``read_json``,
  ``read_jsonl``, ``read_manifest``).
- ``lib/ingest/dispatch.py``: bytes to their reader by suffix (``read_bytes``), zip archives (``read_zip``).
- ``lib/ingest/paths.py``: files and folders on disk (``read_paths``).

Their public names are importable from ``lib.ingest``.
"""

from __future__ import annotations

from lib.ingest.batch import Batch, Problem, RawArticle  # noqa: F401 (re-exported)
from lib.ingest.dispatch import (  # noqa: F401 (re-exported)
    CONTROL_REFS,
    HTML_SUFFIXES,
    MANIFEST_NAME,
    SUFFIXES,
    TABLE_SUFFIXES,
    TEXT_SUFFIXES,
    read_bytes,
    read_zip,
)
from lib.ingest.encoding import BadInput, decode, decode_counted, jsonl_lines, strip_controls  # noqa: F401 (re-exported)
from lib.ingest.files import LimitExceeded, gunzip, read_regular_file, regular, size  # noqa: F401 (re-exported)
from lib.ingest.formats import read_html, read_json, read_jsonl, read_manifest, read_table, read_text  # noqa: F401
from lib.ingest.paths import read_paths  # noqa: F401 (re-exported)
from lib.ingest.records import COLUMN_NAMES, FIELDS, PARAGRAPH_SEP, map_columns  # noqa: F401 (re-exported)
