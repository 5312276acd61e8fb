"""Text reuse and syndication: which articles share passages, and who copied whom.

Each article becomes the set S(a) of its word n-gram *shingles* (its folded words, ``lib.text.tokeniser``), and a
pair is scored by *containment* both ways, |S(a) ∩ S(b)| / |S(a)| and |S(a) ∩ S(b)| / |S(b)| (Broder
1997, "On the resemblance and containment of documents"), which stays near 1 when a short article is
copied whole into a long one. Pairs come from an exact inverted index built with numpy: tokens and
shingles hashed to 64 bits in bulk, the corpus's (shingle, article) keys sorted, the articles in each
shingle's postings paired and counted. On large corpora, shingles in more than ``max_df`` articles
(stock phrases, leftover boilerplate such as a newsletter sign-up) are left out, as passim does (Smith,
Cordell and Mullen 2015, "Computational methods for uncovering reprinted texts in antebellum
newspapers"). Why an exact index and not MinHash LSH: docs/analyses.md. The index is ``lib.analyses.shingles``:
built in batches, paired slice by slice of the hash range and added up, steps that a Dask cluster runs as tasks
(``lib.service.cluster``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.analyses import shingles
from lib.text import tokeniser

_SLACK = (np.timedelta64(14, "h"), np.timedelta64(12, "h"))  # UTC offsets run from -12:00 to +14:00
SHINGLE, MIN_CONTAINMENT, MIN_SHARED = 5, 0.2, 5  # ``pairs``' defaults (see its parameters)


def _surely_before(published: pd.Series, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether article a was surely published before article b. A bare date spans its day; when one
    time is a UTC instant ("…Z") and the other a date or wall time in an unknown zone, the latter widens
    by the range of UTC offsets (-12:00 to +14:00). Missing or unreadable dates are never before."""
    text = published.fillna("").astype(str).str.strip()
    t = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce").dt.tz_localize(None)
    lo = t.to_numpy("datetime64[ns]")
    hi = lo + np.where(text.str.len() == 10, np.timedelta64(1, "D") - np.timedelta64(1, "ns"), np.timedelta64(0))
    utc = text.str.contains(r"T.*(?:Z|[+-]\d\d:?\d\d)$").to_numpy()
    mixed = utc[a] != utc[b]
    return np.where(mixed & ~utc[a], hi[a] + _SLACK[1], hi[a]) < np.where(mixed & ~utc[b], lo[b] - _SLACK[0], lo[b])


def frequent_above(rows: int, max_df: int = 100, exact: bool | None = None) -> float:
    """The article frequency above which ``pairs`` leaves a shingle out: ``max_df``, but none (every shingle counts)
    when ``exact``, by default for 2,000 articles or fewer."""
    return np.inf if (rows <= 2000 if exact is None else exact) else max_df


def pairs(articles: pd.DataFrame, n: int = SHINGLE, min_containment: float = MIN_CONTAINMENT,
          min_shared: int = MIN_SHARED, copy_containment: float = 0.8, max_df: int = 100, exact: bool | None = None,
          counts: tuple[np.ndarray, ...] | None = None) -> pd.DataFrame:
    """Article pairs that share passages, one row per pair, most contained first.

    Word n-gram shingles scored by containment both ways (Broder 1997), pairs from an exact inverted index;
    frequent shingles left out on large corpora as passim does (Smith, Cordell and Mullen 2015). Direction from
    publication times.

    Parameters
    ----------
    articles : pandas.DataFrame
        Columns ``id``, ``outlet``, ``published`` (ISO UTC "…Z", bare date, naive wall time, or empty) and
        ``text``.
    n : int
        Words per shingle. 5, as in passim ("5-grams seem like a good tradeoff"): a shared 5-gram is rarely
        chance outside stock phrases, and an edited word breaks only 5 shingles.
    min_containment : float
        A pair is kept when at least this share of one article's shingles is in the other (the larger of the two
        containments): a fifth of an article is a passage, not a shared quote.
    min_shared : int
        ... and when they share at least this many shingles (passim's MINREP = 5): two very short texts sharing a
        phrase are not a pair.
    copy_containment : float
        ``relation`` is "copy" when at least this share of the target is in the source (the source with light
        edits: a paragraph cut or added, words changed), else "shared passages".
    max_df : int
        Without ``exact``, shingles in more than this many articles (passim's UPPER = 100) are boilerplate or
        stock phrases, left out of the pairs, the counts and the containments.
    exact : bool, optional
        Whether every shingle counts; default True for 2,000 articles or fewer.
    counts : tuple of numpy.ndarray, optional
        The shared counts (rows a and b of the pairs, their shared shingles, every article's shingles, the pairs'
        quoted shingles) already found with these settings, by the same steps on a cluster
        (``lib.service.cluster.reuse_pairs``).

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target`` (article ids), ``source_outlet``, ``target_outlet``, ``source_published``,
        ``target_published``, ``direction``, ``shared`` (shingles in both), ``source_shingles``,
        ``target_shingles``, ``source_in_target`` = shared / source_shingles, ``target_in_source`` = shared /
        target_shingles, ``quoted`` (shared shingles both articles carry only inside quotation marks),
        ``relation`` ("copy", "shared passages", or "shared quotation" when the pair passes the thresholds only
        with its quoted shingles: outlets quoting the same speaker, not republishing). ``direction`` is "source
        earlier" when the source was surely published first, else "unknown" (dates missing, equal or too close to
        tell) and the target is the article more contained in the other (the later id on a tie).
    """
    texts = articles["text"]
    a, b, shared, size, quoted = counts or shingles.shared_counts(texts, n, frequent_above(len(texts), max_df, exact),
                                                          min_shared, min_containment)
    a_in_b, b_in_a = shared / size[a], shared / size[b]
    ids = articles["id"].to_numpy()
    ab, ba = _surely_before(articles["published"], a, b), _surely_before(articles["published"], b, a)
    # b is the target when a came first, or, undated, when b is the more contained (the later id on a tie)
    b_target = ab | (~ba & ((b_in_a > a_in_b) | ((b_in_a == a_in_b) & (ids[b] > ids[a]))))
    src, tgt = np.where(b_target, a, b), np.where(b_target, b, a)
    outlets, published = articles["outlet"].to_numpy(), articles["published"].fillna("").to_numpy()
    out = pd.DataFrame({
        "source": ids[src], "target": ids[tgt], "source_outlet": outlets[src], "target_outlet": outlets[tgt],
        "source_published": published[src], "target_published": published[tgt],
        "direction": np.where(ab | ba, "source earlier", "unknown"), "shared": shared,
        "source_shingles": size[src], "target_shingles": size[tgt],
        "source_in_target": shared / size[src], "target_in_source": shared / size[tgt], "quoted": quoted,
    })
    plain = np.maximum(shared - quoted, 0)
    reused = (plain >= min_shared) & (plain >= min_containment * np.minimum(size[a], size[b]))
    out["relation"] = np.where(~reused, "shared quotation",
                               np.where(out["target_in_source"] >= copy_containment, "copy", "shared passages"))
    order = np.lexsort((out["target"], out["source"], -out["shared"], -out["target_in_source"]))
    return out.iloc[order].reset_index(drop=True)


@dataclass(frozen=True)
class Passage:
    """A passage found in both texts: ``a[a_start:a_end]`` and ``b[b_start:b_end]``, ``words`` long."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int


def passages(text_a: str, text_b: str, n: int = 5) -> list[Passage]:
    """Maximal passages shared by two texts, as character spans in each, in the order of ``text_a``.

    Shingles at positions i in a and j in b that match and continue on the same diagonal (i+1, j+1)
    merge into one passage; where passages overlap (a phrase repeated in one text), the longest is kept
    first, as in greedy string tiling (Wise 1993, "String similarity via greedy string tiling and
    running Karp-Rabin matching").
    """
    def tokens(text: str) -> tuple[np.ndarray, ...]:  # one code unit per character: offsets index the text
        code = np.frombuffer(tokeniser.without_addresses(text).encode("utf-32-le"), np.uint32)
        return shingles.tokens(np.minimum(code, 0xFFFF).astype(np.uint16))

    (ha, sa, ea), (hb, sb, eb) = tokens(text_a), tokens(text_b)
    shingles_a, shingles_b = shingles.hashes(ha, n), shingles.hashes(hb, n)
    order = np.argsort(shingles_b, kind="stable")
    lo = np.searchsorted(shingles_b[order], shingles_a, "left")
    count = np.searchsorted(shingles_b[order], shingles_a, "right") - lo
    i = np.repeat(np.arange(len(shingles_a)), count)  # every matching (i, j)
    j = order[np.arange(count.sum()) - np.repeat(np.cumsum(count) - count - lo, count)]
    by_diagonal = np.lexsort((i, j - i))
    i, j = i[by_diagonal], j[by_diagonal]
    breaks = np.flatnonzero((np.diff(i) != 1) | (np.diff(j) != 1)) + 1
    first = np.r_[0, breaks][: len(breaks) + bool(len(i))]
    runs = sorted(zip(-np.diff(np.r_[first, len(i)]), i[first], j[first], strict=True))  # longest first
    used_a, used_b, kept = np.zeros(len(ha), bool), np.zeros(len(hb), bool), []
    for length, i0, j0 in runs:  # a run of matching shingles covers its length + n - 1 words
        span = int(n - 1 - length)
        if not (used_a[i0 : i0 + span].any() or used_b[j0 : j0 + span].any()):
            used_a[i0 : i0 + span], used_b[j0 : j0 + span] = True, True
            kept.append(Passage(int(sa[i0]), int(ea[i0 + span - 1]), int(sb[j0]), int(eb[j0 + span - 1]), span))
    return sorted(kept, key=lambda p: p.a_start)


def copies(pairs: pd.DataFrame) -> pd.Series:
    """The articles that copy another article of the corpus, each mapped to its original.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Article pairs (``pairs``).

    Returns
    -------
    pandas.Series
        Index ``id`` (the copy) -> ``original``: the source it is most contained in; a copy of a copy points to the
        first original. Other views drop the copies or collapse them onto their originals.
    """
    rows = pairs[pairs["relation"] == "copy"].sort_values(["target_in_source", "source"], ascending=[False, True])
    original = rows.drop_duplicates("target").set_index("target")["source"]
    for _ in range(len(original)):  # follow chains (c copies b, b copies a) to their start
        step = original.map(original).fillna(original).astype(original.dtype)
        if step.equals(original):
            break
        original = step
    original = original[original.index != original.to_numpy()]  # a cycle of near-identical texts
    return original.rename_axis("id").rename("original").sort_index()


def outlet_matrix(pairs: pd.DataFrame, relation: str | None = None, dated_only: bool = True) -> pd.DataFrame:
    """Who republishes whom: pair counts, source outlets as rows and republishing (target) outlets as columns.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Article pairs (``pairs``).
    relation : {"copy", "shared passages", "shared quotation"}, optional
        Keep the pairs of one relation only; default copies and shared passages (a shared quotation is no
        republishing).
    dated_only : bool
        Keep only the pairs whose direction the publication times establish.

    Returns
    -------
    pandas.DataFrame
        A crosstab, index "source outlet", columns "republished by".
    """
    keep = pairs[pairs["relation"] != "shared quotation"] if relation is None else \
        pairs[pairs["relation"] == relation]
    if dated_only:
        keep = keep[keep["direction"] == "source earlier"]
    table = pd.crosstab(keep["source_outlet"], keep["target_outlet"])
    return table.rename_axis(index="source outlet", columns="republished by")


def passage_table(text_a: str, text_b: str, n: int = 5) -> pd.DataFrame:
    """The passages two texts share, as a table.

    Maximal shared passages (``passages``: shingle matches merged along diagonals, longest first, as greedy
    string tiling, Wise 1993).

    Parameters
    ----------
    text_a : str
        The source's text.
    text_b : str
        The target's text.
    n : int
        Words per shingle.

    Returns
    -------
    pandas.DataFrame
        passage (number), words, source_start, source_end, target_start, target_end (character spans), source_text,
        target_text (the passage as each text words it).
    """
    rows = [{"passage": k, "words": p.words, "source_start": p.a_start, "source_end": p.a_end,
             "target_start": p.b_start, "target_end": p.b_end, "source_text": text_a[p.a_start:p.a_end],
             "target_text": text_b[p.b_start:p.b_end]} for k, p in enumerate(passages(text_a, text_b, n), start=1)]
    return pd.DataFrame(rows, columns=["passage", "words", "source_start", "source_end", "target_start",
                                       "target_end", "source_text", "target_text"])
