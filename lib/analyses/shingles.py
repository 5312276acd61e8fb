"""The exact inverted index of shingles that ``lib.analyses.reuse`` pairs articles by (see its docstring): each
article's folded words hashed to 64 bits as tables over UTF-16 code units (``tokens``), runs of ``n`` of them hashed
again (``hashes``), the distinct (shingle, article) keys of a batch sorted (``keyed``), the postings paired slice by
slice of the hash range (``slice_pairs``) and the pairs added up (``bucket_pairs``). One machine runs these steps
in turn (``shared_counts``), a Dask cluster as tasks (``lib.service.cluster``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from lib.text import tokeniser
from lib.text.hashes import sum_by_key

_KEEP = np.array([0, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF], np.uint64)  # first k chars of 4
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (Steele, Lea and Flood 2014), elementwise on uint64 arrays."""
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def tokens(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


def hashes(h: np.ndarray, n: int) -> np.ndarray:
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
    h, starts, _ = tokens(codes)
    row = np.repeat(np.arange(len(encoded)), np.diff(np.searchsorted(starts, offsets)))
    s = hashes(h, n)
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
        code, shared = sum_by_key(code, shared)
    a, b = code // rows, code % rows
    keep = (shared >= min_shared) & (shared >= min_containment * np.minimum(size[a], size[b]))
    return a[keep], b[keep], shared[keep]


def index_bits(rows: int) -> int:
    """The low bits of a (shingle, row) key that hold the row."""
    return max(1, (rows - 1).bit_length())


def shared_counts(texts: pd.Series, n: int, max_df: float, min_shared: int, min_containment: float,
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
