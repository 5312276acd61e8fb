"""Fetching web pages politely and safely, with a cache of what was fetched.

Politely: robots.txt honoured for FrameScope's User-Agent (RFC 9309: a robots.txt that cannot be fetched
because of a server error forbids everything, one that is missing allows everything), a delay between two
requests to the same host, a User-Agent that names FrameScope and a contact address, retries with
exponential backoff on 429 and 5xx (a numeric ``Retry-After`` honoured, within the page's time).
Safely: http and https only; connect and read timeouts and a total time per page, also while the body is
read; a size cap on the body; redirects followed by hand, each hop checked again (scheme, address,
robots.txt), at most ``max_redirects`` and never in a loop; and, when hosted, loopback, private, link-local
and other non-public addresses refused (every address the host resolves to is checked).
A page fetched once is kept in the data folder (``fetch/``: its bytes and a JSON of its final URL, status,
type and time), so a second ingest of the same links makes no request unless asked to refresh, and
cleaning and extraction can be rerun without the network.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import socket
import time
import urllib.parse
import urllib.robotparser
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

import urllib3

from lib import config

VERSION = "0.1"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024


class FetchError(Exception):
    """A page that could not be fetched; ``str`` is the reason a person reads ("404 Not Found", "timed out",
    "refused by robots.txt", "too large", ...)."""


@dataclass(frozen=True)
class Settings:
    """How pages are fetched. ``allow_private``: fetch loopback, private and link-local addresses too (the
    command line does; a hosted dashboard does not unless ``FRAMESCOPE_FETCH_PRIVATE`` says so)."""

    contact: str = ""
    delay: float = 1.0  # seconds between two requests to one host
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0  # per page, retries and redirects included
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_redirects: int = 5
    max_bytes: int = 10 * 2**20
    allow_private: bool = False

    @property
    def user_agent(self) -> str:
        return f"FrameScope/{VERSION}" + (f" (+{self.contact})" if self.contact else "")

    @classmethod
    def from_env(cls, hosted: bool) -> Settings:
        """Settings from ``FRAMESCOPE_CONTACT``, ``_FETCH_DELAY``, ``_FETCH_TIMEOUT`` (the total per page),
        ``_FETCH_MAX_MB`` and, when ``hosted``, ``_FETCH_PRIVATE`` (1 to allow private addresses)."""
        env = os.environ.get
        return cls(contact=env("FRAMESCOPE_CONTACT", ""), delay=float(env("FRAMESCOPE_FETCH_DELAY", 1.0)),
                   total_timeout=float(env("FRAMESCOPE_FETCH_TIMEOUT", 30.0)),
                   max_bytes=int(float(env("FRAMESCOPE_FETCH_MAX_MB", 10)) * 2**20),
                   allow_private=not hosted or env("FRAMESCOPE_FETCH_PRIVATE", "") == "1")


@dataclass(frozen=True)
class Page:
    """A fetched page: the URL asked for, the URL it was found at (after redirects), its status, content type,
    bytes and when it was fetched (UTC, ISO 8601); ``cached`` when it came from the fetch cache."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes = field(repr=False)
    fetched: str
    cached: bool = False


def _public(host: str, port: int) -> None:
    """Raise ``FetchError`` unless every address ``host`` resolves to is a public one."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host} ({exc.strerror or exc})") from None
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            raise FetchError(f"refused: {host} is a private, loopback or link-local address ({address})")


class Fetcher:
    """Fetches pages by ``get``, one at a time, keeping to ``settings``; ``cache``: the folder of the fetch cache
    (None: no cache). ``clock`` and ``sleep`` are the time functions (a test may pass its own)."""

    def __init__(self, settings: Settings | None = None, cache: Path | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.settings = settings or Settings()
        self.cache = cache
        self.clock, self.sleep = clock, sleep
        self.requests = 0  # requests made over the network (robots.txt included)
        self._last: dict[str, float] = {}  # host -> when it was last asked
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._http = urllib3.PoolManager(
            headers={"User-Agent": self.settings.user_agent, "Accept-Encoding": "identity"}, retries=False,
            timeout=urllib3.Timeout(connect=self.settings.connect_timeout, read=self.settings.read_timeout))

    def get(self, url: str, refresh: bool = False) -> Page:
        """The page at ``url`` (from the cache unless ``refresh``), following redirects; raises ``FetchError``."""
        if not refresh and (page := self._cached(url)) is not None:
            return page
        deadline = self.clock() + self.settings.total_timeout
        seen, current = {url}, url
        for _ in range(self.settings.max_redirects + 1):
            self._allowed(current, deadline)
            status, headers, body = self._request(current, deadline)
            if status in REDIRECT_STATUS and headers.get("location"):
                current = urllib.parse.urljoin(current, headers["location"])
                if current in seen:
                    raise FetchError("redirect loop")
                seen.add(current)
                continue
            if status >= 400:
                raise FetchError(f"{status} {_reason(status)}")
            page = Page(url, current, status, headers.get("content-type", "").split(";")[0].strip().lower(), body,
                        datetime.now(UTC).isoformat(timespec="seconds"))
            self._keep(page)
            return page
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    def _allowed(self, url: str, deadline: float) -> None:
        """Raise ``FetchError`` unless ``url`` is http(s), at a public address (or private ones are allowed) and
        robots.txt lets FrameScope fetch it."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) address: {url[:200]}")
        if not self.settings.allow_private:
            _public(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        if not self._robots_for(parts, deadline).can_fetch(self.settings.user_agent, url):
            raise FetchError("refused by robots.txt")

    def _robots_for(self, parts: urllib.parse.SplitResult, deadline: float) -> urllib.robotparser.RobotFileParser:
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            rules = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            try:
                status, _, body = self._request(origin + "/robots.txt", deadline, retry=False)
            except FetchError:
                status, body = 503, b""  # unreachable: as a server error
            if status >= 500:
                rules.disallow_all = True
            elif status >= 400:
                rules.allow_all = True
            else:
                rules.parse(body.decode("utf-8", "replace").splitlines())
            self._robots[origin] = rules
        return self._robots[origin]

    def _request(self, url: str, deadline: float, retry: bool = True) -> tuple[int, dict[str, str], bytes]:
        """One GET (retried on 429 and 5xx when ``retry``), its body read in chunks within the size cap and the
        deadline: (status, headers in lower case, body)."""
        host = urllib.parse.urlsplit(url).netloc
        wait = self.settings.backoff
        for attempt in range(self.settings.retries + 1 if retry else 1):
            self._pause(host, deadline)
            status, headers, body = self._once(url, deadline)
            if status not in RETRY_STATUS or attempt == (self.settings.retries if retry else 0):
                return status, headers, body
            after = headers.get("retry-after", "")
            pause = float(after) if after.isdigit() else wait
            if self.clock() + pause >= deadline:
                return status, headers, body
            self.sleep(pause)
            wait *= 2
        raise AssertionError("unreachable")

    def _pause(self, host: str, deadline: float) -> None:
        last = self._last.get(host)
        if last is not None and (gap := last + self.settings.delay - self.clock()) > 0:
            if self.clock() + gap >= deadline:
                raise FetchError("timed out (waiting for the host's turn)")
            self.sleep(gap)
        self._last[host] = self.clock()

    def _once(self, url: str, deadline: float) -> tuple[int, dict[str, str], bytes]:
        left = deadline - self.clock()
        if left <= 0:
            raise FetchError("timed out")
        timeout = urllib3.Timeout(connect=min(self.settings.connect_timeout, left),
                                  read=min(self.settings.read_timeout, left))
        self.requests += 1
        try:
            response = self._http.request("GET", url, redirect=False, preload_content=False, timeout=timeout)
        except urllib3.exceptions.TimeoutError:
            raise FetchError("timed out") from None
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(f"cannot connect ({type(exc).__name__})") from None
        try:
            headers = {k.lower(): v for k, v in response.headers.items()}
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.settings.max_bytes:
                raise FetchError(f"too large ({declared} bytes, more than {self.settings.max_bytes})")
            chunks, size = [], 0
            for chunk in response.stream(CHUNK):
                size += len(chunk)
                if size > self.settings.max_bytes:
                    raise FetchError(f"too large (more than {self.settings.max_bytes} bytes)")
                if self.clock() > deadline:
                    raise FetchError("timed out (reading the page)")
                chunks.append(chunk)
            return response.status, headers, b"".join(chunks)
        except urllib3.exceptions.TimeoutError:
            raise FetchError("timed out (reading the page)") from None
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(f"the connection broke ({type(exc).__name__})") from None
        finally:
            response.release_conn()

    def _paths(self, url: str) -> tuple[Path, Path] | None:
        if self.cache is None:
            return None
        digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
        folder = self.cache / digest[:2]
        return folder / f"{digest}.body", folder / f"{digest}.json"

    def _cached(self, url: str) -> Page | None:
        paths = self._paths(url)
        if paths is None or not paths[1].exists():
            return None
        try:
            meta = json.loads(paths[1].read_text(encoding="utf-8"))
            return Page(**{**meta, "body": paths[0].read_bytes(), "cached": True})
        except (OSError, ValueError, TypeError):
            return None  # a damaged entry: fetched again

    def _keep(self, page: Page) -> None:
        paths = self._paths(page.url)
        if paths is None:
            return
        body, meta = paths
        body.parent.mkdir(parents=True, exist_ok=True)
        body.write_bytes(page.body)
        fields = {k: v for k, v in asdict(page).items() if k not in ("body", "cached")}
        meta.write_text(json.dumps(fields), encoding="utf-8")  # written last: an entry is whole or absent


def cache_folder(home: Path | None = None) -> Path:
    """The fetch cache in the data folder."""
    return (home or config.home()) / "fetch"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"
