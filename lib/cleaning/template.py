"""What each outlet's articles are cleaned by: the corpus's repeats and every outlet's template, put together.

``templates`` counts a batch in one round per pass (``lib/cleaning/counts.py``: ``line_counts``, ``usage_counts``,
``case_counts``; ``lib/cleaning/passages.py``: ``passage_counts``), each outlet's (and each regular author's)
articles in chunks of ``CHUNK``, on a pool when given, and decides which of what repeats cleans whose articles: an
outlet's template (Bar-Yossef and Rajagopalan 2002, "Template detection via data mining") is its own, what several
outlets share is news (DESIGN.md rule 0, ``lib/cleaning/news.py``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Callable, Iterator

from lib import ingest
from lib.cleaning import repeats
from lib.cleaning.repeats import Counts, Labels, Repeats
from lib.ingest import metadata
from lib.ingest.guard import Failed, guarded

Progress = Callable[[str, int, int], None]  # (stage, done, total)
CHUNK = 500  # articles per counting task


def given(a: ingest.RawArticle, manifest: dict[str, dict[str, str]], field_name: str) -> str:
    """A field the article's file or its manifest row gives (the manifest wins), stripped; "" if none."""
    row = manifest.get(a.key) or {}
    return (row.get(field_name) or a.given.get(field_name) or "").strip()


def outlet(a: ingest.RawArticle, manifest: dict[str, dict[str, str]]) -> str:
    """The outlet the file or manifest names, as it will be stored (``metadata.site_name``: "www.CNN.com" is
    "cnn.com"), so that an outlet's template is counted over all of its articles."""
    return metadata.site_name(given(a, manifest, "outlet"))


def plus(total, part):
    """Counts of two parts of a corpus added up (``Counter``, ``repeats.Counts`` or ``repeats.Usage``): ``total``
    updated in place, or a new one when ``total`` is None."""
    total = type(part)() if total is None else total
    total.update(part)
    return total


def tolerant(count: Callable[[list[str]], object], raws: list[str]):
    """``count(raws)``; should one article make it fail, the articles counted one by one and the failing ones
    left out (cleaning then reports them): the corpus's statistics never depend on one article."""
    out = guarded(count, raws)
    if not isinstance(out, Failed):
        return out
    total = None
    for part in (guarded(count, [raw]) for raw in raws):
        if not isinstance(part, Failed):
            total = plus(total, part)
    return count([]) if total is None else total


def _count(task: tuple) -> tuple:
    """One counting task, ``(key, count, raws)``: ``(key, count(raws))`` (``tolerant``), for the pool."""
    key, count, raws = task
    return key, tolerant(count, raws)


def counted(groups: dict, count: Callable | dict, pool=None, progress: Progress | None = None) -> Iterator[tuple]:
    """``count`` (one function, or one per key) over each group of raw texts, in chunks of ``CHUNK``, every
    group's chunks in one round on the pool (when given; its ``imap``): ``(key, counts)`` per group, in the groups'
    order, each as soon as its chunks are counted and added up (``plus``)."""
    tasks = [(key, count[key] if isinstance(count, dict) else count, raws[i : i + CHUNK])
             for key, raws in groups.items() for i in range(0, len(raws), CHUNK)]
    key, total = None, None
    for done, (k, part) in enumerate((pool.imap if pool else map)(_count, tasks), 1):
        if progress:
            progress("count", done, len(tasks))
        if k != key and key is not None:
            yield key, total
            total = None
        key, total = k, plus(total, part)
    if key is not None:
        yield key, total


def pruned(counts: Counts) -> Counts:
    """What an outlet's template is found from (``repeats.site_repeats``, ``label_candidates``, ``captioned``) and
    whether what repeats is its own: its ``line_counts`` of ``repeats.SITE_MIN`` or more (lines, sentences and
    openings: two or more), and the numbers of its articles with link cards and with credited captions."""
    def keep(counter: Counter[str], least: int) -> Counter[str]:
        return Counter({k: c for k, c in counter.items() if c >= least})

    least = repeats.SITE_MIN
    return Counts(lines=keep(counts.lines, 2), prefixes=keep(counts.prefixes, least),
                  sentences=keep(counts.sentences, 2), openings=keep(counts.openings, 2),
                  skeletons=keep(counts.skeletons, least), heads=keep(counts.heads, least),
                  tails=keep(counts.tails, least), caps=keep(counts.caps, least), closers=keep(counts.closers, least),
                  cards=counts.cards, captioned=counts.captioned, n=counts.n)


def templates(articles: list[ingest.RawArticle], manifest: dict[str, dict[str, str]], pool=None,
              progress: Progress | None = None) -> dict[str, Repeats]:
    """What each outlet's articles are cleaned by: what repeats across the batch (``repeats.corpus_repeats``),
    every outlet's template (``repeats.site_repeats``, for the outlets the files or the manifest name) and the
    template of each author the files or the manifest name in ten or more of an outlet's articles (a
    columnist's sign-off: ``repeats.AUTHOR_SHARE`` of their articles), each author's articles counted once;
    but an outlet's closing labels (``Labels.tails``), its captions opened by a credit (``repeats.captioned``) and
    the passages it repeats (``repeats.site_passages``) clean its own articles only: a closing label of one outlet
    ("…, X News" in its credits) also ends another outlet's sentences ("Doe told X News."). A repeated line or sentence
    that the articles of one named outlet alone carry (``Repeats.solo``) is not what several outlets share; one
    that ten or more articles of one outlet carry (``repeats.SITE_MIN``: more than one story's updates) is that
    outlet's template (``Repeats.templates``), never news, whoever else reprints it.

    Parameters
    ----------
    articles : the batch as read.
    manifest : manifest rows by article key (a row's outlet and byline win over the file's).
    pool : a process pool whose ``imap`` counts the chunks, or None to count here.
    progress : called with ("count", chunks done, chunks) as the first pass goes.

    Returns
    -------
    dict
        The ``Repeats`` to clean each article by, keyed by the outlet as the file or manifest names it ("" for the
        articles that name none); outlets are counted as they will be stored (``metadata.site_name``).
    """
    groups: dict[tuple[str, str], list[str]] = {}  # (outlet, author or "") -> raw texts
    for a in articles:
        name = outlet(a, manifest)
        groups.setdefault((name, given(a, manifest, "byline") if name else ""), []).append(a.text)
    for name, author in [k for k, raws in groups.items() if k[1] and len(raws) < repeats.SITE_MIN]:
        groups.setdefault((name, ""), []).extend(groups.pop((name, author)))  # counted with the outlet's others
    groups = dict(sorted(groups.items()))  # an outlet's groups one after the other
    outlets: dict[str, list[str]] = {}
    for (name, _), raws in groups.items():
        outlets.setdefault(name, []).extend(raws)

    # one round over every group: the corpus's counts, each author's template, each outlet's template counts
    last = {name: (name, author) for name, author in groups}  # the last group of each outlet
    sites, total, site_counts, running = Repeats(), None, {}, None
    for (name, author), counts in counted(groups, repeats.line_counts, pool, progress):
        total = plus(total, counts.for_corpus())  # the corpus needs no skeletons or labels
        if author:
            sites |= repeats.site_repeats(counts, share=repeats.AUTHOR_SHARE)
        if name:
            running = plus(running, counts)
            if last[name] == (name, author):
                site_counts[name], running = pruned(running), None
    total = total or repeats.line_counts([])  # an empty batch
    named = {o: raws for o, raws in outlets.items() if o}
    passages = {o: repeats.site_passages(c, len(named[o])) for o, c in counted(
        {o: raws for o, raws in named.items() if len(raws) >= repeats.SITE_MIN}, repeats.passage_counts, pool)}
    candidates = {o: repeats.label_candidates(site_counts[o]) for o in named}
    used = dict(counted({o: raws for o, raws in named.items() if candidates[o]},
                        {o: functools.partial(repeats.usage_counts, words=w) for o, w in candidates.items()}, pool))
    site = {o: repeats.site_repeats(site_counts[o], used.get(o)) for o in named}
    words = {o: repeats.name_words(site[o].labels.heads) for o in named}
    cased = dict(counted({o: raws for o, raws in named.items() if words[o]},
                         {o: functools.partial(repeats.case_counts, words=w) for o, w in words.items()}, pool))

    own: dict[str, Labels] = {}  # outlet -> the labels that clean its articles only
    most = Counter(), Counter(), Counter()  # line, sentence, opening -> the most articles of one outlet it is in
    for name in named:
        counts, labels = site_counts[name], site[name].labels
        own[name] = Labels(tails=labels.tails, captions=repeats.captioned(counts))
        sites |= dataclasses.replace(site[name], labels=dataclasses.replace(labels, tails=frozenset()),
                                     names=repeats.name_labels(labels.heads, cased.get(name, Counter())))
        for top, part in zip(most, (counts.lines, counts.sentences, counts.openings), strict=True):
            for k, c in part.items():
                top[k] = max(top[k], c)
    found = repeats.corpus_repeats(counts=total) | sites
    solo = frozenset(k for keys, top, all_ in ((found.lines, most[0], total.lines),
                                               (found.sentences, most[1], total.sentences),
                                               (found.openings, most[2], total.openings))
                     for k in keys if top[k] == all_[k])  # what one named outlet's articles alone repeat
    templated = frozenset(k for keys, top in ((found.lines, most[0]), (found.sentences, most[1]),
                                              (found.openings, most[2])) for k in keys if top[k] >= repeats.SITE_MIN)
    cleaned_by = {name: dataclasses.replace(found, labels=found.labels | own.get(name, Labels()),
                                            passages=passages.get(name, frozenset()), templates=templated,
                                            solo=solo, by_outlet=bool(name))
                  for name in outlets}
    return {name: cleaned_by[metadata.site_name(name)] for name in {given(a, manifest, "outlet") for a in articles}}
