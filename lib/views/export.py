"""Exports that are safe to open: CSV cells that a spreadsheet would run as formulas are neutralised.

OWASP "CSV Injection": a cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return)
is prefixed with a single quote, so Excel and LibreOffice show it as text.
"""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names cannot start a spreadsheet formula."""
    out = df.rename(columns=lambda c: f"'{c}" if str(c).startswith(FORMULA_START) else c)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):  # labels are text too; a new label needs a plain column
            out[col] = out[col].astype(object)
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            s = out[col].astype("str")
            mask = out[col].notna() & s.str.startswith(FORMULA_START)
            out[col] = out[col].where(~mask, "'" + s)
    return out


def to_csv(df: pd.DataFrame) -> str:
    """CSV text with formula-like cells neutralised."""
    return neutralise(df).to_csv(index=False)


def to_jsonl(df: pd.DataFrame) -> str:
    """JSON Lines, one object per row (JSON is not run by spreadsheets, so cells stay as they are)."""
    return df.to_json(orient="records", lines=True, force_ascii=False)


def to_parquet(df: pd.DataFrame) -> bytes:
    """A Parquet file (pyarrow) of ``df``, types kept, for the next tool (pandas, R arrow, DuckDB, Spark); cells stay
    as they are (no spreadsheet runs Parquet), column names as text."""
    import io

    buf = io.BytesIO()
    df.rename(columns=str).to_parquet(buf, index=False)
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
