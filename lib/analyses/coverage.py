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
    """Outlet names, with the articles that name none grouped under ``UNKNOWN``.

    Parameters
    ----------
    outlet : pandas.Series
        Each article's outlet (empty or missing where the article names none).

    Returns
    -------
    pandas.Series
        The names, stripped, ``UNKNOWN`` for an article that names no outlet.
    """
    return outlet.fillna("").str.strip().replace("", UNKNOWN)


def outlet_count(stats: pd.DataFrame) -> tuple[int, int]:
    """(outlets named, articles naming none): the one outlet count of every page. Articles that name no
    outlet are listed together as ``UNKNOWN`` in tables, which is not an outlet and is not counted as one."""
    labels = label_outlets(stats["outlet"])
    unnamed = int((labels == UNKNOWN).sum())
    return int(labels[labels != UNKNOWN].nunique()), unnamed


def counted(stats: pd.DataFrame) -> str:
    """The corpus's size in words: "300 articles from 43 outlets", and how many articles name no outlet.

    Parameters
    ----------
    stats : pandas.DataFrame
        One row per article, with an outlet column (``store.article_stats``).

    Returns
    -------
    str
        "N articles from M outlets", followed by "; K of them name no outlet and are listed as “(no outlet)”"
        when some do (``outlet_count``).
    """
    named, unnamed = outlet_count(stats)
    n = len(stats)
    text = f"{n:,} article{'s' * (n != 1)} from {named:,} outlet{'s' * (named != 1)}"
    if unnamed:
        text += (f"; {unnamed:,} of them name{'s' * (unnamed == 1)} no outlet and "
                 f"{'is' if unnamed == 1 else 'are'} listed as “{UNKNOWN}”")
    return text


def outlet_order(stats: pd.DataFrame) -> list[str]:
    """Outlets by number of articles, then by name: the order of every table and colour scale.

    Parameters
    ----------
    stats : pandas.DataFrame
        One row per article, with an outlet column (``store.article_stats``).

    Returns
    -------
    list of str
        The outlets, ``UNKNOWN`` among them where articles name none.
    """
    counts = label_outlets(stats["outlet"]).value_counts()
    return sorted(counts.index, key=lambda o: (-counts[o], o))


def times(stats: pd.DataFrame, tz: str = "UTC") -> pd.DataFrame:
    """Each article's publication time, for ordering and for showing.

    Parameters
    ----------
    stats : pandas.DataFrame
        ``store.article_stats``: id, outlet, title, published, published_offset.
    tz : str
        The time zone to show UTC times in (an IANA name).

    Returns
    -------
    pandas.DataFrame
        id, outlet, title, published (as stored), offset (the original UTC offset), instant (UTC, for ordering),
        shown (the wall time in ``tz`` where the zone is known, else as written), precision ("time",
        "time (zone unknown)", "date", or "" when undated); NaT for undated articles.
    """
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
    """The per-outlet coverage table: how much each outlet published, and when.

    Parameters
    ----------
    stats : pandas.DataFrame
        ``store.article_stats``: outlet, published, words, sentences, chars, raw_chars, ...
    tz : str
        The time zone first and last publication are shown in.

    Returns
    -------
    pandas.DataFrame
        One row per outlet, in ``outlet_order``: articles, articles_pct, words, words_pct, sentences, median_words,
        first, last, undated, boilerplate_pct (the share of the raw text that cleaning removed).
    """
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
    """The bin of a timeline for a span of time: hour up to 3 days, day up to 4 months, week up to 3 years, else month.

    Parameters
    ----------
    instants : pandas.Series
        The times to bin.

    Returns
    -------
    str
        "hour", "day", "week" or "month".
    """
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
    """Articles per outlet per time bin; dated articles only.

    Parameters
    ----------
    stats : pandas.DataFrame
        ``store.article_stats``.
    tz : str
        The time zone the bins are cut in (for UTC times).
    unit : {"hour", "day", "week", "month"}, optional
        The bin; default chosen from the span (``time_bin``). Weeks start on Monday.

    Returns
    -------
    tuple of (pandas.DataFrame, str)
        The counts (outlet, bin, end, articles, first, offsets: the original UTC offsets of the bin's articles)
        and the unit used.
    """
    t = times(stats, tz).dropna(subset=["shown"])
    unit = unit or time_bin(t["shown"])
    t["bin"], t["end"] = _floor(t["shown"], unit)
    keys = ["outlet", "bin", "end"]
    counts = t.groupby(keys).agg(articles=("id", "size"), first=("shown", "min"))
    offsets = t[t["offset"] != ""].drop_duplicates([*keys, "offset"]).sort_values("offset")
    counts["offsets"] = offsets.groupby(keys)["offset"].agg(", ".join).reindex(counts.index).fillna("")
    return counts.reset_index(), unit


def first_reports(stats: pd.DataFrame, tz: str = "UTC") -> pd.DataFrame:
    """Who reported first: each outlet's earliest article, ordered by its UTC instant.

    Parameters
    ----------
    stats : pandas.DataFrame
        ``store.article_stats``.
    tz : str
        The time zone ``shown`` is given in.

    Returns
    -------
    pandas.DataFrame
        rank, outlet, id, title, published, shown, precision, offset, lag_hours (behind the first report); outlets
        without a dated article are left out.
    """
    t = times(stats, tz).dropna(subset=["instant"]).sort_values(["instant", "id"], kind="stable")
    first = t.groupby("outlet", sort=False).head(1).copy()
    first["lag_hours"] = ((first["instant"] - first["instant"].min()).dt.total_seconds() / 3600).round(1)
    first.insert(0, "rank", range(1, len(first) + 1))
    return first[["rank", "outlet", "id", "title", "published", "shown", "precision", "offset", "lag_hours"]]


def undated(stats: pd.DataFrame) -> pd.DataFrame:
    """The articles with no publication date: counted and listed, not dropped.

    Parameters
    ----------
    stats : pandas.DataFrame
        ``store.article_stats``.

    Returns
    -------
    pandas.DataFrame
        id, source_file, outlet (``label_outlets``), title.
    """
    t = times(stats)
    return stats.loc[t["instant"].isna().to_numpy(), ["id", "source_file", "outlet", "title"]].assign(
        outlet=lambda d: label_outlets(d["outlet"]))
