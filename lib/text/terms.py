"""The corpus term matrix: term counts per article, for keywords and distinctive terms.

- Tokens: words of two or more characters that start with a letter (so numbers never become
  terms; F-16 does), lower-cased, with typographic apostrophes made plain. Web and e-mail addresses and
  @handles are not words. A possessive "'s" is dropped (Iran's counts as iran) and a contraction of
  a stopword is a stopword (it's, don't, we'll), by the rules of English contractions.
- Stopwords: scikit-learn's English list (by default) and a custom list.
- N-grams: runs of n adjacent words, none a stopword, with no punctuation or number between them.
  Unlike scikit-learn's ``CountVectorizer``, which joins the words left after stopword removal,
  "secretary of state" gives no "secretary state".
- Terms are kept when they occur in at least ``min_df`` articles; the columns are in term order.

Method: articles are tokenised in chunks, each chunk returning its own small vocabulary and an array
of token ids. The n-grams are integer keys built
from adjacent ids and counted with numpy and scipy, so no Python dictionary ever holds the
millions of distinct bigrams (docs/text.md).
"""

from __future__ import annotations

import re
import sys
from array import array
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

TOKEN = re.compile(r"\w[\w'-]*|[.!?;:,()\[\]\"“”—–]")  # a word, a number, or punctuation no n-gram crosses
ADDRESS_HINT = re.compile(r"@|https?:|www\.|\.(?:com|org|net|gov|edu|info|io|tv)\b|\.[a-z]{2,6}/")  # cheap test
ADDRESS = re.compile(r"(?:https?:|www\.)\S+|\S+@\S+\.\w+|@\w+"  # a scheme, even without its slashes
                     r"|\b(?:[\w-]+\.)+(?:com|org|net|gov|edu|info|io|tv)\b(?:/\S*)?"
                     r"|\b(?:[\w-]+\.)+[a-z]{2,6}/\S*")  # any domain with a path (tmsnrt.rs/2vkyX7C)
CONTRACTIONS = ("n't", "'s", "'re", "'ve", "'ll", "'d", "'m")
IRREGULAR = {"ca": "can", "wo": "will", "sha": "shall"}  # can't, won't, shan't
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
        """Ids of the articles that use ``term`` (as counted: lower case, plain apostrophes), or None
        when it is not a column (a stopword, an n-gram too long or too rare): an inverted index."""
        key = " ".join(term.lower().replace("’", "'").split())
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


def without_addresses(text: str) -> str:
    """``text`` with web and e-mail addresses and @handles blanked (only lines that may hold one
    are searched: a tenth of the time of searching the whole text)."""
    if not ADDRESS_HINT.search(text):
        return text
    return "\n".join(ADDRESS.sub(" ", line) if ADDRESS_HINT.search(line) else line for line in text.split("\n"))


def tokens(text: str) -> list[str]:
    """The raw tokens of one text, in order: words and punctuation (before possessives, contractions
    and stopwords)."""
    plain = text.lower().replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    return TOKEN.findall(without_addresses(plain))


def canonical(word: str, stopwords: frozenset[str]) -> str | None:
    """The term a token counts as: itself, its base without a possessive "'s", or None for
    a number, punctuation, a single letter, a stopword or a contraction of one."""
    word = word.rstrip("'-")
    if len(word) < 2 or not word[0].isalpha() or word in stopwords or word in CONTRACTIONS:
        return None  # numbers, punctuation, single letters, stopwords, "n't" split off by a tokenised source
    for ending in CONTRACTIONS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            base = word[: -len(ending)]
            base = IRREGULAR.get(base, base) if ending == "n't" else base
            if base in stopwords:
                return None
            return base if ending == "'s" else word
    return word


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
    words, token_ids, lengths = _token_ids(texts)
    stop = vocabulary.stopwords()
    forms, tok = np.unique(np.array([canonical(w, stop) or "" for w in words] or [""], dtype=object),
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
