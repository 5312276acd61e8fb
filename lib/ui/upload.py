"""Adding articles in the browser: files, pasted text and links, a table's columns chosen, a new corpus by
default."""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from lib import config, ingest, store
from lib.ingest import columns as ingest_columns
from lib.ingest import fetch, pipeline, web
from lib.ui import data as ui_data
from lib.ui.login import may_change, user
from lib.ui.text import number, plain

LOG = config.logger("ui")
config.configure_logging(default="info")  # the server: records to its standard error ($FRAMESCOPE_LOG_LEVEL)

@dataclass(frozen=True)
class PastedFile:
    """Pasted text, shaped like an uploaded file."""

    name: str
    text: str

    def getvalue(self) -> bytes:
        return self.text.encode("utf-8")

NO_COLUMN = "(none)"

def column_choices(files: list, batch: int) -> dict[str, dict[str, str | None]]:
    """For each uploaded table (CSV, TSV, JSON, JSON Lines): a preview of its first rows and a choice of the column
    of each field (the command line's ``--FIELD-col``) and of the paragraph separator (``--paragraph-sep``), made
    by name at first and then as last chosen for a table of the same columns (``lib.ingest.columns``). Returns
    the choices (``ingest.read_bytes`` overrides) by file name."""
    chosen: dict[str, dict[str, str | None]] = {}
    for i, f in enumerate(files):
        table = ingest_columns.preview(f.name, f.getvalue())
        if table is None or table.columns.empty:
            continue
        columns = [str(c) for c in table.columns]
        known = ingest_columns.remembered(columns) or {}
        auto = ingest.map_columns(columns)
        with st.expander(f"Columns of {plain(f.name)}", expanded=True):
            st.dataframe(table, hide_index=True, key=f"map_preview_{batch}_{i}")
            picks: dict[str, str | None] = {}
            for col, field_name in zip(st.columns(4) * 2, ingest.FIELDS, strict=False):
                default = known[field_name] if field_name in known else auto.get(field_name)
                options = [NO_COLUMN, *columns]
                picked = col.selectbox(f"{field_name} (--{field_name}-col)", options, format_func=str,
                                       index=options.index(default) if default in options else 0,
                                       key=f"map_{batch}_{i}_{field_name}")
                picks[field_name] = None if picked == NO_COLUMN else picked
            sep = st.text_input("Paragraph separator of the text column (--paragraph-sep; empty: none)",
                                value=known.get(ingest.PARAGRAPH_SEP) or "", key=f"map_{batch}_{i}_sep")
            chosen[f.name] = {**picks, ingest.PARAGRAPH_SEP: sep or None}
            if chosen[f.name] != known:
                ingest_columns.remember(columns, chosen[f.name])
    return chosen

def new_corpus_name(names: list[str], stem: str = "uploads") -> str:
    """The first of ``stem``, ``stem``-2, ``stem``-3, ... that names no corpus yet: uploads go into a new corpus
    unless the analyst names an existing one."""
    taken, n = set(names), 1
    while (name := stem if n == 1 else f"{stem}-{n}") in taken:
        n += 1
    return name

def upload(files: list, corpus: str, replace: bool, columns: dict[str, dict[str, str | None]] | None = None,
           ) -> pipeline.Report:
    """Read uploaded files (with the same limits as the CLI; a table's ``columns`` as chosen by
    ``column_choices``) and store them, with a progress bar; the corpus records who created it. Raises
    ``store.StoreError`` when asked to replace the articles of a corpus this user may not change (or for a name
    the store refuses); the refusal and the ingest are logged."""
    if corpus in store.corpus_names(ui_data.conn()) and not may_change(corpus):
        what = "replace the articles of" if replace else "add articles to"
        LOG.warning("upload refused: %r may not %s corpus %r", user(), what, corpus)
        raise store.StoreError(f"only the creator of {corpus!r}, an admin or someone it is shared with may {what} "
                               "it")
    t0 = time.perf_counter()
    limits = config.Limits.from_env()
    if len(files) > limits.max_files:
        LOG.warning("upload to corpus %r: %d files, only the first %d read (FRAMESCOPE_MAX_FILES)", corpus,
                    len(files), limits.max_files)
    batch = ingest.Batch()
    bar = st.progress(0.0, text="Reading files")
    for i, f in enumerate(files[: limits.max_files]):
        batch.extend(ingest.read_bytes(f.name, f.getvalue(), limits, (columns or {}).get(f.name)))
        bar.progress((i + 1) / len(files) * 0.3, text=f"Read {plain(f.name)}")  # a name is text, not Markdown
    weights = {"fetch": 0.3, "count": 0.3, "clean": 0.5, "store": 0.9}

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(min(1.0, weights.get(stage, 0) + 0.2 * done / max(total, 1)), text=f"{stage.capitalize()}…")

    fetcher = fetch.Fetcher(fetch.Settings.from_env(hosted=True), cache=fetch.cache_folder())  # pasted links, feeds
    batch = web.expand_links(batch, fetcher, progress=lambda done, total: progress("fetch", done, total))
    try:
        report = pipeline.store_batch(ui_data.conn(), corpus, batch, replace=replace, created_by=user(),
                                      progress=progress)
    except store.StoreError as exc:
        LOG.warning("upload refused: corpus %r: %s", corpus, exc)
        raise
    config.log_ingest(LOG, report, time.perf_counter() - t0)
    bar.progress(1.0, text=f"{number(report.added, 'article', 'articles')} stored")
    return report
