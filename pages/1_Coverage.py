"""Coverage: per outlet, how much and when; the stories of the corpus and which outlets covered each."""

import streamlit as st

from lib import ui
from lib.ui import data as ui_data
from lib.views import charts, grids

scope = ui.view("Coverage", "Who covered the event, how much, when, and which stories each outlet covered.")
tz = st.sidebar.selectbox("Time zone", ui.TIME_ZONES, key="cov_tz", bind="query-params",
                          help="Times stored with a zone are shown in this one; the others as written.")
BINS = ["auto", "hour", "day", "week", "month"]
ui.valid_choice("cov_bin", BINS)
unit = st.sidebar.segmented_control("Time bin", BINS, default="auto", key="cov_bin", bind="query-params") or "auto"
tables, order = ui_data.coverage_tables(scope, tz) | ui_data.story_tables(scope), ui_data.outlets(scope)
counts, unit = ui_data.timeline(scope, tz, None if unit == "auto" else unit)
name = scope.stem
st.caption(ui_data.counted(scope) + (f" in story {scope.story}." if scope.story else "."))

st.subheader("Outlets")
table = tables["coverage"]
st.dataframe(table, hide_index=True, key="cov_outlets", column_config={
    "articles_pct": st.column_config.NumberColumn("% articles"), "words_pct": st.column_config.NumberColumn("% words"),
    "boilerplate_pct": st.column_config.NumberColumn("% removed", help="Share of the raw text cleaning removed"),
    "first": st.column_config.DatetimeColumn("first", format="YYYY-MM-DD HH:mm"),
    "last": st.column_config.DatetimeColumn("last", format="YYYY-MM-DD HH:mm")})
ui.download(table, f"{name}-outlets.csv", key="cov_outlets_csv")

st.subheader("Timeline")
ui.chart(charts.timeline, counts, unit, order, key="cov_timeline", stem=f"{name}-timeline", data=counts)
first = tables["first"]
st.caption(f"Who reported first ({tz}; a bare date counts as midnight, a time of unknown zone as if UTC).")
st.dataframe(first, hide_index=True, key="cov_first")
ui.download(first, f"{name}-first-reports.csv", key="cov_first_csv")
undated = tables["undated"]
if len(undated):
    with st.expander(f"{len(undated):,} articles have no publication date (not on the timeline)"):
        st.dataframe(undated, hide_index=True, key="cov_undated")
        ui.download(undated, f"{name}-undated.csv", key="cov_undated_csv")

st.subheader("Stories")
result = ui_data.story_result(scope.corpus, scope.version)
found = tables["stories"]
multi = int((found["articles"] > 1).sum())
total, several = len(result.table), int((result.table["articles"] > 1).sum())
st.caption(f"{ui.number(total, 'story', 'stories')} in the corpus ({several:,} with more than one article), "
           f"found by group-average clustering of TF-IDF vectors within a {ui_data.WINDOW_DAYS}-day window, cut at "
           f"cosine distance {result.cut:.2f}. Pick one in the sidebar to filter every page.")
if multi:
    every, matrix = tables["story-matrix"], tables["matrix-shown"]
    st.caption("Story × outlet: articles per cell; an empty cell is an outlet that skipped the story. "
               + grids.note(every, matrix, "stories", "outlets", "articles"))
    ui.chart(charts.heatmap, matrix, key="cov_story_matrix", stem=f"{name}-story-outlet", data=every.reset_index())
st.caption(f"Stories of two or more articles, largest first (at most {ui.PICKER_STORIES}; the download has all).")
st.dataframe(found[found["articles"] > 1].head(ui.PICKER_STORIES), hide_index=True, key="cov_stories")
ui.download(found, f"{name}-stories.csv", key="cov_stories_csv", label="Download CSV (every story, singletons too)")
