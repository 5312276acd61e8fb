"""Articles from the web: a list of links, an RSS or Atom feed, or an article page, fetched by
``lib/ingest/fetch.py`` and extracted with trafilatura.

A feed is known by its content (an ``rss``, RSS 1.0 ``RDF`` or Atom ``feed`` root), whatever its address or
type says; its items' links are fetched in turn. A text whose every non-empty line is an http(s) address is a
list of links, not an article (``expand_links``). A page's article is what trafilatura extracts (text, title,
date, author, site name); the outlet is its site name, else its host; the address it was found at and the time
it was fetched are kept (``url`` and ``retrieved``, never taken as the publication time).
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Callable

from lib.ingest import Batch, Problem, RawArticle, read_html
from lib.ingest.fetch import Fetcher, FetchError

LINK = re.compile(r"https?://[^\s<>\"']+\Z", re.IGNORECASE)
MAX_FEED_ITEMS = 500  # items fetched from one feed
MAX_LINKS = 10_000  # links fetched in one ingest (FRAMESCOPE_MAX_LINKS): an ingest that fetches has an end
HTML_TYPES = ("text/html", "application/xhtml+xml", "")  # "": a server that does not say
FEED_TYPES = ("xml", "rss", "atom")


def url_list(text: str) -> list[str] | None:
    """The links of a text whose every non-empty line is one http(s) address; None for any other text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines if lines and all(LINK.match(line) for line in lines) else None


def feed_links(body: bytes) -> list[str] | None:
    """The item links of an RSS 2.0, RSS 1.0 or Atom feed, in order, without repeats; None when ``body`` is not
    a feed. Parsed without entities, network access or huge trees (untrusted XML)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body.lstrip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    kind = etree.QName(root).localname.lower()
    if kind not in ("rss", "rdf", "feed"):
        return None
    links: list[str] = []
    for item in root.iter("{*}item", "{*}entry"):
        if etree.QName(item).localname == "entry":  # Atom: the alternate link, else the first
            found = [(e.get("rel") or "alternate", e.get("href")) for e in item.iterfind("{*}link") if e.get("href")]
            href = next((h for r, h in found if r == "alternate"), found[0][1] if found else None)
        else:
            link = item.find("{*}link")
            href = link.text.strip() if link is not None and link.text else None
        if href and href not in links:
            links.append(href)
    return links


def outlet_of(url: str) -> str:
    """The host of ``url`` without "www.": the outlet of a page whose site name is unknown."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def read_urls(urls: list[str], fetcher: Fetcher, refresh: bool = False,
              progress: Callable[[int, int], None] | None = None) -> Batch:
    """Fetch each of ``urls`` (a page, or a feed whose items are fetched in turn) into a batch: an article per
    page extracted, a problem naming the address and the reason for each that failed (404, timed out, refused
    by robots.txt, too large, not an article)."""
    batch, queue, done = Batch(), list(dict.fromkeys(urls)), 0
    seen = set(queue)
    while queue:
        url = queue.pop(0)
        done += 1
        if progress:
            progress(done, done + len(queue))
        try:
            page = fetcher.get(url, refresh=refresh)
        except FetchError as exc:
            batch.problems.append(Problem(url, str(exc)))
            continue
        if any(t in page.content_type for t in FEED_TYPES) or page.body.lstrip()[:5] in (b"<?xml", b"<rss ", b"<feed"):
            items = feed_links(page.body)
            if items is not None:
                fresh = [urllib.parse.urljoin(page.final_url, i) for i in items if i not in seen][:MAX_FEED_ITEMS]
                seen.update(fresh)
                queue += fresh
                if not items:
                    batch.warnings.append(Problem(url, "a feed with no items"))
                continue
        if page.content_type not in HTML_TYPES:
            batch.problems.append(Problem(url, f"not an article ({page.content_type})"))
            continue
        batch.extend(_article(url, page))
    return batch


def _article(url: str, page) -> Batch:
    html = page.body.decode(_charset(page.body), "replace")
    read = read_html(url, html, page.final_url)
    if not read.articles:
        return Batch(problems=[Problem(url, "not an article (no article text found)")])
    article = read.articles[0]
    given = {"url": page.final_url, "retrieved": page.fetched, **article.given}
    given["outlet"] = given.get("outlet") or outlet_of(page.final_url)
    return Batch(articles=[RawArticle(url, url, article.text, given)])


def _charset(body: bytes) -> str:
    """The page's declared charset (a meta tag), else UTF-8."""
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.IGNORECASE)
    name = m.group(1).decode("ascii", "ignore") if m else "utf-8"
    try:
        "".encode(name)
        return name
    except LookupError:
        return "utf-8"


def expand_links(batch: Batch, fetcher: Fetcher | None, refresh: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> Batch:
    """``batch`` with every article that is a list of links (``url_list``) replaced by the pages it links to,
    fetched with ``fetcher``; without one (fetching is off), each such list is a problem. A row of a table of links
    keeps its own fields and columns, which win over the page's, and its name (file and line)."""
    out = Batch(problems=list(batch.problems), manifest=list(batch.manifest), warnings=list(batch.warnings))
    left = int(os.environ.get("FRAMESCOPE_MAX_LINKS", MAX_LINKS))
    for article in batch.articles:
        links = url_list(article.text)
        if links is None:
            out.articles.append(article)
            continue
        if len(links) > left:
            out.problems.append(Problem(article.source, f"more than {left} links to fetch in one ingest; "
                                        f"{len(links) - left} left out (FRAMESCOPE_MAX_LINKS)"))
            links = links[:left]
        left -= len(links)
        if not links:
            continue
        if fetcher is None:
            out.problems.append(Problem(article.source, f"a list of {len(links)} links; fetching is off here"))
        else:
            fetched = read_urls(links, fetcher, refresh, progress)
            if len(links) == 1 and article.given:  # a row of a table of links: its columns win over the page's
                fetched.articles = [RawArticle(article.source, article.key, a.text, {**a.given, **article.given},
                                               {**a.extra, **article.extra}) for a in fetched.articles]
                fetched.problems = [Problem(article.source, f"{p.source}: {p.reason}") if article.source != p.source
                                    else p for p in fetched.problems]
            out.extend(fetched)
    return out
