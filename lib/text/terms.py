"""The corpus term matrix: term counts per article, for keywords and distinctive terms.

- Tokens: the words of ``lib.text.tokeniser`` (the one tokeniser), folded (lower case, plain apostrophes
  and hyphens); a term is a word of two or more characters that starts with a letter (so numbers never
  become terms; F-16 does). Web and e-mail addresses and @handles are not words. A possessive "'s" is
  dropped (Iran's counts as iran) and a contraction of a stopword is a stopword (it's, don't, we'll),
  by the rules of English contractions (``tokeniser.canonical``).
- Stopwords: scikit-learn's English list (by default) and a custom list.
- N-grams: runs of n adjacent words, none a stopword, with no mark (punctuation, symbol, dash) or
  number between them.
  Unlike scikit-learn's ``CountVectorizer``, which joins the words left after stopword removal,
  "secretary of state" gives no "secretary state".
- Terms are kept when they occur in at least ``min_df`` articles; the columns are in term order.

Method: articles are tokenised in chunks, each chunk returning its own small vocabulary and an array
of token ids. The n-grams are integer keys built
from adjacent ids and counted with numpy and scipy, so no Python dictionary ever holds the
millions of distinct bigrams (docs/text.md).

A Dask cluster counts a corpus by parts instead (``tally``), adds the parts up in any order (``merge``) and keeps
the counts per unit of the terms of ``min_df`` articles (``grouped``): what the keyword tables read of the matrix.
It first adds up the parts' article frequencies by hash (``term_hashes``), so that the parts' tallies leave out
the terms of fewer articles before they meet.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from lib.text import hashes, tokeniser

CHUNK = 2000


@dataclass(frozen=True)
class Vocabulary:
    """Which terms count: n-gram range, minimum article frequency, English stopwords and a custom list."""

    ngram_range: tuple[int, int] = (1, 2)
    min_df: int = 2
    english: bool = True
    custom: tuple[str, ...] = field(default_factory=tuple)

    def stopwords(self) -> frozenset[str]:
        words = set(ENGLISH_STOP_WORDS) if self.english else set()
        return frozenset(words | {w.strip().lower() for w in self.custom if w.strip()})


@dataclass(frozen=True)
class Matrix:
    """Term counts per article (rows in the order of ``ids``) and the terms (columns)."""

    counts: sp.csr_matrix
    terms: np.ndarray
    ids: np.ndarray

    def articles_with(self, term: str) -> np.ndarray | None:
        """Ids of the articles that use ``term`` (as counted: folded, ``tokeniser.fold``), or None
        when it is not a column (a stopword, an n-gram too long or too rare): an inverted index."""
        key = " ".join(tokeniser.fold(term).split())
        col = int(np.searchsorted(self.terms, key))
        if col == len(self.terms) or self.terms[col] != key:
            return None
        return self.ids[self.counts[:, col].nonzero()[0]]

    @property
    def nbytes(self) -> int:
        """The memory it holds: the sparse counts' arrays, the ids, and the terms (each string object
        and its pointer)."""
        arrays = (self.counts.data, self.counts.indices, self.counts.indptr, self.ids, self.terms)
        strings = sum(map(sys.getsizeof, self.terms.tolist())) if self.terms.dtype == object else 0
        return sum(a.nbytes for a in arrays) + strings


def tokens(text: str) -> list[str]:
    """The raw tokens of one text, in order: its folded words and the marks between them
    (``lib.text.tokeniser``), before possessives, contractions and stopwords."""
    return tokeniser.tokens(tokeniser.fold(text))


canonical = tokeniser.canonical  # the term a token counts as


def analyzer(vocabulary: Vocabulary = Vocabulary()) -> Callable[[str], list[str]]:
    """The terms of one text as ``matrix`` counts them (every n-gram of ``vocabulary.ngram_range``, its
    stopwords; ``min_df`` is the caller's): an ``analyzer`` for scikit-learn's vectorizers, so that a model
    fitted with one counts the terms of keywords and topics."""
    stop, (low, high), seen = vocabulary.stopwords(), vocabulary.ngram_range, {}

    def terms_of(text: str) -> list[str]:
        forms = [seen[t] if t in seen else seen.setdefault(t, canonical(t, stop)) for t in tokens(text)]
        out = [f for f in forms if f] if low == 1 else []
        for n in range(max(low, 2), high + 1):
            out += [" ".join(g) for g in zip(*(forms[k:len(forms) - n + 1 + k] for k in range(n)), strict=True)
                    if all(g)]
        return out

    return terms_of


def _chunk_ids(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(the chunk's vocabulary, token ids into it, tokens per text) of ``texts``."""
    index: dict[str, int] = {}
    ids, lengths = array("i"), array("q")
    for text in texts:
        toks = tokens(text)
        ids.extend([index.setdefault(w, len(index)) for w in toks])
        lengths.append(len(toks))
    return list(index), np.frombuffer(ids, dtype=np.int32), np.frombuffer(lengths, dtype=np.int64)


def _token_ids(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """All texts' token ids in one vocabulary, and tokens per text, tokenised in chunks in this thread."""
    parts = [_chunk_ids(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
    vocab: dict[str, int] = {}
    ids, lengths = [np.zeros(0, np.int32)], [np.zeros(0, np.int64)]
    for words, local, n in parts:
        ids.append(np.array([vocab.setdefault(w, len(vocab)) for w in words], dtype=np.int32)[local])
        lengths.append(n)
    return list(vocab), np.concatenate(ids), np.concatenate(lengths)


def _rows(docs: np.ndarray, n_docs: int) -> np.ndarray:
    """CSR row pointers for entries whose (sorted) row numbers are ``docs``."""
    return np.concatenate([[0], np.cumsum(np.bincount(docs, minlength=n_docs))])


def _counts(docs: np.ndarray, keys: np.ndarray, n_docs: int, min_df: int,
            dense: int | None = None) -> tuple[sp.csr_matrix, np.ndarray]:
    """Counts of integer term ``keys`` per document (``docs`` sorted), columns kept where in
    ``min_df`` documents; returns (matrix, the kept keys). ``dense``: the keys are already
    0..dense-1."""
    codes, uniques = (keys, np.arange(dense)) if dense is not None else pd.factorize(keys)
    counts = sp.csr_matrix((np.ones(len(codes), dtype=np.int32), codes, _rows(docs, n_docs)),
                           shape=(n_docs, len(uniques)))
    counts.sum_duplicates()
    keep = np.bincount(counts.indices, minlength=len(uniques)) >= min_df
    entry = keep[counts.indices]
    rows = np.repeat(np.arange(n_docs, dtype=np.int32), np.diff(counts.indptr))[entry]
    column = (np.cumsum(keep) - 1).astype(np.int32)
    kept = sp.csr_matrix((counts.data[entry], column[counts.indices[entry]], _rows(rows, n_docs)),
                         shape=(n_docs, int(keep.sum())))
    return kept, np.asarray(uniques)[keep]


def _ngram_labels(keys: np.ndarray, prefixes: list[np.ndarray], forms: np.ndarray) -> np.ndarray:
    """The text of n-gram ``keys`` (n = len(prefixes) + 1): an n-gram's key is its (n-1)-gram's
    code times the number of forms plus its last word's form id; ``prefixes[k]`` maps the codes of
    (k+2)-grams' prefixes back to the keys of (k+1)-grams."""
    if not prefixes:
        return forms[keys]
    head = _ngram_labels(prefixes[-1][keys // len(forms)], prefixes[:-1], forms)
    return head + " " + forms[keys % len(forms)]


def matrix(texts: pd.Series, ids, vocabulary: Vocabulary = Vocabulary()) -> Matrix:
    """The corpus matrix of ``texts`` (one per article id in ``ids``); see the module docstring."""
    texts = texts.fillna("").astype(str).tolist()
    distinct, token_ids, lengths = _token_ids(texts)
    stop = vocabulary.stopwords()
    forms, tok = np.unique(np.array([canonical(w, stop) or "" for w in distinct] or [""], dtype=object),
                           return_inverse=True)
    tok = tok.astype(np.int32)[token_ids]  # each token's form; "" (a stopword or punctuation) sorts first
    word = tok != 0 if forms[0] == "" else np.ones(len(tok), dtype=bool)
    docs = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    min_df = max(1, min(vocabulary.min_df, len(texts)))
    low, high = vocabulary.ngram_range
    blocks, names, prefixes = [], [], []
    key, valid = tok, word  # the n-gram starting at each token: its key, and whether there is one
    for n in range(1, high + 1):
        m = len(tok) - n + 1  # positions where an n-gram can start
        if n > 1 and m > 0:  # extend the (n-1)-gram at i by the word at i + n - 1
            codes, uniques = pd.factorize(key[valid])
            prefixes.append(np.asarray(uniques))
            code = np.zeros(m, dtype=np.int64)
            code[valid[:m]] = codes[: np.count_nonzero(valid[:m])]
            key = code * len(forms) + tok[n - 1 :]
            valid = valid[:m] & word[n - 1 :] & (docs[n - 1 :] == docs[:m])
        if n >= low and m > 0 and valid.any():
            counts, kept = _counts(docs[:m][valid], key[valid], len(texts), min_df, len(forms) if n == 1 else None)
            blocks.append(counts)
            names.append(_ngram_labels(kept, prefixes, forms))
    terms = np.concatenate(names) if names else np.array([], dtype=object)
    if not len(terms):
        return Matrix(sp.csr_matrix((len(texts), 0), dtype=np.int32), terms, np.asarray(ids))
    order = np.argsort(terms, kind="stable")
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    counts = sp.hstack(blocks, format="csr")
    counts.indices = rank[counts.indices]  # columns in term order
    counts.has_sorted_indices = False
    counts.sort_indices()
    return Matrix(counts, terms[order], np.asarray(ids))


@dataclass(frozen=True)
class Grouped:
    """Term counts summed per unit: ``counts`` (units x terms), the unit labels (rows, sorted) and the terms of
    ``min_df`` articles or more (columns, sorted). What ``keywords.by_unit`` makes of a ``Matrix``, here made by
    merging the ``Tally`` of each part of a corpus (``tally``, ``merge``, ``grouped``)."""

    counts: sp.csr_matrix
    units: np.ndarray
    terms: np.ndarray


@dataclass(frozen=True)
class Tally:
    """One part of a corpus, counted: its ``n`` articles, every term they use (distinct, in no order) with its
    article frequency ``df``, and the term counts summed per unit (``counts``, rows the distinct ``units``). Tallies
    of disjoint parts add up (``merge``), in any order, so that a cluster merges them by a tree reduction."""

    n: int
    terms: np.ndarray
    df: np.ndarray
    units: np.ndarray
    counts: sp.csr_matrix


def _summed(rows: np.ndarray, n_rows: int, counts: sp.csr_matrix) -> sp.csr_matrix:
    """The rows of ``counts`` summed by their label code ``rows`` (-1: left out)."""
    keep = np.flatnonzero(rows >= 0)
    onehot = sp.csr_matrix((np.ones(len(keep), dtype=counts.dtype), (rows[keep], keep)),
                           shape=(n_rows, counts.shape[0]))
    return (onehot @ counts).tocsr()


def _every_term(texts: list[str], vocabulary: Vocabulary) -> Matrix:
    return matrix(pd.Series(texts, dtype=object), np.arange(len(texts)), replace(vocabulary, min_df=1))


def term_hashes(texts: list[str], vocabulary: Vocabulary = Vocabulary()) -> hashes.HashCounts:
    """The article frequency in ``texts`` of each term of ``vocabulary``, by the term's ``hashes.stable`` hash: what a
    cluster adds up to know which terms reach ``min_df`` before it moves any term's string (``tally``'s ``kept``)."""
    m = _every_term(texts, vocabulary)
    return hashes.HashCounts.of(hashes.stable(m.terms), np.bincount(m.counts.indices, minlength=len(m.terms)))


def tally(texts: list[str], labels: np.ndarray, vocabulary: Vocabulary = Vocabulary(),
          kept: np.ndarray | None = None) -> Tally:
    """The ``Tally`` of some articles: ``texts`` and each one's unit (``labels``; None or NaN: in no unit, but its
    terms count in the article frequencies), with every term of ``vocabulary`` (its ``min_df`` is ``grouped``'s), or
    only those whose hash is among ``kept`` (sorted; ``term_hashes`` added up over the corpus, those of ``min_df``
    articles or more: a term of one article in a large corpus is most of its distinct terms)."""
    m = _every_term(texts, vocabulary)
    if kept is not None:
        cols = np.flatnonzero(hashes.among(hashes.stable(m.terms), kept))
        m = Matrix(m.counts[:, cols].tocsr(), m.terms[cols], m.ids)
    labels = np.asarray(labels)
    present = pd.notna(labels)
    codes, units = pd.factorize(labels[present])
    rows = np.full(len(texts), -1, dtype=np.int64)
    rows[present] = codes
    df = np.bincount(m.counts.indices, minlength=len(m.terms)).astype(np.int64)
    return Tally(len(texts), m.terms, df, np.asarray(units), _summed(rows, len(units), m.counts))


def _united(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct values of ``a`` and ``b`` together (a hash table's, ``pandas.factorize``: no sort), and where
    each value of ``a`` and of ``b`` is in them."""
    codes, uniques = pd.factorize(np.concatenate([a, b]))
    return np.asarray(uniques), codes[: len(a)], codes[len(a) :]


def merge(a: Tally, b: Tally) -> Tally:
    """The ``Tally`` of two disjoint parts of a corpus together: terms and units united, counts added."""
    terms, term_a, term_b = _united(a.terms, b.terms)
    units, unit_a, unit_b = _united(a.units, b.units)
    df = np.bincount(np.concatenate([term_a, term_b]), np.concatenate([a.df, b.df]), len(terms)).astype(np.int64)
    parts = [(t.counts.tocoo(), row, col) for t, row, col in ((a, unit_a, term_a), (b, unit_b, term_b))]
    counts = sp.csr_matrix((np.concatenate([c.data for c, _, _ in parts]),
                            (np.concatenate([row[c.row] for c, row, _ in parts]),
                             np.concatenate([col[c.col] for c, _, col in parts]))),
                           shape=(len(units), len(terms)), dtype=a.counts.dtype)  # duplicates summed
    return Tally(a.n + b.n, terms, df, units, counts)


def grouped(t: Tally, vocabulary: Vocabulary = Vocabulary()) -> Grouped:
    """The counts per unit of a whole corpus's ``Tally``, with the terms of ``vocabulary.min_df`` articles or more
    (at most all of them, as ``matrix`` keeps them), units and terms sorted: the same as ``keywords.by_unit`` of the
    corpus ``matrix``."""
    keep = np.flatnonzero(t.df >= max(1, min(vocabulary.min_df, t.n)))
    cols = keep[np.argsort(t.terms[keep], kind="stable")]
    rows = np.argsort(t.units, kind="stable")
    counts = t.counts[rows][:, cols].tocsr()
    counts.sum_duplicates()
    counts.eliminate_zeros()
    return Grouped(counts, t.units[rows], t.terms[cols])
