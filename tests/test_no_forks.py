"""The server never forks itself (DESIGN.md rule 11): clouds, the term matrix and an upload's ingest run in the
page's thread; only the command line starts worker processes, through a fork server, so none inherits its
caller's sockets or threads.

The server tests start the dashboard (``lib.serve.start``), open every page on the demo in chromium and watch
the server's child processes meanwhile; skipped, with the reason, when chromium or Playwright is missing."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from lib import ingest, store
from lib.ingest import pipeline
from lib.text import terms
from lib.views import charts

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = {"": "FrameScope", "Coverage": "Coverage", "Reuse": "Reuse", "Entities": "Entities and sources",
         "Keywords": "Keywords", "Topics": "Topics", "Compare": "Compare"}  # address -> the page's title


@pytest.fixture
def no_forking(monkeypatch):
    """Any fork of this process fails the test (a ``fork`` pool, a ``ProcessPoolExecutor`` or ``os.fork``)."""
    def forked(*args, **kwargs):
        pytest.fail("this process forked")
    monkeypatch.setattr(os, "fork", forked)


def test_a_large_term_matrix_is_built_in_this_process(no_forking):
    texts = pd.Series([f"harbour strike talks day {i} stall as the union and the port meet" for i in range(2500)])
    m = terms.matrix(texts, range(len(texts)))
    assert "harbour strike" in m.terms and m.counts.shape[0] == 2500


def test_clouds_are_drawn_in_this_process(no_forking):
    from lib.ui import drawing

    table = pd.DataFrame({"term": ["quay", "crane", "tariff"], "score": [0.9, 0.5, 0.2]})
    assert drawing.clouds([table], [charts.PALETTE[3]]) == [charts.cloud_jpeg(table, charts.PALETTE[3])]


def test_an_ingest_that_asks_for_no_workers_stays_in_this_process(no_forking, monkeypatch, home):
    """What the dashboard's upload does: however large the batch, it is prepared in the caller's thread."""
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    batch = ingest.read_paths([ROOT / "seeds"])
    report = pipeline.store_batch(store.connect(), "port", batch)
    assert report.added == 5 and not report.problems


def test_the_dashboards_upload_is_ingested_in_the_pages_thread(no_forking, monkeypatch, home):
    """An upload, however large (the parallel threshold lowered to one article), is prepared in the page's thread,
    under its progress bar."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    app.run()
    app.text_area(key="upload_paste_0").set_value("The port authority opened a second container terminal on Monday, "
                                                  "its director said.\n\nCranes arrive next month.")
    app.text_input(key="upload_corpus_0").set_value("pasted").run()
    app.button(key="upload_go").click().run()
    assert not app.exception
    assert len(store.articles(store.connect(home), "pasted")) == 1


def test_cli_workers_come_from_a_fork_server_and_give_the_same_articles(monkeypatch, cli_main):
    """The command line's workers are not forks of their caller, and the articles they prepare are those the
    caller's own thread prepares."""
    with pipeline.worker_pool(2) as pool:
        assert os.getpid() not in pool.map(_parent, range(2))
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    batch = ingest.read_paths([ROOT / "seeds"])
    here, _, _ = pipeline.prepare(batch)
    pooled, _, problems = pipeline.prepare(batch, workers=2)
    assert not problems and [(a.text, a.meta, a.spans) for a in pooled] == [(a.text, a.meta, a.spans) for a in here]


def test_cli_workers_start_with_the_metadata_models_loaded(cli_main):
    """Workers are forked with dateparser's locales and py3langid's model loaded (``lib/ingest/preload.py``): each
    would load them on first use, seconds of work in every worker."""
    with pipeline.worker_pool(1) as pool:
        locales, identifier = pool.apply(_models)
    assert locales > 100 and identifier


def _models() -> tuple[int, bool]:
    import sys

    if "dateparser" not in sys.modules or "py3langid" not in sys.modules:
        return 0, False
    from dateparser.languages.dictionary import Dictionary
    from py3langid import langid

    return max((len(v) for v in Dictionary._split_regex_cache.values()), default=0), langid.IDENTIFIER is not None


def _parent(_: int) -> int:
    return os.getppid()


def _sigterm_is_default() -> bool:
    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def _sigint_is_ignored() -> bool:
    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_cli_workers_end_on_sigterm_and_leave_ctrl_c_to_their_caller(cli_main):
    """``Pool.terminate`` ends workers with SIGTERM, whatever handler the caller installed; Ctrl+C signals every
    process of the terminal, and a worker that died of it could leave the pool's queue locked."""
    old = signal.signal(signal.SIGTERM, lambda *args: None)
    try:
        with pipeline.worker_pool(1) as pool:
            assert pool.apply(_sigterm_is_default) and pool.apply(_sigint_is_ignored)
    finally:
        signal.signal(signal.SIGTERM, old)


def children(pid: int) -> set[int]:
    """The process ids of ``pid``'s children (``/proc/PID/task/*/children``)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:  # a thread that ended meanwhile
            pass
    return found


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e .[dev] installs playwright")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _settled(page) -> None:
    page.wait_for_timeout(1000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000)


@pytest.mark.browser
def test_the_server_forks_no_process_and_a_typed_link_loads_at_once(browser, tmp_path):
    """Every page on the demo, one after the other in one tab, while the server's children are watched: it has
    none, ever. Then a link typed in that same tab loads its page within 5 s (a forked server left it pending
    for 30 to 120 s)."""
    from lib.serve import start

    try:
        proc, url = start(tmp_path)
    except TimeoutError as e:
        pytest.fail(str(e))
    seen: set[int] = set()
    watching = threading.Event()
    watching.set()

    def watch() -> None:
        while watching.is_set():
            seen.update(children(proc.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        for path, title in PAGES.items():
            page.goto(f"{url}/{path}?corpus=demo", wait_until="commit")
            page.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
            _settled(page)
            assert page.locator('[data-testid="stException"]').count() == 0, path
        t = time.perf_counter()
        page.goto(f"{url}/Coverage?corpus=demo&story=1", wait_until="commit", timeout=5_000)
        page.get_by_role("heading", name="Coverage").first.wait_for(timeout=5_000)
        assert time.perf_counter() - t < 5
        page.close()
        watching.clear()
        watcher.join()
        assert not seen and not children(proc.pid), f"the server started processes {sorted(seen)}"
    finally:
        watching.clear()
        proc.terminate()
        proc.wait(timeout=20)
