"""The ledes stories are found from: each article's first ``LEDE_CHARS`` characters (``ledes``) as a TF-IDF vector
(``Vocabulary``, scikit-learn's ``TfidfVectorizer``), and the same vectors made by parts of a corpus, as a Dask
cluster makes them (``lib.service.cluster``): each part's ledes counted (``lede_counts``), their terms merged in
corpus order (``merge_ledes``), the columns decided (``lede_columns``) and each part's rows made (``lede_rows``),
to the last bit of ``TfidfVectorizer.fit_transform`` (``lede_matrix``: all of it here)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from lib.text import terms as term_matrix

LEDE_CHARS = 3000  # news states its event up front (the inverted pyramid); the rest adds cost, not signal


@dataclass(frozen=True)
class Vocabulary:
    """TF-IDF settings of the article vectors (scikit-learn's ``TfidfVectorizer``); see docs/analyses.md."""

    min_df: int | float = 2
    max_df: float = 0.5
    ngram_range: tuple[int, int] = (1, 1)
    stop_words: str | None = "english"

    def vectorizer(self, n_docs: int) -> TfidfVectorizer:
        """All terms from ``min_df`` up: the common ones label stories; ``discriminative`` drops
        them (above ``max_df``) for clustering. Terms are those of ``lib.text.terms`` (its tokeniser,
        possessives and n-grams), with English stopwords or none."""
        vocabulary = term_matrix.Vocabulary(self.ngram_range, 1, self.stop_words == "english")
        return TfidfVectorizer(sublinear_tf=True, min_df=self.min_df if n_docs > 2 else 1, dtype=np.float32,
                               analyzer=term_matrix.analyzer(vocabulary))

    def discriminative(self, x: sp.csr_matrix) -> np.ndarray:
        """Columns of ``x`` in at most ``max_df`` of the documents (all when that leaves none)."""
        df = np.bincount(x.indices, minlength=x.shape[1])
        keep = df <= self.max_df * x.shape[0]
        return keep if keep.any() else np.ones(x.shape[1], dtype=bool)



VOCABULARY = Vocabulary()  # the default settings


def ledes(articles: pd.DataFrame) -> pd.Series:
    """Each article's first ``LEDE_CHARS`` characters: what its vector is made of."""
    return articles["text"].fillna("").astype(str).str.slice(0, LEDE_CHARS)


@dataclass(frozen=True)
class LedeTerms:
    """The terms of the ledes of ``n`` articles, in the order they first appear (article by article), and the
    articles each one is in: what ``TfidfVectorizer`` learns from a corpus, counted by part (``lede_counts``) and
    merged in order (``merge_ledes``) on a cluster."""

    n: int
    terms: np.ndarray
    df: np.ndarray


def lede_counts(texts: list[str], vocabulary: Vocabulary = Vocabulary()) -> tuple[LedeTerms, sp.csr_matrix]:
    """One part's ledes counted as ``TfidfVectorizer`` counts them: its terms (in order of first appearance) and
    the counts of each article (columns those terms, each row's in that order)."""
    analyze = vocabulary.vectorizer(len(texts)).build_analyzer()
    index: dict[str, int] = {}
    cols: list[int] = []
    values: list[int] = []
    indptr = [0]
    for text in texts:
        counts: dict[int, int] = {}
        for term in analyze(text):
            k = index.setdefault(term, len(index))
            counts[k] = counts.get(k, 0) + 1
        cols.extend(counts)
        values.extend(counts.values())
        indptr.append(len(cols))
    matrix = sp.csr_matrix((np.array(values, np.float32), np.array(cols, np.int32), np.array(indptr, np.int64)),
                           shape=(len(texts), len(index)))
    matrix.sort_indices()
    terms = np.array(list(index), dtype=object)
    return LedeTerms(len(texts), terms, np.bincount(matrix.indices, minlength=len(terms))), matrix


def merge_ledes(*parts: LedeTerms) -> LedeTerms:
    """The ``LedeTerms`` of consecutive parts together, in their order: terms in order of first appearance."""
    codes, terms = pd.factorize(np.concatenate([p.terms for p in parts]))  # in order of first appearance
    df = np.bincount(codes, np.concatenate([p.df for p in parts]), len(terms)).astype(np.int64)
    return LedeTerms(sum(p.n for p in parts), np.asarray(terms, dtype=object), df)


@dataclass(frozen=True)
class LedeColumns:
    """The columns of the lede vectors, from a corpus's ``LedeTerms``: each term's column (-1: in fewer than
    ``min_df`` articles), each column's idf and term (``names``, sorted, as ``get_feature_names_out``)."""

    terms: pd.Index
    column: np.ndarray
    idf: np.ndarray
    names: np.ndarray


def lede_columns(total: LedeTerms, vocabulary: Vocabulary = Vocabulary()) -> LedeColumns:
    """The columns ``vocabulary.vectorizer(n).fit`` learns from the corpus's merged ``LedeTerms``: terms of
    ``min_df`` articles or more, sorted; smoothed idf ``ln((1 + n) / (1 + df)) + 1`` in float32, as scikit-learn
    computes it."""
    n = total.n
    least = vocabulary.min_df if n > 2 else 1
    kept = np.flatnonzero(total.df >= (least if isinstance(least, int) else least * n))
    kept = kept[np.argsort(total.terms[kept], kind="stable")]
    column = np.full(len(total.terms), -1, dtype=np.int64)
    column[kept] = np.arange(len(kept))
    idf = np.full(len(kept), n + 1, dtype=np.float32)
    idf /= total.df[kept].astype(np.float32) + 1.0
    np.log(idf, out=idf)
    idf += 1.0
    return LedeColumns(pd.Index(total.terms), column, idf, total.terms[kept])


def lede_rows(part: LedeTerms, counts: sp.csr_matrix, columns: LedeColumns) -> sp.csr_matrix:
    """One part's lede vectors (``lede_counts``): sublinear tf times idf, rows of unit length, float32, each row's
    entries in the order of their terms' first appearance in the corpus, as the vectorizer keeps them (so that a
    row's sums are the same to the last bit)."""
    first = columns.terms.get_indexer(part.terms)[counts.indices]  # each entry's term, by first appearance
    row = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    entry = np.lexsort((first, row))
    entry = entry[columns.column[first[entry]] >= 0]
    x = sp.csr_matrix((counts.data[entry], columns.column[first[entry]],
                       np.r_[0, np.cumsum(np.bincount(row[entry], minlength=counts.shape[0]))]),
                      shape=(counts.shape[0], len(columns.names)))
    np.log(x.data, x.data)
    x.data += 1.0
    x.data *= columns.idf[x.indices]
    return normalize(x, norm="l2", copy=False)


def lede_matrix(total: LedeTerms, parts: list[tuple[LedeTerms, sp.csr_matrix]], vocabulary: Vocabulary = Vocabulary()
                ) -> tuple[sp.csr_matrix, np.ndarray]:
    """The corpus's lede vectors and their terms from its parts' counts (``lede_counts``, in corpus order) and
    their merged ``LedeTerms``: what ``vocabulary.vectorizer(n)`` gives by ``fit_transform`` and
    ``get_feature_names_out`` (``lede_columns``, ``lede_rows``)."""
    columns = lede_columns(total, vocabulary)
    if not len(columns.names):
        return sp.csr_matrix((total.n, 0), dtype=np.float32), np.array([])
    return sp.vstack([lede_rows(p, c, columns) for p, c in parts], format="csr"), columns.names
