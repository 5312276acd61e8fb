"""FrameScope's Streamlit server: starting it as a subprocess on 127.0.0.1, for the browser tests and the load
benchmark (one command, one wait for ``/_stcore/health``); and, for the hosted entry ``hosted.py``, the ASGI
middleware that keeps Streamlit's information endpoints closed while login is on.

Streamlit's server answers ``/_stcore/metrics`` (its sessions, caches and memory) to anyone who asks, and
Streamlit 1.67 has no option to turn it off. ``hosted.py`` serves the dashboard through ``st.App`` (Streamlit's
public ASGI entry) with ``CloseBeforeLogin`` in front of Streamlit's routes: while login is on, the ``CLOSED``
endpoints answer 403 and Streamlit never sees the request (docs/operations.md). Pure ASGI, no Streamlit here:
``hosted.py`` tells the middleware whether login is on."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = "dashboard.py"  # the app as it is: `framescope run`, one person on their own machine
HOSTED = "hosted.py"  # the app behind st.App, Streamlit's information endpoints closed while login is on
STOP_WAIT = 10  # seconds a server stopped by Ctrl+C is given to end (``call``)


def command(*args: str, entry: str = LOCAL) -> list[str]:
    """``streamlit run ENTRY`` (``dashboard.py`` by default) with extra Streamlit ``args``, in this Python."""
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / entry), *args]


def call(args: list[str], **popen: object) -> int:
    """``subprocess.call(args, **popen)`` for a server run in the foreground: SIGTERM and SIGHUP sent to this
    process (a service manager, a container or a closed terminal stopping it) are passed on to the child, which
    would otherwise be left running; Ctrl+C reaches the child from the terminal, and the child is waited for (at
    most ``STOP_WAIT`` seconds, then ended). Returns the child's exit status."""
    child = subprocess.Popen(args, **popen)
    stops = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]  # no SIGHUP on Windows
    before = {sig: signal.signal(sig, lambda signum, _frame: child.send_signal(signum)) for sig in stops}
    try:
        try:
            return child.wait()
        except KeyboardInterrupt:
            try:
                return child.wait(timeout=STOP_WAIT)
            except subprocess.TimeoutExpired:
                child.terminate()
                return child.wait()
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the system picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(home: Path, *args: str, env: dict | None = None, port: int | None = None,
          timeout: float = 60, entry: str = LOCAL) -> tuple[subprocess.Popen, str]:
    """The dashboard on 127.0.0.1 and ``port`` (default: a free one) over the data folder ``home``, with
    the repository's hosting config, started from ``entry`` (``LOCAL`` or ``HOSTED``); returns (process, url)
    once /_stcore/health answers, or raises
    ``TimeoutError`` (the process killed) after ``timeout`` seconds."""
    port = port or free_port()
    proc = subprocess.Popen(
        command("--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
                "--browser.gatherUsageStats", "false", *args, entry=entry),
        cwd=ROOT, env={**os.environ, "FRAMESCOPE_HOME": str(home), **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise TimeoutError(f"streamlit did not become healthy within {timeout:.0f} s")


# Streamlit's information endpoints nobody needs before logging in: its metrics, the script health check
# (off unless ``server.scriptHealthCheckEnabled``) and the agent API (off unless ``server.enableAgentApi``).
# Open: /_stcore/health (a load balancer's probe answers "ok") and what the login page itself needs
# (/_stcore/host-config, /_stcore/stream, the static files, /auth/login, /oauth2callback).
CLOSED = ("_stcore/metrics", "_stcore/script-health-check", "_stcore/agent")
REFUSAL = b"Closed: this FrameScope requires login.\n"


def _parts(path: str) -> list[str]:
    return [p for p in re.split(r"/+", path.lower()) if p]


def closed(path: str, base: str = "") -> bool:
    """Whether the request path ``path`` is one of the ``CLOSED`` endpoints, or below one, under the base URL
    path ``base`` (``server.baseUrlPath``); repeated or trailing slashes and case make no difference."""
    parts, prefix = _parts(path), _parts(base)
    if parts[:len(prefix)] != prefix:
        return False
    rest = parts[len(prefix):]
    return any(rest[:len(c.split("/"))] == c.split("/") for c in CLOSED)


class CloseBeforeLogin:
    """ASGI middleware: while ``login()`` is true, an HTTP request for a ``closed`` path gets 403 and never
    reaches Streamlit; everything else passes through. ``base()`` is the server's base URL path.

    Given to ``st.App`` as ``Middleware(CloseBeforeLogin, login=..., base=...)``; Streamlit runs it before its
    own middleware and routes."""

    def __init__(self, app, login: Callable[[], bool], base: Callable[[], str] = str) -> None:
        self.app = app
        self.login = login
        self.base = base

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and closed(scope.get("path", ""), self.base()) and self.login():
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(REFUSAL)).encode()),
                                    (b"cache-control", b"no-store")]})
            await send({"type": "http.response.body", "body": REFUSAL})
            return
        await self.app(scope, receive, send)
