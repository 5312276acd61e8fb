"""Many users at once: simultaneous uploads into the store (each session has its own connection) all land,
and two app sessions never share their state."""

from __future__ import annotations

import threading
from pathlib import Path

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
