"""Large count grids (rows x outlets) cut to what a heatmap can show: the top rows and columns by weight.

A heatmap of 44 outlets by 60 entities, or of 74 outlets by 74, cannot be read; the reader gets the rows and
columns with the largest totals, the rest stays in the CSV, and a note says what was left out.
"""

from __future__ import annotations

import pandas as pd

MAX_ROWS = 30  # rows a heatmap shows at most (20 px each)
MAX_COLUMNS = 20  # columns a heatmap shows at most (slanted labels, about 26 px each)


def top_cells(wide: pd.DataFrame, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS) -> pd.DataFrame:
    """The ``max_rows`` rows and ``max_columns`` columns of ``wide`` with the largest totals, in their order in
    ``wide`` (ties: the earlier first). The columns are chosen on the rows kept, so a kept column has counts in
    the heatmap; a column or row without any count is left out only when there are more than the limit.

    Parameters
    ----------
    wide : DataFrame of counts, rows x columns (entity x outlet, outlet x outlet ...).
    max_rows, max_columns : the most rows and columns kept.

    Returns
    -------
    DataFrame, a part of ``wide`` (its index and column names kept).
    """
    def top(totals: pd.Series, limit: int) -> list:
        if len(totals) <= limit:
            return list(totals.index)
        keep = set(totals.sort_values(ascending=False, kind="stable").index[:limit])
        return [k for k in totals.index if k in keep]

    rows = top(wide.sum(axis=1), max_rows)
    columns = top(wide.loc[rows].sum(axis=0), max_columns)
    return wide.loc[rows, columns]


def note(wide: pd.DataFrame, shown: pd.DataFrame, rows: str, columns: str, value: str) -> str:
    """What a cut grid leaves out, for the caption under its heatmap; "" when nothing is left out.

    ``rows`` and ``columns`` name what they are in the plural ("entities", "outlets"), ``value`` what is
    counted ("mentions"): "Shown: the 20 outlets (of 44) with the most mentions; the others are in the CSV."
    """
    parts = [f"the {len(got):,} {name} (of {len(every):,})" for got, every, name in
             ((shown.index, wide.index, rows), (shown.columns, wide.columns, columns)) if len(got) < len(every)]
    if not parts:
        return ""
    return f"Shown: {' and '.join(parts)} with the most {value}; the others are in the CSV."
