"""FrameScope home: pick a corpus, upload articles, correct metadata, review what cleaning removed."""

import streamlit as st

from lib import ui
from lib.ui import data as ui_data
from lib.views import export

ui.page_header("FrameScope", "Compare how news outlets cover the same event.")
scope = ui.sidebar_scope()

with st.expander("Add articles", expanded=scope is None):
    batch = st.session_state.setdefault("upload_batch", 0)  # a new uploader (and paste box) after each ingest
    mode = st.radio("Upload", ["Files or a zip", "A folder"], horizontal=True, key="upload_mode")
    files = st.file_uploader(
        "Articles: .txt .md .html .csv .tsv .json .jsonl .zip (a manifest.csv adds metadata)",
        accept_multiple_files="directory" if mode == "A folder" else True, key=f"upload_files_{batch}")
    columns = ui.column_choices(list(files or []), batch)
    pasted = st.text_area("…or paste an article's text, or links to fetch (one a line: pages or RSS/Atom feeds)",
                          key=f"upload_paste_{batch}", height=100)
    names = ui_data.corpus_names()
    target = st.text_input("Into corpus (a new one unless you name one that exists)",
                           value=ui.new_corpus_name(names), key=f"upload_corpus_{batch}")
    if target in names:
        st.caption(f"The articles go into the existing corpus {ui.plain(target)}.")
    replace = st.checkbox("Replace the corpus's articles", key="upload_replace", disabled=target not in names)
    if st.button("Ingest", type="primary", key="upload_go", disabled=not (files or pasted.strip())):
        files = list(files or []) + ([ui.PastedFile("pasted.txt", pasted)] if pasted.strip() else [])
        try:
            report = ui.upload(files, target, replace, columns)
        except ui.StoreError as exc:
            st.error(str(exc))
        else:
            outcome = ui.ingest_outcome(report.added, len(report.duplicates), len(report.problems))
            st.session_state["upload_report"] = (f"{target}: {outcome}.", report.table())
            st.session_state["pending_corpus"] = target
            st.session_state["upload_batch"] = batch + 1
            st.rerun()
if "upload_report" in st.session_state:
    message, problems = st.session_state["upload_report"]
    (st.warning if len(problems) else st.success)(message)
    if len(problems):
        st.dataframe(problems, hide_index=True, key="upload_result")

if scope is None:
    st.stop()
ui.share_corpus(scope.corpus)
ui.delete_corpus(scope.corpus)

figures = ui_data.summary(scope.corpus, scope.version)
cols = st.columns(5)
cols[0].metric("Articles", f"{figures['articles']:,}")
cols[1].metric("Outlets", f"{figures['outlets']:,}", help=f"{figures['no_outlet']} articles name no outlet")
cols[2].metric("Words (cleaned)", f"{figures['words']:,}")
cols[3].metric("First date", figures["first_published"][:10] or "none")
cols[4].metric("Last date", figures["last_published"][:10] or "none")

st.subheader("Metadata")
st.caption("Each field says where it came from: manifest, file, inferred (read from the text), user or missing. "
           "'retrieved' is when a crawler fetched the page, never taken as the publication time. "
           "Edit a cell and save: edited fields become 'user' and the corpus gets a new revision.")
search = st.text_input("Filter by outlet, title or file", key="meta_filter", bind="query-params")
shown = ui_data.articles(scope.corpus, scope.version, search).drop(columns=["extra"])
if len(shown) == ui_data.EDITOR_ROWS:
    st.caption(f"Showing the first {ui_data.EDITOR_ROWS:,} matching articles; filter to narrow.")
edited = st.data_editor(shown, hide_index=True, key=f"meta_editor_{scope.corpus}_{search}", disabled=list(
    c for c in shown.columns if c not in ui_data.EDITABLE))
changed = ui_data.metadata_edits(shown, edited)
if st.button(f"Save {len(changed)} edited articles", key="meta_save", disabled=not changed):
    if not ui.may_change(scope.corpus):
        st.error(ui.refused(scope.corpus, "edit the metadata of"))
        st.stop()
    try:
        ui_data.update_metadata(scope, changed)
        st.rerun()
    except ui.StoreError as exc:
        st.error(str(exc))
st.download_button("Download metadata of every matching article (CSV)", lambda: export.to_csv(
    ui_data.articles(scope.corpus, scope.version, search, limit=None)), f"{scope.corpus}-articles.csv", "text/csv",
    key="meta_download")

st.subheader("Cleaning report")
labels = {str(r.id): f"{r.id}: {r.title or r.source_file}" for r in shown.itertuples()}
if not labels:
    st.info("No article matches the filter.")
    st.stop()
aid = int(ui.choice(st, "Article", labels, "clean_article", widget=f"{scope.tag}/{search}"))
spans = ui_data.removed(scope.corpus, scope.version, aid)
raw = ui_data.raw_text(scope.corpus, scope.version, aid)
st.caption(f"{len(spans)} spans removed ({int(spans['restored'].sum())} restored). Tick 'restored' to put a "
           "span back into the text every view reads; removed text is marked ⟦kind: …⟧ below.")
table = spans[["span", "kind", "restored", "text"]].astype({"restored": bool})
review = st.data_editor(table, hide_index=True, key=f"clean_spans_{aid}", disabled=["span", "kind", "text"])
changes = dict(zip(review["span"], review["restored"], strict=True))
if changes != dict(zip(table["span"], table["restored"], strict=True)) and st.button(
        "Apply", key="clean_apply", type="primary"):
    if not ui.may_change(scope.corpus):
        st.error(ui.refused(scope.corpus, "restore removed text in"))
        st.stop()
    ui_data.set_restored(scope, int(aid), {int(k): bool(v) for k, v in changes.items()})
    st.rerun()
if separator := ui_data.separator(raw):
    st.caption(f"This page came flattened into one line: it was read as blocks split at {ui.plain(separator)}.")
st.code(ui.marked_text(raw, spans), language=None, wrap_lines=True)
