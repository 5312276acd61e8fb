"""Compare: how each outlet frames the same event, side by side."""

import streamlit as st

from lib import ui
from lib.analyses import elements, tone
from lib.ui import compare as ui_compare
from lib.views import charts, export

scope = ui.view("Compare", "How each outlet frames the same event: what it reports, leaves out, words differently "
                "and quotes, with each sentence one click away. Pick a story and the outlets in the sidebar.",
                first_story=ui.LARGEST)
ui_compare.whole_corpus_note(scope)
outlets = ui_compare.compare_outlets(scope)
cmp = ui_compare.comparison(scope, outlets)
name, tables = scope.stem, ui_compare.compare_tables(scope, outlets)

st.subheader("Outlets")
ui_compare.outlet_columns(cmp)
ui.download(tables["outlets"], f"{name}-compare-outlets.csv", key="cmp_outlets_csv")

st.subheader("Story elements")
st.caption(f"{len(cmp.members):,} sentences grouped into {len(cmp.elements):,} elements: two sentences of different "
           f"articles align when their TF-IDF cosine is {cmp.threshold:.2f} or more (more than a random sentence's "
           f"best match reaches in {1 - elements.ALPHA:.0%} of shuffles of these sentences' words); copies count once. "
           "Most carried first; "
           "click a cell or pick an element for each outlet's sentence.")
which, omitting = ui_compare.grid_view(cmp)
shown, cells, table = ui_compare.compare_view(scope, outlets, which, omitting)
if shown.empty:
    st.info("No element in this view.")
else:
    element = ui_compare.element_grid(cmp, shown, cells, name)
    st.caption("Each outlet's sentence; ⟦…⟧ marks the words that differ from the element's label (its most "
               "central sentence).")
    ui_compare.wording(cmp, element)
with st.expander("This view as a table: each outlet's sentence"):
    st.dataframe(table, hide_index=True, key="cmp_elements")
ui.download(table, f"{name}-compare-elements.csv", key="cmp_elements_csv")

st.subheader("Naming choices")
st.caption("Names: the forms each outlet writes for one referent (spellings, transliterations, short forms and "
           "titles merged by the entity finder). Words: what one outlet's aligned sentence says where another's "
           "says something else, counted over the elements it occurs in.")
left, right = st.columns(2)
left.dataframe(cmp.variants, hide_index=True, key="cmp_names")
right.dataframe(cmp.substitutions, hide_index=True, key="cmp_words")
ui.download(cmp.variants, f"{name}-compare-names.csv", key="cmp_names_csv", label="Names (CSV)")
ui.download(cmp.substitutions, f"{name}-compare-words.csv", key="cmp_words_csv", label="Words (CSV)")

st.subheader("Quotes")
st.caption("Direct quotes (in quotation marks) and reported ones ('X said that ...'); quoted_pct is the share of the "
           "outlet's text inside quotation marks. Speakers are named where the entity finder knows them.")
st.dataframe(cmp.quote_ledger, hide_index=True, key="cmp_ledger")
st.dataframe(tables["quotes"], hide_index=True, key="cmp_quotes")
ui.download(tables["quotes"], f"{name}-compare-quotes.csv", key="cmp_quotes_csv")

st.subheader("Tone")
st.caption("VADER compound score of each sentence's own words, quotations taken out (-1 most negative, +1 most "
           f"positive; |score| < {tone.NEUTRAL} is neutral); the black mark is the outlet's mean. What an outlet "
           "quotes is scored apart (quoted_tone). A lexicon score: read the sentences before the number.")
ui.chart(charts.tone_strip, cmp.members, list(cmp.outlets), key="cmp_tone", stem=f"{name}-compare-tone",
         data=cmp.members)
st.markdown("**Tone by outlet**: sentences, mean score, shares of positive and negative sentences, extremes.")
st.dataframe(cmp.tone_outlets, hide_index=True, key="cmp_tone_outlets")
st.markdown("**Each outlet's most loaded sentences**: the furthest from neutral, ranked within each outlet.")
st.dataframe(cmp.loaded, hide_index=True, key="cmp_loaded")
st.markdown("**Tone by element**: each outlet's mean score on the elements two outlets or more carry.")
st.dataframe(cmp.tone_elements, hide_index=True, key="cmp_tone_elements")
ui.download(cmp.loaded, f"{name}-compare-loaded.csv", key="cmp_loaded_csv")

st.subheader("Report")
st.download_button("The whole comparison (HTML)", lambda: ui_compare.compare_report(scope, outlets),
                   f"{name}-compare.html", "text/html", key="cmp_report")
st.download_button("Every table (CSV files, zipped)", lambda: export.zip_csv(tables, f"{name}-compare-"),
                   f"{name}-compare-csv.zip", "application/zip", key="cmp_zip")
