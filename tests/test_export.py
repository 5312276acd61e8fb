"""Every CSV the app or the CLI writes goes through lib/views/export.py, which neutralises formula-like cells of any
text column (object, string or categorical)."""

from __future__ import annotations

import ast
import io

import pandas as pd
from conftest import REPO

from lib.views import charts, export


def test_text_categorical_and_string_columns_are_neutralised():
    df = pd.DataFrame({"outlet": pd.Categorical(["=1+1", "Post", "=1+1"]), "term": pd.array(["@x", None, "y"],
                                                                                              dtype="string"),
                       "z": [-1.5, 2.0, 3.0]})
    back = pd.read_csv(io.StringIO(export.to_csv(df)), keep_default_na=False)
    assert list(back["outlet"]) == ["'=1+1", "Post", "'=1+1"] and list(back["term"]) == ["'@x", "", "y"]
    assert list(back["z"]) == [-1.5, 2.0, 3.0]
    assert list(df["outlet"]) == ["=1+1", "Post", "=1+1"]  # the input is not changed


def test_a_charts_data_comes_from_the_chart_or_its_first_layer():
    df = pd.DataFrame({"term": ["-x"], "score": [1.0], "rank": [1]})
    assert charts.chart_data(charts.term_bars(df, "#000")) is df
    wide = pd.DataFrame([[1]], index=pd.Index(["=a"], name="entity"), columns=pd.Index(["O"], name="outlet"))
    assert set(charts.chart_data(charts.heatmap(wide, "mentions"))["entity"]) == {"=a"}
    assert charts.svg(charts.term_bars(df, "#000")).lstrip().startswith("<svg")


def test_no_app_code_writes_csv_except_through_lib_export():
    for path in [REPO / "dashboard.py", *sorted((REPO / "pages").glob("*.py")), *sorted((REPO / "lib").glob("*.py"))]:
        if path.name == "export.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "to_csv":
                assert isinstance(node.func.value, ast.Name) and node.func.value.id == "export", \
                    f"{path.name}:{node.lineno} writes CSV without lib/export"


FIELDS = ["=1+1", "+x", "-x", "@x", "'=1+1", "outlet", "Outlet", "a.b", "a\nb", "dc:creator", "émoji 🎉"]


def _fields_table() -> pd.DataFrame:
    """Metadata fields as columns (names and cells untrusted), a number column and a repeated name among them."""
    df = pd.DataFrame([["=HYPERLINK(\"http://x\")", "-2", "+3", "@SUM(A1)", "ok", "a", "b", "c", "d", "e", "f", 1.5],
                       ["plain", "text", None, "x", "y", "z", "=1", "-", "", "@", "+", -2.0]],
                      columns=[*FIELDS, "z"])
    return pd.concat([df, df[["=1+1"]]], axis=1)  # "=1+1" twice, as two metadata sources may give it


def test_csv_headers_are_neutralised_and_unique_and_any_field_name_writes():
    """A header from an untrusted field name: formula-like names get the quote (this raised on a name met twice)."""
    df = _fields_table()
    back = pd.read_csv(io.StringIO(export.to_csv(df)), keep_default_na=False, dtype=str)
    assert list(back.columns) == ["'=1+1", "'+x", "'-x", "'@x", "'=1+1 (2)", "outlet", "Outlet", "a.b", "a\nb",
                                  "dc:creator", "émoji 🎉", "z", "'=1+1 (3)"]
    assert not any(c.startswith(export.FORMULA_START) for c in back.columns)
    cells = back.drop(columns="z").to_numpy().ravel()
    assert not any(str(c).startswith(export.FORMULA_START) for c in cells)
    assert back["'=1+1"].tolist() == ["'=HYPERLINK(\"http://x\")", "plain"] and back["z"].tolist() == ["1.5", "-2.0"]


def test_parquet_headers_and_text_cells_are_neutralised_types_kept():
    """Excel opens Parquet (Power Query): the same neutralising as CSV, numbers and categories keep their types."""
    df = _fields_table().assign(kind=pd.Categorical(["=a", "b"]))
    back = pd.read_parquet(io.BytesIO(export.to_parquet(df)))
    assert list(back.columns) == export.headers(df.columns)
    assert not any(c.startswith(export.FORMULA_START) for c in back.columns)
    text = back.select_dtypes(exclude="number").to_numpy().ravel()
    assert not any(str(c).startswith(export.FORMULA_START) for c in text)
    assert back["z"].tolist() == [1.5, -2.0] and isinstance(back["kind"].dtype, pd.CategoricalDtype)
    assert back["'+x"].tolist() == ["'-2", "text"] and back["'-x"].iloc[0] == "'+3" and back["'-x"].isna().iloc[1]
