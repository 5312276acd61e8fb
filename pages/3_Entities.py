"""Entities and sources: what each outlet names and which sources it credits, with the sentences behind each count."""

import streamlit as st

from lib import ui
from lib.ui import data as ui_data
from lib.views import grids

scope = ui.view("Entities and sources", "People, organisations, places and named things each outlet mentions, and the "
                "agencies, outlets and channels it credits. Click a cell for its sentences.")
name = scope.stem


st.subheader("Entities")
KINDS = {"all": None, "people": "person", "organisations": "organisation", "places": "place", "other": "other"}
ui.valid_choice("ent_kind", list(KINDS))
left, right = st.columns([2, 3])
shown_kind = left.segmented_control("Kind", list(KINDS), default="all", key="ent_kind", bind="query-params") or "all"
top = right.slider("Entities shown", 5, 60, 25, key="ent_top", bind="query-params")
kind = KINDS[shown_kind]
cells, grid = ui_data.entity_table(scope, top, kind)
st.caption("Capitalised names, with variant spellings, short forms and a country's names and demonyms merged into "
           "one referent, typed as people, organisations, places or other things; titles written before a name "
           "describe the person, not listed apart. Counts are mentions (sentences), per outlet.")
with st.expander("Who and what each entity is"):
    who, every = ui_data.referents_shown(scope, kind)
    if every > len(who):
        st.caption(f"The {len(who):,} most mentioned of {every:,}; the CSV has every one.")
    st.dataframe(who, hide_index=True, key="ent_referents")
    ui.download(lambda: ui_data.referent_table(scope, kind), f"{name}-referents.csv", key="ent_referents_csv")
if grid.empty:
    st.info("No named entity found in these articles.")
else:
    shown = grids.top_cells(grid, max_rows=top)  # every entity asked for; the busiest outlets
    if cut := grids.note(grid, shown, "entities", "outlets", "mentions"):
        st.caption(cut)
    ui.heatmap_cells(shown, "mentions", "ent", f"{name}-entity-outlet")
    ui.download(cells, f"{name}-entities.csv", key="ent_csv")
    entity, outlet = ui.cell_picker("Entity", grid, "ent")
    total, evidence = ui_data.entity_evidence(scope, top, kind, entity, outlet)
    st.caption(f"{total:,} sentences name {ui.plain(entity)}" + (f" in {ui.plain(outlet)}" if outlet else "") +
               (f"; the first {len(evidence):,} are shown" if total > len(evidence) else "") + ".")
    st.dataframe(evidence, hide_index=True, key="ent_evidence")
    ui.download(evidence, f"{name}-entity-sentences.csv", key="ent_evidence_csv")

st.subheader("Sources cited")
media_only = st.toggle("Media and platforms only", value=True, key="src_media", bind="query-params",
                       help="Off: also the people and bodies named in 'according to', 'told', ... credits.")
table, grid = ui_data.source_table(scope, media_only)
if table.empty:
    st.info("No outlet here credits a source.")
    st.stop()
shown = grids.top_cells(grid)
if cut := grids.note(grid, shown, "sources", "outlets", "citations"):
    st.caption(cut)
ui.heatmap_cells(shown, "citations", "src", f"{name}-source-outlet")
st.dataframe(table, hide_index=True, key="src_table")
ui.download(table, f"{name}-sources.csv", key="src_csv")
source, outlet = ui.cell_picker("Source", grid, "src")
shown = ui_data.source_evidence(scope, media_only, source, outlet)
st.dataframe(shown, hide_index=True, key="src_evidence")
ui.download(shown, f"{name}-source-sentences.csv", key="src_evidence_csv")
