"""Fetch throughput and the fetch cache's size, against a web server on 127.0.0.1 that this script starts.

    python -m benchmarks.fetch [--pages 1000] [--paragraphs 12]

The server serves ``--pages`` article pages (a header, navigation, ``--paragraphs`` paragraphs of prose and a
footer: about 5 KB each with 12 paragraphs) and a robots.txt. The script fetches them all
with ``lib.ingest.fetch`` (the per-host delay set to zero, as the measurement asks), then reads them again
from the cache, then extracts each article with ``lib.ingest.web.read_urls`` from the cache, and prints pages
per second for each and the cache's size per thousand pages. The real web is slower: a server's response time
and the per-host delay (1 s by default) bound it, not this code.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WORDS = ("council harbour ferry vote plan budget minister talks city port crossing schedule repairs season "
         "residents commuters engineers agency report figures week month spring summer north south").split()


def page(i: int, paragraphs: int) -> bytes:
    rng = random.Random(i)
    body = "".join(f"<p>{' '.join(rng.choice(WORDS) for _ in range(60)).capitalize()}.</p>" for _ in range(paragraphs))
    return (f"<html><head><title>Story {i}</title><meta property='og:site_name' content='Bench Daily'></head><body>"
            f"<nav><a href='/'>Home</a> | <a href='/news'>News</a> | <a href='/sport'>Sport</a></nav>"
            f"<article><h1>Story {i}</h1><p class='byline'>By Jane Doe</p>{body}</article>"
            f"<footer>© Bench Daily. All rights reserved. <a href='/privacy'>Privacy</a></footer></body></html>"
            ).encode()


def serve(pages: int, paragraphs: int) -> tuple[ThreadingHTTPServer, str]:
    cache = {i: page(i, paragraphs) for i in range(pages)}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/robots.txt":
                body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
            else:
                body, kind = cache.get(int(self.path.rsplit("/", 1)[-1] or -1), b""), "text/html; charset=utf-8"
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--paragraphs", type=int, default=12)
    args = ap.parse_args(argv)
    from lib.ingest import fetch, web

    server, url = serve(args.pages, args.paragraphs)
    cache = Path(tempfile.mkdtemp(prefix="framescope-fetch-"))
    urls = [f"{url}/story/{i}" for i in range(args.pages)]
    settings = fetch.Settings(delay=0.0, allow_private=True)
    try:
        fetcher = fetch.Fetcher(settings, cache=cache)
        t = time.perf_counter()
        for u in urls:
            fetcher.get(u)
        network = time.perf_counter() - t
        size = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file())
        cached = fetch.Fetcher(settings, cache=cache)
        t = time.perf_counter()
        for u in urls:
            cached.get(u)
        from_cache = time.perf_counter() - t
        t = time.perf_counter()
        batch = web.read_urls(urls, fetch.Fetcher(settings, cache=cache))
        extracted = time.perf_counter() - t
    finally:
        server.shutdown()
        shutil.rmtree(cache, ignore_errors=True)
    n = args.pages
    print(f"{n} pages of {len(page(0, args.paragraphs)) / 1024:.1f} KB from 127.0.0.1, per-host delay 0")
    print(f"fetched over the network: {n / network:,.0f} pages/s ({network:.1f} s; {fetcher.requests} requests)")
    print(f"read again from the cache: {n / from_cache:,.0f} pages/s ({cached.requests} requests)")
    print(f"fetched from the cache and extracted (trafilatura): {n / extracted:,.0f} pages/s "
          f"({len(batch.articles)} articles, {len(batch.problems)} problems)")
    print(f"cache: {size / 2**20 * 1000 / n:.1f} MB per thousand pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
