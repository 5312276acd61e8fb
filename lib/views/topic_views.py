"""Views of a fitted topic model (``lib.analyses.topics.Topics``): topic x outlet shares, topic shares over time,
the map's points in a brushed box, a topic's representative passages, and a topic's number from its name."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.analyses.topics import REPRESENTATIVE, Topics


def outlet_shares(result: Topics, outlets: list[str]) -> pd.DataFrame:
    """Topic x outlet: the percentage of each outlet's words in each topic (a column sums to about
    100), topics by number, outlets in ``outlets`` order (those with passages)."""
    a = result.assignments
    words = a.pivot_table(index="topic", columns="outlet", values="words", aggfunc="sum", fill_value=0)
    pct = (100 * words / words.sum(axis=0).clip(lower=1)).round().astype(int)
    pct = pct.reindex(index=result.table["topic"], columns=[o for o in outlets if o in pct.columns], fill_value=0)
    return pct.rename(index=result.names).rename_axis(index="topic", columns="outlet")


def over_time(result: Topics, instants: pd.Series, unit: str) -> pd.DataFrame:
    """Each topic's share (%) of the words of the dated passages in each ``unit`` bin (hour, day, week,
    month): bin (its start), end, topic (its name), words, share, and low and high (the share stacked in
    topic order). ``instants`` maps article id to a time (NaT: undated)."""
    a = result.assignments
    when = pd.to_datetime(a["article_id"].map(instants))
    a = a.assign(when=when).dropna(subset=["when"])
    cols = ["bin", "end", "topic", "words", "share", "low", "high"]
    if a.empty:
        return pd.DataFrame(columns=cols)
    if unit == "week":
        start = a["when"].dt.to_period("W-SUN").dt.start_time
    elif unit == "month":
        start = a["when"].dt.to_period("M").dt.start_time
    else:
        start = a["when"].dt.floor({"hour": "h", "day": "D"}[unit])
    g = a.assign(bin=start).groupby(["bin", "topic"])["words"].sum().reset_index()
    g["share"] = (100 * g["words"] / g.groupby("bin")["words"].transform("sum")).round(1)
    g["topic"] = g["topic"].map(result.names)
    step = {"hour": pd.DateOffset(hours=1), "day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1),
            "month": pd.DateOffset(months=1)}[unit]
    g["end"] = g["bin"] + step
    g["high"] = g.groupby("bin")["share"].cumsum()  # stacked in topic order, drawn as given
    g["low"] = g["high"] - g["share"]
    return g[cols]


def in_box(points: pd.DataFrame, x: list | tuple | None, y: list | tuple | None) -> pd.DataFrame:
    """The map's points inside a brushed box (``x`` and ``y`` as [low, high]; None: no limit)."""
    keep = np.ones(len(points), dtype=bool)
    for col, span in (("x", x), ("y", y)):
        if span:
            keep &= points[col].between(min(span), max(span)).to_numpy()
    return points[keep]


def passages_of(result: Topics, topic: int, outlet: str | None = None) -> pd.DataFrame:
    """The representative passages of a topic (in one outlet, or all outlets), most alike first."""
    rep = result.representative
    rep = rep[rep["topic"] == topic]
    if outlet is not None:
        return rep[rep["outlet"] == outlet]
    return rep.sort_values("weight", ascending=False, kind="stable").head(REPRESENTATIVE * 4)


def number(name: str) -> int:
    """The topic number of a topic's name ("3 · label" -> 3)."""
    return int(str(name).split(" · ", 1)[0])
