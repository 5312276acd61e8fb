"""lib/ingest/fetch.py against a web server on 127.0.0.1 made by the tests: robots.txt, delays, retries,
redirects, timeouts, size caps, private addresses and the fetch cache."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lib.ingest import Batch, RawArticle, fetch, web

ARTICLE = (b'<html><head><title>Harbour ferry returns</title><meta property="og:site_name" content="Harbour Herald">'
           b'<meta property="article:published_time" content="2024-04-30T08:00:00Z"></head><body>'
           b"<nav><a href='/'>Home</a> | <a href='/news'>News</a> | <a href='/sport'>Sport</a></nav><article><p>"
           b"The harbour ferry returned to service on Monday after six weeks in dry dock, the port authority said, "
           b"with the first crossing leaving the north quay shortly after seven.</p><p>Engineers replaced both "
           b"propeller shafts and rewired the wheelhouse.</p></article>"
           b"<footer>Copyright Harbour Herald. All rights reserved. <a href='/privacy'>Privacy</a></footer>"
           b"</body></html>")


class Site(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    routes_extra: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        Site.hits[self.path] = Site.hits.get(self.path, 0) + 1
        routes = {
            "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
            "/article": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE),
            "/private/page": (200, {"Content-Type": "text/html"}, ARTICLE),
            "/loop-a": (302, {"Location": "/loop-b"}, b""),
            "/loop-b": (302, {"Location": "/loop-a"}, b""),
            "/moved": (301, {"Location": "/article"}, b""),
            "/large": (200, {"Content-Type": "text/html"}, b"x" * 300_000),
            **Site.routes_extra,
        }
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/flaky" and Site.hits[self.path] == 1:
            status, headers, body = 503, {"Retry-After": "0"}, b"busy"
        elif self.path == "/flaky":
            status, headers, body = 200, {"Content-Type": "text/html"}, ARTICLE
        else:
            status, headers, body = routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"not here"))
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (the slow page)
            pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def fetcher(tmp_path, **settings) -> fetch.Fetcher:
    base = {"delay": 0.0, "allow_private": True, "backoff": 0.01, "total_timeout": 10.0}
    return fetch.Fetcher(fetch.Settings(**{**base, **settings}), cache=tmp_path / "fetch")


def test_a_page_is_fetched_once_and_then_read_from_the_cache(site, tmp_path):
    first = fetcher(tmp_path)
    page = first.get(f"{site}/article")
    assert page.status == 200 and page.content_type == "text/html" and b"harbour ferry" in page.body
    assert not page.cached and page.fetched.endswith("+00:00")
    again = fetcher(tmp_path)  # a second ingest: a new fetcher, the same data folder
    cached = again.get(f"{site}/article")
    assert cached.cached and cached.body == page.body and again.requests == 0
    assert again.get(f"{site}/article", refresh=True).cached is False and again.requests >= 1


@pytest.mark.parametrize(("path", "reason"), [
    ("/missing", "404 Not Found"), ("/private/page", "refused by robots.txt"), ("/loop-a", "redirect loop"),
    ("/large", "too large"), ("/slow", "timed out")])
def test_each_failure_says_why(site, tmp_path, path, reason):
    f = fetcher(tmp_path, max_bytes=100_000, read_timeout=1.0, total_timeout=2.0)
    t = time.monotonic()
    with pytest.raises(fetch.FetchError, match=reason):
        f.get(site + path)
    assert time.monotonic() - t < 3.0  # the slow page is given up within its time


def test_a_redirect_is_followed_and_its_target_named(site, tmp_path):
    page = fetcher(tmp_path).get(f"{site}/moved")
    assert page.final_url == f"{site}/article" and page.url == f"{site}/moved"


def test_a_busy_server_is_asked_again(site, tmp_path):
    f = fetcher(tmp_path)
    assert f.get(f"{site}/flaky").status == 200 and Site.hits["/flaky"] == 2


def test_only_http_and_public_addresses_when_hosted(site, tmp_path):
    hosted = fetcher(tmp_path, allow_private=False)
    with pytest.raises(fetch.FetchError, match="private, loopback or link-local"):
        hosted.get(f"{site}/article")
    with pytest.raises(fetch.FetchError, match="not an http"):
        hosted.get("file:///etc/passwd")
    assert hosted.requests == 0
    assert fetch.Settings.from_env(hosted=True).allow_private is False
    assert fetch.Settings.from_env(hosted=False).allow_private is True  # the command line fetches any address


def test_one_host_is_asked_no_more_often_than_the_delay(site, tmp_path):
    slept: list[float] = []
    f = fetch.Fetcher(fetch.Settings(delay=0.3, allow_private=True), cache=None,
                      sleep=lambda s: (slept.append(s), time.sleep(s)))
    for path in ("/article", "/moved"):
        f.get(site + path)
    assert len(slept) >= 2 and all(0 < s <= 0.3 for s in slept)  # robots.txt, then each page, 0.3 s apart
    assert f.settings.user_agent.startswith("FrameScope/")


FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>'
        b"<item><link>/article</link></item><item><link>/missing</link></item><item><link>/doc.pdf</link></item>"
        b"</channel></rss>")
ATOM = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Site</title>'
        b'<entry><link rel="alternate" href="/article"/></entry><entry><link href="/moved"/></entry></feed>')


def test_feeds_are_known_by_their_content_and_links_listed():
    assert web.feed_links(FEED) == ["/article", "/missing", "/doc.pdf"]
    assert web.feed_links(ATOM) == ["/article", "/moved"]
    assert web.feed_links(ARTICLE) is None and web.feed_links(b"not xml") is None
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss>&b;</rss>'
    assert web.feed_links(bomb) in (None, [])  # entities are not expanded
    assert web.url_list("https://a.example/1\n\n  http://b.example/2  \n") == ["https://a.example/1", "http://b.example/2"]
    assert web.url_list("See https://a.example/1 for more") is None


def test_the_command_line_ingests_a_feed_and_a_list_of_links_and_names_each_failure(site, tmp_path, monkeypatch,
                                                                                     capsys):
    from lib import cli, store

    monkeypatch.setenv("FRAMESCOPE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FRAMESCOPE_FETCH_DELAY", "0")
    Site.routes_extra = {"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, FEED),
                         "/atom": (200, {"Content-Type": "application/atom+xml"}, ATOM),
                         "/doc.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 ...")}
    links = tmp_path / "links.txt"
    links.write_text(f"{site}/atom\n{site}/private/page\n")
    assert cli.main(["ingest", f"{site}/feed.xml", str(links), "--corpus", "web"]) == 1  # some failed
    err = capsys.readouterr().err
    assert f"error: {site}/missing: 404 Not Found" in err  # each feed item named by its own address
    assert "refused by robots.txt" in err and "not an article" in err
    stored = store.articles(store.connect(tmp_path / "home"), "web")
    assert len(stored) == 1  # the article (its feed item, the Atom entry and the redirect are one page: duplicates)
    row = stored.iloc[0]
    assert row["url"] == f"{site}/article" and row["outlet"] == "Harbour Herald" and row["retrieved"]
    assert str(row["published"]).startswith("2024-04-30") and row["title"] == "Harbour ferry returns"
    text = store.articles(store.connect(tmp_path / "home"), "web", text=True)["text"].iloc[0]
    assert "north quay" in text and "Privacy" not in text and "Sport" not in text  # the page's furniture left out
    before = dict(Site.hits)
    assert cli.main(["ingest", f"{site}/article", "--corpus", "web2"]) == 0
    assert Site.hits == before  # from the fetch cache: no request


def test_a_table_of_links_is_fetched_and_its_columns_win(site, tmp_path, monkeypatch):
    from conftest import csv_bytes

    from lib import store
    from lib.ingest import pipeline

    monkeypatch.setenv("FRAMESCOPE_FETCH_DELAY", "0")
    export = tmp_path / "export.csv"  # a news database's export: links and metadata, no text
    export.write_bytes(csv_bytes([{"url": f"{site}/article", "media_name": "Harbour Herald",
                                   "publish_date": "2024-05-01", "title": "Ferry back", "stories_id": "77"},
                                  {"url": f"{site}/missing", "media_name": "Gone", "publish_date": "", "title": "",
                                   "stories_id": "78"}]))
    conn = store.connect(tmp_path / "home")
    report = pipeline.ingest_paths(conn, "db", [export], fetcher=fetcher(tmp_path))
    assert [p.reason for p in report.problems] == [f"{site}/missing: 404 Not Found"]
    assert report.problems[0].source.endswith("export.csv:3")  # the row, then the address and the reason
    row = store.articles(conn, "db").iloc[0]
    assert row["title"] == "Ferry back" and row["title_src"] == "file"  # the export's title, not the page's
    assert str(row["published"]).startswith("2024-05-01")
    assert "harbour ferry" in store.raw_text(conn, "db", int(row["id"])).lower()


def test_links_pasted_in_the_dashboard_are_fetched_and_private_addresses_refused(site, home, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from lib import store

    monkeypatch.setenv("FRAMESCOPE_FETCH_DELAY", "0")
    dashboard = str(Path(__file__).resolve().parents[1] / "dashboard.py")
    at = AppTest.from_file(dashboard, default_timeout=120).run()
    at.text_area(key="upload_paste_0").set_value(f"{site}/article\n").run()
    at.button(key="upload_go").click().run()
    assert not at.exception
    assert "private, loopback or link-local" in at.dataframe[0].value.to_csv()  # hosted: refused, and said why
    monkeypatch.setenv("FRAMESCOPE_FETCH_PRIVATE", "1")  # a team that fetches from its own network allows it
    at.text_area(key="upload_paste_1").set_value(f"{site}/article\n").run()
    at.button(key="upload_go").click().run()
    assert not at.exception
    assert store.articles(store.connect(home), "uploads")["url"].tolist() == [f"{site}/article"]


def test_an_ingest_fetches_at_most_the_links_it_is_allowed(site, tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMESCOPE_MAX_LINKS", "1")
    links = RawArticle("links.txt", "links.txt", f"{site}/article\n{site}/moved\n")
    listed = web.expand_links(Batch(articles=[links]), fetcher(tmp_path))
    assert len(listed.articles) == 1 and "more than 1 links" in listed.problems[0].reason
