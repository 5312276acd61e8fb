"""Load test: concurrent sessions switching pages on one corpus (the demo by default), against one FrameScope.

    python -m benchmarks.load [--clients ws|chromium] [--sessions 20] [--seconds 60] [--heavy 1] [--url URL]
                              [--corpus NAME] [--home DIR]

Starts ``streamlit run dashboard.py`` on 127.0.0.1 (a fresh data folder, so the demo corpus, or the data folder
``--home``; the repository's hosting config) unless ``--url`` names a running one, opens every page on
``--corpus``, makes one pass over the pages to compute what they cache, then runs the sessions, each starting
at a different page, arriving 0.5 s apart, until the time is up.

``--clients ws`` (the default) measures the server: each session is a websocket of its own to
``/_stcore/stream`` that speaks Streamlit's protocol as the browser does (subprotocol ``streamlit``; a BackMsg
``rerun_script`` whose ClientState names the page by its script hash, taken from the ``navigation`` message,
and the query string ``corpus=NAME``). A switch is timed from sending the request to the ForwardMsg
``script_finished`` (FINISHED_SUCCESSFULLY, after any ``st.rerun``) of that run: every element of the page has
been sent by then, nothing is drawn. Errors: a switch that takes more than 30 s, an exception element, a page
whose run sent no main element (its chart; the home page: its metrics; Reuse on the demo: its message), a run
that ended otherwise, a lost connection (the session then reconnects). Twenty sessions cost the client little,
so the figures are the server's.

``--clients chromium`` measures what a user sees, with one Debian chromium (Playwright, never ``playwright
install``): each session is a browser context of its own (its own cookies and Streamlit session) that opens
Coverage and then clicks through the pages in the sidebar. A switch is timed from the click to the page's
main element being drawn by this run (not a stale one from the previous page): its title and its chart (the
home page: its metrics; Reuse on the demo: its message). Errors: a switch that takes more than 30 s, an
exception box on a page, a JavaScript error, a lost connection. On a 2-core machine the 20 renderers are the
bottleneck, not the server.

``--heavy N`` adds N sessions that keep asking the Topics page for a number of topics not yet computed (a
fresh fit each time: a long computation), to show that the others are not frozen meanwhile; their times are
reported apart. The server process's CPU use over the timed part is reported when this script started it.
Traffic goes to 127.0.0.1 only; the run stops by itself after ``--seconds``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from lib import serve

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
CORPUS = {"name": "demo"}  # the corpus every page opens on (--corpus)
LINKS = {"dashboard": "Home"}  # page -> the name of its link in the sidebar, where they differ
RAMP = 0.5  # seconds between two sessions' arrivals


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
            await page.goto(f"{url}/Coverage?corpus={CORPUS['name']}")
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
                    await page.get_by_test_id("stSidebar").get_by_role(
                        "link", name=LINKS.get(link, link), exact=True).click(timeout=TIMEOUT_MS)
                    await drawn(page, link)
                except Exception as exc:  # noqa: BLE001 - every failure counts as an error, the run goes on
                    results.errors.append(f"session {i}, {link}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                    try:
                        await page.goto(f"{url}/Coverage?corpus={CORPUS['name']}")
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
                await page.goto(f"{url}/Topics?corpus={CORPUS['name']}&tp_k={k}&tp_method=kmeans&tp_unit=sentence")
                await page.get_by_text(f"{k} topics (KMEANS, as asked)").first.wait_for(timeout=120_000)
                results.heavy.append(time.perf_counter() - t)
            except Exception as exc:  # noqa: BLE001
                results.errors.append(f"heavy session {i}, k={k}: {type(exc).__name__}")
            k += 1
    finally:
        await context.close()


# --- websocket clients: Streamlit's own protocol, as the browser speaks it ---

STREAM = "/_stcore/stream"
# sidebar link -> the element types of which one, sent by the page's run, shows it was drawn in full
WS_MAIN = {"dashboard": {"metric"}, "Reuse": {"alert", "vega_lite_chart"}}
WS_CHART = {"vega_lite_chart"}


class WsSession:
    """One Streamlit session over its own websocket: ``run`` asks for a page and waits for its run to end."""

    def __init__(self, url: str) -> None:
        self.url = "ws" + url.removeprefix("http") + STREAM
        self.ws = None
        self.hashes: dict[str, str] = {}  # page name -> page_script_hash, from the navigation message

    async def connect(self) -> None:
        import websockets

        # the browser sends "streamlit, <XSRF token>[, <session id to resume>]"; without an XSRF cookie the
        # server still accepts the connection (the token only unlocks the login cookie), and without an
        # Origin header the same-origin check lets it through
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                           ping_interval=None, open_timeout=TIMEOUT_MS / 1000)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def run(self, link: str, query: str | None = None, timeout: float = TIMEOUT_MS / 1000,
                  expect: str | None = None) -> list[str]:
        """Ask for the page ``link`` and wait for ``script_finished`` of its run (a run that ``st.rerun``s
        goes on); returns what went wrong (nothing: the page's run ended well and sent its main element)."""
        return await asyncio.wait_for(self._run(link, query or f"corpus={CORPUS['name']}", expect), timeout)

    async def _run(self, link: str, query: str, expect: str | None) -> list[str]:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if self.ws is None:  # (re)connecting is part of the switch's time, as a reload would be
            await self.connect()
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = "" if link == "dashboard" else link
        msg.rerun_script.page_script_hash = self.hashes.get(link, "")  # "": the server goes by page_name
        await self.ws.send(msg.SerializeToString())
        kinds: set[str] = set()
        problems: list[str] = []
        seen = expect is None
        while True:
            raw = await self.ws.recv()
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.hashes = {p.page_name: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element.WhichOneof("type")
                kinds.add(element)
                if element == "exception":
                    problems.append("an exception element")
                if not seen and expect.encode() in raw:
                    seen = True
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the next run of the chain follows
                if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    problems.append(f"run ended {ForwardMsg.ScriptFinishedStatus.Name(status)}")
                break
        if not kinds & WS_MAIN.get(link, WS_CHART):
            problems.append(f"no {' or '.join(sorted(WS_MAIN.get(link, WS_CHART)))} element")
        if not seen:
            problems.append(f"no {expect!r}")
        return problems


def ws_failure(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"no script_finished within {TIMEOUT_MS // 1000} s"
    return f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"


async def ws_session(url: str, i: int, deadline: float, results: Results, cycles: int | None = None) -> None:
    links = list(PAGES)
    order = links[i % len(links):] + links[: i % len(links)]
    await asyncio.sleep(i * RAMP)
    client = WsSession(url)
    try:
        t = time.perf_counter()
        try:  # a new session, as a browser opening /Coverage: the page goes by name, no hash known yet
            problems = await client.run("Coverage", timeout=90)
            results.first.append(time.perf_counter() - t)
            results.errors.extend(f"session {i}, first load: {p}" for p in problems)
        except Exception as exc:  # noqa: BLE001 - counted, the run goes on
            results.errors.append(f"session {i}, first load: {ws_failure(exc)}")
            await client.close()
        done = 0
        while time.monotonic() < deadline and (cycles is None or done < cycles):
            done += 1
            for link in order:
                if time.monotonic() >= deadline:
                    break
                t = time.perf_counter()
                try:
                    problems = await client.run(link)
                except Exception as exc:  # noqa: BLE001 - every failure counts as an error, the run goes on
                    results.errors.append(f"session {i}, {link}: {ws_failure(exc)}")
                    await client.close()  # the next run opens a fresh session: the old one may still be sending
                    continue
                results.times[link].append(time.perf_counter() - t)
                results.errors.extend(f"session {i}, {link}: {p}" for p in problems)
    finally:
        await client.close()


async def ws_heavy(url: str, i: int, deadline: float, results: Results) -> None:
    """Ask Topics for k = 2, 3, ... with k-means on sentences: a fit not cached yet, every time."""
    client = WsSession(url)
    k = 2 + 20 * i
    try:
        while time.monotonic() < deadline:
            t = time.perf_counter()
            try:
                query = f"corpus={CORPUS['name']}&tp_k={k}&tp_method=kmeans&tp_unit=sentence"
                problems = await client.run("Topics", query, timeout=120, expect=f"{k} topics (KMEANS, as asked)")
                if problems:
                    results.errors.extend(f"heavy session {i}, k={k}: {p}" for p in problems)
                else:
                    results.heavy.append(time.perf_counter() - t)
            except Exception as exc:  # noqa: BLE001
                results.errors.append(f"heavy session {i}, k={k}: {ws_failure(exc)}")
                await client.close()
            k += 1
    finally:
        await client.close()


async def run_ws(url: str, sessions: int, seconds: float, heavies: int, cpu: CpuMeter) -> Results:
    results = Results()
    warm = Results()
    t = time.perf_counter()
    await ws_session(url, 0, float("inf"), warm, cycles=1)
    print(f"warm-up pass (first computation of the demo's analyses): {time.perf_counter() - t:.1f} s, "
          f"{len(warm.errors)} errors")
    cpu.start()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(ws_session(url, i, deadline, results) for i in range(sessions)),
                         *(ws_heavy(url, i, deadline, results) for i in range(heavies)))
    cpu.stop()
    return results


class CpuMeter:
    """CPU seconds of a process (and its children, with psutil) over the timed part of the run, and its resident
    memory sampled every second (``/proc/PID/status``)."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.used = self.wall = self.client = 0.0
        self.rss: list[float] = []  # MB, one sample a second
        self._done = threading.Event()

    def _rss(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def _sample(self) -> None:
        while not self._done.wait(1.0):
            if (mb := self._rss()) is not None:
                self.rss.append(mb)

    def _cpu(self) -> float:
        try:
            import psutil
        except ImportError:  # the process only, from /proc
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        proc = psutil.Process(self.pid)
        total = 0.0
        for p in [proc, *proc.children(recursive=True)]:
            try:
                times = p.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        return total

    def start(self) -> None:
        self._t, self._client = time.monotonic(), time.process_time()
        self._used = self._cpu() if self.pid else 0.0
        if self.pid:
            self.rss = [mb for mb in [self._rss()] if mb is not None]
            threading.Thread(target=self._sample, daemon=True).start()

    def stop(self) -> None:
        self.wall, self.client = time.monotonic() - self._t, time.process_time() - self._client
        self.used = self._cpu() - self._used if self.pid else 0.0
        self._done.set()

    def report(self) -> None:
        if not self.wall:
            return
        cores = os.cpu_count() or 1
        if self.pid:
            print(f"server CPU over the {self.wall:.0f} s of sessions: {self.used:.1f} s = {self.used / self.wall:.0%} "
                  f"of one core, {self.used / self.wall / cores:.0%} of the machine's {cores}")
        if self.rss:
            third = max(len(self.rss) // 3, 1)
            early, late = statistics.mean(self.rss[:third]), statistics.mean(self.rss[-third:])
            print(f"server memory (RSS) over the run: {self.rss[0]:,.0f} MB at the start, {max(self.rss):,.0f} MB at "
                  f"most, {self.rss[-1]:,.0f} MB at the end; mean of the first third {early:,.0f} MB, of the last "
                  f"third {late:,.0f} MB")
        print(f"this client process: {self.client:.1f} s CPU = {self.client / self.wall:.0%} of one core "
              "(chromium's own processes not counted)")


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
        print(f"first load of a session (new connection, Coverage): median "
              f"{statistics.median(results.first):.2f} "
              f"s, max {max(results.first):.2f} s over {len(results.first)} sessions")
    if results.heavy:
        print(f"heavy sessions: {len(results.heavy)} fresh topic fits, median {statistics.median(results.heavy):.1f} s "
              f"(from the request to the topics shown)")
    for e in results.errors[:20]:
        print("error:", e)


async def run_chromium(url: str, sessions: int, seconds: float, heavies: int, cpu: CpuMeter) -> Results:
    from playwright.async_api import async_playwright

    results = Results()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        warm = Results()  # one pass to compute what the pages cache, as the first visitor would
        t = time.perf_counter()
        await session(browser, url, 0, time.monotonic() + 1, warm)
        print(f"warm-up pass (first computation of the demo's analyses): {time.perf_counter() - t:.1f} s, "
              f"{len(warm.errors)} errors")
        cpu.start()
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(session(browser, url, i, deadline, results) for i in range(sessions)),
                             *(heavy(browser, url, i, deadline, results) for i in range(heavies)))
        cpu.stop()
        await browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", choices=["ws", "chromium"], default="ws",
                    help="ws: websocket sessions speaking Streamlit's protocol (the server's times); chromium: "
                         "browser contexts (what a user sees)")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--heavy", type=int, default=0, help="sessions that keep starting long topic fits")
    ap.add_argument("--url", help="a running FrameScope (default: start one on a fresh data folder)")
    ap.add_argument("--corpus", default="demo", help="the corpus every page opens on")
    ap.add_argument("--home", type=Path, help="the data folder the server started here reads (default: a fresh one)")
    args = ap.parse_args(argv)
    CORPUS["name"] = args.corpus
    if args.clients == "chromium" and not Path(CHROMIUM).exists():
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    proc = None
    with tempfile.TemporaryDirectory(prefix="framescope-load-") as home:
        url = args.url
        if url is None:
            proc, url = serve.start(args.home or Path(home), timeout=90)
        try:
            cpu = CpuMeter(proc.pid if proc is not None else None)
            run = run_ws if args.clients == "ws" else run_chromium
            results = asyncio.run(run(url, args.sessions, args.seconds, args.heavy, cpu))
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    print(f"\nclients: {args.clients} ({'request to script_finished' if args.clients == 'ws' else 'click to drawn'})")
    report(results, args.sessions, args.seconds)
    cpu.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
