"""Topic coherence: how often a topic's top words occur together in the corpus it was fitted on.

Each topic's normalised pointwise mutual information (NPMI, Bouma 2009, "Normalized (pointwise) mutual
information in collocation extraction") over the pairs of its top unigrams::

    NPMI(a, b) = log(p(a, b) / (p(a) p(b))) / -log p(a, b)      (-1 when a and b never co-occur)

averaged over the top 5, 10, 15 and 20 words, since coherence depends on how many are taken (Lau and
Baldwin 2016, "The sensitivity of topic coherence evaluation to topic cardinality"). Probabilities are
estimated from the corpus itself in boolean sliding windows (Röder, Both and Hinneburg 2015, "Exploring
the space of topic coherence measures"): a window is a passage with the ``WINDOW`` passages on each side
of it in its article, so that a sentence's neighbours count as its context and five articles give
estimates, not zeros.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

WINDOW = 1  # words count together within a passage and this many neighbours on each side
CARDINALITIES = (5, 10, 15, 20)  # top words whose coherence is averaged


def npmi(binary: sp.csc_matrix, h: np.ndarray, unigram: np.ndarray,
         cardinalities: tuple[int, ...] = CARDINALITIES) -> np.ndarray:
    """Each topic's coherence: its NPMI over the pairs of its top unigrams, averaged over several cardinalities.

    NPMI as Bouma (2009); the average over the top 5, 10, 15 and 20 words as Lau and Baldwin (2016); probabilities
    from boolean sliding windows (Röder, Both and Hinneburg 2015). A pair that never co-occurs scores -1.

    Parameters
    ----------
    binary : scipy.sparse.csc_matrix
        Windows x terms, 1 where the window has the term (``windows``).
    h : numpy.ndarray
        Topics x terms: each topic's term weights.
    unigram : numpy.ndarray
        Per term, whether it is a single word (bigrams are left out of the pairs).
    cardinalities : tuple of int
        How many top words to take, each in turn; the scores are averaged.

    Returns
    -------
    numpy.ndarray
        One score per topic, in [-1, 1]; -1 for a topic with fewer than two top unigrams.
    """
    n_docs = max(binary.shape[0], 1)
    out = np.full(len(h), -1.0)
    for t, row in enumerate(h):
        top = [j for j in np.argsort(-row, kind="stable")[: 4 * max(cardinalities)] if unigram[j] and row[j] > 0]
        top = top[: max(cardinalities)]
        if len(top) < 2:
            continue
        sub = binary[:, top]
        joint = np.asarray((sub.T @ sub).todense(), dtype=np.float64) / n_docs
        p = np.diag(joint)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.log(joint / np.outer(p, p)) / -np.log(joint)
        score = np.where(joint > 0, score, -1.0)
        score = np.where(joint >= 1.0, 1.0, score)  # two words in every window
        means = [score[np.triu_indices(min(n, len(top)), 1)].mean() for n in cardinalities]
        out[t] = float(np.mean(means))
    return out


def windows(counts: sp.csr_matrix, article: np.ndarray, rows: np.ndarray | None = None,
            width: int = WINDOW) -> sp.csr_matrix:
    """The boolean sliding windows coherence counts in: one per passage, with its neighbours in the same article.

    The boolean sliding window of Röder, Both and Hinneburg (2015), with passages (sentences or paragraphs) as the
    sliding unit instead of words.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        Passages x terms, in article order.
    article : numpy.ndarray
        Each passage's article.
    rows : numpy.ndarray, optional
        The passages to make windows for (default: all).
    width : int
        Passages before and after a passage, in its article, that belong to its window.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``len(rows)`` x terms, 1 for each term of the window.
    """
    n = counts.shape[0]
    rows = np.arange(n) if rows is None else np.asarray(rows)
    hits = (counts > 0).astype(np.float64).tocsr()
    out = hits[rows]
    for shift in (s for d in range(1, width + 1) for s in (d, -d)):
        near = rows + shift
        ok = np.flatnonzero((near >= 0) & (near < n))
        ok = ok[article[near[ok]] == article[rows[ok]]]
        out = out + sp.csr_matrix((np.ones(len(ok)), (ok, near[ok])), shape=(len(rows), n)) @ hits
    out.data[:] = 1.0
    return out
