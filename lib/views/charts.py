"""Altair chart builders: DataFrame in, ``alt.Chart`` out; keyword clouds as PNG (wordcloud).

Outlets keep one colour on every page: ``outlet_scale`` maps the corpus's outlets (in
``coverage.outlet_order``) onto one palette."""

from __future__ import annotations

import io
import re

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image
from wordcloud import WordCloud

# Tableau 20 (Tableau Software), a categorical palette made for up to 20 categories; it repeats beyond.
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d", "#f1ce63", "#d4a6c8", "#fabfd2",
           "#d7b5a6", "#79706e"]
TIME_FORMAT = {"hour": "%d %b %H:%M", "day": "%d %b %Y", "week": "%d %b %Y", "month": "%b %Y"}
GREY = "#d0d0d0"  # the colour of a group of the categories past a palette's length ("other outlets (12)")
SHAPES = 8  # Vega's point shapes (circle, square, crosses, diamond, triangles): more repeat
LEGEND_ROW = 20  # pixels a legend entry takes in Streamlit's theme: a chart is at least as high as its legends
SHAPE_ROW = 32  # pixels a shape legend's entry takes (its symbols are drawn at the points' size)
BAR_STEP = 18  # pixels per bar of a bar chart, room for its label in Streamlit's theme (12 px text)
SCATTER_LABELS = 3  # the terms labelled on the scatter in each outlet: its first by rank ...
SCATTER_LABELS_MAX = 24  # ... and at most this many in all, those that do not cover another label
# builders whose spec takes their first table's rows as its data, and only so
ROWS_AS_DATA = frozenset({"term_bars", "distinctive_scatter"})


def outlet_colors(outlets: list[str]) -> dict[str, str]:
    """Outlet -> colour, by the outlet's place in the corpus order (largest first)."""
    return {o: PALETTE[i % len(PALETTE)] for i, o in enumerate(outlets)}


def outlet_scale(outlets: list[str]) -> alt.Scale:
    """The Altair colour scale of ``outlets``: each outlet its colour of ``outlet_colors``."""
    colors = outlet_colors(outlets)
    return alt.Scale(domain=list(colors), range=list(colors.values()))


def distinct_colors(names: list[str], order: list[str]) -> list[str]:
    """The colours of ``names``: each its colour in ``order`` (``outlet_colors``, so an outlet keeps its colour
    on every page), a name whose colour another name took (past the palette, it repeats) the first colour left."""
    wanted, taken, colors = outlet_colors(order), set(), []
    for name in names:
        color = wanted.get(name)
        if color is None or color in taken:
            color = next((c for c in PALETTE if c not in taken), GREY)
        taken.add(color)
        colors.append(color)
    return colors


def grouped(values: pd.Series, order: list[str], limit: int, what: str) -> tuple[pd.Series, list[str], list[str]]:
    """Categories past a palette: the first ``limit - 1`` of ``order`` (those present in ``values``) keep their
    name, the rest share one, "other <what> (n)". Returns each value's group, the groups in order and their
    colours (``distinct_colors``, the shared group grey); with ``limit`` or fewer categories nothing is grouped,
    and every category has a colour of its own."""
    present = set(values)
    shown = [v for v in order if v in present] + sorted(present - set(order), key=str)
    if len(shown) <= limit:
        return values, shown, distinct_colors(shown, order)
    kept = shown[: limit - 1]
    other = f"other {what} ({len(shown) - len(kept)})"
    return values.where(values.isin(kept), other), [*kept, other], [*distinct_colors(kept, order), GREY]


def legend_height(*entries: int, base: int = 0, shapes: int = 0) -> int:
    """The height of a chart whose legends (one per number of ``entries``, and one of ``shapes``, on the right)
    must show every entry: Streamlit fits a chart to its height, so a longer legend would be cut."""
    return max(base, sum(LEGEND_ROW * n + 30 for n in entries) + (SHAPE_ROW * shapes + 30 if shapes else 0))


def time_axis(unit: str, bins: pd.Series) -> alt.Axis:
    """A time axis whose ticks are the ``bins`` drawn (their starts, in ``unit``): one label per bin at most, never
    several ticks under one label (which repeats a day's label), labels thinned where they would overlap."""
    starts = pd.to_datetime(pd.Series(bins)).dropna().drop_duplicates().sort_values()
    return alt.Axis(format=TIME_FORMAT[unit], labelAngle=-30, labelOverlap=True,
                    values=[alt.DateTime(year=t.year, month=t.month, date=t.day, hours=t.hour, minutes=t.minute)
                            for t in starts])


def count_axis(title: str, top: float) -> alt.Axis:
    """An axis of counts up to ``top``: whole-number ticks only (at most 5 of them; a small ``top`` gets a tick
    per count, which ``tickMinStep`` alone does not ensure)."""
    return alt.Axis(title=title, tickMinStep=1, format="d", tickCount=int(max(1, min(5, top))))


def timeline(counts: pd.DataFrame, unit: str, outlets: list[str]) -> alt.Chart:
    """Stacked bars of articles per time bin, one colour per outlet (past ``len(PALETTE)`` outlets, the smaller
    ones share one grey group: ``grouped``); whole-number ticks; the tooltip gives the outlet, the bin, the first
    time in it and the original UTC offsets."""
    group, names, colors = grouped(counts["outlet"], outlets, len(PALETTE), "outlets")
    return alt.Chart(counts.assign(_group=group)).mark_bar().encode(
        x=alt.X("bin:T", title=f"published ({unit})", axis=time_axis(unit, counts["bin"])),
        x2="end:T",
        y=alt.Y("sum(articles):Q", axis=count_axis("articles", counts.groupby("bin")["articles"].sum().max())),
        color=alt.Color("_group:N", scale=alt.Scale(domain=names, range=colors),
                        legend=alt.Legend(title="outlet", symbolLimit=0, labelLimit=220)),
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("bin:T", title=unit, format=TIME_FORMAT[unit]),
                 alt.Tooltip("articles:Q"), alt.Tooltip("first:T", title="first", format="%Y-%m-%d %H:%M"),
                 alt.Tooltip("offsets:N", title="original UTC offsets")],
    ).properties(height=legend_height(len(names), base=260))


def heatmap(wide: pd.DataFrame, value: str = "articles") -> alt.Chart:
    """A count heatmap of a wide table (rows x columns, in their order), the count printed in each
    non-empty cell and empty cells left blank; clicking a cell selects it (selection ``cell``). Every row and
    column is labelled in full (columns a fixed width apart, their labels slanted); the legend's ticks are
    whole numbers. A large table is cut by the caller (``grids.top_cells``)."""
    row, column = wide.index.name or "row", wide.columns.name or "column"
    long = wide.rename_axis(index=row, columns=column).stack().rename(value).reset_index()
    long = long[long[value] > 0]  # empty cells stay blank: for a story x outlet matrix, the blindspots
    # the order travels as data ("_x", "_y"), not as lists in the spec, which Altair would validate item by item
    long = long.assign(_x=long[column].map({c: i for i, c in enumerate(wide.columns)}),
                       _y=long[row].map({r: i for i, r in enumerate(wide.index)}))
    cell = alt.selection_point(name="cell", fields=[row, column], on="click")
    top = float(long[value].max()) if len(long) else 0.0
    base = alt.Chart(long).encode(
        x=alt.X(f"{column}:N", sort=alt.EncodingSortField("_x", op="min"), title=None,
                axis=alt.Axis(labelAngle=-50, labelLimit=240, labelOverlap=False, labelAlign="right")),
        y=alt.Y(f"{row}:N", sort=alt.EncodingSortField("_y", op="min"), title=None,
                axis=alt.Axis(labelLimit=420, labelOverlap=False)),
    )
    rects = base.mark_rect(stroke="#ddd").encode(
        color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format="d", tickMinStep=1, tickCount=min(5, max(1, int(top))))),
        opacity=alt.condition(cell, alt.value(1.0), alt.value(0.6)),
        tooltip=[alt.Tooltip(f"{row}:N"), alt.Tooltip(f"{column}:N"), alt.Tooltip(f"{value}:Q")],
    ).add_params(cell)
    half = top / 2
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text(f"{value}:Q"),
        color=alt.condition(f"datum.{value} > {half}", alt.value("white"), alt.value("black")),
    )
    return (rects + text).properties(height=alt.Step(20), width=alt.Step(26))


def cloud(terms: pd.DataFrame, color: str, width: int = 630, height: int = 360) -> Image.Image:
    """A keyword cloud of ``terms`` (columns term, score) in one colour; word size follows the score
    (wordcloud, Mueller; ``random_state`` fixed, so the same terms give the same picture). The layout is
    computed at a third of the size and drawn at full size (wordcloud's ``scale``); its smallest word is 12 pixels
    high. The largest word starts at half the height and shrinks until it fits, where wordcloud's own first guess
    starts at the full height (docs/charts.md, "Keyword clouds")."""
    frequencies = {t: float(s) for t, s in zip(terms["term"], terms["score"], strict=True) if s > 0}
    made = WordCloud(width=width // 3, height=height // 3, scale=3, background_color="white", prefer_horizontal=0.95,
                     random_state=0, color_func=lambda *args, **kwargs: color, collocations=False,
                     max_font_size=height // 6)
    return made.generate_from_frequencies(frequencies or {" ": 1.0}).to_image()


def cloud_jpeg(terms: pd.DataFrame, color: str) -> bytes:
    """``cloud`` as the JPEG a page shows: ``st.image`` turns a picture without transparency into that JPEG on
    every rerun unless given it."""
    return image_bytes(cloud(terms, color), "JPEG")


def image_bytes(image: Image.Image, fmt: str = "PNG") -> bytes:
    """``image`` encoded as ``fmt`` (PNG, or JPEG at quality 90)."""
    out = io.BytesIO()
    image.convert("RGB").save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def term_bars(terms: pd.DataFrame, color: str, value: str = "score") -> alt.Chart:
    """The cloud's twin: one bar per term with its exact ``value``, in rank order, every bar labelled with its
    term (``BAR_STEP`` pixels apart, none hidden for overlap); clicking a bar selects its term (selection
    ``term``)."""
    pick = alt.selection_point(name="term", fields=["term"], on="click")
    return alt.Chart(terms).mark_bar(color=color).encode(
        x=alt.X(f"{value}:Q", title=value),
        y=alt.Y("term:N", sort=alt.EncodingSortField("rank", op="min"), title=None,
                axis=alt.Axis(labelLimit=220, labelOverlap=False, labelFontSize=12)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
        tooltip=[alt.Tooltip("term:N"), alt.Tooltip(f"{value}:Q"), alt.Tooltip("count:Q")],
    ).add_params(pick).properties(height=alt.Step(BAR_STEP))


def colored(table: pd.DataFrame, outlets: list[str], field: str = "outlet") -> pd.DataFrame:
    """The rows of ``table`` whose ``field`` is one of ``outlets``, each with its outlet's colour (column
    ``_color``, by the outlet's place in ``outlets``): the data of ``distinctive_scatter``."""
    colors = outlet_colors(outlets)
    shown = table[table[field].isin(outlets)]
    return shown.assign(_color=shown[field].map(colors), _label=labelled(shown))


def labelled(terms: pd.DataFrame, per_group: int = SCATTER_LABELS, limit: int = SCATTER_LABELS_MAX) -> pd.Series:
    """Which points of the scatter (rows of ``terms``: rank, term, z, per_10k) carry their term as a label: each
    group's first ``per_group`` by rank, highest z-score first, skipping a point whose label would cover one
    already placed (a box of the term's length to the right of the point, in the chart's log-x and linear-y
    proportions), at most ``limit``. Any point names its term on hover."""
    keep = pd.Series(False, index=terms.index)
    if terms.empty or not {"rank", "term", "z", "per_10k"} <= set(terms.columns):
        return keep
    x = np.log10(terms["per_10k"].clip(lower=1e-3).to_numpy(dtype=float))
    y = terms["z"].to_numpy(dtype=float)
    span_x, span_y = max(np.ptp(x), 1e-9), max(np.ptp(y), 1e-9)
    u, v = (x - x.min()) / span_x * 640, (y - y.min()) / span_y * 400  # about the chart's pixels
    placed: list[tuple[float, float, float]] = []
    for i in np.argsort(-y, kind="stable"):
        if terms["rank"].iat[i] > per_group or len(placed) >= limit:
            continue
        width = 6.5 * len(str(terms["term"].iat[i])) + 8
        if all(u[i] + width < a or a + w < u[i] or abs(v[i] - b) > 14 for a, b, w in placed):
            placed.append((u[i], v[i], width))
            keep.iat[i] = True
    return keep


def vega_field(name: str) -> str:
    """A column name as a Vega-Lite field: ``.``, ``[``, ``]`` and quotes escaped, so that a field named ``a.b`` or
    ``x[0]`` is that column, not a path into nested data, and a backslash escaped twice (Vega-Lite reads the
    escapes once, then Vega). Given as ``field=``, never in Altair's ``"name:N"`` shorthand, which reads
    ``dc:creator`` as a field and a type."""
    return re.sub(r"""([.\[\]'"])""", r"\\\1", str(name).replace("\\", "\\" * 4))


def distinctive_scatter(terms: pd.DataFrame, field: str = "outlet") -> alt.Chart:
    """Rate per 10,000 tokens (log scale) against log-odds z-score, one point per term of each outlet
    (or group: ``field``) in ``terms`` (rows of ``colored``), in the outlet's colour taken from the rows,
    so one spec serves every table; fragile counts are faint (in the spirit of scattertext). The leading terms
    (``labelled``: column ``_label``) are written beside their points; hovering any point names its term and
    outlet."""
    pick = alt.selection_point(name="term", fields=["term"], on="click")
    base = alt.Chart(terms).encode(
        x=alt.X("per_10k:Q", scale=alt.Scale(type="log"), title="rate per 10,000 tokens"),
        y=alt.Y("z:Q", title="log-odds z-score"),
        tooltip=[alt.Tooltip("term:N"), alt.Tooltip(field=vega_field(field), type="nominal", title=str(field)),
                 alt.Tooltip("z:Q"), alt.Tooltip("count:Q"),
                 alt.Tooltip("others:Q"), alt.Tooltip("per_10k:Q"), alt.Tooltip("fragile:N")],
    )
    points = base.mark_point(size=60, filled=True).encode(
        color=alt.Color(field=vega_field(field), type="nominal", scale=alt.Scale(range=alt.FieldRange(field="_color")),
                        title=str(field),
                        legend=alt.Legend(labelLimit=220)),
        opacity=alt.condition("datum.fragile", alt.value(0.3), alt.value(0.9)),
    ).add_params(pick)
    labels = base.transform_filter("datum._label").mark_text(
        align="left", dx=6, dy=-4, fontSize=11, color="#333").encode(text=alt.Text("term:N"))
    return (points + labels).properties(height=420)


CARRIED = {"own sentence": "#4e79a7", "copy": "#a0cbe8", "no": "#f4f4f4"}


def element_grid(long: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """The story-element grid of ``compare.grid``: one row per element (in element order), one column per outlet
    (in ``outlets`` order), the cell coloured by whether the outlet carries the element (its own sentence, a copy,
    or not); the tooltip gives the outlet's sentence; clicking a cell selects it (selection ``cell``)."""
    data = long.assign(_x=long["outlet"].map({o: i for i, o in enumerate(outlets)}), _y=long["element"])
    cell = alt.selection_point(name="cell", fields=["element", "outlet"], on="click")
    return alt.Chart(data).mark_rect(stroke="#ccc").encode(
        x=alt.X("outlet:N", sort=alt.EncodingSortField("_x", op="min"), title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=110, labelOverlap=False)),
        y=alt.Y("row:N", sort=alt.EncodingSortField("_y", op="min"), title=None,
                axis=alt.Axis(labelLimit=520, labelOverlap=False)),
        color=alt.Color("carried:N", scale=alt.Scale(domain=list(CARRIED), range=list(CARRIED.values())),
                        legend=alt.Legend(title="carried", orient="bottom")),
        opacity=alt.condition(cell, alt.value(1.0), alt.value(0.75)),
        tooltip=[alt.Tooltip("element:Q"), alt.Tooltip("outlet:N"), alt.Tooltip("carried:N"),
                 alt.Tooltip("text:N", title="sentence")],
    ).add_params(cell).properties(height=alt.Step(20), width=alt.Step(115))


def tone_strip(scored: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Sentence tone (VADER compound) per outlet: a tick per sentence, the outlet's mean as a black bar; the
    tooltip gives the sentence."""
    base = alt.Chart(scored).encode(y=alt.Y("outlet:N", sort=outlets, title=None, axis=alt.Axis(labelLimit=200)))
    ticks = base.mark_tick(thickness=2, size=18, opacity=0.7).encode(
        x=alt.X("tone:Q", scale=alt.Scale(domain=[-1, 1]), title="tone (VADER compound, -1 to +1)"),
        color=alt.Color("outlet:N", scale=outlet_scale(outlets), legend=None),
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("tone:Q", format="+.2f"),
                 alt.Tooltip("text:N", title="sentence")])
    means = base.mark_tick(thickness=4, size=26, color="black").encode(
        x="mean(tone):Q", tooltip=[alt.Tooltip("mean(tone):Q", format="+.2f", title="mean")])
    return (ticks + means).properties(height=alt.Step(30))


def k_curve(criterion: pd.DataFrame) -> alt.Chart:
    """Topic coherence (mean NPMI) for each number of topics tried; the chosen k is the large red point."""
    base = alt.Chart(criterion).encode(
        x=alt.X("k:Q", title="topics (k)", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("coherence:Q", title="coherence (NPMI)", scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("k:Q"), alt.Tooltip("coherence:Q", format=".3f"), alt.Tooltip("chosen:N")],
    )
    line = base.mark_line(color="#4e79a7") + base.mark_point(filled=True, color="#4e79a7")
    chosen = base.transform_filter("datum.chosen").mark_point(filled=True, color="#e15759", size=140)
    return (line + chosen).properties(height=180)


TOPIC_COLOURS = len(PALETTE)  # topics drawn each in its colour; past it the smaller ones share a grey


def topic_groups(names: list[str]) -> tuple[dict[str, str], list[str], list[str]]:
    """Topic name -> the name its colour stands for (itself, or "other topics (n)" past ``TOPIC_COLOURS``
    topics, the smaller ones: topics are numbered by size), the legend's names and their colours."""
    group, shown, colors = grouped(pd.Series(names, dtype=object), names, TOPIC_COLOURS, "topics")
    return dict(zip(names, group, strict=True)), shown, colors


def topic_map(points: pd.DataFrame, names: dict[int, str], outlets: list[str]) -> alt.Chart:
    """The passages on the topic map (columns x, y, topic, outlet, text, article_id), coloured by topic
    and shaped by outlet, the passage in the tooltip (as text); dragging a box selects points
    (selection ``brush``). Each topic has a colour of its own up to ``TOPIC_COLOURS`` topics and each outlet a
    shape up to ``SHAPES`` outlets; past them the smaller share one (``grouped``). The chart is as high as its
    legends, so every entry shows."""
    topic_of, topic_names, topic_colors = topic_groups(list(names.values()))
    df = points.assign(name=points["topic"].map(names))
    shape, outlet_names, _ = grouped(df["outlet"], outlets, SHAPES, "outlets")
    df = df.assign(_topic=df["name"].map(topic_of), _shape=shape)
    brush = alt.selection_interval(name="brush", encodings=["x", "y"])
    return alt.Chart(df).mark_point(filled=True, size=45, opacity=0.75).encode(
        x=alt.X("x:Q", title=None, axis=alt.Axis(labels=False, ticks=False)),
        y=alt.Y("y:Q", title=None, axis=alt.Axis(labels=False, ticks=False)),
        color=alt.Color("_topic:N", title="topic", scale=alt.Scale(domain=topic_names, range=topic_colors),
                        legend=alt.Legend(labelLimit=320, symbolLimit=0)),
        shape=alt.Shape("_shape:N", title="outlet", scale=alt.Scale(domain=outlet_names),
                        legend=alt.Legend(symbolLimit=0, labelLimit=220)),
        tooltip=[alt.Tooltip("name:N", title="topic"), alt.Tooltip("outlet:N"), alt.Tooltip("article_id:Q"),
                 alt.Tooltip("text:N", title="passage")],
    ).add_params(brush).properties(height=legend_height(len(topic_names), shapes=len(outlet_names), base=460))


def topic_time(shares: pd.DataFrame, unit: str, names: list[str]) -> alt.Chart:
    """Each topic's share of the words published in each time bin (stacked to 100%), a tick per ``unit``
    at most; colours as ``topic_map``'s, the chart as high as its legend."""
    topic_of, topic_names, topic_colors = topic_groups(names)
    return alt.Chart(shares.assign(_topic=shares["topic"].map(topic_of))).mark_bar().encode(
        x=alt.X("bin:T", title=f"published ({unit})", axis=time_axis(unit, shares["bin"])),
        x2="end:T",
        y=alt.Y("low:Q", title="share of words (%)", scale=alt.Scale(domain=[0, 100])),
        y2="high:Q",
        color=alt.Color("_topic:N", title="topic", scale=alt.Scale(domain=topic_names, range=topic_colors),
                        legend=alt.Legend(labelLimit=320, symbolLimit=0)),
        tooltip=[alt.Tooltip("bin:T", title=unit, format=TIME_FORMAT[unit]), alt.Tooltip("topic:N"),
                 alt.Tooltip("share:Q", title="share (%)"), alt.Tooltip("words:Q")],
    ).properties(height=legend_height(len(topic_names), base=240))


def png(chart: alt.Chart, scale: float = 2.0) -> bytes:
    """The chart as a PNG image (vl-convert renders the Vega-Lite spec without a browser)."""
    import vl_convert

    return vl_convert.vegalite_to_png(chart.to_dict(), scale=scale)


def svg(chart: alt.Chart) -> str:
    """The chart as an SVG document (vl-convert; text stays text, so it scales and can be edited)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict(validate=False))


def chart_data(chart: alt.Chart) -> pd.DataFrame:
    """The table a chart draws: its own data, or for a layered chart the first layer's (the layers of
    these builders share one table)."""
    for c in [chart, *getattr(chart, "layer", [])]:
        if isinstance(getattr(c, "data", None), pd.DataFrame):
            return c.data
    return pd.DataFrame()
