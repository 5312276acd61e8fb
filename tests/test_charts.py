"""Chart builders produce valid Vega-Lite (the pages draw them without validating) with outlet colours kept."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from lib.views import charts


def test_outlet_colours_follow_the_corpus_order_and_repeat_past_the_palette():
    outlets = [f"o{i}" for i in range(25)]
    colors = charts.outlet_colors(outlets)
    assert colors["o0"] == charts.PALETTE[0] and colors["o20"] == charts.PALETTE[0]
    assert charts.outlet_colors(outlets[:3]) == {o: colors[o] for o in outlets[:3]}


def test_timeline_spec_is_valid_and_coloured_by_outlet():
    counts = pd.DataFrame({"outlet": ["A", "B"], "bin": pd.to_datetime(["2020-01-01", "2020-01-02"]),
                           "end": pd.to_datetime(["2020-01-02", "2020-01-03"]), "articles": [2, 1],
                           "first": pd.to_datetime(["2020-01-01 10:00", "2020-01-02 09:00"]),
                           "offsets": ["+01:00", ""]})
    spec = charts.timeline(counts, "day", ["B", "A"]).to_dict()  # validates against the Vega-Lite schema
    assert spec["encoding"]["color"]["scale"]["domain"] == ["B", "A"]
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["x2"]["field"] == "end"


def test_heatmap_spec_is_valid_keeps_the_order_and_leaves_empty_cells_blank():
    wide = pd.DataFrame([[3, 0], [0, 1]], index=pd.Index(["x", "y"], name="entity"),
                        columns=pd.Index(["Z", "A"], name="outlet"))
    chart = charts.heatmap(wide, value="mentions")
    spec = chart.to_dict()
    assert spec["layer"][0]["encoding"]["x"]["sort"] == {"field": "_x", "op": "min"}
    assert list(chart.data.sort_values("_x")["outlet"]) == ["Z", "A"]  # the columns' order
    assert len(chart.data) == 2  # the two zero cells are not drawn
    assert spec["params"][0]["name"] == "cell" or spec["layer"][0]["params"][0]["name"] == "cell"


def test_topic_charts_are_valid_and_the_png_is_an_image():
    names = {1: "1 · flood, river", 2: "2 · ballot, mayor"}
    points = pd.DataFrame({"x": [0.1, -0.2], "y": [0.3, 0.0], "topic": [2, 1], "outlet": ["A", "B"],
                           "article_id": [1, 2], "text": ["<b>x</b>", "y"]})
    spec = charts.topic_map(points, names, ["B", "A"]).to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == list(names.values())
    assert spec["encoding"]["shape"]["scale"]["domain"] == ["B", "A"] and spec["params"][0]["name"] == "brush"
    criterion = pd.DataFrame({"k": [2, 3, 4], "coherence": [0.1, 0.3, 0.2], "chosen": [False, True, False]})
    curve = charts.k_curve(criterion)
    assert len(curve.to_dict()["layer"]) == 3
    shares = pd.DataFrame({"bin": pd.to_datetime(["2020-01-01"] * 2), "end": pd.to_datetime(["2020-01-02"] * 2),
                           "topic": list(names.values()), "words": [3, 1], "share": [75.0, 25.0],
                           "low": [0.0, 75.0], "high": [75.0, 100.0]})
    assert charts.topic_time(shares, "day", list(names.values())).to_dict()["encoding"]["x2"]["field"] == "end"
    assert charts.png(curve).startswith(b"\x89PNG")


def _draw_both() -> None:
    import pandas as pd
    import streamlit as st

    from lib import ui
    from lib.views import charts

    wide = pd.DataFrame([[3, 0], [1, 2]], index=pd.Index(["x", "y"], name="entity"),
                        columns=pd.Index(["Z", "A"], name="outlet"))
    st.altair_chart(charts.heatmap(wide, "mentions"), key="direct", selection_mode="cell", on_select="rerun")
    for _ in range(2):  # the second time from the cache
        ui.chart(charts.heatmap, wide, "mentions", key=f"cached_{_}", stem="x", selection_mode="cell",
                 on_select="rerun")


def _drawn(proto) -> tuple[dict, list[pd.DataFrame]]:
    """A drawn chart's spec, its datasets' names replaced by their order, and the datasets' rows (index dropped)."""
    import pyarrow as pa

    text = proto.spec
    for i, d in enumerate(proto.datasets):
        text = text.replace(json.dumps(d.name), json.dumps(f"dataset {i}"))
    rows = [pa.ipc.open_stream(d.data.data).read_pandas().reset_index(drop=True) for d in proto.datasets]
    return json.loads(text), rows


def test_a_cached_chart_draws_what_st_altair_chart_draws():
    """``ui.chart`` sends Altair's ``to_dict()`` through ``st.vega_lite_chart``, public API only: the spec is the
    one ``st.altair_chart`` sends (no theme view size added), with the same selection and the same rows."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_draw_both, default_timeout=60).run()
    assert not at.exception
    direct, *cached = [c.proto for c in at.get("vega_lite_chart")]
    assert len(cached) == 2
    spec, rows = _drawn(direct)
    for c in cached:
        assert list(c.selection_mode) == list(direct.selection_mode) == ["cell"]
        got, got_rows = _drawn(c)
        assert got == spec and "config" not in got
        assert len(got_rows) == len(rows) == 1 and got_rows[0].equals(rows[0])


def test_lib_calls_no_private_or_undocumented_streamlit_api():
    """Streamlit is pinned to a tested minor, and the code uses its public API only: no ``_name`` imported from
    ``streamlit`` (such as ``vega_charts._convert_altair_to_vega_lite_spec``) and no ``st.secrets`` loader."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = [*root.glob("lib/**/*.py"), *root.glob("pages/*.py"), root / "dashboard.py"]
    private = re.compile(r"from streamlit[\w.]* import [^\n]*\b_\w+|\b(?:streamlit|st)(?:\.\w+)*\._\w+"
                         r"|load_if_toml_exists")
    found = [f"{f.relative_to(root)}: {m.group(0)}" for f in files for m in private.finditer(f.read_text())]
    assert not found


def _draw_bars() -> None:
    import pandas as pd
    import streamlit as st

    from lib import ui
    from lib.views import charts

    for i, words in enumerate((["embargo", "vote"], ["forum", "shoigu", "s-400"])):
        terms = pd.DataFrame({"unit": "A", "rank": range(1, len(words) + 1), "term": words,
                              "score": [0.5 - 0.1 * j for j in range(len(words))], "count": range(len(words), 0, -1)})
        st.altair_chart(charts.term_bars(terms, "#4e79a7"), key=f"direct_{i}", selection_mode="term", on_select="rerun")
        ui.chart(charts.term_bars, terms, "#4e79a7", key=f"bars_{i}", stem="x", selection_mode="term",
                 on_select="rerun")


def _draw_scatters() -> None:
    import pandas as pd
    import streamlit as st

    from lib import ui
    from lib.views import charts

    for i, outlets in enumerate((["A", "B"], ["C", "A", "D"])):
        terms = pd.DataFrame({"outlet": outlets, "rank": 1, "term": [f"t{j}" for j in range(len(outlets))],
                              "z": 2.0, "count": 3, "others": 1, "per_10k": 5.0, "fragile": True, "tokens": 100})
        shown = charts.colored(terms, outlets[:2])
        st.altair_chart(charts.distinctive_scatter(shown), key=f"direct_{i}", selection_mode="term",
                        on_select="rerun")
        ui.chart(charts.distinctive_scatter, shown, key=f"scatter_{i}", stem="x", selection_mode="term",
                 on_select="rerun")


@pytest.mark.parametrize("draw", [_draw_bars, _draw_scatters])
def test_charts_built_once_per_kind_of_table_send_each_tables_rows_with_st_altair_charts_spec(draw):
    """The second table's chart reuses the first one's spec (``charts.ROWS_AS_DATA``): the spec is what
    ``st.altair_chart`` sends but for the data, and the data is that table's rows."""
    import pyarrow as pa
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(draw, default_timeout=60).run()
    assert not at.exception
    protos = [c.proto for c in at.get("vega_lite_chart")]
    for direct, bars in (protos[0:2], protos[2:4]):
        wanted = {k: v for k, v in json.loads(direct.spec).items() if k not in ("data", "datasets")}
        assert json.loads(bars.spec) == wanted and list(bars.selection_mode) == ["term"]
        sent = pa.ipc.open_stream(bars.data.data).read_pandas()
        drawn = pa.ipc.open_stream(direct.datasets[0].data.data).read_pandas()
        assert sent.equals(drawn)


def test_scatter_points_take_their_outlets_colour_from_their_rows():
    """One spec serves every story: the colours come with the rows, each outlet's by its place in the shown list
    (the clouds' order), and outlets not shown are left out."""
    from lib.views import charts

    table = pd.DataFrame({"outlet": ["B", "A", "C", "B"], "term": ["x", "y", "z", "w"]})
    shown = charts.colored(table, ["B", "A"])
    assert shown["outlet"].tolist() == ["B", "A", "B"]
    assert shown["_color"].tolist() == [charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[0]]
    spec = charts.distinctive_scatter(shown).to_dict()
    assert spec["layer"][0]["encoding"]["color"]["scale"] == {"range": {"field": "_color"}}


@pytest.mark.parametrize("field", ["dc:creator", "a.b", "x[0]", "[a](javascript:alert(1))", "![x](http://127.0.0.1:9/x)",
                                   ":red[x]", "a\\b", "a\\.b[", "it's \"x\"", "=1+1", "émoji 🎉"])
def test_the_scatter_groups_by_a_field_of_any_name(field):
    """A group field's name is data: Altair's shorthand read ``dc:creator:N`` as a field and a type (ValueError), and
    Vega-Lite read ``a.b`` and ``x[0]`` as paths into nested data (no colours, no legend). Drawn by vl-convert, the
    legend names each group."""
    rows = pd.DataFrame({field: ["left", "right"], "term": ["alpha", "beta"], "rank": [1, 1], "z": [2.0, 3.0],
                         "per_10k": [5.0, 9.0], "count": [4, 6], "others": [1, 2], "fragile": [False, False],
                         "tokens": [100, 120]})
    chart = charts.distinctive_scatter(charts.colored(rows, ["left", "right"], field), field)
    spec = chart.to_dict()
    assert spec["layer"][0]["encoding"]["color"]["title"] == field
    svg = charts.svg(chart)
    assert ">left<" in svg and ">right<" in svg  # the legend's labels: the field's values were found


def test_clouds_are_drawn_here_and_kept_by_their_content(monkeypatch):
    """A page's clouds are the pictures a direct draw makes, in the order asked; a cloud drawn once is not drawn
    again, however the clouds are combined."""
    from lib.ui import drawing

    tables = [pd.DataFrame({"term": words, "score": [1.0, 0.6, 0.3]})
              for words in (["embargo", "vote", "council"], ["forum", "shoigu", "s-400"])]
    colors = [charts.PALETTE[0], charts.PALETTE[1]]
    pictures = drawing.clouds(tables, colors)
    assert pictures == [charts.cloud_jpeg(t, c) for t, c in zip(tables, colors, strict=True)]
    monkeypatch.setattr(charts, "cloud_jpeg", lambda *args: pytest.fail("a cloud drawn before was drawn again"))
    assert drawing.clouds(tables[::-1], colors[::-1]) == pictures[::-1]


def test_a_charts_rows_are_cached_as_arrow_and_a_column_arrow_cannot_hold_stays_a_dataframe():
    import pyarrow as pa

    from lib.ui import drawing

    table = drawing._table([{"term": "vote", "score": 0.5}, {"term": "forum", "score": None}])
    assert isinstance(table, pa.Table) and table.column("term").to_pylist() == ["vote", "forum"]
    mixed = drawing._table([{"row": 1}, {"row": "x"}])
    assert isinstance(mixed, pd.DataFrame) and mixed["row"].tolist() == [1, "x"]


def _draw_large() -> None:
    import pandas as pd

    from lib import ui
    from lib.views import charts

    wide = pd.DataFrame(1, index=pd.Index([f"e{i}" for i in range(100)], name="entity"),
                        columns=pd.Index([f"o{j}" for j in range(60)], name="outlet"))
    ui.chart(charts.heatmap, wide, "mentions", key="large", stem="x")


def test_a_chart_of_more_rows_than_altairs_notebook_limit_is_drawn_and_the_limit_stays():
    """``to_dict()`` refuses more than 5,000 rows by default (a guard for notebooks); ``ui.chart`` draws them, as
    ``st.altair_chart`` did, and leaves Altair's setting as it was."""
    import altair as alt
    import pyarrow as pa
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_draw_large, default_timeout=60).run()
    assert not at.exception
    (chart,) = at.get("vega_lite_chart")
    assert sum(len(pa.ipc.open_stream(d.data.data).read_pandas()) for d in chart.proto.datasets) == 6000
    assert "max_rows" not in alt.data_transformers.options and alt.data_transformers.active == "default"
