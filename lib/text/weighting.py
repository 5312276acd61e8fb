"""One TF-IDF weighting for the analyses that weigh terms themselves (keywords per unit, story elements): sublinear
tf ``1 + ln tf``, idf ``ln((1 + n) / (1 + df))`` over the n rows, rows of unit length (Salton and Buckley 1988,
"Term-weighting approaches in automatic text retrieval"). Unlike scikit-learn's smoothed idf this one has no
``+ 1``: a term every row uses tells the rows apart no more than a stopword does, so it weighs 0 (Spärck Jones
1972, "A statistical interpretation of term specificity")."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize


def idf(counts: sp.csr_matrix) -> np.ndarray:
    """``ln((1 + n) / (1 + df))`` of each column of a rows x terms count matrix (df: the rows that have it)."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1.0 + counts.shape[0]) / (1.0 + df))


def tfidf(counts: sp.csr_matrix, weights: np.ndarray | None = None) -> sp.csr_matrix:
    """The TF-IDF rows of a rows x terms count matrix, of unit length, with the count matrix's sparsity (a term whose
    idf is 0 stays an explicit 0): ``(1 + ln tf) * idf``, the idf ``weights`` when given (taken over other rows),
    else ``idf(counts)``."""
    weights = idf(counts) if weights is None else weights
    x = counts.astype(np.float64)
    x.data = (1.0 + np.log(x.data)) * weights[x.indices]
    return normalize(x, copy=False) if x.shape[0] else x
