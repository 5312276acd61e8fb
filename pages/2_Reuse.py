"""Reuse: which articles share passages, who republishes whom, and the shared passages side by side."""

import streamlit as st

from lib import ui
from lib.ui import data as ui_data
from lib.views import charts, grids

scope = ui.view("Reuse", "Articles that share passages (word 5-gram shingles, containment both ways), "
                "the direction from publication times, and who republishes whom.")
stats = ui_data.stats(scope)
across = st.toggle("Across outlets only", value=True, key="reuse_across", bind="query-params",
                   help="Pairs within one outlet are mostly its own reused furniture or follow-ups.")
pairs = ui_data.reuse_table(scope, across)
name = scope.stem
copies = int((pairs["relation"] == "copy").sum())
found = "1 pair of the {n:,} articles in scope shares" if len(pairs) == 1 else "{p:,} pairs of the {n:,} articles " \
    "in scope share"
st.caption(found.format(p=len(pairs), n=len(stats)) + " a passage covering at least a fifth of one of them; " +
           ("1 is a copy" if copies == 1 else f"{copies:,} are copies") + " (80% or more of one is in the other).")
quotations = ui_data.shared_quotations(scope, across)
if len(quotations):
    with st.expander(f"{len(quotations):,} more pairs share passages only as quotations (not republishing)"):
        st.caption("Both articles carry the shared words inside quotation marks: two outlets quoting the same "
                   "speaker, not one republishing the other. Counted nowhere else on this page.")
        st.dataframe(quotations, hide_index=True, key="reuse_quotations")
        ui.download(quotations, f"{name}-shared-quotations.csv", key="reuse_quotations_csv")
if pairs.empty:
    st.info("No two articles here share a passage outside quotations.")
    st.stop()

st.subheader("Who republishes whom")
matrix = ui_data.republishing(scope, across)
if matrix.empty:
    st.caption("No pair has a direction that publication times establish.")
else:
    st.caption("Pairs whose source was surely published first: rows are the source outlet, columns the outlet "
               "that republished it.")
    shown = grids.top_cells(matrix)
    if cut := grids.note(matrix, shown, "source outlets", "republishing outlets", "pairs"):
        st.caption(cut)
    ui.chart(charts.heatmap, shown, "pairs", key="reuse_matrix", stem=f"{name}-reuse-outlets",
             data=matrix.reset_index())

st.subheader("Pairs")
st.dataframe(pairs, hide_index=True, key="reuse_table")
ui.download(pairs, f"{name}-reuse-pairs.csv", key="reuse_pairs_csv")

st.subheader("Shared passages, side by side")
labels = ui_data.pair_labels(scope, across)
picked = ui.choice(st, "Pair", labels, "reuse_pair", widget=",".join(labels))  # ?reuse_pair=SOURCE-TARGET (ids)
source, target = (int(x) for x in picked.split("-"))
table, source_text, target_text = ui_data.passages(scope.corpus, scope.version, source, target)
left, right = st.columns(2)
left.caption("Source (published first, where the times tell)")
left.code(source_text, language=None, wrap_lines=True, height=480)
right.caption("Target")
right.code(target_text, language=None, wrap_lines=True, height=480)
st.dataframe(table, hide_index=True, key="reuse_passages")
ui.download(table, f"{name}-passages-{picked}.csv", key="reuse_passages_csv")
