"""The first pass on a pool whose workers hold its counts (lib/cleaning/held.py): the templates and the sentences
kept are those counted in one process, whatever a worker lost."""

from __future__ import annotations

import functools
import threading
from collections import Counter

import pytest
from conftest import article, story

from lib import ingest
from lib.cleaning import held, rounds, template
from lib.ingest import pipeline


def batch() -> list[ingest.RawArticle]:
    """Two outlets of one author each, a third outlet's reprint of a story and an article that names none: every
    kind of key, repeated by one outlet, by several, and not at all."""
    arts = [ingest.RawArticle(f"a{i}", f"a{i}", article(i), {"outlet": f"O{i % 2}", "byline": "Jo Lund"})
            for i in range(30)]
    return arts + [ingest.RawArticle("b0", "b0", story(3), {"outlet": "www.O2.com"}),
                   ingest.RawArticle("c0", "c0", story(401))]


class InProcess(held.Pool):
    """A holding pool of one "worker", this process: each task run as it is read; ``lose`` tasks' counts are gone
    when released (a worker started anew)."""

    def __init__(self, lose: frozenset[int] = frozenset()):
        self.workers, self.lose, self.recounted = 1, lose, 0

    def imap(self, fn, tasks):
        return (fn(task) for task in tasks)

    def map(self, fn, tasks, chunksize=None):
        if fn is held._release:
            for tag in self.lose:
                held._held.pop(tag)
        if fn is held._count_only:
            self.recounted += len(tasks)
        return [fn(task) for task in tasks]


@pytest.fixture
def barrier(monkeypatch):
    monkeypatch.setattr(held, "_barrier", threading.Barrier(1))
    monkeypatch.setattr(rounds, "CHUNK", 4)


def test_held_counts_give_the_templates_and_sentences_counted_in_one_process(barrier):
    arts = batch()
    alone: dict[int, bytes] = {}
    whole = template.templates(arts, {}, read=alone)
    pool = InProcess()
    read: dict[int, bytes] = {}
    assert template.templates(arts, {}, pool, read=read) == whole
    assert read == alone and len(read) == len(arts)
    assert not held._held and not pool.recounted  # each chunk released once, none counted again


def test_chunks_a_worker_lost_are_counted_again(barrier):
    arts = batch()
    pool = InProcess(lose=frozenset({0, 3}))
    read: dict[int, bytes] = {}
    assert template.templates(arts, {}, pool, read=read) == template.templates(arts, {})
    assert pool.recounted == 2 and len(read) == len(arts)


def test_only_the_keys_several_articles_carry_leave_a_worker(barrier, monkeypatch):
    counted, sent = [], []
    real = held._only

    def spy(kept_here, kept):
        out = real(kept_here, kept)
        counted.extend(counts for counts, _ in kept_here.values())
        sent.extend(out.values())
        return out

    monkeypatch.setattr(held, "_only", spy)
    template.templates(batch(), {}, InProcess())
    for field in ("lines", "sentences", "openings"):
        total = Counter()
        for counts in counted:
            total.update(getattr(counts, field))
        out = {k for counts in sent for k in getattr(counts, field)}
        assert out == {k for k, n in total.items() if n >= rounds.REPEATED}
        assert len(out) < len(total)


def test_the_fast_hashes_are_the_same_in_every_process_and_tell_keys_apart(cli_main):
    from lib.cleaning import counts

    keys = [article(i) for i in range(200)] + ["", "a", "A", "é", "e\u0301", "İ", "𝐀", "\ud800"]
    here = counts._fast_hashes(3, keys)
    with pipeline.worker_pool(2) as pool:
        assert all((h == here).all() for h in pool.map(functools.partial(counts._fast_hashes, 3), [keys] * 4))
    assert len(set(here.tolist())) == len(keys) and not (here == counts._fast_hashes(4, keys)).any()


def test_a_fork_servers_workers_hold_the_first_pass_and_give_the_same_templates(cli_main, monkeypatch):
    monkeypatch.setattr(rounds, "CHUNK", 4)  # chunks on both workers
    arts = batch()
    alone: dict[int, bytes] = {}
    whole = template.templates(arts, {}, read=alone)
    read: dict[int, bytes] = {}
    with pipeline.worker_pool(2) as pool:
        assert isinstance(pool, held.Pool)
        assert template.templates(arts, {}, pool, read=read) == whole
    assert read == alone
