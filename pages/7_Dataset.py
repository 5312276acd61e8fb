"""Dataset: a corpus written as a partitioned Parquet dataset (``framescope dataset``), answered from its aggregates."""

import streamlit as st

from lib import ui
from lib.ui import dataset as ui_ds
from lib.views import charts

ui.page_header("Dataset", "A large corpus written with framescope dataset: coverage, stories, keywords and reuse "
               "read from its aggregates, an article's text from its one partition.")
places = ui_ds.locations()
picked_place = st.sidebar.container()
ui.navigation(st.sidebar.container(), "Dataset")
if not places:
    st.info("No dataset yet: write one with framescope dataset NAME (or list locations in FRAMESCOPE_DATASETS).")
    st.stop()
name = ui.choice(picked_place, "Dataset", list(places), "ds")
key = ui_ds.made(places[name])
manifest = ui_ds.manifest(key)
counts, order = manifest["counts"], manifest["outlet_order"]
st.caption(f"{ui.plain(manifest['corpus'])}, revision {manifest['revision']}, written {manifest['made_at']}: "
           + ", ".join(ui.number(counts[what], one, what) for what, one in
                       (("articles", "article"), ("outlets", "outlet"), ("stories", "story"))) + ".")
ui.valid_choice("ds_by", ["outlet", "story"])
by = st.sidebar.segmented_control("Unit", ["outlet", "story"], default="outlet", key="ds_by",
                                  bind="query-params") or "outlet"
labels = {o: o for o in order} if by == "outlet" else ui_ds.story_choices(key)
unit = ui.choice(st.sidebar, "Outlet" if by == "outlet" else "Story", labels, "ds_unit", widget=by)
months = ui.choices(st.sidebar, "Months", {m: m for m in ui_ds.months(key)}, "ds_months", widget=name)
story = int(unit) if by == "story" else None

st.subheader("Coverage by day")
daily = ui_ds.coverage_by_day(key, tuple(months), (unit,) if by == "outlet" else (), story)
if daily.empty:
    st.caption("No dated article here.")
else:
    ui.chart(charts.timeline, daily, "day", order, key="ds_timeline", stem=f"{name}-days", data=daily)

st.subheader("Stories")
stories = ui_ds.aggregate(key, "stories")
st.dataframe(ui_ds.stories_shown(key), hide_index=True, key="ds_stories")
ui.download(stories, f"{name}-stories.csv", key="ds_stories_csv", label="Download CSV (every story)")

top = st.slider("Terms", 5, 50, 15, key="ds_top", bind="query-params")
left, right = st.columns(2)
left.subheader("Keywords (TF-IDF)")
kw = ui_ds.unit_table(key, by, unit, False, top)
left.dataframe(kw, hide_index=True, key="ds_keywords")
with left:
    ui.download(kw, f"{name}-keywords.csv", key="ds_keywords_csv")
right.subheader("Distinctive terms (log-odds)")
dist = ui_ds.unit_table(key, by, unit, True, top)
right.dataframe(dist, hide_index=True, key="ds_distinctive")
with right:
    ui.download(dist, f"{name}-distinctive.csv", key="ds_distinctive_csv")

st.subheader("Reuse")
pairs = ui_ds.reuse_of(key, unit if by == "outlet" else None)
st.caption(ui.number(len(pairs), "pair", "pairs") + " of articles sharing passages"
           + (f" with {ui.plain(unit)}." if story is None else " in the corpus."))
st.dataframe(pairs, hide_index=True, key="ds_reuse")
ui.download(pairs, f"{name}-reuse.csv", key="ds_reuse_csv")

st.subheader("Articles")
titles = ui_ds.article_labels(key, by, unit)
picked = ui.choice(st, "Article", titles, "ds_article", widget=f"{name}/{by}/{unit}") if titles else None
found = ui_ds.article(key, int(picked)) if picked else None
if found:
    st.caption(f"{ui.plain(found['outlet_name'])}, {ui.plain(found['published'] or 'undated')}, "
               f"{found['words']:,} words")
    st.code(found["text"], language=None, wrap_lines=True, height=480)
