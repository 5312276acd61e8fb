"""Text reuse and syndication: which articles share passages, and who copied whom.

Each article becomes the set S(a) of its word n-gram *shingles* (its folded words, ``lib.text.tokeniser``), and a
pair is scored by *containment* both ways, |S(a) ∩ S(b)| / |S(a)| and |S(a) ∩ S(b)| / |S(b)| (Broder
1997, "On the resemblance and containment of documents"), which stays near 1 when a short article is
copied whole into a long one. Pairs come from an exact inverted index built with numpy: tokens and
shingles hashed to 64 bits in bulk, the corpus's (shingle, article) keys sorted, the articles in each
shingle's postings paired and counted. On large corpora, shingles in more than ``max_df`` articles
(stock phrases, leftover boilerplate such as a newsletter sign-up) are left out, as passim does (Smith,
Cordell and Mullen 2015, "Computational methods for uncovering reprinted texts in antebellum
newspapers"). Why an exact index and not MinHash LSH: docs/analyses.md. The index is built in batches
(``keyed``), paired slice by slice of the hash range (``slice_pairs``) and added up (``bucket_pairs``): one machine
runs these steps in turn, a Dask cluster as tasks (``lib.service.cluster``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.text import tokeniser

_KEEP = np.array([0, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF], np.uint64)  # first k chars of 4
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_SLACK = (np.timedelta64(14, "h"), np.timedelta64(12, "h"))  # UTC offsets run from -12:00 to +14:00
SHINGLE, MIN_CONTAINMENT, MIN_SHARED = 5, 0.2, 5  # ``pairs``' defaults (see its parameters)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (Steele, Lea and Flood 2014), elementwise on uint64 arrays."""
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def _tokens(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The words (``lib.text.tokeniser``, as tables over code units) of UTF-16 code units whose addresses are
    blanked: folded-word hash, start, end."""
    low = np.zeros(len(codes) + 8, "<u2")  # little-endian, whatever the machine, for the 64-bit view below
    low[: len(codes)] = np.where(tokeniser.code_words(codes), tokeniser.CODE_FOLD[codes], 0)
    edges = np.flatnonzero(np.diff(low != 0, prepend=False))
    starts, ends, lens = edges[::2], edges[1::2], edges[1::2] - edges[::2]
    quads = np.ndarray((len(codes) + 5,), "<u8", low, strides=(2,))  # quads[i]: the 4 characters from i
    h, todo = np.zeros(len(starts), np.uint64), slice(None)
    for k in range(0, int(lens.max(initial=0)), 8):  # 8 characters a round; most tokens need one round
        rest, at = lens[todo] - k, starts[todo] + k
        first = quads[at] & _KEEP[np.minimum(rest, 4)]
        second = quads[at + 4] & _KEEP[np.clip(rest - 4, 0, 4)]
        h[todo] = _mix(h[todo] * _M1 + first + second * _M2)
        todo = np.flatnonzero(lens > k + 8)
    return h, starts, ends


_MARK = np.zeros(0x10000, np.int8)  # code unit -> 1 opening mark, 2 closing, 3 straight, 4 line break, else 0
_MARK[[0x201C, 0x201E, 0xAB]], _MARK[[0x201D, 0xBB]], _MARK[0x22], _MARK[0x0A] = 1, 2, 3, 4


def _inside_quotes(codes: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Whether each position ``at`` of the code units is inside quotation marks of its line: after more typographic
    opening marks than closing ones, or after an odd number of straight ones. A quotation never runs past a line
    break here. Computed on the marks alone, then looked up for each position."""
    kind = _MARK[np.minimum(codes, 0xFFFF)]
    where = np.flatnonzero(kind)
    kind = kind[where]
    line = np.cumsum(kind == 4)  # the line each mark is on

    def since_line_start(counts: np.ndarray) -> np.ndarray:
        total = np.cumsum(counts)
        start = np.r_[0, total][np.searchsorted(line, line)]  # the count before the line's first mark
        return total - start

    depth = since_line_start((kind == 1).astype(np.int32) - (kind == 2))
    inside = (depth > 0) | (since_line_start((kind == 3).astype(np.int32)) % 2 == 1)
    last = np.searchsorted(where, at, "right") - 1  # the last mark before each position
    return np.where(last >= 0, inside[np.maximum(last, 0)], False) & (kind[np.maximum(last, 0)] != 4)


def _quoted(inside: np.ndarray, n: int) -> np.ndarray:
    """Of each run of ``n`` consecutive tokens (a shingle), whether all of them are inside quotation marks."""
    outside = np.r_[0, np.cumsum(~inside)]
    m = max(len(inside) - n + 1, 0)
    return outside[n : n + m] - outside[:m] == 0


def _shingles(h: np.ndarray, n: int) -> np.ndarray:
    """Hash of every run of ``n`` consecutive token hashes: position-weighted sum, then mixed."""
    m = max(len(h) - n + 1, 0)
    weights = _mix(np.arange(n, dtype=np.uint64)) | np.uint64(1)
    s = h[:m] * weights[0]
    for j in range(1, n):
        s += h[j : j + m] * weights[j]
    return _mix(s)


def _distinct(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted array and how often each occurs."""
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]]) if len(x) else np.zeros(0, np.intp)
    return x[starts], np.diff(np.r_[starts, len(x)])


def _batch_keys(texts: list[str], first: int, n: int, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (shingle hash, article row) keys of a batch of articles, sorted: the hash in the high
    bits, the row (``first`` + position in the batch) in the low ``bits``; and the keys of the shingles an
    article carries only inside quotation marks."""
    encoded = [tokeniser.without_addresses(t).encode("utf-16-le") if isinstance(t, str) else b"" for t in texts]
    offsets = np.cumsum([0] + [len(e) // 2 + 1 for e in encoded])  # where each article begins, and the end
    codes = np.frombuffer("\n".encode("utf-16-le").join(encoded), np.uint16)
    h, starts, _ = _tokens(codes)
    row = np.repeat(np.arange(len(encoded)), np.diff(np.searchsorted(starts, offsets)))
    s = _shingles(h, n)
    inside = row[: len(s)] == row[n - 1 :]  # all n tokens in the same article
    key = s >> np.uint64(bits) << np.uint64(bits) | (row[: len(s)] + first).astype(np.uint64)
    quoted = _quoted(_inside_quotes(codes, starts), n)[inside]
    if not quoted.any():
        return np.unique(key[inside]), np.zeros(0, np.uint64)
    distinct, which = np.unique(key[inside], return_inverse=True)
    return distinct, distinct[np.bincount(which[~quoted], minlength=len(distinct)) == 0]  # never outside quotes


SLICE_BITS = 4  # the index is paired in 2**4 slices of the shingle hash range, each on its own (a cluster's task)
PAIRS_AT_ONCE = 4_000_000  # pair entries generated at once in a slice: bounds its memory
BATCH = 500  # articles indexed at once (``keyed``)


def keyed(texts: list[str], first: int, n: int, bits: int, batch: int = BATCH
          ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Some articles (rows ``first``, ``first + 1``, ...) indexed ``batch`` at a time (``_batch_keys``: numpy is
    fastest on a few hundred articles): their distinct (shingle, row) keys cut into the ``SLICE_BITS`` slices of
    the hash range, each slice's keys sorted batch by batch, the keys of the shingles an article carries only inside
    quotation marks, and each article's number of distinct shingles."""
    low = np.uint64((1 << bits) - 1)
    top = np.arange(1, 1 << SLICE_BITS, dtype=np.uint64) << np.uint64(64 - SLICE_BITS)
    slices: list[list[np.ndarray]] = [[] for _ in range(1 << SLICE_BITS)]
    quoted, sizes = [np.zeros(0, np.uint64)], [np.zeros(0, np.int64)]
    for i in range(0, len(texts), batch):
        keys, q = _batch_keys(texts[i : i + batch], first + i, n, bits)
        cuts = np.r_[0, np.searchsorted(keys, top), len(keys)]
        for j, part in enumerate(slices):
            part.append(keys[cuts[j] : cuts[j + 1]])
        quoted.append(q)
        sizes.append(np.bincount((keys & low).astype(np.intp) - first - i,
                                 minlength=len(texts[i : i + batch])).astype(np.int64))
    return ([np.concatenate(part) if part else np.zeros(0, np.uint64) for part in slices], np.concatenate(quoted),
            np.concatenate(sizes))


def _postings(parts: list[np.ndarray], low: np.uint64) -> np.ndarray:
    """The keys of one slice of the hash range from every batch, sorted, but for the shingles of one article."""
    part = np.concatenate(parts) if parts else np.zeros(0, np.uint64)
    part.sort()
    same = (part[1:] ^ part[:-1]) <= low  # the same shingle as the next entry
    return part[np.r_[same, False] | np.r_[False, same]] if len(part) else part


def slice_pairs(slices: Iterable[list[np.ndarray]], rows: int, bits: int, max_df: float, buckets: int = 1,
                thresholds: tuple[np.ndarray, int, float] | None = None
                ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """The article pairs that share the shingles of some slices of the hash range (each slice: its keys from every
    batch, ``keyed``; one machine passes them all, a cluster's task one): the rows of the postings of the shingles
    in more than ``max_df`` articles (left out of the pairs and the sizes), and for each of ``buckets`` (pairs
    (a, b) by a modulo ``buckets``) the distinct pair codes a * rows + b (a < b) with the shingles they share there,
    in ascending order of code within each pass of ``PAIRS_AT_ONCE``. With every slice, the counts are whole:
    ``thresholds`` (each article's shingles, ``min_shared``, ``min_containment``) then keep only the pairs that pass
    them, pass by pass, so that the others are never all held at once."""
    low = np.uint64((1 << bits) - 1)
    key = np.concatenate([_postings(parts, low) for parts in slices] or [np.zeros(0, np.uint64)])  # one at a time
    row = (key & low).astype(np.intp)
    first = np.flatnonzero(np.r_[True, (key[1:] ^ key[:-1]) > low])  # where each shingle's postings begin
    length = np.diff(np.r_[first, len(row)])
    end = np.repeat(first + length, length)  # where the postings of each entry's shingle end
    frequent = np.repeat(length > max_df, length)
    proposing = np.flatnonzero(~frequent)
    if thresholds:
        size = thresholds[0] - np.bincount(row[frequent], minlength=rows)
    parts_n = 1 + int((length * (length - 1) // 2)[length <= max_df].sum()) // PAIRS_AT_ONCE
    found = []
    for p in range(parts_n):  # pairs (a, b) with a % parts_n == p
        todo, k, codes = proposing[row[proposing] % parts_n == p], 1, [np.zeros(0, np.intp)]
        while len(todo):  # each entry with the k-th next one in its postings (rows ascending there)
            todo = todo[todo + k < end[todo]]
            codes.append(row[todo] * rows + row[todo + k])
            k += 1
        code, shared = _distinct(np.sort(np.concatenate(codes)))
        if thresholds:
            a, b = code // rows, code % rows
            keep = (shared >= thresholds[1]) & (shared >= thresholds[2] * np.minimum(size[a], size[b]))
            code, shared = code[keep], shared[keep]
        found.append((code, shared))
    code, shared = (np.concatenate(x) for x in zip(*found, strict=True))
    bucket = (code // rows) % buckets
    return row[frequent], [(code[bucket == b], shared[bucket == b]) for b in range(buckets)]


def bucket_pairs(parts: list[tuple[np.ndarray, np.ndarray]], size: np.ndarray, rows: int, min_shared: int,
                 min_containment: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of one bucket (its pair codes and shared shingles from every slice, ``slice_pairs``) added up,
    those that pass the thresholds: rows a < b and the shingles they share (``size``: each article's shingles,
    without the frequent ones)."""
    code = np.concatenate([c for c, _ in parts]) if parts else np.zeros(0, np.intp)
    shared = np.concatenate([s for _, s in parts]) if parts else np.zeros(0, np.intp)
    if len(parts) > 1:  # one part's codes are distinct already
        order = np.argsort(code, kind="stable")
        code, shared = code[order], shared[order]
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.zeros(0, np.intp)
        code, shared = code[starts], np.add.reduceat(shared, starts) if len(code) else shared
    a, b = code // rows, code % rows
    keep = (shared >= min_shared) & (shared >= min_containment * np.minimum(size[a], size[b]))
    return a[keep], b[keep], shared[keep]


def index_bits(rows: int) -> int:
    """The low bits of a (shingle, row) key that hold the row."""
    return max(1, (rows - 1).bit_length())


def _shared_counts(texts: pd.Series, n: int, max_df: float, min_shared: int, min_containment: float,
                   batch: int = BATCH) -> tuple[np.ndarray, ...]:
    """Rows a < b of the pairs that pass the thresholds, their shared shingles, every article's shingles and the
    pairs' quoted shingles (``quoted_shared``), counting only shingles in at most ``max_df`` articles: the batches
    indexed (``keyed``), each slice of the hash range paired (``slice_pairs``), the pairs added up
    (``bucket_pairs``). A cluster runs the same steps as tasks (``lib.service.cluster``)."""
    rows = len(texts)
    bits = index_bits(rows)
    with ThreadPoolExecutor(2) as pool:  # numpy releases the GIL: two batches at once
        batches = list(pool.map(lambda b: keyed(texts.iloc[b : b + batch].tolist(), b, n, bits),
                                range(0, rows, batch)))
    size = np.concatenate([s for _, _, s in batches] or [np.zeros(0, np.int64)])
    quoted = np.concatenate([q for _, q, _ in batches] or [np.zeros(0, np.uint64)])
    keys = [k for k, _, _ in batches]
    del batches

    def each_slice() -> Iterator[list[np.ndarray]]:  # a slice's keys are let go once its postings are found
        for j in range(1 << SLICE_BITS):
            yield [k[j] for k in keys]
            for k in keys:
                k[j] = None

    frequent, (found,) = slice_pairs(each_slice(), rows, bits, max_df, thresholds=(size, min_shared, min_containment))
    size -= np.bincount(frequent, minlength=rows)
    a, b, shared = bucket_pairs([found], size, rows, min_shared, min_containment)
    return a, b, shared, size, quoted_shared(quoted, bits, a, b)


def quoted_shared(quoted: np.ndarray, bits: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many shingles each pair (a, b) carries only inside quotation marks, in both articles."""
    low = np.uint64((1 << bits) - 1)
    row, shingle = (quoted & low).astype(np.intp), quoted >> np.uint64(bits)
    order = np.lexsort((shingle, row))
    row, shingle = row[order], shingle[order]
    lo_a, hi_a = np.searchsorted(row, a), np.searchsorted(row, a, "right")
    lo_b, hi_b = np.searchsorted(row, b), np.searchsorted(row, b, "right")
    return np.array([len(np.intersect1d(shingle[i:j], shingle[k:m], assume_unique=True)) if j > i and m > k else 0
                     for i, j, k, m in zip(lo_a, hi_a, lo_b, hi_b, strict=True)], dtype=np.int64)


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
    a, b, shared, size, quoted = counts or _shared_counts(texts, n, frequent_above(len(texts), max_df, exact),
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
        return _tokens(np.minimum(code, 0xFFFF).astype(np.uint16))

    (ha, sa, ea), (hb, sb, eb) = tokens(text_a), tokens(text_b)
    shingles_a, shingles_b = _shingles(ha, n), _shingles(hb, n)
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
