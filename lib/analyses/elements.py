"""Story elements: the sentences of several articles aligned by similarity and grouped into elements (the facts
and claims of a story), so that each outlet's inclusions and omissions show as a grid.

Method:

1. Sentence vectors: content words (scikit-learn's English stopwords and reporting verbs left out, plural
   and -ed/-ing endings stripped, so "voted" and "voting" meet), plus one token per entity the sentence
   names (``lib.analyses.entities``, so variant spellings of one referent meet), weighted by sublinear tf x idf with
   the idf taken over the compared sentences, ``ln((1 + n) / (1 + df))``: a word in every sentence of the story (its
   topic) weighs nothing, a word in a few weighs much. Rows of unit length; similarity is the cosine (a sparse product).
2. Threshold, derived from the data (a permutation null): the words of the compared sentences are shuffled
   across sentences (each keeps its length), and every shuffled sentence's best similarity to a shuffled
   sentence of another article is taken; the threshold is the ``1 - alpha`` quantile of those best matches.
   Two sentences align when they are more alike than a random sentence's best match is in ``1 - alpha`` of
   cases, whatever the corpus, the language register or the sentence length.
3. Elements: sentence pairs of different articles at or above the threshold, sharing at least ``MIN_SHARED``
   distinct words or entities (one shared word is a topic, not a fact), form a graph; each connected
   component is cut by group-average agglomerative clustering (``scipy.cluster.hierarchy``) at the same
   threshold, so a chain of loosely similar sentences does not become one element. Two sentences of one
   article count as alike only when they repeat each other (an article states a fact once).
4. Counting: copies found by reuse detection and an article's repeated sentences take no part in steps 2
   and 3 (they would pull the threshold up and the clusters apart); afterwards a repeated sentence joins its
   first occurrence's element and a copy's sentence the element of its original's sentence it repeats. An
   element's outlets are the outlets with a sentence in it; ``independent`` counts the distinct original
   articles among its members, so a copy counts once. Its label is its most central sentence (the highest
   mean similarity to the other members).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from lib.analyses.quotes import QUOTE_VERBS
from lib.text import tokeniser, weighting

ALPHA = 0.05  # the chance a random sentence's best match in other articles reaches the threshold
NULL_ROWS = 600  # shuffled sentences whose best matches estimate the threshold
MIN_SHARED = 2  # distinct words (or entities) two aligned sentences share: one shared word is a topic, not a fact
REPEAT = 0.8  # two sentences of one article this alike repeat each other
BLOCK = 2000  # rows of the similarity product computed at once
STOPWORDS = ENGLISH_STOP_WORDS | QUOTE_VERBS  # reporting verbs ("said") carry no fact of their own


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English suffix stripper: inflections of one word meet ("vote", "voted", "voting", "votes" -> "vot").

    Plurals as Harman's S-stemmer (Harman 1991, "How effective is suffixing?"), then -ed / -ing on stems of three
    letters or more, and a final -e.

    Parameters
    ----------
    word : str
        One word, in lower case.

    Returns
    -------
    str
        Its stem.
    """
    if len(word) > 4 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        word = word[:-1]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("us", "ss")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word[:-1] if len(word) >= 4 and word.endswith("e") else word  # "vote" meets "voted"


def words(text: str) -> list[str]:
    """The content words of a sentence: its folded words (``lib.text.tokeniser``) that count as terms
    (``tokeniser.canonical``: possessives dropped; numbers, single letters, stopwords and their contractions left
    out), reporting verbs left out, stemmed.

    Parameters
    ----------
    text : str
        One sentence.

    Returns
    -------
    list of str
        Its content words' stems (``stem``), in order, repeats kept.
    """
    out = []
    for w in tokeniser.folded(text):
        if (c := tokeniser.canonical(w, STOPWORDS)) is not None:
            out.append(stem(c))
    return out


def _counts(docs: list[list[str]]) -> tuple[sp.csr_matrix, dict[str, int]]:
    vocab: dict[str, int] = {}
    cols = [vocab.setdefault(w, len(vocab)) for d in docs for w in d]
    rows = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    m = sp.csr_matrix((np.ones(len(cols)), (rows, np.asarray(cols, dtype=np.int64))), shape=(len(docs), len(vocab)))
    m.sum_duplicates()
    return m, vocab


def vectors(sentences: pd.DataFrame, mentions: pd.DataFrame | None = None) -> tuple[sp.csr_matrix, sp.csr_matrix,
                                                                                       np.ndarray]:
    """Step 1: the sentences' unit-length TF-IDF rows, raw counts and idf (``lib.text.weighting``).

    Parameters
    ----------
    sentences : pandas.DataFrame
        article_id, sentence, text.
    mentions : pandas.DataFrame, optional
        Their entity mentions (``entities.mentions``): one token per entity a sentence names.

    Returns
    -------
    tuple of (scipy.sparse.csr_matrix, scipy.sparse.csr_matrix, numpy.ndarray)
        The TF-IDF rows, the counts and the idf.
    """
    docs = [words(t) for t in sentences["text"].fillna("").astype(str)]
    if mentions is not None and len(mentions):
        key = pd.MultiIndex.from_frame(sentences[["article_id", "sentence"]])
        named = mentions.assign(entity="@" + mentions["entity"].astype(str).str.lower())
        named = named.groupby(["article_id", "sentence"], observed=True)["entity"].agg(lambda s: sorted(set(s)))
        for i, extra in enumerate(named.reindex(key)):
            if isinstance(extra, list):
                docs[i] = docs[i] + extra
    counts, _ = _counts(docs)
    idf = weighting.idf(counts)
    return weighting.tfidf(counts, idf), counts, idf


def _best_other(x: sp.csr_matrix, article: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Each of ``rows``' best cosine with a row of another article."""
    sims = (x[rows] @ x.T).toarray()
    sims[article[rows][:, None] == article[None, :]] = 0.0
    return sims.max(axis=1) if sims.shape[1] else np.zeros(len(rows))


def threshold(counts: sp.csr_matrix, idf: np.ndarray, article: np.ndarray, alpha: float = ALPHA,
              random_state: int = 0) -> float:
    """Step 2: the alignment threshold, from a permutation null.

    The words of the sentences are shuffled across sentences (each keeps its length); the threshold is the
    ``1 - alpha`` quantile of the shuffled sentences' best similarity to a sentence of another article.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        Sentences x tokens, raw counts (``vectors``).
    idf : numpy.ndarray
        The tokens' idf (``vectors``).
    article : numpy.ndarray
        Each sentence's article.
    alpha : float
        The chance a random sentence's best match reaches the threshold.
    random_state : int
        Seed of the shuffles.

    Returns
    -------
    float
        The cosine at or above which two sentences align; 1.0 when there is nothing to compare.
    """
    rng = np.random.default_rng(random_state)
    lengths = np.asarray(counts.sum(axis=1)).ravel().astype(np.int64)
    tokens = np.repeat(counts.indices, counts.data.astype(np.int64))
    if len(tokens) == 0 or len(np.unique(article)) < 2:
        return 1.0
    best = []
    for _ in range(max(1, -(-NULL_ROWS // len(lengths)))):  # small corpora: several shuffles
        rows = np.repeat(np.arange(len(lengths)), lengths)
        shuffled = sp.csr_matrix((np.ones(len(tokens)), (rows, rng.permutation(tokens))), shape=counts.shape)
        shuffled.sum_duplicates()
        sample = rng.choice(len(lengths), size=min(NULL_ROWS, len(lengths)), replace=False)
        best.append(_best_other(weighting.tfidf(shuffled, idf), article, np.sort(sample)))
    return float(np.quantile(np.concatenate(best), 1.0 - alpha))


def _alike(sims: np.ndarray, shared: np.ndarray, same: np.ndarray) -> np.ndarray:
    """Similarities with the pairs that cannot align set to 0: fewer than ``MIN_SHARED`` shared tokens, or
    one article's sentences that do not repeat each other."""
    return np.where((shared >= MIN_SHARED) & (~same | (sims >= REPEAT)), sims, 0.0)


def _links(x: sp.csr_matrix, present: sp.csr_matrix, article: np.ndarray, t: float) -> sp.coo_matrix:
    """Pairs i < j at similarity >= t that may align (``_alike``); ``present`` is the 0/1 token matrix."""
    none = np.zeros(0, dtype=np.int64)
    rows, cols, vals = [none], [none], [np.zeros(0)]  # no pair at all: no link
    xt, pt = x.T.tocsc(), present.T.tocsc()
    for lo in range(0, x.shape[0], BLOCK):
        block = (x[lo:lo + BLOCK] @ xt).tocoo()
        i, j, v = block.row + lo, block.col, block.data
        keep = (i < j) & (v >= t)
        i, j, v = i[keep], j[keep], v[keep]
        if not len(i):  # no pair of this block is alike enough (indexing by no pair gives a sparse matrix)
            continue
        shared = np.asarray((present[lo:lo + BLOCK] @ pt)[i - lo, j]).ravel()
        keep = _alike(v, shared, article[i] == article[j]) > 0
        rows.append(i[keep])
        cols.append(j[keep])
        vals.append(v[keep])
    n = x.shape[0]
    return sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))


@dataclass(frozen=True)
class Elements:
    """``members``: one row per sentence (article_id, sentence, outlet, text, element, centrality, original: the
    article it copies, else its own id);
    ``table``: one row per element (element, label, outlets, articles, independent, sentences), most carried
    first; ``threshold``: the similarity two aligned sentences reach (step 2)."""

    members: pd.DataFrame
    table: pd.DataFrame
    threshold: float


def _groups(x: sp.csr_matrix, present: sp.csr_matrix, article: np.ndarray, links: sp.coo_matrix,
            t: float) -> np.ndarray:
    """Step 3: an element id for every row."""
    n = x.shape[0]
    _, comp = connected_components(links, directed=False)
    labels = np.arange(n)
    order = np.argsort(comp, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(comp[order]) != 0, True])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        rows = order[lo:hi]
        if len(rows) < 2:
            continue
        sims = _alike((x[rows] @ x[rows].T).toarray(), (present[rows] @ present[rows].T).toarray(),
                      article[rows][:, None] == article[rows][None, :])
        dist = np.clip(1.0 - sims, 0.0, None)[np.triu_indices(len(rows), 1)]
        cut = fcluster(linkage(dist, method="average"), t=1.0 - t, criterion="distance")
        labels[rows] = rows[np.unique(cut, return_index=True)[1]][cut - 1]
    return labels


def align(sentences: pd.DataFrame, mentions: pd.DataFrame | None = None, copies: pd.Series | None = None,
          alpha: float = ALPHA, random_state: int = 0) -> Elements:
    """Group the sentences of the compared articles into story elements (the facts and claims of a story).

    Sentence alignment by TF-IDF cosine over content words and entities, with a threshold from a permutation
    null and group-average agglomerative clustering (``scipy.cluster.hierarchy.linkage``); the steps are in the
    module docstring.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table of the compared articles (``store.sentences``: article_id, sentence, outlet, text;
        labelled outlets).
    mentions : pandas.DataFrame, optional
        Their entity mentions (``entities.mentions``), so variant names of one referent meet.
    copies : pandas.Series, optional
        Copy article id -> original article id (``reuse.copies``); a copy and its original count once.
    alpha : float
        The chance level of the permutation threshold.
    random_state : int
        Seed of the threshold's shuffles.

    Returns
    -------
    Elements
        ``members`` (one row per sentence, with its element and centrality), ``table`` (one row per element:
        label, outlets, articles, independent, sentences) and the ``threshold`` used.
    """
    cols = ["article_id", "sentence", "outlet", "text"]
    s = sentences[cols].reset_index(drop=True)
    if s.empty:
        empty = pd.DataFrame(columns=["element", "label", "outlets", "articles", "independent", "sentences"])
        return Elements(s.assign(element=pd.Series(dtype=int), centrality=pd.Series(dtype=float),
                                 original=pd.Series(dtype=int)), empty, 1.0)
    original = s["article_id"].map(copies).fillna(s["article_id"]).astype(np.int64) if copies is not None and len(
        copies) else s["article_id"]
    s["original"] = original.to_numpy()
    x, counts, idf = vectors(s, mentions)
    article = s["article_id"].to_numpy()
    key = s["article_id"].astype(str) + "\x00" + s["text"].str.lower().str.split().str.join(" ")
    twin = pd.Series(np.arange(len(s))).groupby(key.to_numpy()).transform("min").to_numpy()  # first of its repeats
    copied = (s["original"] != s["article_id"]) & s["original"].isin(set(article))
    base = np.flatnonzero(~copied.to_numpy() & (twin == np.arange(len(s))))
    t = threshold(counts[base], idf, article[base], alpha, random_state)
    present = (counts > 0).astype(np.float64).tocsr()
    labels = np.full(len(s), -1)
    labels[base] = base[_groups(x[base], present[base], article[base],
                                _links(x[base], present[base], article[base], t), t)]
    labels = _attach(x, labels, twin, article, s["original"].to_numpy())
    codes, _ = pd.factorize(labels)
    s["element"] = codes
    s["centrality"] = _centrality(x, codes)
    table = _table(s)
    return Elements(s, table, t)


def _attach(x: sp.csr_matrix, labels: np.ndarray, twin: np.ndarray, article: np.ndarray,
            original: np.ndarray) -> np.ndarray:
    """The rows left out of the alignment join an element: a repeated sentence its first occurrence's, a copy's
    sentence the element of its original's most similar sentence when they repeat each other (else its own)."""
    labels = labels.copy()
    for i in np.flatnonzero(labels < 0):
        if twin[i] != i and labels[twin[i]] >= 0:
            labels[i] = labels[twin[i]]
            continue
        source = np.flatnonzero((article == original[i]) & (labels >= 0))
        sims = (x[source] @ x[i].T).toarray().ravel() if len(source) else np.zeros(0)
        labels[i] = labels[source[sims.argmax()]] if len(sims) and sims.max() >= REPEAT else i
    return labels


def _centrality(x: sp.csr_matrix, codes: np.ndarray) -> np.ndarray:
    """Each row's mean similarity to the other rows of its element (0 for an element of one sentence)."""
    onehot = sp.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))))
    total = onehot @ x  # per element, the sum of its rows
    size = np.bincount(codes)
    own = np.asarray(x.multiply(total[codes]).sum(axis=1)).ravel() - 1.0  # similarity to the others
    return np.where(size[codes] > 1, own / np.maximum(size[codes] - 1, 1), 0.0)


def _table(s: pd.DataFrame) -> pd.DataFrame:
    central = s.sort_values(["element", "centrality", "article_id", "sentence"],
                            ascending=[True, False, True, True]).drop_duplicates("element").set_index("element")
    g = s.groupby("element")
    table = pd.DataFrame({"label": central["text"], "outlets": g["outlet"].nunique(),
                          "articles": g["article_id"].nunique(),
                          "independent": g["original"].nunique(), "sentences": g.size(),
                          "first": g["article_id"].min() * 100_000 + g["sentence"].min()})
    table = table.sort_values(["independent", "outlets", "articles", "first"], ascending=[False, False, False, True],
                              kind="stable")
    order = {e: i + 1 for i, e in enumerate(table.index)}  # elements numbered by rank: 1 is the most carried
    table = table.drop(columns="first").rename(index=order).rename_axis("element").reset_index()
    s["element"] = s["element"].map(order)
    return table
