"""Many users at once: simultaneous uploads into the store (each session has its own connection) all land,
and two app sessions never share their state."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import prose
from streamlit.testing.v1 import AppTest

from lib import store
from lib.ingest import pipeline

ROOT = Path(__file__).resolve().parents[1]


def _folder(path: Path, topic: str, n: int) -> Path:
    path.mkdir()
    for i in range(n):
        (path / f"{topic}-{i}.txt").write_text(f"{topic.title()} plan {i}\n\n" + prose(f"{topic} plan number {i}", 4))
    return path


def _race(jobs: list) -> list:
    """Run the jobs in threads released at the same moment; their results (or exceptions) in order."""
    start, results = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(i, job):
        start.wait()
        try:
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


def test_two_uploads_at_once_into_two_corpora_both_land(home, tmp_path):
    a, b = _folder(tmp_path / "a", "bridge", 30), _folder(tmp_path / "b", "tram", 30)
    store.connect(home).close()
    results = _race([lambda: pipeline.ingest_paths(store.connect(home), "first", [a], created_by="ana@example.org"),
                     lambda: pipeline.ingest_paths(store.connect(home), "second", [b], created_by="bo@example.org")])
    assert [r.added for r in results] == [30, 30], results
    conn = store.connect(home)
    assert len(store.articles(conn, "first")) == 30 and len(store.articles(conn, "second")) == 30
    assert (store.creator(conn, "first"), store.creator(conn, "second")) == ("ana@example.org", "bo@example.org")


def test_two_uploads_at_once_into_one_corpus_both_land_with_distinct_ids(home, tmp_path):
    a, b = _folder(tmp_path / "a", "library", 25), _folder(tmp_path / "b", "harbour", 25)
    store.connect(home).close()
    results = _race([lambda: pipeline.ingest_paths(store.connect(home), "shared", [a]),
                     lambda: pipeline.ingest_paths(store.connect(home), "shared", [b])])
    assert [r.added for r in results] == [25, 25], results
    assert sorted(r.revision for r in results) == [1, 2]  # one transaction after the other
    df = store.articles(store.connect(home), "shared")
    assert len(df) == 50 and df.index.is_unique and store.revision(store.connect(home), "shared") == 2


def test_two_sessions_never_share_filters_or_uploads(home):
    first = AppTest.from_file(str(ROOT / "pages" / "4_Keywords.py"), default_timeout=120).run()
    second = AppTest.from_file(str(ROOT / "pages" / "4_Keywords.py"), default_timeout=120).run()
    first.slider(key="kw_top").set_value(7).run()
    first.text_input(key="kw_term").set_value("Moscow").run()
    second.run()
    assert second.slider(key="kw_top").value == 25 and second.text_input(key="kw_term").value == ""
    home_a = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    home_b = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    home_a.text_area(key="upload_paste_0").set_value("A draft that is still being written by the first user.").run()
    home_b.run()
    assert home_b.text_area(key="upload_paste_0").value == ""
    assert "upload_report" not in home_b.session_state


@pytest.fixture
def matrices(home, monkeypatch):
    """Three corpora of one demo article each, and the term-matrix cache emptied before and after; yields the
    corpora's (name, version, vocabulary) and the list each build is appended to."""
    from lib import service
    from lib.ui import data as ui_data

    conn = store.connect(home)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))[:3]
    keys = []
    for i, seed in enumerate(seeds):
        pipeline.ingest_paths(conn, f"c{i}", [seed])
        keys.append((f"c{i}", store.version(conn, f"c{i}"), service.vocabulary(conn, f"c{i}")))
    builds = []
    build = service.term_matrix
    monkeypatch.setattr(service, "term_matrix", lambda c, name, vocab: builds.append(name) or build(c, name, vocab))
    ui_data.term_matrices.clear()
    yield keys, builds
    ui_data.term_matrices.clear()


def test_three_corpora_term_matrices_stay_cached_together(matrices):
    """Three users on three corpora: each corpus's matrix is built once, and all three are held (the cache was
    two entries, so they evicted each other)."""
    from lib import config
    from lib.ui import data as ui_data

    keys, builds = matrices
    for key in keys + keys:
        ui_data.term_matrix(*key)
    assert builds == ["c0", "c1", "c2"]
    held = ui_data.term_matrices().sizes()
    assert len(held) == 3 and sum(held.values()) <= config.term_matrix_budget()


def test_term_matrices_are_held_within_their_memory_budget(matrices, monkeypatch):
    from lib.ui import data as ui_data

    keys, builds = matrices
    sizes = [ui_data.term_matrix(*key).nbytes for key in keys]
    ui_data.term_matrices.clear()
    monkeypatch.setenv("FRAMESCOPE_TERM_MATRIX_MB", str((sizes[1] + sizes[2]) / 2**20))  # room for two
    for key in keys:
        ui_data.term_matrix(*key)
    held = ui_data.term_matrices().sizes()
    assert [k[0] for k in held] == ["c1", "c2"] and sum(held.values()) == sizes[1] + sizes[2]  # the oldest went
    ui_data.term_matrix(*keys[1])
    ui_data.term_matrix(*keys[0])  # c1 used since: c2 goes
    assert [k[0] for k in ui_data.term_matrices().sizes()] == ["c1", "c0"]
    assert builds == ["c0", "c1", "c2", "c0", "c1", "c2", "c0"]


def test_a_sized_cache_builds_a_value_once_for_sessions_that_ask_at_once():
    import time

    from lib.ui.sized import SizedCache

    cache, builds = SizedCache(budget=100, size=len), []

    def build():
        builds.append(1)
        time.sleep(0.2)
        return "x" * 10

    results = _race([lambda: cache.get("a", build) for _ in range(4)] + [lambda: cache.get("b", lambda: "y" * 95)])
    assert results == ["x" * 10] * 4 + ["y" * 95] and len(builds) == 1
    assert sum(cache.sizes().values()) <= 100  # a and b together are over the budget: the older went
    cache.get("c", lambda: "z" * 500)  # a value over the budget alone is kept, alone
    assert list(cache.sizes()) == ["c"]
    cache.drop(lambda key: key != "c")
    assert cache.sizes() == {}
