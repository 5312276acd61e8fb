"""Stories: the articles of a corpus that report the same event, found without being told how many.

Method, in the tradition of Topic Detection and Tracking (Allan et al. 1998; Yang, Pierce and
Carbonell 1998, "A study of retrospective and on-line event detection"):

1. Each article is a TF-IDF vector of its first ``LEDE_CHARS`` characters (the terms of
   ``lib.text.terms``, sublinear tf, English stopwords, terms in at least two articles and at most half of
   them), unit length. Articles are
   compared by cosine similarity, and only when they were published within ``window_days`` of each
   other (an undated article is compared with every article).
2. Group-average (UPGMA) agglomerative clustering on cosine distance ``1 - cos``.
3. The tree is cut where the mean silhouette (Rousseeuw 1987) of the partition is highest, so the
   number of stories is found from the corpus, with no similarity threshold given.
4. A corpus is split at all only when its two top groups are less than half as alike as an
   article is to itself: the self-similarity of an article is the cosine between the TF-IDF vectors
   of its odd and of its even sentences, and the ratio ``cos(a, b) / sqrt(self(a) self(b))`` does
   not depend on the vocabulary settings, unlike a raw cosine threshold.

Large corpora (more than ``DENSE_MAX`` articles): the cut is chosen as above on a contiguous time
slice of ``DENSE_MAX`` articles (stories are local in time, so a slice holds whole stories). A
group-average cluster at cut distance ``t`` is connected by pairs of similarity at least ``1 - t``
(an average at least that high needs one pair that high), so the connected components of that
sparse graph, computed block by block along the time axis, are clustered exactly and separately.
Undated articles join the story they are most similar to on average, if that passes the cut.

Each story is labelled by the top terms of its mean TF-IDF vector (common terms included) and the
headline of the article closest to that centre.

The lede vectors' settings are ``lib.analyses.ledes``; on a Dask cluster (``lib.service.cluster``) they are made by
parts there, to the same bits, and the time blocks are compared by tasks (``edge_blocks``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.cluster.hierarchy import cut_tree, fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from lib.analyses.ledes import LEDE_CHARS, VOCABULARY, Vocabulary, ledes  # noqa: F401 (re-exported)

DENSE_MAX = 2000  # articles clustered with a full distance matrix (32 MB); larger corpora go by components
CUTS = 60  # candidate cuts of the tree whose silhouette is computed
SAME_STORY = 0.5  # split only groups less than half as alike as an article's own two halves
COLUMNS = ["story", "articles", "outlets", "first", "last", "terms", "headline"]
NO_DATE = np.iinfo(np.int64).min


@dataclass(frozen=True)
class Stories:
    """``assignments``: article id -> story; ``table``: one row per story (story, articles, outlets,
    first and last publication, top terms, the headline closest to its centre); ``cut``: the cosine
    distance at which the tree was cut; ``silhouette``: its mean silhouette (NaN for one story)."""

    assignments: pd.Series
    table: pd.DataFrame
    cut: float
    silhouette: float


def _days(published: pd.Series) -> np.ndarray:
    """Publication day numbers (NO_DATE when unknown)."""
    days = pd.to_datetime(published.fillna("").str[:10], errors="coerce", format="%Y-%m-%d")
    return np.where(days.isna(), NO_DATE, days.to_numpy("datetime64[D]").astype(np.int64))


def _far(a: np.ndarray, b: np.ndarray, window: int) -> np.ndarray:
    """Pairs (rows ``a``, columns ``b``, day numbers) published more than ``window`` days apart;
    never for an undated article."""
    dated = (a != NO_DATE)[:, None] & (b != NO_DATE)[None, :]
    return (np.abs(a[:, None] - b[None, :]) > window) & dated


def _distances(x: sp.csr_matrix) -> np.ndarray:
    d = 1.0 - (x @ x.T).toarray().astype(np.float64)
    np.clip(d, 0.0, 1.0, out=d)
    np.fill_diagonal(d, 0.0)
    return d


def _windowed(d: np.ndarray, days: np.ndarray, window: int) -> np.ndarray:
    """Distances in which articles published more than ``window`` days apart are unrelated (1)."""
    return np.where(_far(days, days, window), 1.0, d)


def _tree(d: np.ndarray, days: np.ndarray, window: int) -> np.ndarray:
    """Group-average tree on the windowed distances."""
    return linkage(squareform(_windowed(d, days, window), checks=False), "average")


def _best_cut(d: np.ndarray, days: np.ndarray, window: int) -> tuple[np.ndarray, float, float]:
    """The cut of the time-windowed tree with the highest mean silhouette on distances ``d``.
    Returns labels, the cut distance and the silhouette (labels all 0 when no cut splits)."""
    n = len(d)
    if n < 3:
        return np.zeros(n, dtype=int), 0.0, float("nan")
    tree = _tree(d, days, window)
    heights = np.unique(tree[:, 2])
    if len(heights) > CUTS:
        heights = np.unique(np.quantile(heights, np.linspace(0, 1, CUTS)))
    best = (-1.0, 0.0, np.zeros(n, dtype=int))
    for h in heights:
        labels = fcluster(tree, h + 1e-9, "distance")
        k = labels.max()
        if 2 <= k < n:
            s = silhouette_score(d, labels, metric="precomputed")
            if s > best[0]:
                best = (s, h, labels - 1)
    return best[2], float(best[1]), float(best[0]) if best[0] > -1 else float("nan")


def _self_similarity(texts: pd.Series, vectors) -> np.ndarray:
    """Cosine between the TF-IDF vectors of each article's odd and even sentences."""
    parts = texts.str.split(r"(?<=[.!?])\s+", regex=True)
    odd = vectors(parts.map(lambda s: " ".join(s[0::2])))
    even = vectors(parts.map(lambda s: " ".join(s[1::2])))
    return np.asarray(odd.multiply(even).sum(axis=1)).ravel()


def _one_story(d: np.ndarray, texts: pd.Series, vectors) -> bool:
    """Are the corpus's two top groups (of windowed distances ``d``) at least ``SAME_STORY`` as
    alike as its articles' halves?"""
    tree = linkage(squareform(d, checks=False), "average")
    top = cut_tree(tree, n_clusters=2).ravel()  # the root's two children, even when merge heights tie
    if top.max() == 0:
        return True
    self_sim = np.maximum(_self_similarity(texts, vectors), 1e-6)
    sim = 1.0 - d
    cross = sim[np.ix_(top == 0, top == 1)] / np.sqrt(np.outer(self_sim[top == 0], self_sim[top == 1]))
    return float(cross.mean()) >= SAME_STORY


def edge_block(x: sp.csr_matrix, days: np.ndarray, idx: np.ndarray, cand: np.ndarray, window: int,
               min_sim: float) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (rows ``idx``, columns ``cand``) within the time window with cosine at least ``min_sim``."""
    sim = (x[idx] @ x[cand].T).toarray()
    sim[_far(days[idx], days[cand], window)] = 0.0
    r, c = np.nonzero(sim >= min_sim)
    return idx[r], cand[c]


def edge_blocks(x: sp.csr_matrix, days: np.ndarray, jobs: list[tuple[np.ndarray, np.ndarray]], window: int,
                min_sim: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """``edge_block`` of each job (a block of articles and its candidates), here; a cluster runs them as tasks
    (``lib.service.cluster``)."""
    return [edge_block(x, days, idx, cand, window, min_sim) for idx, cand in jobs]


def _edges(x: sp.csr_matrix, days: np.ndarray, window: int, min_sim: float, block: int = 1000,
           blocks: Callable = edge_blocks) -> sp.csr_matrix:
    """Pairs within the time window with cosine at least ``min_sim``, as a sparse graph. Dated
    articles are compared block by block (in time order) with the articles of the block's time span
    +- window and the undated ones; undated articles with every article (``blocks`` runs the blocks)."""
    n = x.shape[0]
    undated = np.flatnonzero(days == NO_DATE)
    dated = np.flatnonzero(days != NO_DATE)
    dated = dated[np.argsort(days[dated], kind="stable")]
    dated_days = days[dated]
    jobs = [(undated[i:i + block], np.arange(n)) for i in range(0, len(undated), block)]
    for i in range(0, len(dated), block):
        lo = np.searchsorted(dated_days, dated_days[i] - window, "left")
        hi = np.searchsorted(dated_days, dated_days[min(i + block, len(dated)) - 1] + window, "right")
        jobs.append((dated[i:i + block], np.concatenate([undated, dated[lo:hi]])))
    found = [(np.zeros(0, np.int64), np.zeros(0, np.int64)), *blocks(x, days, jobs, window, min_sim)]
    r, c = (np.concatenate(part) for part in zip(*found, strict=True))
    return sp.csr_matrix((np.ones(len(r), dtype=bool), (r, c)), shape=(n, n))


def _sample(days: np.ndarray, size: int) -> np.ndarray:
    """A contiguous time slice of ``size`` dated articles around the median date."""
    dated = np.flatnonzero(days != NO_DATE)
    ordered = dated[np.argsort(days[dated], kind="stable")]
    mid = max(0, len(ordered) // 2 - size // 2)
    return ordered[mid:mid + size] if len(ordered) >= size else np.arange(len(days))[:size]


def _by_components(x: sp.csr_matrix, days: np.ndarray, window: int, cut: float, min_sim: float,
                   blocks: Callable = edge_blocks) -> np.ndarray:
    """Group-average clusters at ``cut``, computed per connected component of the graph of pairs
    with similarity >= ``min_sim``; a component too large for a dense matrix (a chain of stories)
    is split again with a higher ``min_sim``."""
    n_comp, comp = connected_components(_edges(x, days, window, min_sim, blocks=blocks), directed=False)
    labels = np.empty(len(days), dtype=np.int64)
    offset = 0
    order = np.argsort(comp, kind="stable")
    for members in np.split(order, np.cumsum(np.bincount(comp, minlength=n_comp))[:-1]):
        if len(members) == 1:
            sub = np.zeros(1, dtype=np.int64)
        elif len(members) > DENSE_MAX:
            sub = _by_components(x[members], days[members], window, cut, min_sim + 0.05, blocks)
        else:
            sub = fcluster(_tree(_distances(x[members]), days[members], window), cut + 1e-9, "distance") - 1
        labels[members] = offset + sub
        offset += sub.max() + 1
    return labels


def _cluster_large(x: sp.csr_matrix, days: np.ndarray, window: int, blocks: Callable = edge_blocks
                   ) -> tuple[np.ndarray, float, float]:
    """Dated articles by components along the time axis; each undated article joins the story whose
    members it is most similar to on average (the group-average merge rule), if that average is
    above the cut, and the rest are clustered among themselves."""
    sample = _sample(days, DENSE_MAX)
    _, cut, silhouette = _best_cut(_distances(x[sample]), days[sample], window)
    dated = np.flatnonzero(days != NO_DATE)
    undated = np.flatnonzero(days == NO_DATE)
    if not len(dated):  # nothing dated: the time window cannot split anything
        return _by_components(x, days, window, cut, 1.0 - cut, blocks), cut, silhouette
    labels = np.empty(len(days), dtype=np.int64)
    labels[dated] = _by_components(x[dated], days[dated], window, cut, 1.0 - cut, blocks)
    if len(undated):
        size = np.bincount(labels[dated])
        member = sp.csr_matrix((1.0 / size[labels[dated]], (labels[dated], np.arange(len(dated)))))
        centres = sp.csr_matrix(member @ x[dated])  # mean vector of each story
        best, top = np.zeros(len(undated), dtype=np.int64), np.zeros(len(undated))
        for i in range(0, len(undated), 1000):  # 1000 x stories at a time
            sim = (x[undated[i:i + 1000]] @ centres.T).toarray()
            best[i:i + 1000] = sim.argmax(axis=1)
            top[i:i + 1000] = sim.max(axis=1)
        joins = top >= 1.0 - cut
        labels[undated[joins]] = best[joins]
        rest = undated[~joins]
        if len(rest):
            labels[rest] = size.size + _by_components(x[rest], days[rest], window, cut, 1.0 - cut, blocks)
    return labels, cut, silhouette


def _top_terms(centres: sp.csr_matrix, terms: np.ndarray, n_terms: int = 4) -> list[str]:
    out = []
    for i in range(centres.shape[0]):
        lo, hi = centres.indptr[i], centres.indptr[i + 1]
        top = np.argsort(centres.data[lo:hi])[::-1][:n_terms]
        out.append(", ".join(terms[centres.indices[lo:hi][top]]))
    return out


def _describe(articles: pd.DataFrame, labels: np.ndarray, x: sp.csr_matrix, terms: np.ndarray,
              titles: pd.Series) -> pd.DataFrame:
    """One row per story: size, outlets, first and last day of publication (days, as articles dated with and
    without a time compare), the top terms of its mean TF-IDF vector and the headline of the article closest to
    that centre."""
    k = int(labels.max())
    size = np.bincount(labels - 1, minlength=k)
    member = sp.csr_matrix((1.0 / size[labels - 1], (labels - 1, np.arange(len(labels)))), shape=(k, len(labels)))
    centres = sp.csr_matrix(member @ x)
    closeness = np.asarray(x.multiply(centres[labels - 1]).sum(axis=1)).ravel()
    named = articles["outlet"].fillna("").str.strip()  # articles that name no outlet are not one more outlet
    frame = pd.DataFrame({"story": labels, "outlet": named.where(~named.isin(["", "(no outlet)"])).to_numpy(),
                          "published": articles["published"].fillna("").str[:10].replace("", None).to_numpy(),
                          "closeness": closeness, "headline": titles.to_numpy()})
    table = frame.groupby("story").agg(articles=("story", "size"), outlets=("outlet", "nunique"),
                                       first=("published", "min"), last=("published", "max"))
    table["terms"] = _top_terms(centres, terms) if x.shape[1] else ""
    table["headline"] = frame.loc[frame.groupby("story")["closeness"].idxmax(), "headline"].to_numpy()
    return table.fillna({"first": "", "last": ""}).reset_index()


def cluster(articles: pd.DataFrame, window_days: int = 7, vocabulary: Vocabulary = VOCABULARY,
            lede: tuple[sp.csr_matrix, np.ndarray] | None = None, blocks: Callable = edge_blocks) -> Stories:
    """Cluster articles into stories (events), finding how many from the corpus.

    Topic Detection and Tracking style (Allan et al. 1998; Yang, Pierce and Carbonell 1998): TF-IDF of each
    article's lede (scikit-learn ``TfidfVectorizer``), group-average agglomerative clustering on cosine distance
    within a time window (``scipy.cluster.hierarchy``), the tree cut at the best mean silhouette (Rousseeuw 1987).
    See the module docstring.

    Parameters
    ----------
    articles : pandas.DataFrame
        Columns id, outlet, published, title, text.
    window_days : int
        Articles are compared only when published within this many days of each other (undated ones with every
        article).
    vocabulary : Vocabulary
        The TF-IDF settings.
    lede : tuple, optional
        The lede vectors and their terms, already made by parts (``lede_matrix``; on a cluster); only for more than
        ``DENSE_MAX`` articles.
    blocks : callable
        What compares the blocks of articles along the time axis (``edge_blocks``; on a cluster, its tasks).

    Returns
    -------
    Stories
        ``assignments`` (article id -> story, numbered 1, 2, ... by size, largest first, then by first
        publication), ``table`` (one row per story), ``cut`` and ``silhouette``.
    """
    n = len(articles)
    if n == 0:
        return Stories(pd.Series(dtype=int, name="story"), pd.DataFrame(columns=COLUMNS), 0.0, float("nan"))
    texts = ledes(articles)
    first_lines = texts.str.strip().str.split("\n", n=1).str[0].str.slice(0, 120)
    titles = articles["title"].fillna("").where(articles["title"].fillna("") != "", first_lines)
    days = _days(articles["published"])
    vec = vocabulary.vectorizer(n)
    if lede is not None:
        if n <= DENSE_MAX:
            raise ValueError(f"lede vectors made by parts are for more than {DENSE_MAX} articles")
        full, terms = lede
    else:
        try:
            full = vec.fit_transform(texts)
        except ValueError:  # no term survives: nothing to tell the articles apart
            full = sp.csr_matrix((n, 0), dtype=np.float32)
        terms = vec.get_feature_names_out() if full.shape[1] else np.array([])
    keep = vocabulary.discriminative(full)

    def vectors(docs: pd.Series) -> sp.csr_matrix:
        return normalize(vec.transform(docs)[:, keep])

    x = normalize(full[:, keep])
    if x.shape[1] == 0 or n < 3:
        labels, cut, silhouette = np.zeros(n, dtype=np.int64), 0.0, float("nan")
    elif n <= DENSE_MAX:
        d = _distances(x)
        labels, cut, silhouette = _best_cut(d, days, window_days)
        if labels.max() > 0 and _one_story(_windowed(d, days, window_days), texts, vectors):
            labels, silhouette = np.zeros(n, dtype=np.int64), float("nan")
    else:
        labels, cut, silhouette = _cluster_large(x, days, window_days, blocks)
    labels = _renumber(labels, days)
    return Stories(pd.Series(labels, index=articles["id"].to_numpy(), name="story"),
                   _describe(articles, labels, full, terms, titles), cut, silhouette)


def _renumber(labels: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Stories 1..K, largest first, ties by first publication."""
    frame = pd.DataFrame({"label": labels, "day": np.where(days == NO_DATE, np.iinfo(np.int64).max, days)})
    stats = frame.groupby("label").agg(size=("day", "size"), first=("day", "min"))
    order = stats.sort_values(["size", "first"], ascending=[False, True], kind="stable").index
    mapping = pd.Series(np.arange(1, len(order) + 1), index=order)
    return mapping.loc[labels].to_numpy()


def matrix(stats: pd.DataFrame, table: pd.DataFrame, outlets: list[str], top: int = 30) -> pd.DataFrame:
    """Story x outlet article counts: who covered which story, 0 for an outlet that did not (a blindspot).

    Parameters
    ----------
    stats : pandas.DataFrame
        One row per article with its story and outlet.
    table : pandas.DataFrame
        The stories (``Stories.table``).
    outlets : list of str
        The outlets, in column order.
    top : int
        How many of the largest stories with more than one article to keep.

    Returns
    -------
    pandas.DataFrame
        Rows "story: top terms" (index "story"), one column per outlet that covered one of them (columns "outlet").
    """
    multi = table[table["articles"] > 1]
    present = multi[multi["story"].isin(stats["story"])].head(top)
    rows = stats[stats["story"].isin(present["story"])]
    counts = rows.groupby(["story", "outlet"]).size().unstack(fill_value=0).reindex(present["story"], fill_value=0)
    counts = counts[[o for o in outlets if o in counts.columns and counts[o].any()]]
    counts.index = [f"{s}: {t}" for s, t in zip(present["story"], present["terms"], strict=True)]
    return counts.rename_axis(index="story", columns="outlet")


def largest(table: pd.DataFrame) -> int | None:
    """The story a comparison opens on: the one carried by the most outlets, then with the most articles, then the
    earliest numbered.

    Parameters
    ----------
    table : pandas.DataFrame
        The stories (``Stories.table``).

    Returns
    -------
    int or None
        The story's number; None when no story has two articles.
    """
    many = table[table["articles"] > 1]
    if many.empty:
        return None
    return int(many.sort_values(["outlets", "articles", "story"], ascending=[False, False, True])["story"].iloc[0])
