"""Exports that are safe to open: CSV and Parquet cells and column names that a spreadsheet would run as formulas
are neutralised (Excel opens Parquet too, through Power Query).

OWASP "CSV Injection": a cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return)
is prefixed with a single quote, so Excel and LibreOffice show it as text. Column names (an article's metadata
fields, untrusted) are text, neutralised the same way, and made unique.
"""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def headers(columns) -> list[str]:
    """Column names as text that cannot start a formula, each once: a name that comes again (in the input, or once
    quoted: ``=x`` beside ``'=x``) gets `` (2)``, `` (3)`` ..."""
    out, seen = [], set()
    for col in columns:
        name = "'" + str(col) if _formula(str(col)) else str(col)
        base, n = name, 2
        while name in seen:
            name, n = f"{base} ({n})", n + 1
        seen.add(name)
        out.append(name)
    return out


def _neutral(col: pd.Series) -> pd.Series:
    if isinstance(col.dtype, pd.CategoricalDtype):  # labels are text too: renamed, or a plain column when two meet
        labels = [f"'{v}" if isinstance(v, str) and _formula(v) else v for v in col.cat.categories]
        if len(set(labels)) == len(labels):
            return col.cat.rename_categories(labels)
        col = col.astype(object)
    if col.dtype == object or pd.api.types.is_string_dtype(col):
        s = col.astype("str")
        mask = col.notna() & s.str.startswith(FORMULA_START)
        return col.where(~mask, "'" + s)
    return col


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names cannot start a spreadsheet formula, its column names
    text and unique (``headers``); numbers, dates and the rest keep their type."""
    out = pd.DataFrame({i: _neutral(df.iloc[:, i]) for i in range(df.shape[1])}, index=df.index)
    out.columns = headers(df.columns)
    return out


def to_csv(df: pd.DataFrame) -> str:
    """CSV text with formula-like cells neutralised."""
    return neutralise(df).to_csv(index=False)


def to_jsonl(df: pd.DataFrame) -> str:
    """JSON Lines, one object per row (JSON is not run by spreadsheets, so cells stay as they are)."""
    return df.to_json(orient="records", lines=True, force_ascii=False)


def to_parquet(df: pd.DataFrame) -> bytes:
    """A Parquet file (pyarrow) of ``df``, types kept, for the next tool (pandas, R arrow, DuckDB, Spark); text
    cells and column names neutralised as in CSV (``neutralise``: Excel's Power Query opens Parquet)."""
    import io

    buf = io.BytesIO()
    neutralise(df).to_parquet(buf, index=False)
    return buf.getvalue()


def zip_csv(tables: dict[str, pd.DataFrame], prefix: str = "") -> bytes:
    """Several tables as one zip of CSV files (``prefix`` + name + ".csv"), formula-like cells neutralised."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, df in tables.items():
            zf.writestr(f"{prefix}{name}.csv", to_csv(df))
    return buf.getvalue()
