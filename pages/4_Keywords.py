"""Keywords: TF-IDF clouds per outlet, story or article; each outlet's distinctive terms; keyword in context."""

import streamlit as st

from lib import ui
from lib.analyses import keywords
from lib.ui import data as ui_data
from lib.ui import drawing
from lib.ui import keywords as ui_keywords
from lib.views import charts

scope = ui.view("Keywords", "What each outlet stresses: TF-IDF keyword clouds, distinctive terms (log-odds z-scores "
                "against all other outlets) and every sentence that uses a term.")
name = scope.stem
ui.valid_choice("kw_by", ["outlet", "story", "article"])
by = st.sidebar.segmented_control("Unit", ["outlet", "story", "article"], default="outlet", key="kw_by",
                                  bind="query-params") or "outlet"
own = st.sidebar.toggle("Leave out outlets' own names", value=True, key="kw_own", bind="query-params",
                        help="An outlet's name and its short forms (\"fox\", \"cnn\", \"nyt\") left out of its terms.")
low, high = st.sidebar.select_slider("N-grams", [1, 2, 3], value=(1, 2), key="kw_ngram", bind="query-params")
top = st.sidebar.slider("Terms per cloud", 5, 60, 25, key="kw_top", bind="query-params")
min_df = st.sidebar.number_input("Minimum articles per term (0: automatic)", 0, 50, 0, key="kw_min_df",
                                 bind="query-params")
english = st.sidebar.toggle("English stopwords", value=True, key="kw_english", bind="query-params")
ui_keywords.stopwords(scope)
vocab = ui_keywords.vocabulary(scope, (low, high), min_df or None, english)
colors = charts.outlet_colors(ui_data.outlets(scope))

st.subheader("Keyword clouds")
table = ui_keywords.keyword_table(scope, vocab, by, top, own)
units = list(dict.fromkeys(table["unit"]))
if by == "outlet":  # the largest outlets first, as on every page
    present = set(units)
    units = [o for o in ui_data.outlets(scope) if o in present]
units_of = {"story": "stories"}.get(by, f"{by}s")
values = ui_keywords.unit_values(units[: ui.PICKABLE], by)  # short values in the address: an article's id
picked = ui.choices(st, f"Clouds of (empty: the {min(len(units), ui.CLOUDS)} largest)",
                    {str(v): str(u) for v, u in values.items()}, f"kw_clouds_{by}",
                    widget=scope.tag, max_selections=ui.CLOUDS_MAX)
shown = [u for v, u in values.items() if str(v) in picked] or units[: ui.CLOUDS]
st.caption((ui_data.counted(scope) if by == "outlet" else f"{len(units):,} {units_of}") + f"; TF-IDF over "
           f"{units_of} (sublinear tf; a term every {by} uses weighs nothing; "
           f"equal scores: the term rarer in general English first); showing {len(shown)}"
           + (" (download the CSV for all)" if len(units) > len(shown) else "") + ".")
if own:
    st.caption(ui_keywords.own_caption(ui_keywords.own_names(scope, vocab, by), shown, by))
tables = [table[table["unit"] == unit] for unit in shown]
hues = [colors.get(unit, charts.PALETTE[i % len(charts.PALETTE)]) for i, unit in enumerate(shown)]
slots = []  # the clouds are drawn last, once the rest of the page shows
for i, (unit, terms, color) in enumerate(zip(shown, tables, hues, strict=True)):
    left, right = st.columns([3, 2])
    left.text(f"{by.capitalize()} {unit}" if by != "outlet" else unit)  # names are data: shown as text
    slots.append(left.empty())
    left.download_button("Cloud (PNG)", lambda terms=terms, color=color: charts.image_bytes(charts.cloud(terms, color)),
                         f"{name}-cloud-{i + 1}.png", "image/png", key=f"kw_png_{i}", on_click="ignore")
    with right:
        ui.chart(charts.term_bars, terms, color, key=f"kw_bars_{i}", stem=f"{name}-terms-{i + 1}",
                 on_select=ui.pick_term(f"kw_bars_{i}"), selection_mode="term")
with st.expander("All keywords as a table"):
    st.dataframe(table, hide_index=True, key="kw_table")
ui.download(table, f"{name}-keywords.csv", key="kw_csv")

st.subheader("Distinctive terms")
fields = ui_data.group_fields(scope)
left, middle, right = st.columns([1, 1, 2])
ui.valid_choice("kw_group", fields)
group = left.selectbox("Compare", fields, key="kw_group", bind="query-params")
per_group = middle.number_input(f"Terms per {group if group == 'outlet' else ui.plain(group)}",  # a name is data
                                5, ui_keywords.TOP_MAX, 25, key="kw_dtop", bind="query-params")
values = ui_data.outlets(scope) if group == "outlet" else sorted(ui_data.stats(scope)[group].dropna().unique())
among = right.multiselect("Among (empty: all)", values, key="kw_among", bind="query-params")
distinct = ui_keywords.distinctive_table(scope, vocab, per_group, group, tuple(among), own)
shown = (list(among) or values)[: ui.CLOUDS_MAX]
st.caption("Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008), each "
           f"{ui.plain(group)} against all the others{' chosen' if among else ''}; faint points and 'fragile' rows "
           f"rest on fewer than {keywords.FRAGILE} uses. Tokens: {ui.token_counts(distinct, group, shown)}"
           + (f"; the scatter shows the {ui.CLOUDS_MAX} largest, the table all." if len(values) > len(shown) else "."))
ui.chart(charts.distinctive_scatter, charts.colored(distinct, shown, group), group, key="kw_scatter",
         stem=f"{name}-distinctive-scatter",
         on_select=ui.pick_term("kw_scatter"), selection_mode="term")
st.dataframe(distinct, hide_index=True, key="kw_distinct")
ui.download(distinct, f"{name}-distinctive.csv", key="kw_distinct_csv")
for slot, picture in zip(slots, drawing.clouds(tables, hues), strict=True):
    slot.image(picture, width="stretch", output_format="JPEG")

st.subheader("Keyword in context")
ui_keywords.in_context(scope, vocab, name)
