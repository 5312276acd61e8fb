"""Entities and sources: what each outlet names and which sources it credits, with the sentences behind each count."""

import streamlit as st

from lib import analysis, charts, ui

ui.page_header("Entities and sources", "People, organisations, places and named things each outlet mentions, and the "
                                       "agencies, outlets and channels it credits. Click a cell for its sentences.")
scope = ui.sidebar_scope()
if scope is None:
    st.stop()
name = f"{scope.corpus}" + (f"-story{scope.story}" if scope.story else "")


def pick(chart_key: str, row_key: str, outlet_key: str, row: str) -> None:
    """A click on a heatmap cell picks its row and outlet below (and so in the URL)."""
    cells = st.session_state[chart_key]["selection"].get("cell") or []
    if cells:
        st.session_state[row_key], st.session_state[outlet_key] = cells[0][row], cells[0]["outlet"]


st.subheader("Entities")
top = st.slider("Entities shown", 5, 60, 25, key="ent_top", bind="query-params")
cells, grid = ui.entity_table(scope, top)
st.caption("Capitalised names, with variant spellings and short forms merged into one referent; counts are mentions "
           "(sentences), per outlet.")
if grid.empty:
    st.info("No named entity found in these articles.")
else:
    st.altair_chart(charts.heatmap(grid, value="mentions"), key="ent_heatmap", on_select=lambda: pick(
        "ent_heatmap", "ent_entity", "ent_outlet", "entity"), selection_mode="cell")
    ui.download(cells, f"{name}-entities.csv", key="ent_csv")
    left, right = st.columns(2)
    entity = left.selectbox("Entity", ui.valid_choice("ent_entity", list(grid.index)), key="ent_entity",
                            bind="query-params")
    outlet = right.selectbox("Outlet", ui.valid_choice("ent_outlet", ["all", *grid.columns]), key="ent_outlet",
                             bind="query-params")
    total, evidence = ui.entity_evidence(scope, entity, None if outlet == "all" else outlet)
    st.caption(f"{total:,} sentences name {entity}" + ("" if outlet == "all" else f" in {outlet}") +
               (f"; the first {len(evidence):,} are shown" if total > len(evidence) else "") + ".")
    st.dataframe(evidence, hide_index=True, key="ent_evidence")
    ui.download(evidence, f"{name}-entity-sentences.csv", key="ent_evidence_csv")

st.subheader("Sources cited")
media_only = st.toggle("Media and platforms only", value=True, key="src_media", bind="query-params",
                       help="Off: also the people and bodies named in 'according to', 'told', ... credits.")
cited, table, grid = ui.source_table(scope, media_only)
if table.empty:
    st.info("No outlet here credits a source.")
    st.stop()
st.altair_chart(charts.heatmap(grid, value="citations"), key="src_heatmap", on_select=lambda: pick(
    "src_heatmap", "src_source", "src_outlet", "source"), selection_mode="cell")
st.dataframe(table, hide_index=True, key="src_table")
ui.download(table, f"{name}-sources.csv", key="src_csv")
left, right = st.columns(2)
source = left.selectbox("Source", ui.valid_choice("src_source", list(grid.index)), key="src_source",
                        bind="query-params")
outlet = right.selectbox("Outlet", ui.valid_choice("src_outlet", ["all", *grid.columns]), key="src_outlet",
                         bind="query-params")
shown = analysis.cell(cited, "source", source, None if outlet == "all" else outlet)
st.dataframe(shown, hide_index=True, key="src_evidence")
ui.download(shown, f"{name}-source-sentences.csv", key="src_evidence_csv")
