"""Per-outlet coverage: who covered the event, how much, and when.

Input is ``store.article_stats`` (one row per article, no texts). Publication times are stored as
UTC ("...Z"), as a wall-clock time whose zone is unknown, or as a bare date; only the first kind
can be shown in another time zone, the others are shown as written and ordered as if UTC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

UNKNOWN = "(no outlet)"
BINS = [("hour", pd.Timedelta(days=3)), ("day", pd.Timedelta(days=120)), ("week", pd.Timedelta(days=3 * 365))]


def label_outlets(outlet: pd.Series) -> pd.Series:
    """Outlet names, with articles that name none grouped under ``UNKNOWN``."""
    return outlet.fillna("").str.strip().replace("", UNKNOWN)


def outlet_count(stats: pd.DataFrame) -> tuple[int, int]:
    """(outlets named, articles naming none): the one outlet count of every page. Articles that name no
    outlet are listed together as ``UNKNOWN`` in tables, which is not an outlet and is not counted as one."""
    labels = label_outlets(stats["outlet"])
    unnamed = int((labels == UNKNOWN).sum())
    return int(labels[labels != UNKNOWN].nunique()), unnamed


def counted(stats: pd.DataFrame) -> str:
    """"300 articles from 43 outlets" (and "; 2 name no outlet, listed as “(no outlet)”"), ``outlet_count``."""
    named, unnamed = outlet_count(stats)
    n = len(stats)
    text = f"{n:,} article{'s' * (n != 1)} from {named:,} outlet{'s' * (named != 1)}"
    if unnamed:
        text += (f"; {unnamed:,} of them name{'s' * (unnamed == 1)} no outlet and "
                 f"{'is' if unnamed == 1 else 'are'} listed as “{UNKNOWN}”")
    return text


def outlet_order(stats: pd.DataFrame) -> list[str]:
    """Outlets by number of articles, then name: the order of every table and colour scale."""
    counts = label_outlets(stats["outlet"]).value_counts()
    return sorted(counts.index, key=lambda o: (-counts[o], o))


def times(stats: pd.DataFrame, tz: str = "UTC") -> pd.DataFrame:
    """Per article: ``instant`` (UTC, for ordering), ``shown`` (wall time in ``tz`` where the zone
    is known, else as written), ``precision`` (time, time (zone unknown), date) and the original
    offset; undated articles get NaT."""
    text = stats["published"].fillna("")
    utc = text.str.endswith("Z")
    date_only = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    instant = pd.to_datetime(text.str.rstrip("Z").replace("", None), errors="coerce", format="ISO8601")
    shown = instant.copy()
    if utc.any():
        shown[utc] = instant[utc].dt.tz_localize("UTC").dt.tz_convert(tz).dt.tz_localize(None)
    precision = np.select([utc, date_only, instant.notna()], ["time", "date", "time (zone unknown)"], "")
    return pd.DataFrame({"id": stats["id"], "outlet": label_outlets(stats["outlet"]), "title": stats["title"],
                         "published": text, "offset": stats["published_offset"].fillna(""),
                         "instant": instant, "shown": shown, "precision": precision})


def outlets(stats: pd.DataFrame, tz: str = "UTC") -> pd.DataFrame:
    """One row per outlet: articles, share of articles and of words (%), words after cleaning,
    sentences, median article length in words, first and last publication (in ``tz``), undated
    articles, and the share of the raw text that cleaning removed as boilerplate (%)."""
    t = times(stats, tz)
    df = stats.assign(outlet=t["outlet"], shown=t["shown"], undated=t["shown"].isna())
    g = df.groupby("outlet")
    table = pd.DataFrame({
        "articles": g.size(),
        "words": g["words"].sum(),
        "sentences": g["sentences"].sum(),
        "median_words": g["words"].median(),
        "first": g["shown"].min(),
        "last": g["shown"].max(),
        "undated": g["undated"].sum(),
        "boilerplate_pct": 100 * (1 - g["chars"].sum() / g["raw_chars"].sum().clip(lower=1)),
    })
    table.insert(1, "articles_pct", 100 * table["articles"] / max(len(df), 1))
    table.insert(3, "words_pct", 100 * table["words"] / max(int(df["words"].sum()), 1))
    table = table.reindex(outlet_order(stats)).rename_axis("outlet").reset_index()
    return table.round({"articles_pct": 1, "words_pct": 1, "boilerplate_pct": 1})


def time_bin(instants: pd.Series) -> str:
    """The bin for a timeline: hour up to 3 days, day up to 4 months, week up to 3 years, else month."""
    span = instants.max() - instants.min() if instants.notna().any() else pd.Timedelta(0)
    return next((name for name, limit in BINS if span <= limit), "month")


def _floor(shown: pd.Series, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each time's bin (weeks start on Monday)."""
    values = shown.to_numpy("datetime64[ns]")
    if unit == "week":
        day = values.astype("datetime64[D]")
        start = day - ((day.astype(np.int64) + 3) % 7)  # 1970-01-01 was a Thursday
        return start.astype("datetime64[ns]"), (start + 7).astype("datetime64[ns]")
    code = {"hour": "h", "day": "D", "month": "M"}[unit]
    start = values.astype(f"datetime64[{code}]")
    return start.astype("datetime64[ns]"), (start + 1).astype("datetime64[ns]")


def timeline(stats: pd.DataFrame, tz: str = "UTC", unit: str | None = None) -> tuple[pd.DataFrame, str]:
    """Articles per outlet per time bin (``unit`` or one chosen from the span); dated articles only.
    Returns the counts (outlet, bin start and end, articles, first time, original offsets) and the unit."""
    t = times(stats, tz).dropna(subset=["shown"])
    unit = unit or time_bin(t["shown"])
    t["bin"], t["end"] = _floor(t["shown"], unit)
    keys = ["outlet", "bin", "end"]
    counts = t.groupby(keys).agg(articles=("id", "size"), first=("shown", "min"))
    offsets = t[t["offset"] != ""].drop_duplicates([*keys, "offset"]).sort_values("offset")
    counts["offsets"] = offsets.groupby(keys)["offset"].agg(", ".join).reindex(counts.index).fillna("")
    return counts.reset_index(), unit


def first_reports(stats: pd.DataFrame, tz: str = "UTC") -> pd.DataFrame:
    """Who reported first: each outlet's earliest article, ordered by its UTC instant, with the lag
    behind the first report in hours (undated outlets last)."""
    t = times(stats, tz).dropna(subset=["instant"]).sort_values(["instant", "id"], kind="stable")
    first = t.groupby("outlet", sort=False).head(1).copy()
    first["lag_hours"] = ((first["instant"] - first["instant"].min()).dt.total_seconds() / 3600).round(1)
    first.insert(0, "rank", range(1, len(first) + 1))
    return first[["rank", "outlet", "id", "title", "published", "shown", "precision", "offset", "lag_hours"]]


def undated(stats: pd.DataFrame) -> pd.DataFrame:
    """Articles with no publication date: counted and listed, not dropped."""
    t = times(stats)
    return stats.loc[t["instant"].isna().to_numpy(), ["id", "source_file", "outlet", "title"]].assign(
        outlet=lambda d: label_outlets(d["outlet"]))
