"""The whole comparison as one standalone HTML file: charts as inline SVG (vl-convert renders the Vega-Lite specs
without a browser), tables as HTML tables, every piece of article text HTML-escaped. No script, stylesheet, font or
image is fetched: the file opens offline and sends no request.
"""

from __future__ import annotations

import html

import pandas as pd

from lib.analyses import compare
from lib.views import charts

STYLE = """body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#222;max-width:1400px}
table{border-collapse:collapse;font-size:13px;margin:0.5em 0 1.5em}th,td{border:1px solid #ddd;padding:4px 6px;
vertical-align:top;text-align:left}th{background:#f3f3f3}h2{margin-top:2em;border-bottom:1px solid #ccc}
.note{color:#555;font-size:13px}.svg{overflow-x:auto}"""


def svg(chart) -> str:
    """A chart as an inline SVG string (vl-convert)."""
    return charts.svg(chart)


def table(df: pd.DataFrame, limit: int = 500) -> str:
    """An HTML table of ``df`` (the first ``limit`` rows), every cell escaped."""
    if df.empty:
        return '<p class="note">Nothing found.</p>'
    shown = df.head(limit).astype(object).where(df.head(limit).notna(), "")
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in shown.itertuples(index=False))
    more = f'<p class="note">First {limit:,} of {len(df):,} rows (the CSV has all).</p>' if len(df) > limit else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def build(cmp: compare.Comparison, title: str, colors: list[str] | None = None) -> str:
    """The report of one comparison: outlet columns, element grid (chart and table with each outlet's sentence),
    omissions, naming choices, quotes and tone."""
    outlets = list(cmp.outlets)
    t = compare.tables(cmp)
    columns = cmp.columns.set_index("outlet").T.reset_index().rename(columns={"index": "field"})
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="note">{len(outlets)} outlets compared; {len(cmp.members):,} sentences in {len(cmp.elements):,} '
        f"elements; two sentences align at TF-IDF cosine {cmp.threshold:.2f} or more (a permutation threshold).</p>",
        "<h2>Outlets</h2>", table(columns),
        "<h2>Story elements</h2>", f'<div class="svg">{svg(charts.element_grid(compare.grid(cmp, _top(cmp)), outlets))}'
                                   "</div>",
        "<h3>Each outlet's sentence</h3>", table(t["elements"]),
        "<h2>Omissions</h2>", '<p class="note">Elements that most of the other outlets carry and this one leaves '
                              "out.</p>", table(t["omissions"]),
        "<h2>Naming choices</h2>", "<h3>Names</h3>", table(t["names"]), "<h3>Words</h3>",
        '<p class="note">Words that differ between outlets\' aligned sentences.</p>', table(t["words"]),
        "<h2>Quotes</h2>", table(t["quote-ledger"]), table(t["quotes"]),
        "<h2>Tone</h2>", f'<div class="svg">{svg(charts.tone_strip(cmp.members, outlets))}</div>',
        table(t["tone-outlets"]), "<h3>Per element</h3>", table(t["tone-elements"]),
        "<h3>Most loaded sentences</h3>", table(t["loaded"]),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")


GRID_ROWS = 60  # elements drawn in the report's grid chart (the most carried); the table has all


def _top(cmp: compare.Comparison) -> pd.DataFrame:
    return cmp.elements.head(GRID_ROWS)
