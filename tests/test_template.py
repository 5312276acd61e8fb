"""An outlet's template (lib/cleaning/template.py) and the counts it is found from (lib/cleaning/repeats.py),
on small invented corpora."""

from __future__ import annotations

import copy
import random
from collections import Counter
from multiprocessing.pool import ThreadPool

import numpy as np
import pytest
from conftest import article, story

from lib import ingest
from lib.cleaning import repeats, rounds, template
from lib.cleaning.repeats import Counts, Labels, line_counts
from lib.text import hashes


def test_each_label_kind_is_counted_on_its_own():
    counts = line_counts([article(1), article(2)])
    assert counts.heads["hide caption"] == 2 and counts.tails["read more"] == 2 and counts.caps["close"] == 2
    assert "close" not in counts.heads and "hide caption" not in counts.caps
    assert (counts.cards, counts.captioned, counts.n) == (0, 0, 2) and not counts.closers
    odd = line_counts(["» More news from the river and the bridge today.\n" + story(3)])
    assert odd.heads["» more"] == 1 and not odd.closers and odd.cards == 0  # a sentence's opening, not a card


def test_counts_of_parts_add_up_to_the_counts_of_the_whole():
    raws = [article(i) for i in range(7)]
    assert line_counts(raws[:3]).update(line_counts(raws[3:])) == line_counts(raws)
    assert rounds.plus(None, line_counts(raws[:3])) == line_counts(raws[:3])
    corpus = line_counts(raws).for_corpus()
    assert corpus.lines == line_counts(raws).lines and not corpus.heads and corpus.n == 7


def test_an_article_that_breaks_a_count_is_left_out_of_it():
    def fragile(raws):
        if any("BOOM" in r for r in raws):
            raise RecursionError("deep")
        return line_counts(raws)

    raws = [article(1), "BOOM " + article(2), article(3)]
    assert rounds.tolerant(fragile, raws) == line_counts([raws[0], raws[2]])
    assert rounds.tolerant(fragile, raws[1:2]) == Counts()


def test_pruned_keeps_what_a_template_is_found_from_and_the_articles_with_cards():
    counts = Counts(lines={"a": 2, "b": 1}, heads={"hide caption": 10, "file photo:": 9}, closers={"MORE": 3},
                    cards=4, captioned=3, n=40)
    kept = template.pruned(counts)
    assert kept.lines == {"a": 2} and kept.heads == {"hide caption": 10} and not kept.closers
    assert (kept.cards, kept.captioned, kept.n) == (4, 3, 40)


def test_an_outlets_template_takes_its_labels_by_kind_and_its_closing_labels_stay_its_own():
    own = [ingest.RawArticle(f"a{i}", f"a{i}", article(i), {"outlet": "A"}) for i in range(12)]
    other = [ingest.RawArticle(f"b{i}", f"b{i}", story(i + 200), {"outlet": "B"}) for i in range(3)]
    found = template.templates(own + other, {})
    labels = found["A"].labels
    assert "hide caption" in labels.heads and "close" in labels.caps and "read more" in labels.tails
    assert found["B"].labels == Labels(heads=labels.heads, caps=labels.caps)  # a tail cleans its outlet's only
    assert "sign up for the morning briefing from our newsroom today." in found["A"].sentences


def test_an_outlet_named_two_ways_is_counted_as_one_and_the_manifest_wins():
    arts = [ingest.RawArticle(f"a{i}", f"a{i}", article(i), {"outlet": "www.Example.com" if i % 2 else "example.com"})
            for i in range(12)]  # six articles each way: a template only together
    found = template.templates(arts, {})
    assert found["www.Example.com"] is found["example.com"]
    assert "hide caption" in found["example.com"].labels.heads
    manifest = {"a0": {"outlet": "Other"}}
    assert template.given(arts[0], manifest, "outlet") == "Other"
    assert template.outlet(arts[1], manifest) == "example.com"
    assert set(template.templates(arts, manifest)) == {"Other", "www.Example.com", "example.com"}


def test_counting_in_chunks_on_a_pool_gives_the_same_templates(monkeypatch):
    arts = [ingest.RawArticle(f"a{i}", f"a{i}", article(i), {"outlet": f"O{i % 2}", "byline": "Jo Lund"})
            for i in range(30)]
    whole = template.templates(arts, {})
    monkeypatch.setattr(rounds, "CHUNK", 4)
    seen = []
    with ThreadPool(2) as pool:
        chunked = template.templates(arts, {}, pool, lambda stage, done, total: seen.append((stage, done, total)))
    assert chunked == whole
    assert seen[-1] == ("count", 8, 8)  # two outlets' one author: 15 articles each, in chunks of 4
    assert repeats.SITE_MIN <= 15


def test_counts_of_any_partitions_added_up_give_the_same_templates():
    """The phases a cluster runs (lib/ingest/cluster.py), here in one process: each pass counted per partition of
    the batch (``part_counts``), the partitions' counts added up (``merged``, which leaves them as they were), then
    decided; the same as ``templates``, which counts each group in chunks."""
    arts = [ingest.RawArticle(f"a{i}", f"a{i}", article(i), {"outlet": f"O{i % 2}", "byline": "Jo Lund" if i < 24
                                                            else ""}) for i in range(30)]
    arts += [ingest.RawArticle("b0", "b0", story(400), {"outlet": "www.O1.com"}),
             ingest.RawArticle("c0", "c0", story(401))]
    parts = [arts[i : i + 7] for i in range(0, len(arts), 7)]
    plan = template.plan(sum((template.census(p, {}) for p in parts), Counter()))
    assert plan == template.plan(template.census(arts, {}))
    assert plan.groups["O0", "Jo Lund"][1] == "Jo Lund" and plan.groups["", ""] == ("", "")  # 12 articles: a group

    def each(count, by_outlet: bool = True) -> dict:
        partial = [rounds.part_counts(template.keyed(p, {}, plan, by_outlet), count) for p in parts]
        before = copy.deepcopy(partial)
        total = rounds.merged(*partial)
        assert partial == before  # the parts are left as they were: a reduction run again adds the same
        return total

    first = [rounds.part_counts(template.keyed(p, {}, plan), repeats.line_counts) for p in parts]
    kept = rounds.repeated(hashes.added(*map(rounds.hashed, first)))
    found = template.lines(sorted(rounds.merged(*(rounds.only(c, kept) for c in first)).items()))
    every = template.lines(sorted(each(repeats.line_counts, by_outlet=False).items()))
    assert (found.sites, found.authors, found.total) == (every.sites, every.authors, every.total.only(kept))
    sentences = sum((c.sentences for part in first for c in part.values()), Counter())
    assert len(sentences) > 3 * len(found.total.sentences)  # most keys are one article's: the corpus's counts let
    assert found.total.sentences == Counter({k: c for k, c in sentences.items() if c >= 2})  # them go, both ways
    passages = template.outlet_passages(each(template.passage_counters(plan)).items(), plan)
    site = template.outlet_templates(found, each(template.usage_counters(found)))
    decided = template.decide(plan, found, site, passages, each(template.case_counters(site)))
    assert decided == template.templates(arts, {}) and set(decided) == {"O0", "O1", "www.O1.com", ""}


def test_the_keys_of_one_article_are_left_out_by_hash_and_nothing_else():
    """A cluster adds up the first pass's counts without the keys of one article (``rounds.only``): kept by a
    stable hash (the same in every worker), counted twice or more over every part; a hash that collides keeps a key
    too many, never one too few."""
    a = repeats.line_counts(["Once here.\nTwice here.\nSame line."])
    b = repeats.line_counts(["Same line.\nTwice here."])
    kept = rounds.repeated(hashes.added(a.hashed(), b.hashed()))
    assert np.array_equal(hashes.stable(["same line."]), hashes.stable(["same line."]))
    assert len(hashes.stable(["same line.", "twice here.", "once here."])) == 3
    both = a.only(kept).update(b.only(kept))
    assert set(both.lines) == {"same line.", "twice here."} and both.n == 2
    assert set(a.only(np.sort(hashes.stable(["once here."]))).lines) == {"once here."}  # a collision: one more
    assert not a.only(np.empty(0, np.uint64)).lines and a.only(np.empty(0, np.uint64)).n == 1


def test_shingle_counts_of_parts_add_up_to_a_counters_counts():
    """Passage counts are arrays (16 bytes a shingle), and count as a ``Counter`` of each article's shingles."""
    rng = random.Random(7)
    words = [f"w{i}" for i in range(40)]
    raws = [" ".join(rng.choice(words) for _ in range(rng.randrange(5, 60))) for _ in range(30)]
    want: Counter[int] = Counter()
    for raw in raws:
        want.update(set(repeats.shingles(raw)))
    whole = repeats.passage_counts(raws)
    assert dict(zip(whole.keys.tolist(), whole.counts.tolist(), strict=True)) == want
    parts = rounds.merged({"o": repeats.passage_counts(raws[:7])}, {"o": repeats.passage_counts([])},
                            {"o": repeats.passage_counts(raws[7:])})["o"]
    assert parts == whole and parts.at_least(3) == {h for h, c in want.items() if c >= 3}
    sliced = whole.sliced(4)  # a cluster adds them up by range of the hash
    assert hashes.added(*sliced) == whole and all(len(s.keys) < len(whole.keys) for s in sliced)
    assert all(s.keys.max() < (i + 1) * 2**64 // 4 for i, s in enumerate(sliced))


def walked(raw: str, found: frozenset[int]) -> list[tuple[int, int]]:
    """Each run of shingles of ``raw`` in ``found``, walked shingle by shingle: from its first word to its last."""
    from lib.cleaning.passages import PASSAGE, shingles, word_places

    hs, at, runs, i = shingles(raw), word_places(raw), [], 0
    while i < len(hs):
        j = i
        while hs[i] in found and j + 1 < len(hs) and hs[j + 1] in found:
            j += 1
        if hs[i] in found:
            runs.append((at[i][0], at[j + PASSAGE - 1][1]))
        i = j + 1
    return runs


def test_an_outlets_passages_and_runs_are_those_its_shingle_counts_give():
    """``passages_and_runs`` counts only the shingles whose range of the hash holds enough of them, and marks each
    article's runs at once: the passages are those ``passage_counts`` finds, the runs those ``passage_runs`` finds."""
    from lib.cleaning import passages

    rng = random.Random(5)
    words = [f"w{i}" for i in range(25)]
    raws = [" ".join(rng.choice(words) for _ in range(rng.randrange(5, 80))) for _ in range(60)]
    raws += [f"{raw} the same twelve words close every one of these articles said the desk today" for raw in raws[:20]]
    for least in (1, 2, 3, 10, 12.5, 100):
        found, runs = passages.passages_and_runs(raws, least)
        assert found == repeats.passage_counts(raws).at_least(least)
        assert runs == [passages.passage_runs(raw, found) for raw in raws] == [walked(raw, found) for raw in raws]
    found, runs = passages.passages_and_runs(raws, 10)
    assert found and sum(map(bool, runs)) >= 20 and not passages.passages_and_runs(raws[:5], 10)[0]


def test_each_groups_counts_added_up_from_its_chunks_are_its_counts(monkeypatch):
    """``counted`` adds a group's chunks up: shingle counts all at once, line counts as they come; either way
    they are the group's counts, counted whole, and the next group's are its own."""
    monkeypatch.setattr(rounds, "CHUNK", 4)
    rng = random.Random(11)
    words = [f"w{i}" for i in range(30)]
    raws = [" ".join(rng.choice(words) for _ in range(rng.randrange(5, 40))) + ".\nShare this story" for _ in range(11)]
    groups = {"one": raws, "two": raws[:5]}
    shingles = dict(rounds.counted(groups, repeats.passage_counts))
    assert shingles == {"one": repeats.passage_counts(raws), "two": repeats.passage_counts(raws[:5])}
    assert dict(rounds.counted(groups, repeats.passage_counts, chunk=0)) == shingles  # each group whole
    lines = dict(rounds.counted(groups, repeats.line_counts))
    assert lines == {"one": repeats.line_counts(raws), "two": repeats.line_counts(raws[:5])}
    assert lines["one"].lines["share this story"] == 11


def test_label_usage_finds_the_longest_label_at_each_place():
    """The pattern ``usage_counts`` and ``case_counts`` search with (a trie of the labels' characters) finds, at each
    place, what an alternation of the labels longest first finds: on labels that continue each other ("file",
    "file photo:"), end in marks or words, and texts of any whitespace."""
    import re

    from lib.cleaning import counts

    def longest_first(phrases):
        return re.compile(r"(?<![\w#])(?:" + "|".join(
            r"\s+".join(map(re.escape, k.split())) + (r"(?![\w#])" if k[-1].isalnum() else "")
            for k in sorted(phrases, key=len, reverse=True)) + ")")

    rng = random.Random(3)
    words = ["a", "ab", "abc", "file", "file:", "photo:", "(ap)", "#", "x.", "u.s.", "hide", "caption", "read", "more"]
    for _ in range(3000):
        labels = {" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 8))}
        text = "".join(rng.choice([*words, " ", "  ", "\n", "\t", ".", "x", "(", "a#"]) for _ in range(60))
        want = [m.span() for m in longest_first(labels).finditer(text)]
        assert [m.span() for m in counts._alternation(labels).finditer(text)] == want, (labels, text)
        assert counts._finder(labels)(text) == want, (labels, text)  # compiled where the install could
    used = counts.usage_counts(["File photo: a crowd.\nHide caption", "He filed a hide caption report."],
                               Labels(heads=frozenset({"file photo:", "hide caption"})))
    assert used.heads == Counter({("file photo:", True): 1, ("hide caption", True): 1, ("hide caption", False): 1})


def test_compiled_label_search_finds_what_the_pattern_finds(monkeypatch):
    """``lib/cleaning/_keys.c``'s ``phrases`` walks the labels' trie as ``counts._alternation``'s pattern matches:
    labels of letters, digits masked, marks and other scripts, in texts of whitespace of every kind."""
    from lib.cleaning import counts

    if counts._phrases is None:
        pytest.skip("lib/cleaning/_keys.c was not compiled at install (no C compiler): the regular expression only")
    rng = random.Random(9)
    words = ["a", "ab", "file", "file:", "photo", "(ap)", "#", "# of #", "u.s.", "é", "été", "ǅ", "x_", "—", "read"]
    cases = []
    for _ in range(3000):
        labels = {" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 8))}
        text = "".join(rng.choice([*words, " ", "\u00a0", "\n", "\u2003", ".", "x", "#", "1", "_"]) for _ in range(60))
        cases.append((labels, text, counts._finder(labels)(text)))
    monkeypatch.setattr(counts, "_phrases", None)
    assert all(found == counts._finder(labels)(text) for labels, text, found in cases)
    assert sum(bool(found) for _, _, found in cases) > 1000  # most texts hold a label


def test_lines_leaves_the_groups_counts_as_they_were():
    """``template.lines`` adds an outlet's groups up into new counts: the counts it is given (a Dask task's input, which
    a task run again reads again) stay as they were, and an outlet of one group is counted as that group."""
    a = repeats.line_counts(["Subscribe now.\nOnce here.", "Subscribe now.\nAnother line."])
    b = repeats.line_counts(["Subscribe now.\nTwice here."])
    c = repeats.line_counts(["Only in the other outlet."])
    before = copy.deepcopy([a, b, c])
    found = template.lines([(("x.com", ""), a), (("x.com", "jane doe"), b), (("y.com", ""), c)])
    assert [a, b, c] == before
    assert found.sites["x.com"].lines["subscribe now."] == 3 and found.sites["x.com"].n == 3
    assert found.sites["y.com"] == template.pruned(c)


def test_the_first_pass_keeps_each_articles_sentences_by_its_place(monkeypatch):
    # groups of several chunks, on a pool, and a group where one article fails to count: it keeps none
    from lib.cleaning import reading
    from lib.cleaning.blocks import blocks
    from lib.text import segment

    arts = [ingest.RawArticle(f"a{i}", f"a{i}", article(i) + ("\nBOOM" if i == 7 else ""), {"outlet": f"O{i % 3}"})
            for i in range(30)]
    real = repeats.line_counts

    def fragile(raws, **options):
        if any("BOOM" in r for r in raws):
            raise RecursionError("deep")
        return real(raws, **options)

    monkeypatch.setattr(repeats, "line_counts", fragile)
    monkeypatch.setattr(rounds, "CHUNK", 4)
    read: dict[int, bytes] = {}
    with ThreadPool(2) as pool:
        found = template.templates(arts, {}, pool, read=read)
    assert found == template.templates(arts, {})  # keeping them changes nothing counted
    assert sorted(read) == [i for i in range(30) if i % 3 != 7 % 3]  # O1 had the failing article
    expected = {i: [segment.sentence_spans(arts[i].text[b.start : b.end]) for b in blocks(arts[i].text)]
                for i in read}

    def unsplit(*_):
        raise AssertionError("split again")

    monkeypatch.setattr(segment, "_pieces", unsplit)
    segment._sentence_spans.cache_clear()
    for i, kept in read.items():  # each article's blocks found among the sentences recalled, as sentencex split them
        raw = arts[i].text
        bs = blocks(raw)
        reading.recall(raw, bs, kept)
        assert [segment.sentence_spans(raw[b.start : b.end]) for b in bs] == expected[i]
    segment.remember([])


def test_the_passage_pass_keeps_where_each_article_carries_its_outlets_passages(monkeypatch):
    # each outlet counted whole on a pool; the runs kept are those cleaning would find, and cleaning does not look
    # for them again; an outlet where one article fails keeps none, and its passages are the others' as before
    from lib.cleaning import clean, passages

    box = "Sign up for our morning newsletter and get the top stories of the day sent to your inbox"
    arts = [ingest.RawArticle(f"a{i}", f"a{i}", f"{article(i)} {box} before {i} more lines.\n\nThe end of it {i}."
                              + ("\nBOOM" if i == 7 else ""), {"outlet": f"O{i % 2}"}) for i in range(40)]
    real = passages.passages_and_runs

    def fragile(raws, least):
        if any("BOOM" in r for r in raws):
            raise RecursionError("deep")
        return real(raws, least)

    monkeypatch.setattr(template, "passages_and_runs", fragile)
    runs: dict[int, list[tuple[int, int]]] = {}
    with ThreadPool(2) as pool:
        found = template.templates(arts, {}, pool, runs=runs)
    assert found == template.templates(arts, {})  # keeping them changes nothing counted
    assert found["O0"].passages and found["O1"].passages  # O1's found in its other articles
    assert sorted(runs) == list(range(0, 40, 2))  # O1 had the failing article
    assert all(runs[i] == passages.passage_runs(arts[i].text, found["O0"].passages) != [] for i in runs)
    expected = {i: clean.clean(arts[i].text, found["O0"]) for i in runs}

    def unhashed(*_):
        raise AssertionError("hashed again")

    monkeypatch.setattr(clean, "passage_spans", unhashed)
    assert all(clean.clean(arts[i].text, found["O0"], runs=runs[i]) == expected[i] for i in runs)
    assert all(box not in expected[i][0] for i in runs)


def test_the_passage_pass_is_queued_on_the_pool_before_the_first_pass_is_read():
    # the passages need no first pass: queued behind it, a worker takes them up while the parent adds up the first
    # pass's counts, and no core waits between the two rounds
    events = []

    class Recording:  # a pool that runs each task as its result is read
        def imap(self, fn, tasks):
            events.append(("queued", fn.__name__))
            return (events.append(("read", fn.__name__)) or fn(task) for task in tasks)

    arts = [ingest.RawArticle(f"a{i}", f"a{i}", article(i), {"outlet": f"O{i % 2}"}) for i in range(30)]
    found = template.templates(arts, {}, Recording())
    assert found == template.templates(arts, {})
    assert events.index(("queued", "_passages_and_runs")) < events.index(("read", "_count"))


def test_capitalised_labels_are_found_where_an_alternation_of_them_finds_them(monkeypatch):
    """The caps openings of ``usage_counts`` (one word each, not before a word character) are found where a plain
    alternation of them, in any order, finds them: a word that starts another ("CLOSE", "CLOSED") never matches
    inside it; with the compiled search and without it."""
    import re

    from lib.cleaning import counts

    rng = random.Random(10)
    words = ["CLOSE", "CLOSED", "CL", "US", "USA", "AP", "APA", "LIVE"]
    cases = []
    for _ in range(2000):
        caps = list({rng.choice(words) for _ in range(rng.randint(1, 4))})
        text = "".join(rng.choice([*words, " ", "\n", "#", "_", "1", "x", "É", "-"]) for _ in range(40))
        for order in (caps, caps[::-1]):
            want = [m.span() for m in re.finditer(r"(?<![\w#])(?:" + "|".join(order) + r")(?!\w)", text)]
            cases.append((caps, text, want))
    assert all(counts._finder(caps, hash_ends=False)(text) == want for caps, text, want in cases)
    monkeypatch.setattr(counts, "_phrases", None)
    assert all(counts._finder(caps, hash_ends=False)(text) == want for caps, text, want in cases)
    assert sum(bool(want) for _, _, want in cases) > 500  # a quarter of the texts hold one
