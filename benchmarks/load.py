"""Load test: concurrent browser sessions switching pages on the demo corpus, against one FrameScope.

    python -m benchmarks.load [--sessions 20] [--seconds 60] [--heavy 1] [--url URL]

Starts ``streamlit run dashboard.py`` on 127.0.0.1 (a fresh data folder, so the demo corpus; the repository's
hosting config) unless ``--url`` names a running one, and one Debian chromium (Playwright, never
``playwright install``). Each session is a browser context of its own (its own cookies and Streamlit session)
that opens Coverage and then clicks through the pages in the sidebar, each session starting at a different
page, until the time is up. A switch is timed from the click to the page's main element being drawn by this
run (not a stale one from the previous page): its title and its chart (the home page: its metrics; Reuse on the
demo: its message). Errors: a switch that takes more than 30 s, an exception box on a page, a JavaScript error,
a lost connection.

``--heavy N`` adds N sessions that keep asking the Topics page for a number of topics not yet computed (a
fresh fit each time: a long computation), to show that the others are not frozen meanwhile; their times are
reported apart. Traffic goes to 127.0.0.1 only; the run stops by itself after ``--seconds``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LIVE = '[data-testid="stElementContainer"][data-stale="false"]'
CHART = f'{LIVE} [data-testid="stVegaLiteChart"] canvas, {LIVE} [data-testid="stVegaLiteChart"] svg'
# sidebar link -> (the page's title, the selector of its main element once drawn)
PAGES = {
    "dashboard": ("FrameScope", f'{LIVE} [data-testid="stMetric"]'),
    "Coverage": ("Coverage", CHART),
    "Reuse": ("Reuse", f'{LIVE} [data-testid="stAlert"], {CHART}'),
    "Entities": ("Entities and sources", CHART),
    "Keywords": ("Keywords", CHART),
    "Topics": ("Topics", CHART),
    "Compare": ("Compare", CHART),
}
TIMEOUT_MS = 30_000
RAMP = 0.5  # seconds between two sessions' arrivals


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "FRAMESCOPE_HOME": str(home)}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("streamlit did not become healthy within 90 s")


async def drawn(page, link: str) -> None:
    """Wait until the page ``link`` has drawn its title and its main element in this run."""
    title, main = PAGES[link]
    await page.locator(f"{LIVE} h1").filter(has_text=title).first.wait_for(timeout=TIMEOUT_MS)
    await page.locator(main).first.wait_for(state="visible", timeout=TIMEOUT_MS)


class Results:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.heavy: list[float] = []
        self.first: list[float] = []  # a session's first page load (new session, websocket, Coverage drawn)
        self.errors: list[str] = []


async def check(page, where: str, results: Results) -> None:
    if await page.locator(f'{LIVE} [data-testid="stException"]').count():
        results.errors.append(f"{where}: an exception on the page")


async def session(browser, url: str, i: int, deadline: float, results: Results) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.on("pageerror", lambda exc: results.errors.append(f"session {i}: JavaScript error {exc}"))
    links = list(PAGES)
    order = links[i % len(links):] + links[: i % len(links)]
    await asyncio.sleep(i * RAMP)  # visitors arrive one after another, not in the same millisecond
    page.set_default_navigation_timeout(90_000)
    try:
        t = time.perf_counter()
        try:
            await page.goto(f"{url}/Coverage")
            await drawn(page, "Coverage")
            results.first.append(time.perf_counter() - t)
        except Exception as exc:  # noqa: BLE001
            results.errors.append(f"session {i}, first load: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        while time.monotonic() < deadline:
            for link in order:
                if time.monotonic() >= deadline:
                    break
                t = time.perf_counter()
                try:
                    href = "" if link == "dashboard" else link
                    await page.get_by_test_id("stSidebarNav").locator(f'a[href$="/{href}"]').first.click(
                        timeout=TIMEOUT_MS)
                    await drawn(page, link)
                except Exception as exc:  # noqa: BLE001 - every failure counts as an error, the run goes on
                    results.errors.append(f"session {i}, {link}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                    try:
                        await page.goto(f"{url}/Coverage")
                    except Exception:  # noqa: BLE001 - counted above
                        pass
                    continue
                results.times[link].append(time.perf_counter() - t)
                await check(page, f"session {i}, {link}", results)
    finally:
        await context.close()


async def heavy(browser, url: str, i: int, deadline: float, results: Results) -> None:
    """Ask Topics for k = 2, 3, ... with k-means on paragraphs: a fit not cached yet, every time."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    k = 2 + 20 * i
    try:
        while time.monotonic() < deadline:
            t = time.perf_counter()
            try:
                await page.goto(f"{url}/Topics?tp_k={k}&tp_method=kmeans&tp_unit=sentence")
                await page.get_by_text(f"{k} topics (KMEANS, as asked)").first.wait_for(timeout=120_000)
                results.heavy.append(time.perf_counter() - t)
            except Exception as exc:  # noqa: BLE001
                results.errors.append(f"heavy session {i}, k={k}: {type(exc).__name__}")
            k += 1
    finally:
        await context.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def report(results: Results, sessions: int, seconds: float) -> None:
    every = [t for ts in results.times.values() for t in ts]
    print(f"\n{sessions} sessions for {seconds:.0f} s: {len(every)} page switches, {len(results.errors)} errors")
    print(f"{'page':<10} {'switches':>8} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    for link in PAGES:
        ts = results.times.get(link, [])
        if ts:
            print(f"{link:<10} {len(ts):>8} {statistics.median(ts):>7.2f} {pct(ts, 0.95):>7.2f} {max(ts):>7.2f}")
    if every:
        print(f"{'all':<10} {len(every):>8} {statistics.median(every):>7.2f} {pct(every, 0.95):>7.2f} "
              f"{max(every):>7.2f}")
        print(f"target p95 < 2 s: {'met' if pct(every, 0.95) < 2 else 'NOT met'}; errors (target 0): "
              f"{len(results.errors)}")
    if results.first:
        print(f"first load of a session (new connection, Coverage drawn): median "
              f"{statistics.median(results.first):.2f} "
              f"s, max {max(results.first):.2f} s over {len(results.first)} sessions")
    if results.heavy:
        print(f"heavy sessions: {len(results.heavy)} fresh topic fits, median {statistics.median(results.heavy):.1f} s "
              f"(from the link to the topics drawn)")
    for e in results.errors[:20]:
        print("error:", e)


async def run(url: str, sessions: int, seconds: float, heavies: int) -> Results:
    from playwright.async_api import async_playwright

    results = Results()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        warm = Results()  # one pass to compute what the pages cache, as the first visitor would
        t = time.perf_counter()
        await session(browser, url, 0, time.monotonic() + 1, warm)
        print(f"warm-up pass (first computation of the demo's analyses): {time.perf_counter() - t:.1f} s, "
              f"{len(warm.errors)} errors")
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(session(browser, url, i, deadline, results) for i in range(sessions)),
                             *(heavy(browser, url, i, deadline, results) for i in range(heavies)))
        await browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--heavy", type=int, default=0, help="sessions that keep starting long topic fits")
    ap.add_argument("--url", help="a running FrameScope (default: start one on a fresh data folder)")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    proc = None
    with tempfile.TemporaryDirectory(prefix="framescope-load-") as home:
        url = args.url
        if url is None:
            proc, url = start_server(Path(home))
        try:
            results = asyncio.run(run(url, args.sessions, args.seconds, args.heavy))
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    report(results, args.sessions, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
