"""Keywords per unit (TF-IDF) and distinctive terms per outlet (weighted log-odds); keyword in context is
``lib.analyses.kwic``.

- The corpus matrix: term counts per article (``lib.text.terms``).
- Keywords: the articles' counts are summed per unit (outlet, story or article) and weighted by
  TF-IDF across the n units (Salton and Buckley 1988): sublinear tf ``1 + ln tf``, smoothed idf
  ``ln((1 + n) / (1 + df))``, rows of unit length. Unlike scikit-learn's default this idf has no
  ``+ 1``: a term every unit uses tells the units apart no more than a stopword does, so it weighs
  0 and leaves the clouds (Spärck Jones 1972). With a single unit there is nothing to tell apart and
  the weight is tf alone.
- Distinctive terms: the weighted log-odds ratio with an informative Dirichlet prior, one outlet
  against all the others (Monroe, Colaresi and Quinn 2008, "Fightin' Words", eq. 16-22)::

      delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))
      var_w   = 1 / (y_iw + a_w) + 1 / (y_jw + a_w)          z_w = delta_w / sqrt(var_w)

  with y_iw the outlet's count of w, y_jw the other outlets' count, n_i and n_j their token totals,
  and the prior a_w = a0 * y_w / n (the whole corpus's frequencies, scaled to a0 pseudo-counts).
- Ties: equal counts give equal scores, and in a small corpus most terms are used once. Among terms
  with equal scores the one rarer in general English comes first (its frequency in ``wordfreq``,
  Speer 2022, a reference corpus of web, news, books and subtitles), as keyness against a reference
  corpus ranks them (Kilgarriff 2009, "Simple maths for keywords"): "ka-226t" before "month".
- Overlaps: an n-gram and its words counted the same number of times in a unit are the same uses;
  only the first ranked is listed (nested terms, Frantzi, Ananiadou and Mima 2000, "C-value").
- An outlet's own name: outlets name themselves ("told Fox News", "CNN's"), which would lead their
  terms. ``own_names`` derives, from the outlet's name alone, the words and short forms it goes by: the
  words of its name (without a qualifier such as "(Online News)" or " - Opinion") that are not common
  English words (``wordfreq`` Zipf below ``GENERIC_ZIPF``: "fox", "cnn", "politico", not "news" or
  "times"), every word of a one-word name, the whole name as a phrase and run together ("usa today",
  "usatoday"), its initials ("nyt") and the stem of a domain name ("nbcnews.com": "nbcnews"). Terms
  with such a word or phrase are left out of that outlet's list when asked (``top_terms``'s ``skip``), but for a
  one-word name that most other outlets use too (``named_alone``: "texas" for Texas Tribune in a corpus on Texas).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp
import wordfreq

from lib.analyses import coverage
from lib.text import terms as term_matrix
from lib.text import weighting
from lib.text.terms import Grouped, Matrix

WORDS = re.compile(r"[\s-]+")  # how wordfreq splits a term into words
PRIOR = 1000.0  # a0: pseudo-counts of the corpus prior
FRAGILE = 5  # an outlet's count below which its z-score rests on too little to mean much
OTHERS_NAMING = 0.5  # a one-word own name this share of the other units also use is the subject, not the name
GENERIC_ZIPF = 5.0  # a word of a name this common in general English (once per 100,000 words) describes it
QUALIFIER = re.compile(r"\([^)]*\)|\s[-–—|:]\s.*$")  # "(Online News)", " - Opinion": what part of an outlet
DOMAIN = re.compile(r"\b(?:www\.)?([a-z0-9][a-z0-9-]*)\.(?:com|org|net|co|news|info|io|tv|[a-z]{2})\b")


def by_unit(m: Matrix | Grouped, units: pd.Series) -> tuple[sp.csr_matrix, np.ndarray]:
    """Counts summed per unit: (units x terms matrix, unit labels). ``units`` is indexed by article id. A
    ``Grouped`` (counts already summed per unit, on a cluster) must hold exactly the units of ``units``."""
    if isinstance(m, Grouped):
        names = pd.factorize(units.dropna().to_numpy(), sort=True)[1]
        if not np.array_equal(np.asarray(names), m.units):
            raise ValueError("the grouped counts are not of these units")
        return m.counts, m.units
    labels = units.reindex(m.ids).to_numpy()
    keep = np.flatnonzero(pd.notna(labels))
    codes, names = pd.factorize(labels[keep], sort=True)
    rows = m.counts if len(keep) == len(m.ids) else m.counts[keep]  # a story: its rows only
    onehot = sp.csr_matrix((np.ones(len(codes), dtype=m.counts.dtype), (codes, np.arange(len(keep)))),
                           shape=(len(names), len(keep)))  # the counts' dtype: a mixed product copies them all
    grouped = (onehot @ rows).tocsr()
    grouped.sum_duplicates()  # canonical: sorted column indices, so every view of it lines up
    return grouped, np.asarray(names)


@functools.cache
def _english() -> dict[str, float]:
    """wordfreq's English word frequencies (a general-purpose resource, read once)."""
    return wordfreq.get_frequency_dict("en")


def general_frequency(terms: Iterable[str]) -> np.ndarray:
    """Each term's frequency in general English (``wordfreq``, Speer 2022): the share of running
    words it makes, 0 when unseen. The words of an n-gram or a hyphenated term combine as wordfreq
    combines them, ``1 / f = sum(1 / f_i)``, so a phrase is rarer than its rarest word."""
    return np.fromiter(map(_frequency, terms), np.float64)


@functools.lru_cache(maxsize=1 << 20)
def _frequency(term: str) -> float:
    """``general_frequency`` of one term, remembered: a page ranks the same terms again and again."""
    parts = [_english().get(w, 0.0) for w in WORDS.split(term) if w]
    return 0.0 if not parts or min(parts) == 0 else 1.0 / sum(1.0 / f for f in parts)


def own_names(outlet: str) -> frozenset[str]:
    """The words and phrases of ``outlet``'s own name that its terms leave out (see the module docstring):
    "Fox News" -> {"fox", "fox news", "foxnews"}; "New York Times - Opinion" -> {"new york times",
    "newyorktimes", "nyt"}. Articles naming no outlet (``coverage.UNKNOWN``) have none."""
    if outlet == coverage.UNKNOWN:
        return frozenset()
    low = " ".join(str(outlet).lower().split())
    found = {stem for stem in DOMAIN.findall(low)}
    found |= {stem[3:] for stem in found if stem.startswith("the") and len(stem) > 5}
    core = QUALIFIER.sub("", DOMAIN.sub(" ", low)).strip() or low
    stop = frozenset(term_matrix.Vocabulary().stopwords())
    words = [w for w in map(lambda t: term_matrix.canonical(t, stop), term_matrix.tokens(core)) if w]
    if len(words) == 1:
        found.add(words[0])
    elif words:
        found |= {w for w in words if _frequency(w) < 10 ** (GENERIC_ZIPF - 9)}
        found |= {" ".join(words), "".join(words)}
        initials = "".join(w[0] for w in words)
        if len(initials) >= 3 and _frequency(initials) < 10 ** (GENERIC_ZIPF - 9):
            found.add(initials)
    return frozenset(found)


def is_own(words: list[str], names: frozenset[str]) -> bool:
    """Whether a term (its ``words``) holds one of an outlet's ``names`` (``own_names``): one of its words,
    or one of its phrases as consecutive words."""
    if not names.isdisjoint(words):
        return True
    text = f" {' '.join(words)} "
    return any(" " in name and f" {name} " in text for name in names)


def unit_names(units: pd.Series, outlets: pd.Series) -> dict[str, frozenset[str]]:
    """Each unit's own names: those of the outlets of its articles (``own_names``).

    An outlet unit gets its own names, a story the names of its outlets.

    Parameters
    ----------
    units : pandas.Series
        Each article's unit, indexed by article id.
    outlets : pandas.Series
        Each article's outlet, indexed by article id.

    Returns
    -------
    dict of str to frozenset of str
        Unit -> the words and phrases its outlets go by.
    """
    names = {o: own_names(o) for o in pd.unique(outlets.dropna())}
    pairs = pd.DataFrame({"unit": units, "outlet": outlets.reindex(units.index)}).dropna().drop_duplicates()
    result: dict[str, frozenset[str]] = {}
    for unit, outlet in zip(pairs["unit"], pairs["outlet"], strict=True):
        result[unit] = result.get(unit, frozenset()) | names[outlet]
    return result


def top_terms(scores: sp.csr_matrix, counts: sp.csr_matrix, terms: np.ndarray, top: int,
              keep: np.ndarray | None = None, skip: list[frozenset[str]] | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    """The ``top`` terms of each row (unit) by score: (positions into ``scores.data``, their rows), row
    by row in rank order. ``counts`` has the sparsity of ``scores``; ``keep`` masks the entries that
    may be listed; ``skip`` gives each row the names its terms leave out (``is_own``). Equal scores (to 6
    decimals) put the term rarer in general English first (at equal rarity, the longer); a term that shares a
    word with one already listed for its row and has the same count repeats the same uses ("kamov" after
    "kamov ka-226t") and is skipped."""
    n = scores.shape[0]
    rows = np.repeat(np.arange(n), np.diff(scores.indptr))
    rounded = np.round(scores.data, 6)
    order = np.argsort(-rounded, kind="stable")
    order = order[np.argsort(rows[order], kind="stable")]  # by row, then score
    if keep is not None:
        order = order[keep[order]]
    starts = np.searchsorted(rows[order], np.arange(n))
    lengths = np.diff(np.append(starts, len(order)))
    room = (4 if skip else 3) * top  # room for the skipped
    long = lengths > room
    cut = np.full(n, -np.inf)
    cut[long] = rounded[order[starts[long] + room - 1]]
    pool = order[rounded[order] >= cut[rows[order]]]  # the first 3 * top and every term tied at the cut
    cols, inverse = np.unique(scores.indices[pool], return_inverse=True)
    words = [t.split() for t in terms[cols].tolist()]
    rarity = np.empty(len(cols), dtype=np.int64)  # rank: rarer in general English, then longer, first
    rarity[np.lexsort((-np.fromiter(map(len, words), np.int64, len(cols)), general_frequency(terms[cols])))] = \
        np.arange(len(cols))
    tie = np.cumsum(np.r_[True, (np.diff(rows[pool]) != 0) | (np.diff(rounded[pool]) != 0)])
    pool = pool[np.argsort(tie * len(cols) + rarity[inverse], kind="stable")]
    split = dict(zip(cols.tolist(), words, strict=True))
    col_list, count_list = scores.indices[pool].tolist(), counts.data[pool].tolist()
    chosen = []
    bounds = np.searchsorted(rows[pool], np.arange(n + 1)).tolist()
    for row, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        seen, listed = set(), 0  # seen: (word, count) of the terms listed for this row
        own = skip[row] if skip else frozenset()
        for j in range(lo, hi):
            if own and is_own(split[col_list[j]], own):
                continue
            uses = [(w, count_list[j]) for w in split[col_list[j]]]
            if seen.isdisjoint(uses):
                chosen.append(j)
                seen.update(uses)
                listed += 1
                if listed == top:
                    break
    picked = pool[np.asarray(chosen, dtype=np.int64)]
    return picked, rows[picked]


def _ranks(rows: np.ndarray) -> np.ndarray:
    """1, 2, ... within each run of equal ``rows``."""
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else np.array([], dtype=np.int64)
    return np.arange(len(rows)) - np.repeat(starts, np.diff(np.append(starts, len(rows)))) + 1


def tfidf(grouped: sp.csr_matrix) -> sp.csr_matrix:
    """TF-IDF weights of a units x terms count matrix, with its sparsity (``lib.text.weighting.tfidf``; a single
    unit: tf alone, see the module docstring)."""
    return weighting.tfidf(grouped, None if grouped.shape[0] > 1 else np.ones(grouped.shape[1]))


def _only(only: Iterable | None, names: np.ndarray, grouped: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
    """The rows of ``grouped`` and ``names`` of the units ``only`` (all when None)."""
    if only is None:
        return grouped, names
    rows = np.flatnonzero(pd.Index(names).isin(list(only)))
    return grouped[rows], names[rows]


def _skips(names: np.ndarray, own: dict[str, frozenset[str]] | None) -> list[frozenset[str]] | None:
    return None if own is None else [own.get(n, frozenset()) for n in names]


def named_alone(m: Matrix | Grouped, units: pd.Series, own: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """``own`` without the one-word names that most other units use as well.

    There the word is what the corpus is about (the state in an outlet named after it, in a corpus on that state),
    not the outlet naming itself.

    Parameters
    ----------
    m : Matrix or Grouped
        The corpus's term matrix, or its counts already summed per unit (``lib.text.terms``).
    units : pandas.Series
        Each article's unit, indexed by article id.
    own : dict of str to frozenset of str
        Unit -> its own names (``unit_names``).

    Returns
    -------
    dict of str to frozenset of str
        ``own``, less the one-word names that ``OTHERS_NAMING`` of the other units use.
    """
    grouped, names = by_unit(m, units)
    single = {w for n in names for w in own.get(n, ()) if " " not in w}
    column = {t: j for j, t in enumerate(m.terms) if t in single} if single else {}
    users = np.bincount(grouped.indices, minlength=grouped.shape[1])  # the units that use each term
    others = max(len(names) - 1, 1)
    kept = {}
    for i, n in enumerate(names):
        kept[n] = frozenset(w for w in own.get(n, ()) if " " in w or w not in column
                            or users[column[w]] - (grouped[i, column[w]] > 0) < OTHERS_NAMING * others)
    return kept


def keywords(m: Matrix | Grouped, units: pd.Series, top: int = 25, own: dict[str, frozenset[str]] | None = None,
             only: Iterable | None = None) -> pd.DataFrame:
    """Each unit's top TF-IDF terms.

    Counts summed per unit, weighted by TF-IDF across the units (Salton and Buckley 1988; sublinear tf, idf
    ``ln((1 + n) / (1 + df))``, ``lib.text.weighting``); ties broken by general English frequency (``wordfreq``);
    nested n-grams listed once. See the module docstring.

    Parameters
    ----------
    m : Matrix or Grouped
        The corpus's term matrix, or its counts already summed per unit (``lib.text.terms``).
    units : pandas.Series
        Each article's unit (outlet, story or article), indexed by article id.
    top : int
        Terms per unit.
    own : dict of str to frozenset of str, optional
        Unit -> its own names (``unit_names``): terms with them are left out of its list.
    only : iterable, optional
        The units listed (default all): the weights are still those across every unit, the rows of the others are
        not ranked (a story of a corpus of 25,000 ranks its terms only).

    Returns
    -------
    pandas.DataFrame
        unit, rank, term, score (TF-IDF weight), count (occurrences in the unit).
    """
    grouped, names = by_unit(m, units)
    if only is None:
        weights = tfidf(grouped)
    else:  # the idf of every unit, the rows of those listed: the same weights as ``tfidf``'s for them
        idf = weighting.idf(grouped) if grouped.shape[0] > 1 else np.ones(grouped.shape[1])
        grouped, names = _only(only, names, grouped)
        weights = weighting.tfidf(grouped, idf)
    picked, rows = top_terms(weights, grouped, m.terms, top, keep=weights.data > 0, skip=_skips(names, own))
    return pd.DataFrame({"unit": names[rows], "rank": _ranks(rows), "term": m.terms[grouped.indices[picked]],
                         "score": weights.data[picked].round(4), "count": grouped.data[picked]})


def log_odds(grouped: sp.csr_matrix, prior: float = PRIOR, totals: np.ndarray | None = None) -> sp.csr_matrix:
    """z-scores of the weighted log-odds ratio of each unit against all the others, with an informative Dirichlet prior.

    Monroe, Colaresi and Quinn (2008, "Fightin' Words", eq. 16-22); the prior is the whole corpus's frequencies
    scaled to ``prior`` pseudo-counts, ``a_w = prior * y_w / n``::

        delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))
        z_w = delta_w / sqrt(1 / (y_iw + a_w) + 1 / (y_jw + a_w))

    Parameters
    ----------
    grouped : scipy.sparse.csr_matrix
        Units x terms counts (``by_unit``).
    prior : float
        a0, the pseudo-counts of the corpus prior.
    totals : numpy.ndarray, optional
        Each term's count in the whole corpus, when ``grouped`` holds only some of its units (default: the sums of
        ``grouped``'s columns): their z-scores are then those of the whole table.

    Returns
    -------
    scipy.sparse.csr_matrix
        Shaped like ``grouped``: z for each term a unit uses.
    """
    y = grouped.tocsr().astype(np.float64)
    total_w = np.asarray(y.sum(axis=0)).ravel() if totals is None else np.asarray(totals, dtype=np.float64)
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


def distinctive(m: Matrix | Grouped, outlets: pd.Series, top: int = 25, label: str = "outlet",
                own: dict[str, frozenset[str]] | None = None, only: Iterable | None = None) -> pd.DataFrame:
    """Each outlet's (or group's) most distinctive terms against all the others.

    The weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin'
    Words"), one outlet against the rest, as z-scores (``log_odds``; the formula is in the module docstring).

    Parameters
    ----------
    m : Matrix or Grouped
        The corpus's term matrix, or its counts already summed per unit (``lib.text.terms``).
    outlets : pandas.Series
        Each article's outlet or group, indexed by article id; articles with no value take no part.
    top : int
        Terms per outlet.
    label : str
        The name of the outlet column of the result.
    own : dict of str to frozenset of str, optional
        Outlet -> its own names (``unit_names``): terms with them are left out of its list (they still count in
        the z-scores).
    only : iterable, optional
        The outlets (or groups) listed (default all): each still against all the others.

    Returns
    -------
    pandas.DataFrame
        ``label``, rank, term, z, count (in the outlet), others (in all other outlets), per_10k (the outlet's rate
        per 10,000 tokens), fragile (count below ``FRAGILE``), tokens (the outlet's token total).
    """
    grouped, names = by_unit(m, outlets)
    totals = np.asarray(grouped.sum(axis=0)).ravel()
    grouped, names = _only(only, names, grouped)
    z = log_odds(grouped, totals=totals)
    tokens = np.asarray(grouped.sum(axis=1)).ravel()
    picked, rows = top_terms(z, grouped, m.terms, top, skip=_skips(names, own))
    cols, count = grouped.indices[picked], grouped.data[picked]
    return pd.DataFrame({
        label: names[rows], "rank": _ranks(rows), "term": m.terms[cols], "z": z.data[picked].round(2),
        "count": count, "others": totals[cols] - count, "per_10k": (1e4 * count / np.maximum(tokens[rows], 1)).round(2),
        "fragile": count < FRAGILE, "tokens": tokens[rows].astype(np.int64)})
