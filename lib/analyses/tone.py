"""Tone: VADER compound scores per sentence (Hutto and Gilbert 2014, "VADER: a parsimonious rule-based model for
sentiment analysis of social media text"; the ``vaderSentiment`` lexicon and rules), aggregated per outlet and per
story element, and each outlet's most emotionally loaded sentences.

The compound score runs from -1 (most negative) to +1 (most positive); VADER's authors read |compound| >= 0.05 as
positive or negative and the rest as neutral (``NEUTRAL``). An outlet's or an element's tone is the mean compound of
its sentences, reported with the number of sentences behind it (few sentences: a fragile figure).

What an outlet says and what it quotes are scored apart (``voices``): a sentence's tone is that of its words outside
quotation marks (the outlet's own voice; a sentence that is all quotation has none), its ``quoted_tone`` that of
the passages inside them, so that "I think it would be better if he went" is the speaker's tone, not the outlet's.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from lib.analyses.quotes import QUOTED

NEUTRAL = 0.05  # VADER's own cut-off between neutral and positive / negative


@cache
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def scores(texts: pd.Series) -> np.ndarray:
    """The VADER compound score of each text."""
    analyzer = _analyzer()
    return np.array([analyzer.polarity_scores(t)["compound"] for t in texts.fillna("").astype(str)], dtype=float)


def voices(texts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each text's own voice (its words outside quotation marks, ``quotes.QUOTED``) and its quoted passages
    (joined), each "" where there is none."""
    texts = texts.fillna("").astype(str)
    own = texts.map(lambda t: " ".join(QUOTED.sub(" ", t).split()))
    quoted = texts.map(lambda t: " ".join(" ".join(m.group(1) or m.group(2) for m in QUOTED.finditer(t)).split()))
    return own, quoted


def scored(texts: pd.Series) -> pd.DataFrame:
    """The tone of each text's own voice and of what it quotes, scored apart.

    VADER compound scores (Hutto and Gilbert 2014; the ``vaderSentiment`` library) of the words outside quotation
    marks and of the quoted passages (``voices``).

    Parameters
    ----------
    texts : pandas.Series
        Sentences.

    Returns
    -------
    pandas.DataFrame
        Indexed as ``texts``: tone (the compound score, -1 to +1, of the text's own voice; NaN where it is all
        quotation) and quoted_tone (of its quoted passages; NaN where it quotes nothing).
    """
    own, quoted = voices(texts)
    out = pd.DataFrame({"tone": np.nan, "quoted_tone": np.nan}, index=texts.index)
    has_own, has_quoted = own.str.contains(r"\w", regex=True), quoted.str.contains(r"\w", regex=True)
    out.loc[has_own, "tone"] = scores(own[has_own])
    out.loc[has_quoted, "quoted_tone"] = scores(quoted[has_quoted])
    return out


def by_group(scored: pd.DataFrame, group: str) -> pd.DataFrame:
    """Tone per outlet or per element: the mean VADER compound of its sentences, with the sample behind it.

    Parameters
    ----------
    scored : pandas.DataFrame
        Sentences with a ``tone`` column (``scored``) and the ``group`` column; ``quoted_tone`` optional.
    group : str
        The column to group by ("outlet", "element").

    Returns
    -------
    pandas.DataFrame
        One row per group: ``group``, sentences (in its own voice), tone (their mean compound), positive_pct,
        negative_pct (shares beyond ``NEUTRAL``, %), min, max; and, where ``scored`` has ``quoted_tone``, quoting
        (the sentences that quote) and quoted_tone (the mean tone of what they quote).
    """
    quoting = "quoted_tone" in scored.columns
    cols = [group, "sentences", "tone", "positive_pct", "negative_pct", "min", "max",
            *(["quoting", "quoted_tone"] if quoting else [])]
    if scored.empty:
        return pd.DataFrame(columns=cols)
    own = scored["tone"].notna()
    g = scored.assign(pos=(scored["tone"] >= NEUTRAL).where(own), neg=(scored["tone"] <= -NEUTRAL).where(own)
                      ).groupby(group, sort=False)
    out = pd.DataFrame({"sentences": g["tone"].count(), "tone": g["tone"].mean().round(3),
                        "positive_pct": (100 * g["pos"].mean()).round(1),
                        "negative_pct": (100 * g["neg"].mean()).round(1),
                        "min": g["tone"].min().round(3), "max": g["tone"].max().round(3)})
    if quoting:
        out["quoting"] = g["quoted_tone"].count()
        out["quoted_tone"] = g["quoted_tone"].mean().round(3)
    return out.reset_index()[cols]


def loaded(scored: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """Each outlet's most emotionally loaded sentences, by absolute VADER compound score.

    Parameters
    ----------
    scored : pandas.DataFrame
        Sentences with outlet, tone (``scored``), article_id, sentence, text.
    top : int
        Sentences per outlet.

    Returns
    -------
    pandas.DataFrame
        outlet, rank, tone, article_id, sentence, text; non-neutral sentences only (|tone| >= ``NEUTRAL``).
    """
    cols = ["outlet", "rank", "tone", "article_id", "sentence", "text"]
    hot = scored[scored["tone"].abs() >= NEUTRAL].assign(strength=lambda d: d["tone"].abs())
    if hot.empty:
        return pd.DataFrame(columns=cols)
    hot = hot.sort_values(["outlet", "strength"], ascending=[True, False], kind="stable").groupby("outlet").head(top)
    hot["rank"] = hot.groupby("outlet").cumcount() + 1
    return hot[cols].reset_index(drop=True)
