"""Named entities (people, organisations, places, named things) per outlet, with the sentences behind each count.

Method (core install only, no model):

1. Chunks: one compiled regular expression over the joined sentence texts (a batch at a time) finds capitalised
   phrases: capitalised tokens (words, "F-35", "COVID-19", acronyms "UN", "U.S.", titles "Gen.") joined by spaces or
   name particles ("of", "the", "de", "al-"); "'s" ends a chunk ("Iran's" -> "Iran"), and so does a hyphen part that
   is an ordinary word ("US-led" -> "US"). The capitalisation cue of classic proper-name extraction (Collins and
   Singer 1999, "Unsupervised models for named entity classification").
2. Cleaning: leading stopwords ("The", "But"; scikit-learn's ENGLISH_STOP_WORDS) go, and chunks of weekday or month
   names (``calendar``) or time designators. A chunk opening a sentence (or following a colon) goes when all its
   words are *common words* (written in lower case at least a quarter as often as capitalised mid-sentence), or when
   it is one word never capitalised mid-sentence (Mikheev 1999, "A knowledge-free method for capitalized word
   disambiguation").
3. Titles: leading abbreviated titles ("Mr.", "Dr") go, and so do common words before a name of two or more uncommon
   tokens ("Defense Minister Jane Doe" -> "Jane Doe"), or before a known name when the word is a title, i.e. opens
   such names often ("President Doe" -> "Doe"); they are kept as the name's *title context*. Two known names side
   by side ("Paris Jane Doe", "Paris-Rome") are split.
4. Referents (union-find): variants equal up to case, dots and middle initials; an acronym and the dominant long
   form it spells that share an article ("UN" / "United Nations"); two names of 2+ tokens one token apart with the
   same initial, never in one article, the rarer at most half as frequent, the differing tokens alike (difflib ratio
   >= 0.75, or >= 0.4 with a shared title context): a misspelling or a transliteration (name-variant merging as in
   Steinberger et al. 2011, "JRC-Names: a freely available, highly multilingual named entity resource"); and a
   short form that ends a family of long forms (subsequences of one another: "Doe", "Jane Doe", "General Jane Doe")
   holding two thirds of the long-form mentions and a tenth of the short form's articles, unless the top long form
   puts a common word before it ("White House" is no "House"). The entity is named by its group's shortest frequent
   variant of two or more tokens (an acronym when it is five times as frequent), else its most frequent variant.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from difflib import SequenceMatcher

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_U = "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper())  # Latin, Greek, Cyrillic capitals
PARTICLES = frozenset("of the de du des del della der den da di do dos das la le van von y bin ibn al el ul".split())
_P = "|".join(sorted(PARTICLES, key=len, reverse=True))
# a token after its capital: acronym with dots, abbreviated title, word (O'Neil, F-35, Jong-un)
_REST = rf"\.(?:[{_U}]\.)+|[a-z]{{0,3}}\.(?=[ \t\xa0]+[{_U}])|\w*(?:['’][{_U}]\w*)?(?:-\w+)*"
_MORE = rf"(?:[ \t\xa0]+(?:(?:{_P})[ \t\xa0]+)*(?:(?:{_P})-)?[{_U}](?:{_REST}))*"
CHUNK = rf"[{_U}](?:{_REST}){_MORE}"
# Each match starts with a separator, a colon or a capital (a fast first-character scan): group 1 is that character.
_SEP = "\x1e"  # between sentences in the joined text
_FIND = re.compile(rf"([\x1e:{_U}])(?:(?<=\x1e)[^\w\x1e]*({CHUNK})?|(?<=:)[^\w\x1e]*({CHUNK})|((?:{_REST}){_MORE}))")
_ABBR = re.compile(rf"[{_U}](?:[a-z]{{0,3}}\.|[b-df-hj-np-tv-xz]{{1,3}})")  # Gen., Mr., Mr, Dr, Sgt
_SKIP = frozenset(w.lower() for w in [*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name,
                                      *calendar.day_abbr, "am", "pm", "a.m.", "p.m.", "gmt", "utc"])
_LOWER = re.compile(r"(?<![\w'’-])[a-z]+(?:-[a-z]+)*(?![\w-])")
_CAPMID = re.compile(r"(?<=[a-z,;] )[A-Z]\w*(?:-\w+)*(?![\w-])")
SAMPLE_CHARS = 20_000_000
COLUMNS = ["article_id", "sentence", "outlet", "entity", "surface"]


class _Words:
    """Lower-case and mid-sentence capitalised word counts over (an even sample of) the corpus."""

    def __init__(self, texts: pd.Series):
        sample = "\n".join(texts.iloc[::int(texts.str.len().sum() // SAMPLE_CHARS) + 1].tolist())
        self.lower = Counter(_LOWER.findall(sample))
        self.cap = Counter(w.lower() for w in _CAPMID.findall(sample))
        self.memo: dict[str, bool] = {}
        self.keys: dict[tuple[str, ...], tuple[str, ...]] = {}

    def key(self, tokens: list[str]) -> tuple[str, ...]:
        """Match key: case-folded tokens without dots, particles before a hyphen ("al-") or middle initials."""
        t = tuple(tokens)
        if t not in self.keys:
            k = [(s.split("-", 1)[1] if s[:1].islower() and "-" in s else s).replace(".", "").casefold() for s in t]
            self.keys[t] = tuple(s for i, s in enumerate(k) if s and not (0 < i < len(k) - 1 and len(s) == 1))
        return self.keys[t]

    def common(self, token: str) -> bool:
        if token not in self.memo:
            w = token.lower()
            self.memo[token] = w in PARTICLES or bool(_ABBR.fullmatch(token)) or 0 < 4 * self.lower[w] >= self.cap[w]
        return self.memo[token]


def _stop(token: str, words: _Words) -> bool:
    """A stopword the corpus rarely capitalises mid-sentence (not "Bill", which the list also holds)."""
    w = token.lower()
    return token in PARTICLES or (w in ENGLISH_STOP_WORDS and (len(token) == 1 or not token.isupper())
                                  and 10 * words.cap[w] <= words.lower[w])


def _trim(token: str, words: _Words) -> str:
    """Drop trailing lower-case hyphen parts that are common words: "US-led" -> "US"; "Jong-un" stays."""
    if "-" not in token:
        return token
    parts = token.split("-")
    while len(parts) > 1 and parts[-1].islower() and len(parts[-1]) >= 3 and words.common(parts[-1]):
        parts.pop()
    return "-".join(parts)


def _clean(chunk: str, initial: bool, words: _Words) -> list[str] | None:
    """Step 2 and the abbreviated titles of step 3: the chunk's tokens, or None when it is not a name."""
    toks = [_trim(t, words) for t in chunk.split()]
    while toks and (_stop(toks[0], words) or (_ABBR.fullmatch(toks[0]) and len(toks) > 1)):
        if toks[0].lower() == "the" and len(toks) == 2 and words.common(toks[1]):
            break  # "The Hill", "The Guardian": the article belongs to the name
        toks, initial = toks[1:], False  # what follows "But" or "the" is capitalised for itself
    if not toks or len("".join(toks)) < 2 or all(t.lower() in _SKIP or _stop(t, words) for t in toks):
        return None
    if initial and (all(words.common(t) for t in toks) or (len(toks) == 1 and not words.cap[toks[0].lower()])):
        return None  # capitalised only because it opens a sentence
    return toks


def _title(toks: list[str], words: _Words, counts: Counter | None = None, titles: Counter | None = None) -> int:
    """Where the name starts after leading title words, or 0. A name of two or more uncommon tokens after common
    words ("Defense Minister Jane Doe" -> 2); with ``counts`` and ``titles`` also a known name after a title (an
    abbreviation, or a word that opens such plain names in a tenth of the chunks it opens): "President Doe" -> 1,
    "President Bill Doe" -> 1, but not "Bill Doe" -> 1."""
    for i in range(len(toks) - 1, 0, -1):
        head, tail = toks[i - 1], toks[i:]
        if "of" in tail or "the" in tail:
            return 0
        if head in PARTICLES or tail[0] in PARTICLES or not words.common(head):
            continue
        if len(tail) >= 2 and all(t in PARTICLES or not words.common(t) for t in tail):
            return i
        w = head.lower()
        if counts is not None and titles is not None and (_ABBR.fullmatch(head) or 10 * titles[w] > counts[("", w)]):
            known = counts[words.key(tail)]
            if known and (len(tail) >= 2 or (not words.common(tail[0]) and known >= counts[words.key(toks)])):
                return i
    return 0


def _refine(toks: list[str], counts: Counter, titles: Counter, words: _Words) -> tuple[list[list[str]], tuple]:
    """Step 3: strip leading title words (returned as the title context); split juxtaposed known names."""
    if len(toks) == 1 and "-" not in toks[0]:
        return [toks], ()
    cut = _title(toks, words, counts, titles)
    head, toks = words.key(toks[:cut])[-2:], toks[cut:]
    for i in range(1, len(toks) - 1):  # "Paris Jane Doe"; not "Jane Doe Jr" (Jane opens names more than it stands)
        x = words.key(toks[:i])
        if toks[i - 1] not in PARTICLES and toks[i] not in PARTICLES and counts[x] > counts[("", *x)] \
                and counts[words.key(toks[i:])]:
            return [toks[:i], toks[i:]], head
    parts = toks[0].split("-")
    if len(toks) == 1 and len(parts) == 2 and all(p.isalpha() and counts[(p.casefold(),)] for p in parts):
        return [[p] for p in parts], head
    return [toks], head


def _chunks(texts: pd.Series, batch: int = 200_000) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Step 1: the sentence row of each chunk found, its code (2 * chunk id, + 1 when it opens the sentence or
    follows a colon), and the chunk texts by id."""
    if texts.str.contains(_SEP, regex=False).any():
        texts = texts.str.replace(_SEP, " ", regex=False)
    ids: dict[str, int] = {}
    rows, codes = [], []
    for lo in range(0, len(texts), batch):
        found = np.array(_FIND.findall(_SEP + _SEP.join(texts.iloc[lo:lo + batch].tolist())), dtype=object)
        sep, colon = found[:, 0] == _SEP, found[:, 0] == ":"
        chunk = found[:, 0] + found[:, 3]  # first capital + the rest
        chunk[sep], chunk[colon] = found[sep, 1], found[colon, 2]
        keep = chunk != ""
        inv, uniq = pd.factorize(chunk[keep])
        gid = np.fromiter((ids.setdefault(u, len(ids)) for u in uniq), np.int64, len(uniq))
        rows.append((np.cumsum(sep) - 1 + lo)[keep])
        codes.append(2 * gid[inv] + (sep | colon)[keep])
    return np.concatenate(rows), np.concatenate(codes), list(ids)


def _compatible(a: tuple[str, ...], b: tuple[str, ...], n: int) -> bool:
    """Two long forms of one short form (its last ``n`` tokens) that may name one referent: one is a subsequence of
    the other ("Jane Doe", "General Jane Doe"), or one's prefix is the other's acronym ("UN X", "United Nations X")."""
    def sub(x, y):
        it = iter(y)
        return all(t in it for t in x)

    pa, pb = a[:-n], b[:-n]
    return sub(a, b) or sub(b, a) or any(len(p) > 1 and "".join(t[0] for t in p) == "".join(q)
                                         for p, q in ((pa, pb), (pb, pa)))


def _shared(a: np.ndarray, b: np.ndarray) -> int:
    """How many items of sorted ``a`` are in sorted ``b``."""
    return int((b[np.minimum(np.searchsorted(b, a), len(b) - 1)] == a).sum()) if len(b) else 0


def _merge(keys: list[tuple[str, ...]], count: np.ndarray, heads: dict[int, set], arts, words: _Words) -> list[int]:
    """Step 4: the group (union-find root) of each variant; ``arts(i)`` gives the sorted articles of variant i."""
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index = {k: i for i, k in enumerate(keys)}
    multi = [i for i, k in enumerate(keys) if len(k) >= 2]
    acronyms: dict[str, list[int]] = {}
    for i in multi:  # "UN" / "United Nations"
        for ini in {"".join(t[0] for t in keys[i] if t not in PARTICLES), "".join(t[0] for t in keys[i])}:
            if len(ini) >= 2 and (ini,) in index:
                acronyms.setdefault(ini, []).append(i)
    for ini, longs in acronyms.items():
        longs.sort(key=lambda i: -count[i])
        short, dominant = index[(ini,)], len(longs) == 1 or count[longs[0]] >= 2 * count[longs[1]]
        if dominant and longs[0] not in heads and _shared(arts(short), arts(longs[0])):  # not a person; introduced
            parent[find(short)] = find(longs[0])
    blocks: dict[tuple, list[int]] = {}
    for i in multi:  # one token apart, same initial: misspellings and transliterations
        for j, t in enumerate(keys[i]):
            blocks.setdefault((keys[i][:j], t[0], keys[i][j + 1:]), []).append(i)
    for (pre, _, post), members in blocks.items():
        if len(members) < 2 or len(members) > 50 or all(words.common(t) for t in pre + post):
            continue
        members.sort(key=lambda i: -count[i])
        for a in members[1:]:
            near = []
            for b in (b for b in members if count[b] >= 2 * count[a]):
                match = SequenceMatcher(None, keys[a][len(pre)], keys[b][len(pre)])
                least = 0.4 if heads.get(a, set()) & heads.get(b, set()) else 0.75
                if match.real_quick_ratio() >= least <= match.quick_ratio() and match.ratio() >= least \
                        and not _shared(arts(a), arts(b)):
                    near.append((match.ratio(), b))
            if near:
                parent[find(a)] = find(max(near)[1])
    ends: dict[tuple, list[int]] = {}
    for i in multi:  # short forms: "Doe" / "Jane Doe" / "General Jane Doe"
        for j in range(1, len(keys[i])):
            if keys[i][j - 1] not in PARTICLES and keys[i][j] not in PARTICLES and keys[i][j:] in index:
                ends.setdefault(keys[i][j:], []).append(i)
    for short, longs in ends.items():
        s, longs = index[short], sorted(longs, key=lambda i: -count[i])[:50]
        if (len(short) == 1 and words.common(short[0])) or words.common(keys[longs[0]][-len(short) - 1]):
            continue  # a common word, or the head of a common-word name: "White House" is no "House"
        family, grown = [longs[0]], True
        while grown:
            more = [i for i in longs if i not in family and any(_compatible(keys[i], keys[f], len(short))
                                                                 for f in family)]
            family, grown = family + more, bool(more)
        if 3 * count[family].sum() >= 2 * count[longs].sum() and \
                10 * np.isin(arts(s), np.concatenate([arts(f) for f in family]), kind="table").sum() >= len(arts(s)):
            for f in family:
                parent[find(f)] = find(s)
    return [find(i) for i in range(len(keys))]


def mentions(sentences: pd.DataFrame) -> pd.DataFrame:
    """Every named-entity mention in the sentences, each named by its referent.

    Capitalised-phrase chunks (the proper-name cue of Collins and Singer 1999), sentence-initial words judged by
    how they are written elsewhere (Mikheev 1999), variants merged into referents (as in Steinberger et al. 2011);
    the steps are in the module docstring. No model: the core install only.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``store.sentences``: article_id, sentence, outlet, text).

    Returns
    -------
    pandas.DataFrame
        One row per mention, in sentence order: article_id, sentence, outlet, entity (the referent's name), surface
        (the chunk as written).
    """
    if sentences.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    texts = sentences["text"].fillna("").astype(str)
    rows, codes, chunks = _chunks(texts)
    words = _Words(texts)
    weight = np.bincount(codes, minlength=2 * len(chunks))
    cleaned = [_clean(chunks[c // 2], c % 2 == 1, words) if w else None for c, w in enumerate(weight)]
    counts: Counter = Counter()  # variants (and ("", token): how often a token opens a longer one)
    titles: Counter = Counter()  # words seen before names of two or more uncommon tokens
    for toks, w in zip(cleaned, weight, strict=True):
        if toks:
            key, cut = words.key(toks), _title(toks, words)
            counts[key] += w
            counts[("", key[0])] += w if len(key) > 1 else 0
            titles[toks[cut - 1].lower()] += w if cut else 0
    index: dict[tuple[str, ...], int] = {}
    heads: dict[int, set] = {}
    shown = []  # (variant, as written, weight)
    variants = np.full((len(cleaned), 2), -1)  # a chunk gives one variant, or two when it is split
    for c, toks in enumerate(cleaned):
        parts, head = _refine(toks, counts, titles, words) if toks else ([], ())
        for slot, part in enumerate(parts):
            variants[c, slot] = i = index.setdefault(words.key(part), len(index))
            shown.append((i, " ".join(part), weight[c]))
            if head:
                heads.setdefault(i, set()).add(head)
    hit = np.flatnonzero(variants[codes].ravel() >= 0)  # mention order kept, the parts of a split side by side
    norm = variants[codes].ravel()[hit]
    if not len(norm):  # chunks, none of them a name (no capitalised word but sentence openers and common words)
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    rows, codes = rows[hit // 2], codes[hit // 2]
    article = sentences["article_id"].to_numpy()[rows]
    art_code, _ = pd.factorize(article)
    n_art = art_code.max() + 1 if len(art_code) else 1
    pairs_na = np.sort(norm * n_art + art_code)
    pairs_na = pairs_na[np.r_[True, pairs_na[1:] != pairs_na[:-1]]]  # (variant, article) pairs, sorted
    bounds = np.searchsorted(pairs_na // n_art, np.arange(len(index) + 1))
    keys = list(index)
    count = np.bincount(norm, minlength=len(keys))
    roots = _merge(keys, count, heads, lambda i: pairs_na[bounds[i]:bounds[i + 1]] % n_art, words)
    spelled = pd.DataFrame(shown, columns=["variant", "name", "weight"]).groupby(["variant", "name"])["weight"].sum()
    table = pd.DataFrame({"root": roots, "count": count, "size": [len(k) for k in keys]})
    table["name"] = spelled.sort_values(ascending=False).reset_index().drop_duplicates("variant").set_index(
        "variant")["name"]  # the most frequent spelling
    most = table["count"].where(table["size"] >= 2).groupby(table["root"]).transform("max").fillna(0)
    table["full"] = (table["size"] >= 2) & (2 * table["count"] >= most)  # frequent variants of 2+ tokens
    table["acronym"] = table["name"].str.fullmatch(r"(?:[A-Z]\.?){2,}") & (table["count"] >= 5 * most)
    order = ["acronym", "full", "size", "count"]
    best = table.sort_values(order, ascending=[False, False, True, False]).drop_duplicates("root")
    entity_codes, entity_names = pd.factorize(table["root"].map(best.set_index("root")["name"]).to_numpy())
    return pd.DataFrame({
        "article_id": article,
        "sentence": sentences["sentence"].to_numpy()[rows],
        "outlet": pd.Categorical(sentences["outlet"].to_numpy()[rows]),
        "entity": pd.Categorical.from_codes(entity_codes[norm], categories=entity_names),
        "surface": pd.Categorical.from_codes(codes // 2, categories=pd.Index(chunks)),
    })


def by_outlet(mentions: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """The most mentioned entities, counted per outlet.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Entity mentions (``mentions``).
    top : int
        How many entities to keep, by mentions (ties: by articles).

    Returns
    -------
    pandas.DataFrame
        One row per entity and outlet, zeros included, in entity rank order: entity, outlet, mentions, articles
        (the articles that mention it).
    """
    cols = ["entity", "outlet", "mentions", "articles"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    agg = {"mentions": ("sentence", "size"), "articles": ("article_id", "nunique")}
    totals = mentions.groupby("entity", observed=True).agg(**agg)
    ranked = totals.sort_values(["mentions", "articles"], ascending=False, kind="stable").index[:top]
    sub = mentions[mentions["entity"].isin(ranked)].astype({"entity": str, "outlet": str})
    cells = sub.groupby(["entity", "outlet"]).agg(**agg)
    outlets = sorted(mentions["outlet"].astype(str).unique())
    grid = pd.MultiIndex.from_product([list(ranked), outlets], names=["entity", "outlet"])
    return cells.reindex(grid, fill_value=0).reset_index()[cols]


def evidence(mentions: pd.DataFrame, sentences: pd.DataFrame, entity: str, outlet: str | None = None) -> pd.DataFrame:
    """The sentences behind one cell of ``by_outlet``.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Entity mentions (``mentions``).
    sentences : pandas.DataFrame
        The sentence table (``store.sentences``).
    entity : str
        The entity.
    outlet : str, optional
        The outlet; default every outlet.

    Returns
    -------
    pandas.DataFrame
        article_id, sentence, outlet, surface (the forms written there, joined by " | "), text; in corpus order.
    """
    hits = mentions[(mentions["entity"] == entity) & ((mentions["outlet"] == outlet) if outlet is not None else True)]
    hits = hits.astype({"surface": str}).groupby(["article_id", "sentence"], as_index=False)["surface"].agg(
        lambda s: " | ".join(dict.fromkeys(s)))
    keep = sentences[["article_id", "sentence", "outlet", "text"]]
    return hits.merge(keep, on=["article_id", "sentence"])[["article_id", "sentence", "outlet", "surface", "text"]]
