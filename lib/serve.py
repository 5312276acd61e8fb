"""Starting FrameScope's Streamlit server as a subprocess on 127.0.0.1, for the browser tests and the load
benchmark: one command, one wait for ``/_stcore/health``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def command(*args: str) -> list[str]:
    """``streamlit run dashboard.py`` with extra Streamlit ``args``, in this Python."""
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), *args]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the system picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(home: Path, *args: str, env: dict | None = None, port: int | None = None,
          timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """The dashboard on 127.0.0.1 and ``port`` (default: a free one) over the data folder ``home``, with
    the repository's hosting config; returns (process, url) once /_stcore/health answers, or raises
    ``TimeoutError`` (the process killed) after ``timeout`` seconds."""
    port = port or free_port()
    proc = subprocess.Popen(
        command("--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
                "--browser.gatherUsageStats", "false", *args),
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
