"""Tone: VADER compound scores per sentence (Hutto and Gilbert 2014, "VADER: a parsimonious rule-based model for
sentiment analysis of social media text"; the ``vaderSentiment`` lexicon and rules), aggregated per outlet and per
story element, and each outlet's most emotionally loaded sentences.

The compound score runs from -1 (most negative) to +1 (most positive); VADER's authors read |compound| >= 0.05 as
positive or negative and the rest as neutral (``NEUTRAL``). An outlet's or an element's tone is the mean compound of
its sentences, reported with the number of sentences behind it (few sentences: a fragile figure).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

NEUTRAL = 0.05  # VADER's own cut-off between neutral and positive / negative


@cache
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def scores(texts: pd.Series) -> np.ndarray:
    """The VADER compound score of each text."""
    analyzer = _analyzer()
    return np.array([analyzer.polarity_scores(t)["compound"] for t in texts.fillna("").astype(str)], dtype=float)


def by_group(scored: pd.DataFrame, group: str) -> pd.DataFrame:
    """Per value of ``group`` (outlet, element): sentences, mean compound, shares of positive and negative
    sentences (%), the most negative and most positive score."""
    cols = [group, "sentences", "tone", "positive_pct", "negative_pct", "min", "max"]
    if scored.empty:
        return pd.DataFrame(columns=cols)
    g = scored.assign(pos=scored["tone"] >= NEUTRAL, neg=scored["tone"] <= -NEUTRAL).groupby(group, sort=False)
    out = pd.DataFrame({"sentences": g.size(), "tone": g["tone"].mean().round(3),
                        "positive_pct": (100 * g["pos"].mean()).round(1),
                        "negative_pct": (100 * g["neg"].mean()).round(1),
                        "min": g["tone"].min().round(3), "max": g["tone"].max().round(3)})
    return out.reset_index()[cols]


def loaded(scored: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """Each outlet's ``top`` sentences by |compound| (non-neutral only): outlet, rank, tone, article_id, sentence,
    text."""
    cols = ["outlet", "rank", "tone", "article_id", "sentence", "text"]
    hot = scored[scored["tone"].abs() >= NEUTRAL].assign(strength=lambda d: d["tone"].abs())
    if hot.empty:
        return pd.DataFrame(columns=cols)
    hot = hot.sort_values(["outlet", "strength"], ascending=[True, False], kind="stable").groupby("outlet").head(top)
    hot["rank"] = hot.groupby("outlet").cumcount() + 1
    return hot[cols].reset_index(drop=True)
