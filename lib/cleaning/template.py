"""What each outlet's articles are cleaned by: the corpus's repeats and every outlet's template, put together.

``templates`` counts a batch in one round per pass (``lib/cleaning/rounds.py``; what each counts:
``lib/cleaning/counts.py``: ``line_counts``, ``usage_counts``, ``case_counts``; ``lib/cleaning/passages.py``:
``passage_counts``), each outlet's (and each regular author's) articles in chunks, on a pool when given, and decides
which of what repeats cleans whose articles: an outlet's template (Bar-Yossef and Rajagopalan 2002, "Template
detection via data mining") is its own, what several outlets share is news (DESIGN.md rule 0,
``lib/cleaning/news.py``).

``templates`` is made of phases that one machine and a Dask cluster (``lib/ingest/cluster.py``) both run, only
the executor differing: ``census`` and ``plan`` (which group each article is counted in), the rounds
(``rounds.part_counts`` over a part of the batch, added up by ``rounds.merged``), then ``lines``,
``outlet_passages``, ``outlet_templates`` and ``decide`` from the added-up counts, with ``passage_counters``,
``usage_counters`` and ``case_counters`` saying what each later pass counts. One machine counts the passages of
each outlet whole, in one task (``whole_outlets``), and keeps where each article carries them for cleaning; a
cluster adds up its partitions' ``passage_counts`` by range of the hash.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from lib import ingest
from lib.cleaning import held, repeats
from lib.cleaning.passages import passages_and_runs
from lib.cleaning.repeats import Counts, Labels, Repeats
from lib.cleaning.rounds import REPEATED, Progress, counted, plus, tolerant
from lib.ingest import metadata
from lib.ingest.guard import Failed, guarded


def given(a: ingest.RawArticle, manifest: dict[str, dict[str, str]], field_name: str) -> str:
    """A field the article's file or its manifest row gives (the manifest wins), stripped; "" if none."""
    row = manifest.get(a.key) or {}
    return (row.get(field_name) or a.given.get(field_name) or "").strip()


def outlet(a: ingest.RawArticle, manifest: dict[str, dict[str, str]]) -> str:
    """The outlet the file or manifest names, as it will be stored (``metadata.site_name``: "www.CNN.com" is
    "cnn.com"), so that an outlet's template is counted over all of its articles."""
    return metadata.site_name(given(a, manifest, "outlet"))


Group = tuple[str, str]  # (outlet as stored, author or "")


def census(articles: Iterable[ingest.RawArticle], manifest: dict[str, dict[str, str]]) -> Counter[tuple[str, str]]:
    """How many articles name each (outlet, byline), as the file or the manifest gives them (``given``); counts of
    parts of a batch add up, so a cluster counts its partitions and adds them (``plan`` reads the total)."""
    return Counter((given(a, manifest, "outlet"), given(a, manifest, "byline")) for a in articles)


@dataclass(frozen=True)
class Plan:
    """What a batch is counted by (``plan``): the ``Group`` each (outlet, byline) as given is counted in, the
    articles of each outlet as stored ("" for those that name none), and the outlet names as given."""

    groups: dict[tuple[str, str], Group]
    sizes: dict[str, int]
    names: frozenset[str]

    def group(self, a: ingest.RawArticle, manifest: dict[str, dict[str, str]]) -> Group:
        """The group ``a`` is counted in."""
        return self.groups[given(a, manifest, "outlet"), given(a, manifest, "byline")]


def plan(counts: Counter[tuple[str, str]]) -> Plan:
    """The groups of a batch from its ``census``: each outlet as stored (``metadata.site_name``) with each author
    named in ``repeats.SITE_MIN`` or more of its articles, and the rest of its articles."""
    stored = {name: metadata.site_name(name) for name, _ in counts}
    sizes: Counter[Group] = Counter()
    for (name, byline), n in counts.items():
        sizes[stored[name], byline if stored[name] else ""] += n
    groups = {}
    for name, byline in counts:
        group = (stored[name], byline if stored[name] else "")
        groups[name, byline] = (group[0], "") if group[1] and sizes[group] < repeats.SITE_MIN else group
    outlets: Counter[str] = Counter()
    for (name, _), n in sizes.items():
        outlets[name] += n
    return Plan(groups, dict(outlets), frozenset(stored))


def keyed(articles: Iterable[ingest.RawArticle], manifest: dict[str, dict[str, str]], the_plan: Plan,
          by_outlet: bool = False) -> list[tuple[Group | str, str]]:
    """Each article's raw text with the group it is counted in, or (``by_outlet``) its outlet as stored, the
    articles that name none left out."""
    pairs = ((the_plan.group(a, manifest), a.text) for a in articles)
    return [(group[0], raw) for group, raw in pairs if group[0]] if by_outlet else list(pairs)


def _at_least(counter: Counter[str], least: int) -> Counter[str]:
    """The keys of ``counter`` counted ``least`` times or more, with their counts."""
    return Counter({k: c for k, c in counter.items() if c >= least})


def pruned(counts: Counts) -> Counts:
    """What an outlet's template is found from (``repeats.site_repeats``, ``label_candidates``, ``captioned``) and
    whether what repeats is its own: its ``line_counts`` of ``repeats.SITE_MIN`` or more (lines, sentences and
    openings: two or more), and the numbers of its articles with link cards and with credited captions."""
    keep, least = _at_least, repeats.SITE_MIN
    return Counts(lines=keep(counts.lines, 2), prefixes=keep(counts.prefixes, least),
                  sentences=keep(counts.sentences, 2), openings=keep(counts.openings, 2),
                  skeletons=keep(counts.skeletons, least), heads=keep(counts.heads, least),
                  tails=keep(counts.tails, least), caps=keep(counts.caps, least), closers=keep(counts.closers, least),
                  cards=counts.cards, captioned=counts.captioned, n=counts.n)


@dataclass(frozen=True)
class Lines:
    """What the first pass (``line_counts`` of every group) finds (``lines``): the corpus's counts
    (``Counts.for_corpus``), the authors' templates, and each named outlet's counts, ``pruned``."""

    total: Counts
    authors: Repeats
    sites: dict[str, Counts]


def lines(groups: Iterable[tuple[Group, Counts]]) -> Lines:
    """The ``Lines`` of a batch from the ``line_counts`` of each of its groups, in their sorted order (an outlet's
    groups one after the other), each let go once added (and left as it was): the corpus's counts of the keys in
    ``REPEATED`` articles or more (those of fewer let go before the next passes count: nothing reads them), each
    author's template (``repeats.site_repeats`` at ``repeats.AUTHOR_SHARE``) and each outlet's counts."""
    authors, total, sites, running, current, own = Repeats(), None, {}, None, "", False  # own: running is new
    for (name, author), counts in groups:
        total = plus(total, counts.for_corpus())  # the corpus needs no skeletons or labels
        if author:
            authors |= repeats.site_repeats(counts, share=repeats.AUTHOR_SHARE)
        if name != current and running is not None:
            sites[current], running = pruned(running), None
        if name:
            if running is None:  # the outlet's first group: its counts, left as they are
                running, own = counts, False
            else:  # more groups: added up into new counts
                running, own = plus(running if own else plus(None, running), counts), True
            current = name
    if running is not None:
        sites[current] = pruned(running)
    total = total or repeats.line_counts([])  # no total: an empty batch
    return Lines(dataclasses.replace(total, **{name: _at_least(getattr(total, name), REPEATED)
                                               for name in ("lines", "prefixes", "sentences", "openings")}),
                 authors, sites)


def _readings(counted_: Iterable[tuple[Group, Counts]], places: dict[Group, list[int]],
              read: dict[int, bytes]) -> Iterator[tuple[Group, Counts]]:
    """The first pass's counts of each group, as they come, their ``readings`` moved to ``read`` by the place of
    each article (``places``); a group with an article that failed to count has fewer, and gives none."""
    for group, counts in counted_:
        if len(counts.readings) == len(places[group]):
            read.update(zip(places[group], counts.readings, strict=True))
        counts.readings = []
        yield group, counts


def passage_counters(the_plan: Plan) -> dict[str, Callable]:
    """What the second pass counts: ``repeats.passage_counts`` of each named outlet of ``repeats.SITE_MIN`` or
    more articles."""
    return {o: repeats.passage_counts for o, n in sorted(the_plan.sizes.items()) if o and n >= repeats.SITE_MIN}


def outlet_passages(counted_: Iterable[tuple[str, repeats.HashCounts]], the_plan: Plan) -> dict[str, frozenset[int]]:
    """Each outlet's passages (``repeats.site_passages``) from its ``passage_counts``, each let go once read."""
    return {o: repeats.site_passages(c, the_plan.sizes[o]) for o, c in counted_}


def _passages_and_runs(task: tuple[list[str], float]) -> tuple[frozenset[int], list[list[tuple[int, int]]] | None]:
    """One outlet's passages, from all of its articles, and their runs in each (``passages.passages_and_runs``),
    for the pool; should one article make that fail, the passages of the others (``tolerant``), and no runs."""
    raws, least = task
    out = guarded(passages_and_runs, raws, least)
    return (tolerant(repeats.passage_counts, raws).at_least(least), None) if isinstance(out, Failed) else out


def whole_outlets(outlets: dict[str, list[str]], places: dict[str, list[int]], the_plan: Plan, pool=None,
                  runs: dict[int, list[tuple[int, int]]] | None = None) -> Iterator[tuple[str, frozenset[int]]]:
    """The second pass on one machine: each outlet of ``passage_counters`` counted whole, in one task, the largest
    first (on the pool, when given, the tasks queued at the call, behind any queued before): its passages, as
    ``outlet_passages`` finds them, as ``(outlet, passages)``; and, in ``runs`` when given, where each of its
    articles carries them (``passages.passage_runs``), by the article's place (``places``), read while counting so
    that cleaning need not hash the article again. ``runs`` is filled as the passages are read."""
    names = sorted(passage_counters(the_plan), key=lambda o: -len(outlets[o]))
    tasks = [(outlets[o], repeats.passage_floor(the_plan.sizes[o])) for o in names]
    return _with_runs(names, (pool.imap if pool else map)(_passages_and_runs, tasks), places, runs)


def _with_runs(names: list[str], found: Iterable[tuple], places: dict[str, list[int]],
               runs: dict[int, list[tuple[int, int]]] | None) -> Iterator[tuple[str, frozenset[int]]]:
    """``whole_outlets``' passages of each outlet, its runs moved to ``runs``."""
    for o, (shingles, at) in zip(names, found, strict=True):
        if runs is not None and at is not None:
            runs.update(zip(places[o], at, strict=True))
        yield o, shingles


def usage_counters(found: Lines) -> dict[str, Callable]:
    """What the third pass counts: how each named outlet's label candidates (``repeats.label_candidates``) are
    used (``repeats.usage_counts``), for the outlets that have any."""
    candidates = {o: repeats.label_candidates(c) for o, c in found.sites.items()}
    return {o: functools.partial(repeats.usage_counts, words=w) for o, w in candidates.items() if w}


def outlet_templates(found: Lines, used: dict) -> dict[str, Repeats]:
    """Each named outlet's template (``repeats.site_repeats``) from its counts and its labels' usage."""
    return {o: repeats.site_repeats(c, used.get(o)) for o, c in found.sites.items()}


def case_counters(site: dict[str, Repeats]) -> dict[str, Callable]:
    """What the fourth pass counts: how the words of each outlet's head labels that could be names
    (``repeats.name_words``) are written (``repeats.case_counts``), for the outlets that have any."""
    words = {o: repeats.name_words(r.labels.heads) for o, r in site.items()}
    return {o: functools.partial(repeats.case_counts, words=w) for o, w in words.items() if w}


def decide(the_plan: Plan, found: Lines, site: dict[str, Repeats], passages: dict[str, frozenset[int]],
           cased: dict) -> dict[str, Repeats]:
    """The ``Repeats`` each outlet's articles are cleaned by, from the four passes (see ``templates``), keyed by
    the outlet as the file or manifest names it."""
    own: dict[str, Labels] = {}  # outlet -> the labels that clean its articles only
    most = Counter(), Counter(), Counter()  # line, sentence, opening -> the most articles of one outlet it is in
    sites, total = found.authors, found.total
    for name, counts in found.sites.items():
        labels = site[name].labels
        own[name] = Labels(tails=labels.tails, captions=repeats.captioned(counts))
        sites |= dataclasses.replace(site[name], labels=dataclasses.replace(labels, tails=frozenset()),
                                     names=repeats.name_labels(labels.heads, cased.get(name, Counter())))
        for top, part in zip(most, (counts.lines, counts.sentences, counts.openings), strict=True):
            for k, c in part.items():
                top[k] = max(top[k], c)
    found_ = repeats.corpus_repeats(counts=total) | sites
    solo = frozenset(k for keys, top, all_ in ((found_.lines, most[0], total.lines),
                                               (found_.sentences, most[1], total.sentences),
                                               (found_.openings, most[2], total.openings))
                     for k in keys if top[k] == all_[k])  # what one named outlet's articles alone repeat
    templated = frozenset(k for keys, top in ((found_.lines, most[0]), (found_.sentences, most[1]),
                                              (found_.openings, most[2])) for k in keys if top[k] >= repeats.SITE_MIN)
    cleaned_by = {name: dataclasses.replace(found_, labels=found_.labels | own.get(name, Labels()),
                                            passages=passages.get(name, frozenset()), templates=templated,
                                            solo=solo, by_outlet=bool(name))
                  for name in the_plan.sizes}
    return {name: cleaned_by[metadata.site_name(name)] for name in the_plan.names}


def templates(articles: list[ingest.RawArticle], manifest: dict[str, dict[str, str]], pool=None,
              progress: Progress | None = None, read: dict[int, bytes] | None = None,
              runs: dict[int, list[tuple[int, int]]] | None = None) -> dict[str, Repeats]:
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
    read : filled, when given, with the sentences the first pass found in each article, by its place in
        ``articles`` (``lib/cleaning/reading.py``; none for the articles of a group where one failed to count).
    runs : filled, when given, with where each article of an outlet with passages carries them, by its place in
        ``articles`` (``whole_outlets``; none for the articles of an outlet where one failed to count).

    Returns
    -------
    dict
        The ``Repeats`` to clean each article by, keyed by the outlet as the file or manifest names it ("" for the
        articles that name none); outlets are counted as they will be stored (``metadata.site_name``).
    """
    the_plan = plan(census(articles, manifest))
    groups: dict[Group, list[str]] = {}
    places: dict[Group, list[int]] = {}  # where each group's articles are in ``articles``
    for i, (group, raw) in enumerate(keyed(articles, manifest, the_plan)):
        groups.setdefault(group, []).append(raw)
        places.setdefault(group, []).append(i)
    groups = dict(sorted(groups.items()))  # an outlet's groups one after the other
    outlets: dict[str, list[str]] = {}
    outlet_places: dict[str, list[int]] = {}
    for (name, author), raws in groups.items():
        if name:
            outlets.setdefault(name, []).extend(raws)
            outlet_places.setdefault(name, []).extend(places[name, author])

    def each(count: dict, chunk: int | None = None) -> Iterator[tuple]:  # a pass over the outlets it counts
        return counted({o: raws for o, raws in outlets.items() if o in count}, count, pool, chunk=chunk)

    count = functools.partial(repeats.line_counts, keep=read is not None)
    first = (held.counted if isinstance(pool, held.Pool) else counted)(groups, count, pool, progress)
    passages = whole_outlets(outlets, outlet_places, the_plan, pool, runs)  # needs no first pass: queued behind it
    found = lines(first if read is None else _readings(first, places, read))
    site = outlet_templates(found, dict(each(usage_counters(found))))
    return decide(the_plan, found, site, dict(passages), dict(each(case_counters(site))))
