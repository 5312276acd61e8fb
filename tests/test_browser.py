"""Browser tests: Playwright (from pip) driving Debian's chromium against `streamlit run`.

Skipped, with the reason, when chromium or Playwright is missing. Screenshots go to screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from lib import store
from lib.serve import HOSTED, free_port, start

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


def serve(home: Path, *args: str, env: dict | None = None, port: int | None = None, entry: str = "dashboard.py"):
    """``serve.start``, failing the test when the server does not come up."""
    try:
        return start(home, *args, env=env, port=port, entry=entry)
    except TimeoutError as e:
        pytest.fail(str(e))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    proc, url = serve(home)
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
    page.get_by_text("browser-upload: 1 article added").wait_for(timeout=60_000)
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


# Issue 7: every page with its copy link and downloads, permalinks, bad links, many users, login.

PAGES = {  # path: (the last heading the page draws, whether the demo gives it a chart)
    "": ("Cleaning report", False), "Coverage": ("Stories", True), "Reuse": ("Reuse", False),
    "Entities": ("Sources cited", True), "Keywords": ("Keyword in context", True), "Topics": ("Over time", True),
    "Compare": ("Report", True),
}
CHART = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'


def _open(page, url: str, path: str) -> None:
    page.goto(f"{url}/{path}")
    heading, chart = PAGES[path.split("?")[0]]
    page.get_by_role("heading", name=heading).first.wait_for(timeout=120_000)
    if chart:
        playwright.expect(page.locator(CHART).first).to_be_visible(timeout=60_000)


def _link(page) -> str:
    """The link the sidebar's copy-link box shows (in the component's shadow root)."""
    box = page.get_by_test_id("stSidebar").locator("input.url")
    playwright.expect(box).to_have_value(re.compile("^http"), timeout=30_000)
    page.wait_for_timeout(800)  # the box follows the address bar within 0.7 s
    return box.input_value()


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "Home" for p in PAGES])
def test_every_page_opens_with_its_link_and_downloads(server, browser, path):
    url, _ = server
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    _open(page, url, path)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert _link(page).startswith(f"{url}/{path}")
    popovers = page.get_by_test_id("stPopover")
    if PAGES[path][1]:
        assert popovers.count() >= 1  # each chart's download menu
        popovers.first.get_by_role("button").click()
        menu = page.get_by_test_id("stPopoverBody")
        for label in ("Data (CSV)", "Chart (PNG)", "Chart (SVG)"):
            playwright.expect(menu.get_by_role("button", name=label)).to_be_visible(timeout=10_000)
        with page.expect_download(timeout=60_000) as svg:
            menu.get_by_role("button", name="Chart (SVG)").click()
        assert svg.value.suggested_filename.endswith(".svg")
        assert "<svg" in Path(svg.value.path()).read_text()[:2000]
        with page.expect_download(timeout=60_000) as png:
            menu.get_by_role("button", name="Chart (PNG)").click()
        assert Path(png.value.path()).read_bytes()[:4] == b"\x89PNG"
        with page.expect_download(timeout=60_000) as parquet:
            menu.get_by_role("button", name="Data (Parquet)").click()
        assert Path(parquet.value.path()).read_bytes()[:4] == b"PAR1"  # the data behind the chart, typed
        page.keyboard.press("Escape")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"page-{(path or 'home').lower()}.png"), full_page=True)
    context.close()


def test_a_copied_link_reproduces_the_view_in_another_browser(server, browser):
    url, _ = server
    first = browser.new_context(viewport={"width": 1400, "height": 2400})
    first.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = first.new_page()
    _open(page, url, "Keywords")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("story", exact=True).click()
    page.wait_for_function("() => location.href.includes('kw_by=story')", timeout=60_000)
    sidebar.get_by_text("English stopwords").click()
    page.wait_for_function("() => location.href.includes('kw_english=false')", timeout=60_000)
    page.get_by_label("Term (or click a bar or a point above)").fill("Moscow")
    page.get_by_label("Term (or click a bar or a point above)").press("Enter")
    page.wait_for_function("() => location.href.includes('kw_term=Moscow')", timeout=60_000)
    link = _link(page)
    assert link == page.url and "kw_by=story" in link and "kw_english=false" in link
    sidebar.locator("button.copy").click()
    playwright.expect(sidebar.locator(".said")).to_have_text("Copied", timeout=10_000)
    assert page.evaluate("navigator.clipboard.readText()") == link
    first.close()

    second = browser.new_context(viewport={"width": 1400, "height": 2400})  # a colleague: no shared state
    page = second.new_page()
    page.goto(link)
    page.get_by_role("heading", name="Keyword in context").wait_for(timeout=120_000)
    sidebar = page.get_by_test_id("stSidebar")
    playwright.expect(sidebar.get_by_role("switch", name="English stopwords")).not_to_be_checked(timeout=30_000)
    playwright.expect(page.get_by_text("Story 1", exact=True).first).to_be_visible(timeout=30_000)
    playwright.expect(page.get_by_label("Term (or click a bar or a point above)")).to_have_value("Moscow")
    playwright.expect(page.get_by_text("sentences use “Moscow”")).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SHOTS / "permalink-keywords.png"), full_page=True)
    second.close()


BAD_LINKS = [
    "?corpus=nope", "Coverage?story=99999&cov_tz=Mars/Olympus&cov_bin=fortnight", "Reuse?reuse_pair=1-999",
    "Entities?ent_top=500&ent_row=Nobody&ent_outlet=Nowhere",
    "Keywords?kw_by=planet&kw_ngram=7&kw_min_df=-3&kw_group=x",
    "Topics?tp_k=abc&tp_method=lda&tp_row=99", "Compare?cmp_outlets=Nowhere&cmp_view=upside&cmp_element=99999",
]


@pytest.mark.parametrize("link", BAD_LINKS)
def test_a_link_with_unknown_values_shows_a_message_not_a_traceback(server, browser, link):
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    page.goto(f"{url}/{link}")
    page.locator('[data-testid="stSidebar"]').get_by_label("Corpus").wait_for(timeout=120_000)
    page.wait_for_timeout(4000)  # the run settles
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000)
    assert page.locator('[data-testid="stException"]').count() == 0, link
    if link.startswith(("?corpus", "Coverage")):
        assert page.get_by_test_id("stAlert").count() >= 1  # "There is no corpus / story ..."
    page.close()


def test_two_browsers_uploading_at_once_both_land(server, browser, tmp_path):
    url, home = server
    pages = []
    for name in ("alpha", "beta"):
        (tmp_path / f"{name}.txt").write_text(f"{name.title()} council votes\n\nThe {name} council voted on "
                                              "Tuesday to expand the bus network by twelve routes, its chair said.\n")
        context = browser.new_context(viewport={"width": 1400, "height": 2000})
        page = context.new_page()
        page.goto(url)
        page.get_by_text("Cleaning report").wait_for(timeout=60_000)
        page.get_by_text("Add articles").click()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(tmp_path / f"{name}.txt"))
        page.get_by_text(f"{name}.txt").wait_for(timeout=30_000)
        box = page.get_by_label("Into corpus")
        box.fill(f"at-once-{name}")
        box.press("Enter")
        page.wait_for_timeout(1000)
        pages.append((name, page))
    for _, page in pages:  # both clicks before either finishes
        page.get_by_role("button", name="Ingest").click()
    for name, page in pages:
        page.get_by_text(f"at-once-{name}: 1 article added").wait_for(timeout=120_000)
        assert page.get_by_test_id("stSidebar").get_by_label("Corpus").input_value() == f"at-once-{name}"
    conn = store.connect(home)
    assert {"at-once-alpha", "at-once-beta"} <= set(store.corpus_names(conn))
    for _, page in pages:
        page.context.close()


def test_one_users_choices_never_show_in_another_users_session(server, browser):
    url, _ = server
    a, b = (browser.new_context(viewport={"width": 1400, "height": 2400}) for _ in range(2))
    page_a, page_b = a.new_page(), b.new_page()
    _open(page_a, url, "Coverage")
    _open(page_b, url, "Coverage")
    page_a.get_by_test_id("stSidebar").get_by_text("day", exact=True).click()
    page_a.wait_for_function("() => location.href.includes('cov_bin=day')", timeout=60_000)
    page_a.get_by_test_id("stSidebar").get_by_text("Leave out copies").click()
    page_a.wait_for_function("() => location.href.includes('no_copies=true')", timeout=60_000)
    page_b.reload()
    page_b.get_by_role("heading", name="Stories").wait_for(timeout=120_000)
    page_b.wait_for_timeout(1500)
    assert "cov_bin" not in page_b.url and "no_copies" not in page_b.url
    playwright.expect(page_b.get_by_test_id("stSidebar").get_by_role("switch", name="Leave out copies")
                      ).not_to_be_checked()
    a.close()
    b.close()


@pytest.fixture(scope="module")
def login_server(tmp_path_factory):
    """FrameScope with login on: secrets.toml points st.login at a fake OpenID Connect provider on 127.0.0.1,
    with an allowlist (a root-level secret, which Streamlit exports to the environment) and an admin."""
    from oidc_fake import CLIENT_ID, CLIENT_SECRET, Provider

    provider = Provider()
    home = tmp_path_factory.mktemp("login-home")
    port = free_port()
    secrets_file = home / "secrets.toml"
    secrets_file.write_text(
        'FRAMESCOPE_ALLOWED = "@example.org"\nFRAMESCOPE_ADMINS = "root@example.org"\n\n[auth]\n'
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\ncookie_secret = "{os.urandom(24).hex()}"\n'
        f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n')
    proc, url = serve(home, "--secrets.files", str(secrets_file), port=port, entry=HOSTED,  # as hosted: st.App
                      env={"FRAMESCOPE_ALLOWED": "", "FRAMESCOPE_ADMINS": ""})  # only the secrets say who
    yield url, home, provider
    proc.terminate()
    proc.wait(timeout=20)
    provider.stop()


def _log_in(browser, url: str, email: str):
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    page = context.new_page()
    page.goto(f"{url}/Coverage?corpus=demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("E-mail").fill(email)  # the provider's own login form
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(url)), timeout=60_000)
    return context, page


def test_login_flow_end_to_end_with_an_openid_provider(login_server, browser):
    url, home, provider = login_server
    stranger = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = stranger.new_page()
    for path in ["", "Coverage?corpus=demo", "Compare"]:  # nothing before logging in
        page.goto(f"{url}/{path}")
        page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
        assert page.get_by_test_id("stSidebar").get_by_label("Corpus").count() == 0
        assert page.locator(CHART).count() == 0 and page.get_by_test_id("stDataFrame").count() == 0
    page.screenshot(path=str(SHOTS / "login-gate.png"))
    stranger.close()
    assert store.corpus_names(store.connect(home)) == []

    context, page = _log_in(browser, url, "eve@example.com")  # a real account, not on the allowlist
    page.get_by_text("eve@example.com").first.wait_for(timeout=60_000)
    assert "FRAMESCOPE_ALLOWED" in page.get_by_test_id("stAlert").inner_text()
    assert page.get_by_test_id("stSidebar").get_by_label("Corpus").count() == 0
    page.screenshot(path=str(SHOTS / "login-refused.png"))
    context.close()

    context, page = _log_in(browser, url, "ana@example.org")
    assert provider.issued[-1]["email"] == "ana@example.org"
    page.get_by_text("Cleaning report").wait_for(timeout=120_000)
    sidebar = page.get_by_test_id("stSidebar")
    playwright.expect(sidebar.get_by_text("Signed in as “ana@example.org”")).to_be_visible(timeout=30_000)
    page.get_by_text("Add articles").click()
    page.get_by_label("…or paste an article's text").fill(
        "Council expands bus network\n\nThe city council voted on Tuesday to expand the bus network by twelve "
        "routes, its chair said.")
    box = page.get_by_label("Into corpus")
    box.fill("ana-notes")
    box.press("Enter")
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="Ingest").click()
    page.get_by_text("ana-notes: 1 article added").wait_for(timeout=120_000)
    assert store.creator(store.connect(home), "ana-notes") == "ana@example.org"
    page.get_by_text("Delete this corpus").click()
    playwright.expect(page.get_by_label("Type the corpus's name to delete it, its articles and its analyses")
                      ).to_be_visible(timeout=30_000)
    page.screenshot(path=str(SHOTS / "login-home.png"), full_page=True)
    sidebar.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    context.close()

    context, page = _log_in(browser, url, "bo@example.org")  # allowed, but not ana-notes's creator
    page.goto(f"{url}/?corpus=ana-notes")
    page.get_by_text("Cleaning report").wait_for(timeout=120_000)
    page.get_by_text("Delete this corpus").click()
    refusal = "Only the corpus's creator, an admin or someone it is shared with may delete it."
    playwright.expect(page.get_by_text(refusal)).to_be_visible(timeout=30_000)
    context.close()


def test_a_link_to_a_story_picked_in_the_sidebar_opens_that_story(server, browser):
    url, _ = server
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    _open(page, url, "Coverage")
    story = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Story")
    story.click()
    page.get_by_role("option").filter(has_text="articles)").filter(has_not_text="All articles").first.click()
    page.wait_for_function("() => location.href.includes('story=')", timeout=60_000)
    link = _link(page)
    context.close()
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    page.goto(link)
    page.get_by_role("heading", name="Stories").wait_for(timeout=120_000)
    story = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Story")
    playwright.expect(story).to_have_value(re.compile(r"^1: "), timeout=30_000)
    playwright.expect(page.get_by_text("in story 1.")).to_be_visible(timeout=30_000)
    assert page.get_by_test_id("stAlert").filter(has_text="There is no story").count() == 0
    context.close()


# An upload with bad files beside good ones: the per-file table, the good ones stored, no freeze.

HARBOUR = ("Harbour ferry returns after repairs\n\n"
           "The harbour ferry returned to service on Monday morning after six weeks in dry dock, the port "
           "authority said, with the first crossing leaving the north quay shortly after seven.\n\n"
           "Engineers replaced both propeller shafts and rewired the wheelhouse, work that ran two weeks "
           "over schedule because a part had to be shipped from abroad.\n\n"
           "Commuters who had relied on a replacement bus around the bay said the delay had added almost an "
           "hour to their day. The authority promised a refund on season tickets for the weeks lost.\n")
LIBRARY = ("Library opens reading room in old post office\n\n"
           "A new reading room opened on Saturday in the town's former post office, whose sorting hall has "
           "been fitted with shelves, long oak tables and a small café.\n\n"
           "The librarian, who led the campaign to save the building, said more than four hundred people "
           "signed up for cards on the first day, many of them children.\n\n"
           "The room will open late on Thursdays, and a local history society plans monthly talks there "
           "about the years when the building handled the whole district's mail.\n")
TEASER = ("Catch the whole series on T\u00a0.\u00a0.\u00a0. "  # makes sentencex's native code panic on its own
          "The orchestra's winter season opens next week with a programme of folk songs arranged for strings, "
          "and the conductor said tickets for the first night had almost sold out.\n")
ODD_NAME = "**bold**<b>x</b>.txt"  # empty, so it fails and its name shows in the table
FAILED = {"deep.json": "nested too deeply", "cut.txt.gz": "truncated gzip", "slides.pptx": "unsupported file type",
          ODD_NAME: "empty"}


def _open_home(page, url: str) -> None:
    """The home page with its widgets drawn. On a server's first page view the browser sometimes waits forever
    for a few of the ~150 lazily loaded JS chunks (Input, useCollator, ...: requests sent, never answered, while
    the same URLs fetched directly answer at once), leaving the selectboxes and text inputs as grey skeletons;
    a reload fetches them again."""
    for attempt in range(3):
        try:
            page.goto(url, wait_until="commit")  # the load event waits on those chunks too
            page.get_by_text("Cleaning report").wait_for(timeout=60_000)
            page.get_by_test_id("stSidebar").get_by_label("Corpus").wait_for(timeout=15_000)
            return
        except playwright.TimeoutError:
            if attempt == 2:
                raise


def test_an_upload_with_bad_files_shows_the_table_and_stores_the_good_ones(server, browser):
    """Two good articles, one that panics sentencex's native code (guarded: it loads), a JSON file nested
    100,000 deep, a truncated .gz, an unsupported suffix and an empty file named in Markdown and HTML, uploaded
    at once: the page answers within a minute with the per-file table, and the corpus holds the three articles."""
    import gzip

    url, home = server
    files = {"harbour.txt": HARBOUR.encode(), "library.txt": LIBRARY.encode(), "teaser.txt": TEASER.encode(),
             "deep.json": b"[" * 100_000 + b"]" * 100_000,
             "cut.txt.gz": gzip.compress(("Truncated\n\n" + LIBRARY).encode())[:-20],
             "slides.pptx": b"PK\x03\x04 not really a presentation", ODD_NAME: b""}
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    _open_home(page, url)
    page.get_by_text("Add articles").click()
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    dropzone.wait_for(state="attached", timeout=30_000)
    dropzone.set_input_files([{"name": name, "mimeType": "application/octet-stream", "buffer": data}
                              for name, data in files.items()])  # a "/" in a name: no file on disk
    page.get_by_text("slides.pptx").wait_for(timeout=30_000)
    playwright.expect(page.get_by_text(ODD_NAME, exact=True)).to_be_visible()  # the uploader's list: literal
    box = page.get_by_label("Into corpus")
    box.fill("mixed-bag")
    box.press("Enter")
    page.wait_for_timeout(1000)
    # Markdown or HTML made from a file name shows as an element, however briefly (the progress bar's text)
    page.evaluate("""() => { window.__marked = []; window.__progress = new Set();
        new MutationObserver(() => {
            document.querySelectorAll('main strong, main b, main em, main a[href]').forEach(
                e => window.__marked.push(e.outerHTML));
            document.querySelectorAll('[data-testid="stProgress"]').forEach(e => window.__progress.add(e.innerText));
        }).observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    page.get_by_role("button", name="Ingest").click()
    page.get_by_text("mixed-bag: 3 articles added; 0 duplicates; 4 failed.").wait_for(timeout=60_000)
    cells = page.get_by_test_id("stDataFrame").first.locator("table td")  # the grid's accessible copy
    playwright.expect(cells.first).to_be_attached(timeout=30_000)
    texts = cells.all_text_contents()
    rows = {tuple(texts[i:i + 3]) for i in range(0, len(texts), 3)}
    assert {(name, "failed") for name in FAILED} == {row[:2] for row in rows}, rows
    for source, _, reason in rows:
        assert FAILED[source] in reason, (source, reason)
    picker = page.get_by_test_id("stSidebar").get_by_label("Corpus")
    playwright.expect(picker).to_have_value("mixed-bag", timeout=30_000)
    articles = page.get_by_test_id("stMetric").filter(has_text="Articles").get_by_test_id("stMetricValue")
    playwright.expect(articles).to_have_text("3", timeout=30_000)  # the two good ones and the guarded one
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    page.wait_for_timeout(1000)  # the run settles
    assert page.locator('[data-testid="stException"]').count() == 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "upload-bad-files.png"), full_page=True)
    marked = page.evaluate("window.__marked")
    progress = page.evaluate("[...window.__progress]")
    assert not [m for m in marked if "bold" in m or ">x<" in m], marked
    assert not [p for p in progress if "bold" in p and "**bold**" not in p], progress
    page.close()
    titles = set(store.articles(store.connect(home), "mixed-bag")["title"])
    assert {"Harbour ferry returns after repairs", "Library opens reading room in old post office"} <= titles


# The address is the view: a link's corpus, story and controls survive the sidebar's links, a reload, a colleague.

SIDEBAR_PAGES = {"Home": "FrameScope", "Coverage": "Coverage", "Reuse": "Reuse", "Entities": "Entities and sources",
                 "Keywords": "Keywords", "Topics": "Topics", "Compare": "Compare"}


def _settled(page) -> None:
    page.wait_for_timeout(1500)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000)


def _story_box(page):
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="Story")


def test_a_link_keeps_its_view_through_every_page_a_reload_and_a_colleague(server, browser):
    url, _ = server
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    page.goto(f"{url}/Compare?corpus=demo&story=1&cmp_view=only-one", wait_until="commit")
    page.get_by_role("heading", name="Compare").first.wait_for(timeout=120_000)
    _settled(page)
    playwright.expect(page.get_by_role("combobox", name="View")).to_have_value("Only one outlet", timeout=30_000)
    for name, heading in [*SIDEBAR_PAGES.items(), ("Coverage", "Coverage"), ("Compare", "Compare")]:
        page.get_by_test_id("stSidebar").get_by_role("link", name=name, exact=True).click()
        page.get_by_role("heading", name=heading).first.wait_for(timeout=120_000)
        _settled(page)
        assert "corpus=demo" in page.url and "story=1" in page.url, (name, page.url)
        playwright.expect(_story_box(page)).to_have_value(re.compile(r"^1: "), timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0, name
    assert "cmp_view=only-one" in page.url  # Compare's own control, as it was left
    playwright.expect(page.get_by_role("combobox", name="View")).to_have_value("Only one outlet", timeout=30_000)
    link = _link(page)
    assert link == page.url
    context.close()

    for _ in ("reload", "colleague"):  # each a new session on the same address
        context = browser.new_context(viewport={"width": 1400, "height": 2400})
        page = context.new_page()
        page.goto(link, wait_until="commit")
        page.get_by_role("heading", name="Compare").first.wait_for(timeout=120_000)
        _settled(page)
        playwright.expect(_story_box(page)).to_have_value(re.compile(r"^1: "), timeout=30_000)
        playwright.expect(page.get_by_role("combobox", name="View")).to_have_value("Only one outlet", timeout=30_000)
        assert _link(page) == link and page.get_by_test_id("stAlert").filter(has_text="not offered").count() == 0
        context.close()


def test_labels_follow_a_corpus_switch_at_once(server, browser, seeds):
    from lib.ingest import pipeline

    url, home = server
    pipeline.ingest_paths(store.connect(home), "two-seeds", sorted(seeds.glob("*.txt"))[:2])
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    page.goto(f"{url}/Coverage?corpus=demo", wait_until="commit")
    page.get_by_role("heading", name="Coverage").first.wait_for(timeout=120_000)
    _settled(page)
    playwright.expect(_story_box(page)).to_have_value("All articles (5)", timeout=30_000)
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Corpus").click()
    page.get_by_role("option", name="two-seeds").click()
    page.wait_for_function("() => location.href.includes('corpus=two-seeds')", timeout=60_000)
    _settled(page)
    playwright.expect(_story_box(page)).to_have_value("All articles (2)", timeout=30_000)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Home", exact=True).click()
    page.get_by_text("Cleaning report").wait_for(timeout=120_000)
    _settled(page)
    first = store.articles(store.connect(home), "two-seeds").iloc[0]
    playwright.expect(page.get_by_role("combobox", name="Article")).to_have_value(
        re.compile(rf"^{first['id']}: "), timeout=30_000)
    assert "corpus=two-seeds" in page.url
    context.close()


def test_the_element_picker_and_its_caption_agree_after_a_view_change(server, browser):
    url, _ = server
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    page.goto(f"{url}/Compare?corpus=demo&cmp_element=6", wait_until="commit")
    page.get_by_role("heading", name="Story elements").wait_for(timeout=120_000)
    _settled(page)
    element = page.get_by_role("combobox", name="Element (its number in the grid)")
    playwright.expect(element).to_have_value("6", timeout=30_000)
    page.get_by_role("combobox", name="View").click()
    page.get_by_role("option", name="Only one outlet").click()
    page.wait_for_function("() => location.href.includes('cmp_view=only-one')", timeout=60_000)
    _settled(page)
    shown = element.input_value()
    playwright.expect(page.get_by_text(re.compile(rf"^Element {shown}: "))).to_be_visible(timeout=30_000)
    context.close()


def test_an_upload_in_the_browser_maps_its_columns(server, browser, tmp_path):
    from conftest import csv_bytes

    url, home = server
    export = tmp_path / "crawl.csv"  # two outlet-like columns; its text's paragraphs joined by " ### "
    export.write_bytes(csv_bytes([
        {"id": "c1", "publisher": "fox", "outlet_name": "Fox News", "body": "The council met on Tuesday to vote on "
         "the harbour plan and its cost ### Its chair said the vote would wait until the spring."},
        {"id": "c2", "publisher": "cnn", "outlet_name": "CNN", "body": "Ferries return to the north quay after six "
         "weeks of repairs ### The port said crossings resume on Monday morning."}]))
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    _open_home(page, url)
    page.get_by_text("Add articles").click()
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    dropzone.wait_for(state="attached", timeout=30_000)
    dropzone.set_input_files(str(export))
    page.get_by_text("Columns of “crawl.csv”").wait_for(timeout=60_000)
    outlet = page.get_by_role("combobox", name="outlet (--outlet-col)")
    playwright.expect(outlet).to_have_value("publisher", timeout=30_000)  # found by name, not the one wanted
    outlet.click()
    page.get_by_role("option", name="outlet_name", exact=True).click()
    _settled(page)
    separator = page.get_by_label("Paragraph separator of the text column")
    separator.fill(" ### ")
    separator.press("Enter")
    _settled(page)
    name = page.get_by_label("Into corpus")
    name.fill("mapped-in-browser")
    name.press("Enter")
    _settled(page)
    page.get_by_role("button", name="Ingest").click()
    page.get_by_text("mapped-in-browser: 2 articles added").wait_for(timeout=60_000)
    page.close()
    stored = store.articles(store.connect(home), "mapped-in-browser", text=True)
    assert set(stored["outlet"]) == {"Fox News", "CNN"} and all("\n\n" in t for t in stored["raw_text"])
