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
