"""Topics: topic clusters of sentences or paragraphs, what each outlet dwells on, and how sure they are."""

import streamlit as st

from lib import ui
from lib.analyses import coherence, topics
from lib.ui import data as ui_data
from lib.ui import topics as ui_topics
from lib.views import charts, grids, topic_views

scope = ui.view("Topics", "What each outlet dwells on: topics of sentences or paragraphs (NMF or k-means on TF-IDF), "
                "labelled by class-based TF-IDF, with their stability, a map, and each outlet's share in each topic.")
name = scope.stem
ui.valid_choice("tp_unit", ["auto", *topics.UNITS])
ui.valid_choice("tp_method", list(topics.METHODS))
unit = st.sidebar.segmented_control("Passages", ["auto", *topics.UNITS], default="auto", key="tp_unit",
                                    bind="query-params") or "auto"
method = st.sidebar.segmented_control("Method", list(topics.METHODS), default="nmf", key="tp_method",
                                      bind="query-params") or "nmf"
k = st.sidebar.number_input("Topics (0: automatic)", 0, 60, 0, key="tp_k", bind="query-params")
settings = topics.Settings(None if unit == "auto" else unit, method, k or None)
try:
    result = ui_topics.topic_model(scope, settings)
except (ui.StoreError, ValueError) as exc:
    st.warning(f"No topics: {ui.plain(exc)}")
    st.stop()
s = result.sample
fragile = int(result.table["fragile"].sum())
st.caption(f"{s['passages']:,} {result.unit}s of {ui_data.counted(scope)}; "
           f"{s['terms']:,} terms" + (f"; fitted on a random sample of {s['fitted']:,}" if s["fitted"] < s["passages"]
                                      else "") + f". {result.k} topics ({result.method.upper()}, "
           + ("chosen by coherence" if settings.k is None else "as asked") + f"); {fragile} fragile (stability below "
           f"{topics.FRAGILE}: their top terms do not reliably reappear when refitted on {topics.SEEDS} subsamples).")
if s["common"]:
    st.caption(f"Left out of the model as what the whole corpus is about (in more than {topics.MAX_SHARE:.0%} of the "
               f"{result.unit}s; still in the labels): " + ui.plain(", ".join(s["common"][:20]))
               + (f" and {len(s['common']) - 20} more" if len(s["common"]) > 20 else "") + ".")

st.subheader("How many topics")
left, right = st.columns([2, 3])
with left:
    ui.chart(charts.k_curve, result.criterion, key="tp_curve", stem=f"{name}-topic-k")
right.caption(f"Coherence: mean NPMI of each topic's top words ({', '.join(map(str, coherence.CARDINALITIES))}), "
              "from how often they share a "
              "passage or its neighbours in its article (Bouma 2009; Röder et al. 2015; Lau and Baldwin 2016). "
              "The red point is the k shown; set Topics in the sidebar.")

st.subheader("Topics")
st.dataframe(result.table, hide_index=True, key="tp_table")
left, right = st.columns(2)
with left:
    ui.download(result.table, f"{name}-topics.csv", key="tp_csv", label="Topics (CSV)")
with right:
    ui.download(result.assignments, f"{name}-topic-assignments.csv", key="tp_assign_csv",
                label=f"Assignments of {len(result.assignments):,} passages (CSV)")

st.subheader("Topic map")
st.caption(("Every passage" if s["drawn"] == s["passages"] else f"A random sample of {s['drawn']:,} passages") +
           ": its TF-IDF vector on the topics, then on the two principal axes. Drag a box to list its passages."
           + ui_topics.map_note(scope, settings))
if result.k > charts.TOPIC_COLOURS:
    st.caption(f"The map and the chart over time colour the {charts.TOPIC_COLOURS - 1} largest topics; the "
               f"{result.k - charts.TOPIC_COLOURS + 1} smaller share one grey (their names are in the tooltips).")
event = ui.chart(charts.topic_map, result.points, result.names, ui_data.outlets(scope), key="tp_map",
                 stem=f"{name}-topic-map", on_select="rerun", selection_mode="brush")
box = (event.selection.get("brush") if event else None) or {}
if box:
    chosen = ui_topics.topic_points(scope, settings, box)
    st.caption(f"{len(chosen):,} passages in the box.")
    st.dataframe(chosen, hide_index=True, key="tp_chosen")

st.subheader("Topic × outlet")
grid, shown = ui_topics.topic_outlets(scope, settings), ui_topics.topic_outlets_shown(scope, settings)
st.caption("Percentage of each outlet's words in each topic (a column sums to about 100): what each outlet dwells "
           "on, and what it skips. Click a cell, or pick a topic and an outlet, for its most typical passages. "
           + grids.note(grid, shown, "topics", "outlets", "words"))
ui.heatmap_cells(shown, "percent", "tp", f"{name}-topic-outlets", short=topic_views.number)
if shown.shape != grid.shape:
    ui.download(grid.reset_index(), f"{name}-topic-outlets-all.csv", key="tp_grid_csv", label="Every outlet (CSV)")
row, outlet = ui.cell_picker("Topic", grid, "tp", short=topic_views.number)
passages = ui_topics.topic_passages(scope, settings, topic_views.number(row), outlet)
st.dataframe(passages, hide_index=True, key="tp_passages")

st.subheader("Over time")
shares, bin_unit = ui_topics.topic_time(scope, settings)
if shares["bin"].nunique() >= 2:
    ui.chart(charts.topic_time, shares, bin_unit, list(result.names.values()), key="tp_time",
             stem=f"{name}-topic-time")
else:
    st.caption("Too few dated articles (or one date only) for topic shares over time.")
