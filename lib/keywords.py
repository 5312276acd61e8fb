"""Keywords per unit (TF-IDF), distinctive terms per outlet (weighted log-odds), keyword in context.

- The corpus matrix: term counts per article (``lib.terms``).
- Keywords: the articles' counts are summed per unit (outlet, story or article) and weighted by
  TF-IDF across units (``TfidfTransformer``: sublinear tf ``1 + log tf``, smooth idf
  ``ln((1 + n) / (1 + df)) + 1`` over the n units, rows of unit length).
- Distinctive terms: the weighted log-odds ratio with an informative Dirichlet prior, one outlet
  against all the others (Monroe, Colaresi and Quinn 2008, "Fightin' Words", eq. 16-22)::

      delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))
      var_w   = 1 / (y_iw + a_w) + 1 / (y_jw + a_w)          z_w = delta_w / sqrt(var_w)

  with y_iw the outlet's count of w, y_jw the other outlets' count, n_i and n_j their token totals,
  and the prior a_w = a0 * y_w / n (the whole corpus's frequencies, scaled to a0 pseudo-counts).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from lib.terms import Matrix

PRIOR = 1000.0  # a0: pseudo-counts of the corpus prior
FRAGILE = 5  # an outlet's count below which its z-score rests on too little to mean much


def by_unit(m: Matrix, units: pd.Series) -> tuple[sp.csr_matrix, np.ndarray]:
    """Counts summed per unit: (units x terms matrix, unit labels). ``units`` is indexed by article id."""
    labels = units.reindex(m.ids).to_numpy()
    keep = pd.notna(labels)
    codes, names = pd.factorize(labels[keep], sort=True)
    onehot = sp.csr_matrix((np.ones(len(codes), dtype=np.int64), (codes, np.flatnonzero(keep))),
                           shape=(len(names), len(m.ids)))
    grouped = (onehot @ m.counts).tocsr()
    grouped.sum_duplicates()  # canonical: sorted column indices, so every view of it lines up
    return grouped, np.asarray(names)


def keywords(m: Matrix, units: pd.Series, top: int = 25) -> pd.DataFrame:
    """The ``top`` TF-IDF terms of each unit: unit, rank, term, score, count (occurrences in the unit)."""
    grouped, names = by_unit(m, units)
    weights = TfidfTransformer(sublinear_tf=True).fit_transform(grouped).tocsr() if grouped.nnz else grouped
    weights.sum_duplicates()
    rows = []
    for i, name in enumerate(names):
        lo, hi = weights.indptr[i], weights.indptr[i + 1]
        order = np.argsort(-weights.data[lo:hi], kind="stable")[:top]
        cols = weights.indices[lo:hi][order]
        rows.append(pd.DataFrame({"unit": name, "rank": np.arange(1, len(cols) + 1), "term": m.terms[cols],
                                  "score": weights.data[lo:hi][order].round(4),
                                  "count": grouped.data[lo:hi][order]}))  # same sparsity, same order
    cols = ["unit", "rank", "term", "score", "count"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)


def log_odds(grouped: sp.csr_matrix, prior: float = PRIOR) -> sp.csr_matrix:
    """z-scores of the weighted log-odds ratio of each row (unit) against all other rows, for the
    terms the unit uses (a sparse matrix shaped like ``grouped``); see the module docstring."""
    y = grouped.tocsr().astype(np.float64)
    total_w = np.asarray(y.sum(axis=0)).ravel()
    n = total_w.sum()
    n_i = np.asarray(y.sum(axis=1)).ravel()
    a_w = prior * total_w / max(n, 1.0)
    rows = np.repeat(np.arange(y.shape[0]), np.diff(y.indptr))
    y_iw, a = y.data, a_w[y.indices]
    y_jw = total_w[y.indices] - y_iw
    n_j = n - n_i[rows]
    delta = (np.log((y_iw + a) / (n_i[rows] + prior - y_iw - a))
             - np.log((y_jw + a) / (n_j + prior - y_jw - a)))
    z = delta / np.sqrt(1.0 / (y_iw + a) + 1.0 / (y_jw + a))
    return sp.csr_matrix((z, y.indices.copy(), y.indptr.copy()), shape=y.shape)


def distinctive(m: Matrix, outlets: pd.Series, top: int = 25, label: str = "outlet") -> pd.DataFrame:
    """Each outlet's (or group's) ``top`` terms by log-odds z-score against all the others: outlet
    (named ``label``), rank, term, z, count (in the outlet), others (in all other outlets), per_10k
    (the outlet's rate per 10,000 tokens), fragile (count below ``FRAGILE``), tokens (the outlet's
    token total). Articles with no value in ``outlets`` take no part."""
    grouped, names = by_unit(m, outlets)
    z = log_odds(grouped)
    totals = np.asarray(grouped.sum(axis=0)).ravel()
    tokens = np.asarray(grouped.sum(axis=1)).ravel()
    rows = []
    for i, name in enumerate(names):
        lo, hi = z.indptr[i], z.indptr[i + 1]
        order = np.argsort(-z.data[lo:hi], kind="stable")[:top]
        cols, count = z.indices[lo:hi][order], grouped.data[lo:hi][order]
        rows.append(pd.DataFrame({
            label: name, "rank": np.arange(1, len(cols) + 1), "term": m.terms[cols],
            "z": z.data[lo:hi][order].round(2), "count": count, "others": totals[cols] - count,
            "per_10k": (1e4 * count / max(tokens[i], 1)).round(2), "fragile": count < FRAGILE,
            "tokens": int(tokens[i])}))
    cols = [label, "rank", "term", "z", "count", "others", "per_10k", "fragile", "tokens"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)


def kwic(sentences: pd.DataFrame, term: str, width: int = 60) -> pd.DataFrame:
    """Every sentence that uses ``term`` (whole words, any case, any apostrophe; words of an n-gram
    separated by spaces only, as ``lib.terms`` counts them): article_id, sentence, outlet,
    left (up to ``width`` characters before), match (as written), right, text. Shown as text, the
    match is its own column: no markup is ever put into article text."""
    words = [re.escape(w).replace("'", "['’ʼ]") for w in term.replace("’", "'").split()]
    cols = ["article_id", "sentence", "outlet", "left", "match", "right", "text"]
    if not words:
        return pd.DataFrame(columns=cols)
    pattern = re.compile(r"(?<![\w])" + r"\s+".join(words) + r"(?![\w])", re.IGNORECASE)  # no punctuation between
    texts = sentences["text"].fillna("").astype(str)
    found = [pattern.search(t) for t in texts]
    hit = np.array([m is not None for m in found], dtype=bool)
    hits, spans = sentences[hit], [m.span() for m in found if m is not None]
    return pd.DataFrame({
        "article_id": hits["article_id"].to_numpy(), "sentence": hits["sentence"].to_numpy(),
        "outlet": hits["outlet"].to_numpy(),
        "left": [t[max(0, a - width):a] for t, (a, _) in zip(hits["text"], spans, strict=True)],
        "match": [t[a:b] for t, (a, b) in zip(hits["text"], spans, strict=True)],
        "right": [t[b:b + width] for t, (_, b) in zip(hits["text"], spans, strict=True)],
        "text": hits["text"].to_numpy()}, columns=cols)
