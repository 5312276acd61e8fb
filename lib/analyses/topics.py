"""Topics: what the passages of a corpus are about, and which outlet dwells on which.

Method:

1. Passages are sentences or paragraphs. ``auto_unit`` takes sentences while a corpus has fewer than
   ``PARAGRAPHS_FROM`` paragraphs (a few dozen articles: paragraphs would be too few to fit topics
   on), paragraphs from there (more context per passage). Their terms are counted by ``lib.text.terms``
   (the tokens, stopwords and custom stopwords of keywords; unigrams and bigrams in at least two
   passages) and weighted by TF-IDF (sublinear tf, smooth idf, rows of unit length). Passages with
   no term take no part.
2. Topics are found by non-negative matrix factorisation ``X ~ W H`` under the Frobenius norm (Lee
   and Seung 1999, "Learning the parts of objects by non-negative matrix factorization"; scikit-learn's
   coordinate-descent solver from an NNDSVDa start, Boutsidis and Gallopoulos 2008), or by k-means on
   the unit TF-IDF vectors (spherical in effect). A passage belongs to the topic it weighs most on:
   its least-squares weights on the topics (negatives cut to zero) for NMF, its nearest centroid for
   k-means (k-means++ seeding). Every random choice takes a ``random_state``, so a run is
   reproducible. On a large corpus the model is fitted on a random sample of ``FIT_SAMPLE`` passages
   and the ``MAX_TERMS`` terms most passages of the sample use, and every passage is then assigned.
   The models leave out the terms of more than ``MAX_SHARE`` of the passages: what the whole corpus
   is about, shared by every thread, on which a least-squares fit would spend its first topics.
   They are the corpus-specific stopwords of topic modelling practice (``max_df``, as in
   scikit-learn's topic extraction example) and still count in the labels.
3. The number of topics k is chosen over a range by topic coherence (``lib.analyses.coherence``): the mean
   NPMI of the pairs among each topic's top words, counted in sliding windows of passages (a passage
   and its neighbours in its article), on all the fitting passages: on a sample of a large corpus
   the rarer words of specific topics seldom meet and coherence favours a few broad topics of common
   words. The curve is returned for a chart. (Cases and measurements: docs/analyses.md.)
4. Stability (after Greene, O'Callaghan and Cunningham 2014, "How many topics? Stability analysis for
   topic models"): the chosen model is fitted again on ``SEEDS`` random subsamples of ``SUBSAMPLE`` of
   the passages, each with its own seed; each topic is matched one-to-one (Hungarian method) to a
   topic of each refit by the Jaccard overlap of their top ``TOP_TERMS`` terms. A topic's stability
   is its mean overlap; below ``FRAGILE`` it is marked fragile: it does not reliably reappear.
5. Labels by class-based TF-IDF (c-TF-IDF, Grootendorst 2022, "BERTopic: Neural topic modeling with a
   class-based TF-IDF procedure"): the passages of a topic are one class, and term t of class c weighs
   ``tf(t, c) / words(c) * log(1 + A / f(t))``, f(t) the term's count in all classes and A the mean
   number of words per class. A term whose words are already among the topic's terms is skipped.
6. The map: each passage's TF-IDF vector projected onto the topics (its topic weights above), unit
   length, then onto the two principal axes of those vectors (PCA); deterministic. At most
   ``MAP_POINTS`` passages, a random sample, are drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from lib.analyses import coverage
from lib.analyses.coherence import npmi, windows
from lib.analyses.topic_fit import (  # noqa: F401 (re-exported: the pages' captions)
    MAX_ITER,
    METHODS,
    SEEDS,
    SUBSAMPLE,
    TOL,
    TOP_TERMS,
    c_tf_idf,
    distinct_terms,
    factorise,
    stability,
    truncated_svd,
    weights,
)
from lib.text import terms

UNITS = ("sentence", "paragraph")
PARAGRAPHS_FROM = 500  # auto unit: paragraphs once a corpus has this many, else sentences
FIT_SAMPLE = 20_000  # passages a model is fitted on; all passages are then assigned
MAX_TERMS = 20_000  # terms a model is fitted on: those most passages of the sample use
MAX_SHARE = 0.3  # terms in a larger share of the passages are left out of the models (not of the labels)
K_MIN, K_MAX = 2, 20
PASSAGES_PER_TOPIC = 8  # the range of k stops where topics would average fewer passages than this
LABEL_TERMS = 3
FRAGILE = 0.5  # a topic whose top terms overlap its refits' by less than this (Jaccard) is fragile
REPRESENTATIVE = 5  # passages kept per topic and outlet, most like the topic first
MAP_POINTS = 4_000
SEARCH_TOL = 1e-2  # tolerance of the fits that choose k
TABLE_COLUMNS = ["topic", "label", "terms", "passages", "words", "share", "outlets", "stability", "fragile",
                 "coherence"]
PASSAGE_COLUMNS = ["topic", "article_id", "passage", "outlet", "weight", "text"]


@dataclass(frozen=True)
class Settings:
    """How topics are found: ``unit`` (sentence or paragraph; None: ``auto_unit``), ``method`` (nmf or
    kmeans), ``k`` (None: chosen by coherence over ``k_range``) and the seed of every random choice."""

    unit: str | None = None
    method: str = "nmf"
    k: int | None = None
    k_range: tuple[int, int] = (K_MIN, K_MAX)
    random_state: int = 0


@dataclass(frozen=True)
class Topics:
    """A fitted topic model's tables.

    - ``table``: one row per topic, largest first (topic, label, terms, passages, words, share (% of
      all words), outlets (contributing outlets, largest share of the topic first), stability,
      fragile, coherence).
    - ``assignments``: one row per passage (article_id, passage, outlet, words, topic, weight (cosine
      of the passage to its topic), x, y (the map)).
    - ``criterion``: k, coherence, chosen: one row per k tried (one row when k was given).
    - ``representative``: the ``REPRESENTATIVE`` passages most like their topic in each outlet
      (topic, article_id, passage, outlet, weight, text), most alike first among those at least as
      long as the median passage, then the shorter ones.
    - ``points``: the passages drawn on the map (assignments' columns and text).
    - ``sample``: passages, fitted (passages the model was fitted on), articles, outlets (named), terms, drawn
      (passages on the map), common (the terms left out of the model as the corpus's own).
    """

    unit: str
    method: str
    k: int
    table: pd.DataFrame
    assignments: pd.DataFrame
    criterion: pd.DataFrame
    representative: pd.DataFrame
    points: pd.DataFrame
    sample: dict

    @property
    def names(self) -> dict[int, str]:
        """Topic number -> "number · label", the name charts and pickers show."""
        return {int(t): f"{t} · {label}" for t, label in zip(self.table["topic"], self.table["label"], strict=True)}


def auto_unit(paragraphs: int) -> str:
    """The passage unit topics are fitted on when the analyst does not choose one.

    Parameters
    ----------
    paragraphs : int
        The corpus's number of paragraphs.

    Returns
    -------
    str
        "paragraph" from ``PARAGRAPHS_FROM`` paragraphs on, else "sentence".
    """
    return "paragraph" if paragraphs >= PARAGRAPHS_FROM else "sentence"


def vocabulary(custom: tuple[str, ...] = ()) -> terms.Vocabulary:
    """The terms topics are fitted on: unigrams and bigrams in at least two passages, English and custom stopwords left
    out (``lib.text.terms``).

    Parameters
    ----------
    custom : tuple of str
        The corpus's custom stopwords.

    Returns
    -------
    lib.text.terms.Vocabulary
        The settings of the term matrix.
    """
    return terms.Vocabulary((1, 2), 2, True, tuple(custom))


def k_range(n_passages: int, bounds: tuple[int, int] = (K_MIN, K_MAX)) -> list[int]:
    """The values of k tried: within ``bounds``, stopped where topics would average fewer than
    ``PASSAGES_PER_TOPIC`` passages; every value up to 10, then steps of about a quarter."""
    low, high = bounds
    high = max(low, min(high, n_passages // PASSAGES_PER_TOPIC))
    ks = list(range(low, min(high, 10) + 1)) or [low]
    while ks[-1] < high:
        ks.append(min(high, max(ks[-1] + 1, round(ks[-1] * 1.25))))
    return ks


def _prepare(psg: pd.DataFrame, vocab: terms.Vocabulary, random_state: int):
    """Counts and TF-IDF of the passages with a term, the rows and columns a model is fitted on, and
    the terms left out of it as the corpus's own (most passages first)."""
    m = terms.matrix(psg["text"], np.arange(len(psg)), vocab)
    keep = np.flatnonzero(np.diff(m.counts.indptr) > 0)
    counts = m.counts[keep]
    x = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
    rng = np.random.default_rng(random_state)
    rows = np.sort(rng.choice(len(keep), FIT_SAMPLE, replace=False)) if len(keep) > FIT_SAMPLE else np.arange(len(keep))
    df = np.bincount(counts[rows].indices, minlength=counts.shape[1])
    common = np.flatnonzero(df > MAX_SHARE * len(rows))
    common = common[np.argsort(-df[common], kind="stable")]
    cols = np.flatnonzero((df >= min(2, len(rows))) & (df <= MAX_SHARE * len(rows)))
    if len(cols) > MAX_TERMS:
        cols = np.sort(cols[np.argsort(-df[cols], kind="stable")[:MAX_TERMS]])
    if not len(cols):  # too few passages to tell: every term
        cols, common = np.arange(counts.shape[1]), common[:0]
    return psg.iloc[keep].reset_index(drop=True), counts, x, rows, cols, m.terms, m.terms[common].tolist()


def fit(psg: pd.DataFrame, settings: Settings = Settings(), vocab: terms.Vocabulary | None = None,
        progress: Callable[[str, int, int], None] | None = None) -> Topics:
    """Fit a topic model on the passages: NMF or k-means on TF-IDF, k chosen by coherence, stability across seeds.

    NMF (Lee and Seung 1999; scikit-learn's ``NMF``, NNDSVDa start, Boutsidis and Gallopoulos 2008) or k-means
    (scikit-learn's ``KMeans``); k chosen by NPMI coherence (``lib.analyses.coherence``); stability by refits on
    subsamples (Greene, O'Callaghan and Cunningham 2014); labels by c-TF-IDF (Grootendorst 2022). See the module
    docstring. The dense algebra runs on one BLAS thread (``threadpoolctl``).

    Parameters
    ----------
    psg : pandas.DataFrame
        The passages: article_id, passage, outlet, text, in a fixed order.
    settings : Settings
        Unit (only named in the result), method, k (None: chosen), the range of k, ``random_state``.
    vocab : lib.text.terms.Vocabulary, optional
        The term settings; default ``vocabulary()``.
    progress : callable, optional
        ``progress(stage, done, total)``, told of each stage (terms, k, stability, tables).

    Returns
    -------
    Topics
        The model's tables: topics, assignments, the coherence criterion per k, representative passages, map
        points and the sample behind them.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit_topics(psg, settings, vocab, progress)


def _fit_topics(psg: pd.DataFrame, settings: Settings, vocab: terms.Vocabulary | None,
                progress: Callable[[str, int, int], None] | None) -> Topics:
    if settings.method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {settings.method!r}")
    tell = progress or (lambda stage, done, total: None)
    tell("terms", 0, 1)
    psg, counts, x, rows, cols, vocab_terms, common = _prepare(psg, vocab or vocabulary(), settings.random_state)
    if len(psg) < 2 or counts.shape[1] == 0:
        raise ValueError(f"too little text for topics: {len(psg)} passages with a term")
    xf = normalize(x[rows][:, cols])  # the fitting matrix: sample rows, frequent columns
    binary = windows(counts[:, cols], psg["article_id"].to_numpy(), rows).tocsc()
    unigram = np.array([" " not in t for t in vocab_terms[cols]], dtype=bool)
    ks = [max(1, min(settings.k, len(rows)))] if settings.k else k_range(len(rows), settings.k_range)
    tell("k", 0, len(ks))
    svd = truncated_svd(xf, max(ks), settings.random_state) if settings.method == "nmf" else None
    fitted, scores = {}, {}
    for i, k in enumerate(ks):  # rough fits: the top words that coherence ranks settle early
        fitted[k] = factorise(xf, k, settings.method, settings.random_state, svd, SEARCH_TOL if len(ks) > 1 else TOL)
        scores[k] = float(npmi(binary, fitted[k], unigram).mean())
        tell("k", i + 1, len(ks))
    k = max(ks, key=lambda k: (scores[k], -k))  # the most coherent; the fewer topics on a tie
    criterion = pd.DataFrame({"k": ks, "coherence": [round(scores[k], 4) for k in ks],
                              "chosen": [v == k for v in ks]})
    if len(ks) > 1:  # the chosen k fitted again, to full tolerance
        fitted[k] = factorise(xf, k, settings.method, settings.random_state, svd)
    h = fitted[k]
    tell("stability", 0, 1)
    stab = stability(xf, h, settings.method, settings.random_state)
    coh = npmi(binary, h, unigram)
    tell("tables", 0, 1)
    topic, weight, w = _assign(normalize(x[:, cols]), h, settings.method)
    return _tables(psg, counts, vocab_terms, topic, weight, w, stab, coh, criterion, settings, len(rows), common)


def _assign(x: sp.csr_matrix, h: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(topic, cosine to it, topic weights) of each passage."""
    w = weights(x, h, method)
    topic = np.argmax(w, axis=1)
    cos = np.asarray(x @ h.T)[np.arange(len(topic)), topic]
    return topic, cos, w


def _tables(psg, counts, vocab, topic, weight, w, stab, coh, criterion, settings, fitted, common) -> Topics:
    k = w.shape[1]
    order = np.argsort(-np.bincount(topic, minlength=k), kind="stable")  # topics numbered by size
    rank = np.empty(k, dtype=int)
    rank[order] = np.arange(k)
    topic, w, stab, coh = rank[topic], w[:, order], stab[order], coh[order]
    words = np.asarray(counts.sum(axis=1)).ravel().astype(int)
    ctfidf = c_tf_idf(counts, topic, k)
    xy = _map(w)
    assignments = pd.DataFrame({"article_id": psg["article_id"].to_numpy(), "passage": psg["passage"].to_numpy(),
                                "outlet": psg["outlet"].to_numpy(), "words": words, "topic": topic + 1,
                                "weight": weight.round(4), "x": xy[:, 0].round(4), "y": xy[:, 1].round(4)})
    by_outlet = assignments.groupby(["topic", "outlet"])["words"].sum()
    rows = []
    for t in range(k):
        members = topic == t
        top = distinct_terms(np.argsort(-ctfidf[t], kind="stable"), vocab, TOP_TERMS) if members.any() else []
        shares = by_outlet.get(t + 1, pd.Series(dtype=int)).sort_values(ascending=False, kind="stable")
        shares = shares / max(shares.sum(), 1)
        rows.append({"topic": t + 1, "label": ", ".join(top[:LABEL_TERMS]) or f"topic {t + 1}",
                     "terms": ", ".join(top), "passages": int(members.sum()), "words": int(words[members].sum()),
                     "share": round(100 * words[members].sum() / max(words.sum(), 1), 1),
                     "outlets": "; ".join(f"{o} {s:.0%}" for o, s in shares.items()),
                     "stability": round(float(stab[t]), 2), "fragile": bool(stab[t] < FRAGILE),
                     "coherence": round(float(coh[t]), 3)})
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    text = psg["text"].to_numpy()
    # examples come from passages at least as long as the median one: a matching two-word fragment says little
    long = assignments["words"] >= assignments["words"].median()
    ranked = assignments.assign(text=text, _short=~long).sort_values(["topic", "_short", "weight"],
                                                                     ascending=[True, True, False], kind="stable")
    representative = ranked.groupby(["topic", "outlet"], sort=False).head(REPRESENTATIVE)[PASSAGE_COLUMNS]
    rng = np.random.default_rng(settings.random_state)
    shown = np.sort(rng.choice(len(psg), MAP_POINTS, replace=False)) if len(psg) > MAP_POINTS else np.arange(len(psg))
    points = assignments.iloc[shown].assign(text=text[shown]).reset_index(drop=True)
    named = psg["outlet"][psg["outlet"] != coverage.UNKNOWN]  # articles naming no outlet are not an outlet
    sample = {"passages": len(psg), "fitted": fitted, "articles": int(psg["article_id"].nunique()),
              "outlets": int(named.nunique()), "terms": len(vocab), "drawn": len(points), "common": common}
    unit = settings.unit or "sentence"
    return Topics(unit, settings.method, k, table, assignments, criterion, representative.reset_index(drop=True),
                  points, sample)


def _map(w: np.ndarray) -> np.ndarray:
    """Two map coordinates per passage: its unit topic-weight vector on the two principal axes, the
    sign of each axis fixed (its longer side positive), as an SVD's signs are arbitrary."""
    if w.shape[0] < 3 or w.shape[1] < 2:
        return np.zeros((w.shape[0], 2))
    xy = PCA(n_components=2, svd_solver="full").fit_transform(normalize(w))
    return xy * np.where(xy.max(axis=0) >= -xy.min(axis=0), 1.0, -1.0)
