"""The topic models' numerics: NMF or k-means fits on TF-IDF passages (NNDSVDa initialisation, Boutsidis and
Gallopoulos 2008), each passage's topic weights, each topic's stability over refits on subsamples (Greene, O'Callaghan
and Cunningham 2014), and class-based TF-IDF labels (Grootendorst 2022). ``lib.analyses.topics`` fits and tables.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import normalize
from sklearn.utils.extmath import randomized_svd

METHODS = ("nmf", "kmeans")
SEEDS = 4  # refits on subsamples, for stability
SUBSAMPLE = 0.8
TOP_TERMS = 10
MAX_ITER = 200
TOL = 1e-3


def truncated_svd(x: sp.csr_matrix, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The top ``k`` singular triplets of ``x`` (randomised SVD, Halko, Martinsson and Tropp 2011):
    one decomposition starts the NMF of every smaller k."""
    return randomized_svd(x, max(1, min(k, min(x.shape))), n_iter=4, random_state=seed)


def _nndsvda(x: sp.csr_matrix, svd: tuple, k: int) -> tuple[np.ndarray, np.ndarray]:
    """NNDSVDa starting factors for k topics from the singular triplets ``svd`` (Boutsidis and
    Gallopoulos 2008; zeros filled with the mean of ``x``), as scikit-learn's ``init="nndsvda"``."""
    u, s, vt = svd
    w, h = np.zeros((x.shape[0], k)), np.zeros((k, x.shape[1]))
    w[:, 0], h[0] = np.sqrt(s[0]) * np.abs(u[:, 0]), np.sqrt(s[0]) * np.abs(vt[0])
    for j in range(1, k):
        a, b = u[:, j], vt[j]
        ap, bp, an, bn = np.maximum(a, 0), np.maximum(b, 0), -np.minimum(a, 0), -np.minimum(b, 0)
        mp, mn = np.linalg.norm(ap) * np.linalg.norm(bp), np.linalg.norm(an) * np.linalg.norm(bn)
        a, b, sigma = (ap, bp, mp) if mp > mn else (an, bn, mn)
        scale = np.sqrt(s[j] * sigma)
        w[:, j] = scale * a / max(np.linalg.norm(a), 1e-12)
        h[j] = scale * b / max(np.linalg.norm(b), 1e-12)
    mean = x.sum() / max(x.shape[0] * x.shape[1], 1)
    w[w < 1e-6], h[h < 1e-6] = mean, mean
    return w, h


def factorise(x: sp.csr_matrix, k: int, method: str, seed: int, svd: tuple | None = None,
              tol: float = TOL) -> np.ndarray:
    """The topics' term vectors (k x terms, rows of unit length) fitted on ``x`` to tolerance ``tol``;
    ``svd``: the singular triplets of ``x`` when already computed (for NMF)."""
    if method == "nmf":
        if svd is None or len(svd[1]) < k:
            svd = truncated_svd(x, k, seed)
        w, h = _nndsvda(x, svd, min(k, len(svd[1])))
        model = NMF(n_components=w.shape[1], init="custom", random_state=seed, max_iter=MAX_ITER, tol=tol)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit_transform(x, W=w, H=h)
        h = model.components_
    elif method == "kmeans":
        model = KMeans(n_clusters=min(k, x.shape[0]), n_init=1, random_state=seed, max_iter=MAX_ITER, tol=tol / 10)
        h = model.fit(x).cluster_centers_
    else:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    return normalize(np.asarray(h, dtype=np.float64))


def weights(x: sp.csr_matrix, h: np.ndarray, method: str) -> np.ndarray:
    """Each passage's weight on each topic.

    Parameters
    ----------
    x : scipy.sparse.csr_matrix
        Passages x terms, unit-length TF-IDF rows.
    h : numpy.ndarray
        Topics x terms: NMF's components, or k-means' centroids.
    method : {"nmf", "kmeans"}
        How the topics were found.

    Returns
    -------
    numpy.ndarray
        Passages x topics: least squares onto the NMF topics with negative weights cut to zero, or the cosine to
        each k-means centroid cut at zero.
    """
    sims = np.asarray(x @ h.T)
    if method == "kmeans":
        return np.clip(sims, 0.0, None)
    w = np.linalg.solve(h @ h.T + 1e-9 * np.eye(len(h)), sims.T).T
    return np.clip(w, 0.0, None)


def _top_terms(h: np.ndarray, n: int) -> list[set]:
    return [set(np.argsort(-row, kind="stable")[:n]) for row in h]


def stability(x: sp.csr_matrix, h: np.ndarray, method: str, random_state: int, seeds: int = SEEDS) -> np.ndarray:
    """Each topic's stability: how well its top terms reappear when the model is fitted on subsamples.

    After Greene, O'Callaghan and Cunningham (2014, "How many topics? Stability analysis for topic models"): ``seeds``
    refits on random subsamples of ``SUBSAMPLE`` of the passages; each topic is matched one-to-one to a refit's
    topic by the Jaccard overlap of their top ``TOP_TERMS`` terms (Hungarian method,
    ``scipy.optimize.linear_sum_assignment``).

    Parameters
    ----------
    x : scipy.sparse.csr_matrix
        Passages x terms, the matrix the model was fitted on.
    h : numpy.ndarray
        Topics x terms of the model.
    method : {"nmf", "kmeans"}
        How the topics were found.
    random_state : int
        Seed of the subsamples; refit ``s`` is seeded ``random_state + 1 + s``.
    seeds : int
        Refits.

    Returns
    -------
    numpy.ndarray
        One score per topic in [0, 1]: its mean overlap with its matches.
    """
    rng = np.random.default_rng(random_state)
    ref = _top_terms(h, TOP_TERMS)
    scores, n = np.zeros(len(h)), x.shape[0]
    for s in range(seeds):
        rows = np.sort(rng.choice(n, size=max(len(h), int(SUBSAMPLE * n)), replace=False))
        refit = _top_terms(factorise(x[rows], len(h), method, random_state + 1 + s), TOP_TERMS)
        overlap = np.array([[len(a & b) / max(len(a | b), 1) for b in refit] for a in ref])
        r, c = linear_sum_assignment(-overlap)
        scores[r] += overlap[r, c]
    return scores / max(seeds, 1)


def c_tf_idf(counts: sp.csr_matrix, topic: np.ndarray, k: int) -> np.ndarray:
    """Class-based TF-IDF of the topics' terms, for their labels (c-TF-IDF, Grootendorst 2022, "BERTopic").

    The passages of a topic are one class; term t of class c weighs ``tf(t, c) / words(c) * log(1 + A / f(t))``,
    with f(t) the term's count in all classes and A the mean number of words per class.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        Passages x terms, raw counts.
    topic : numpy.ndarray
        Each passage's topic, 0 to k - 1.
    k : int
        The number of topics.

    Returns
    -------
    numpy.ndarray
        Topics x terms weights.
    """
    onehot = sp.csr_matrix((np.ones(len(topic)), (topic, np.arange(len(topic)))), shape=(k, len(topic)))
    tf = (onehot @ counts).toarray().astype(np.float64)
    words = tf.sum(axis=1, keepdims=True)
    f = tf.sum(axis=0)
    idf = np.log1p(words.mean() / np.where(f > 0, f, np.inf))
    return tf / np.maximum(words, 1.0) * idf


def distinct_terms(order: np.ndarray, vocab: np.ndarray, n: int) -> list[str]:
    """The first ``n`` terms in ``order`` whose words are not all among the terms already taken; a
    bigram replaces a unigram of its own already taken ("arms embargo", not "arms, arms embargo")."""
    taken: list[str] = []
    words: set[str] = set()
    for j in order:
        term = str(vocab[j])
        parts = set(term.split())
        if parts <= words:
            continue
        taken = [t for t in taken if " " in t or t not in parts]
        taken.append(term)
        words |= parts
        if len(taken) >= n:
            break
    return taken
