"""Browser tests: Playwright (from pip) driving Debian's chromium against `streamlit run`.

Skipped, with the reason, when chromium or Playwright is missing. Screenshots go to screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lib import store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (apt-get install "
                                                           "chromium)"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    port = _free_port()
    env = {**os.environ, "FRAMESCOPE_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not become healthy within 60 s")
    yield url, home
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def test_home_lists_the_demo_corpus(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(url)
    page.get_by_text("Cleaning report").wait_for(timeout=60_000)
    picker = page.locator('[data-testid="stSidebar"]').get_by_label("Corpus")
    playwright.expect(picker).to_have_value("demo", timeout=30_000)
    articles = page.get_by_test_id("stMetric").filter(has_text="Articles").get_by_test_id("stMetricValue")
    playwright.expect(articles).to_have_text("5", timeout=30_000)  # waits out a rerun still drawing
    assert page.locator('[data-testid="stException"]').count() == 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "home.png"))
    page.close()


def test_a_file_uploaded_in_the_browser_lands_in_the_store(server, browser, tmp_path):
    url, home = server
    article = tmp_path / "council.txt"
    article.write_text("Council expands bus network\n\nThe city council voted on Tuesday to expand the bus "
                       "network by twelve routes, its chair said.\n")
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(url)
    page.get_by_text("Cleaning report").wait_for(timeout=60_000)  # the app has rendered
    page.get_by_text("Add articles").click()
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    dropzone.wait_for(state="attached", timeout=30_000)
    dropzone.set_input_files(str(article))
    page.get_by_text("council.txt").wait_for(timeout=30_000)
    name = page.get_by_label("Into corpus")
    name.fill("browser-upload")
    name.press("Enter")
    page.get_by_role("button", name="Ingest").click()
    page.get_by_text("browser-upload: 1 articles added").wait_for(timeout=60_000)
    page.screenshot(path=str(SHOTS / "home-after-upload.png"))
    page.close()
    df = store.articles(store.connect(home), "browser-upload")
    assert df.loc[0, "title"] == "Council expands bus network"


def test_coverage_page_shows_the_outlet_table_and_the_timeline(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 3000})
    page.goto(f"{url}/Coverage?corpus=demo&cov_tz=Asia/Tehran")
    page.get_by_role("heading", name="Stories").wait_for(timeout=90_000)
    tables = page.get_by_test_id("stDataFrame")
    playwright.expect(tables.first).to_be_visible(timeout=30_000)
    charts = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
    playwright.expect(charts.first).to_be_visible(timeout=30_000)
    playwright.expect(page.get_by_role("combobox", name="Time zone")).to_have_value(
        "Asia/Tehran", timeout=30_000)  # the time zone came from the link
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SHOTS / "coverage.png"), full_page=True)
    page.close()


@pytest.mark.parametrize(("path", "heading"), [("Reuse", "Reuse"), ("Entities", "Sources cited")])
def test_every_analysis_page_opens_on_the_demo(server, browser, path, heading):
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 2600})
    page.goto(f"{url}/{path}")
    page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    if path == "Entities":
        charts = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
        playwright.expect(charts.first).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SHOTS / f"{path.lower()}.png"), full_page=True)
    page.close()


def test_keywords_page_clicking_a_bar_shows_the_terms_sentences(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 3600})
    page.goto(f"{url}/Keywords")
    page.get_by_role("heading", name="Keyword in context").wait_for(timeout=90_000)
    bars = page.locator('[data-testid="stVegaLiteChart"]').first
    playwright.expect(bars.locator("canvas, svg").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)  # the chart's first paint
    box = bars.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + 12)  # the top bar: the unit's first term
    playwright.expect(page.get_by_text("sentences use “")).to_be_visible(timeout=30_000)
    playwright.expect(page.get_by_label("Term (or click a bar or a point above)")).not_to_have_value(
        "", timeout=30_000)
    assert "kw_term=" in page.url  # the clicked term is in the link
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SHOTS / "keywords.png"), full_page=True)
    page.close()


def test_topics_page_draws_the_map_and_the_heatmap(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 3400})
    page.goto(f"{url}/Topics?corpus=demo")
    page.get_by_role("heading", name="Over time").wait_for(timeout=120_000)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    playwright.expect(charts.nth(2)).to_be_visible(timeout=30_000)  # k curve, map, heatmap
    page.wait_for_timeout(1500)  # the charts' first paint
    topic_map, heatmap = charts.nth(1), charts.nth(2)
    for chart in (topic_map, heatmap):
        playwright.expect(chart.locator("canvas, svg").first).to_be_visible(timeout=30_000)
        assert chart.bounding_box()["height"] > 100
    legend = topic_map.inner_text()  # the map's legends: topics by name, outlets
    assert "1 · " in legend and "outlet" in legend and "Iran Press" in legend
    cells = heatmap.inner_text()  # the heatmap's printed percentages and its outlet axis
    assert "percent" in cells and "UrduPoint" in cells and any(line.isdigit() for line in cells.splitlines())
    assert page.get_by_text("stability").count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_test_id("stSidebar").get_by_text("kmeans").click()
    playwright.expect(page.get_by_text("(KMEANS, chosen by coherence)")).to_be_visible(timeout=60_000)
    assert "tp_method=kmeans" in page.url  # the control is in the link
    page.screenshot(path=str(SHOTS / "topics.png"), full_page=True)


def test_compare_page_clicking_a_grid_cell_shows_each_outlets_sentence(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 4000})
    page.goto(f"{url}/Compare?corpus=demo")
    page.get_by_role("heading", name="Story elements").wait_for(timeout=90_000)
    grid = page.locator('[data-testid="stVegaLiteChart"]').first
    playwright.expect(grid.locator("canvas, svg").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)  # the chart's first paint
    box = grid.bounding_box()
    # the grid's right-hand column (the last outlet), third row: an element that outlet carries
    page.mouse.click(box["x"] + box["width"] - 40, box["y"] + 30 + 2.5 * 20)
    page.wait_for_function("() => location.href.includes('cmp_element=')", timeout=30_000)  # the pick is in the link
    picked = page.url.split("cmp_element=")[1].split("&")[0]
    assert picked.isdigit()
    playwright.expect(page.get_by_role("combobox", name="Element (its number in the grid)")).to_have_value(
        picked, timeout=30_000)
    codes = page.locator('[data-testid="stCode"]')
    playwright.expect(codes.first).to_be_visible(timeout=30_000)
    assert codes.count() >= 2  # the element's sentences, one per outlet that carries it
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SHOTS / "compare.png"), full_page=True)
    page.close()
