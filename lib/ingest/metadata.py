"""Article metadata with provenance: manifest, file, inferred, user or missing.

``resolve`` merges, per field, the manifest row, what the file states and what general rules read
from the text, in that order of trust. The rules look only at the shape of the text (a dateline in
capitals, a credit in parentheses or before a colon, a "By ..." line, a written date, the first
short block that names what the body is about, a domain-shaped line, the URL's host); none names an
outlet. A field nothing supplies stays empty and is marked ``missing``. ``retrieved`` (when a crawler
fetched the page) comes only from the file or the manifest and is never taken as the publication time.
Dates and times are read by ``lib/ingest/dates.py``.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from lib.cleaning.blocks import Block, blocks, is_prose, letter_runs
from lib.ingest.dates import DATE_RE, DAY, MONTH, WEEKDAY, Published, parse_published, time_zone

FIELDS = ("outlet", "title", "published", "retrieved", "url", "byline", "dateline", "language")
TIMES = ("published", "retrieved")  # parsed by ``parse_published``, stored as UTC ISO 8601
SOURCES = ("user", "manifest", "file", "inferred", "missing")

DATELINE_RE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'.\-]{2,}(?:[ ,]+[A-Z][A-Z'.\-]+){0,3}(?:,\s*[A-Z][a-z]{1,4}\.)?)"  # ", Fla."
    rf"(?:,\s*(?P<when>(?:{MONTH}\s+{DAY}|{DAY}\s+{MONTH})(?:,?\s+\d{{4}})?))?"  # "LONDON, March 3 (Reuters) -"
    r"\s*(?:\((?P<credit>[^()]{1,80})\))?\s*(?P<dash>[-–—:]+)?\s*(?=\S)"
)
LEAD_CREDIT_RE = re.compile(r"^\s*(?P<credit>[A-Z][\w&.'’-]*(?:[ /][A-Z][\w&.'’-]*){0,5})\s*:\s+\S")
BYLINE_RE = re.compile(
    r"^\s*(?:By\s+)?(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})"
    r"(?=\s+(?:\d+\s+\w+\s+ago|" + WEEKDAY + DAY + r"\s|" + MONTH + r"\s|\d{4}-|[|,-]|$))"
)
BY_RE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|and|&|de|van|von)){1,6})\s*$")
DOMAIN_LINE_RE = re.compile(r"^\s*(?:www\.)?(?P<site>[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.[a-z]{2,6})\s*$")
BULLET_RE = re.compile(r"^[\s•·*#>\-–—]+")
SITE_RE = re.compile(  # a bare domain or URL: "nbcnews.com", "www.yahoo.com/news", "https://example.org/a"
    r"(?:[a-z][a-z0-9+.-]*://)?(?:www\d?\.)?(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,63})"
    r"(?::\d+)?(?:[/?#]\S*)?", re.IGNORECASE)
CONTENT_WORD = 4  # letters a content word has at least (``letter_runs``)
HEAD = 5000  # characters read for a header, a byline, a dateline


def site_name(value: str) -> str:
    """The outlet a bare domain or URL names, as a URL's host is read elsewhere: the host in lower
    case without "www." ("www.NBCNews.com" and "yahoo.com/news" give "nbcnews.com" and "yahoo.com");
    any other value (a name with spaces, "Reuters") unchanged."""
    value = value.strip()
    m = SITE_RE.fullmatch(value)
    return m["host"].lower() if m else value


def _headline_case(text: str, most_words: int = 25) -> bool:
    """Whether a block is written like a headline: at most ``most_words`` words, and four in five of its
    words of four or more letters capitalised (but not in capitals throughout, as some wire leads are)."""
    if len(text.split()) > most_words:
        return False
    words = letter_runs(text, CONTENT_WORD)
    if len(words) < 2:
        return False
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised >= 0.8 * len(words) and sum(w.isupper() for w in words) < 0.5 * len(words)


def _stems(text: str) -> set[str]:
    """Content words of four letters or more cut to five (truncation stemming: "floods" and "flooded" meet);
    unlike the story words of ``lib/cleaning/news.py``, common words count: a headline's "says" and "first" name what
    the body says."""
    return {w[:5] for w in letter_runs(text.lower(), CONTENT_WORD)}


def _names_the_body(title: str, body: str) -> bool:
    """Whether a short block reads as the article's title: two or more of its content words, and at
    least half of them, recur in the body (a headline names what the article is about; a share
    button, a photo credit or a subscription prompt does not)."""
    words = _stems(title)
    shared = len(words & _stems(body))
    return shared >= 2 and 2 * shared >= len(words)


def _title_shaped(text: str) -> bool:
    """Whether a header block can be a title: 3 to 25 words, not a credit ("By ..."), not a label
    introducing what follows ("HOST:"), and not a sentence (a full stop at the end) unless written
    in headline case."""
    words = text.split()
    if not 3 <= len(words) <= 25 or re.match(r"[Bb]y\s+[A-Z]", text) or BYLINE_RE.match(text):
        return False
    if text.endswith(":"):
        return False
    return not text.endswith(".") or text.endswith("..") or _headline_case(text)


def _header(found: list[Block]) -> tuple[list[Block], list[Block]]:
    """Split into header blocks (before the first prose paragraph) and the first prose paragraphs. A
    short block written like a headline is header even when it ends like a sentence ("... Accountable.")."""
    for i, block in enumerate(found):
        if is_prose(block.text, block.words) and not _headline_case(block.text):
            return found[:i], found[i : i + 3]
    return found[:10], []


def _credit_parts(credit: str) -> list[str]:
    """Names in a credit: split at '/', ' - ', ',' and at glued words ("Gulf TimesGulf News", where
    the second word also stands alone); dates and times dropped."""
    words = set(credit.split())
    credit = re.sub(r"([a-z])([A-Z]\w*)", lambda m: m[1] + ("/" if m[2] in words else "") + m[2], credit)
    parts = [p.strip(" .") for p in re.split(r"/|\s[-–—]\s|,|;", credit)]
    return [p for p in parts if p and re.search(r"[A-Za-z]{2}", p) and not DATE_RE.search(p + " 2000")
            and not re.search(r"\d{1,2}:\d{2}|\b\d{4}\b", p)]


def infer(raw: str, bs: list[Block] | None = None) -> dict[str, str]:
    """Metadata the text itself states, by general rules; only fields found are returned.

    The text's first ``HEAD`` characters are read as blocks (``lib.cleaning.blocks.blocks``; ``bs``: those of all of
    it, when already read, stand for them where the text is no longer). The title is the first header block (dates,
    bracketed notes and bullets taken out) shaped like a title (``_title_shaped``) that names what
    the body is about (``_names_the_body``)."""
    header_blocks, lead_blocks = _header(bs if bs is not None and len(raw) <= HEAD else blocks(raw[:HEAD]))
    header, lead = [b.text for b in header_blocks], [b.text for b in lead_blocks]
    found: dict[str, str] = {}
    for line in header:
        if "published" not in found and (m := DATE_RE.search(line)):
            if (p := parse_published(m.group(0))) is not None:
                found["published"], found["offset"] = p.value, p.offset
        if "byline" not in found and (m := BY_RE.match(line) or BYLINE_RE.match(line)):
            if not DATE_RE.match(line) and len(line.split()) <= 20:
                found["byline"] = m["name"]
        if "site" not in found and (m := DOMAIN_LINE_RE.match(line)):
            found["site"] = m["site"]
    for block in header_blocks:
        text = BULLET_RE.sub("", DATE_RE.sub("", re.sub(r"\[[^\]]*\]", "", block.text))).strip()
        if (_title_shaped(text) and text != found.get("byline")
                and _names_the_body(text, raw[block.end : block.end + 20000])):
            found["title"] = text
            break
    for para in lead:
        body = para
        if m := DATE_RE.match(re.sub(r"^\s*\w{0,12}\s+(?=\d)", "", body)):  # "date 2020-08-25 PLACE -"
            body = body[body.find(m.group(0)) + len(m.group(0)) :]
            if "published" not in found and (p := parse_published(m.group(0))) is not None:
                found["published"], found["offset"] = p.value, p.offset
        if (m := DATELINE_RE.match(body)) and (m["dash"] or m["credit"]) and "dateline" not in found:
            found["dateline"] = m["place"].strip(" ,")
            names = _credit_parts(m["credit"] or "")
            if names:
                found.setdefault("credit", names[0])
            if m["when"] and "published" not in found and (p := parse_published(m["when"])) is not None:
                found["published"], found["offset"] = p.value, p.offset
            if m["credit"] and "published" not in found and (d := DATE_RE.search(m["credit"])):
                if (p := parse_published(d.group(0))) is not None:
                    found["published"], found["offset"] = p.value, p.offset
        elif (m := LEAD_CREDIT_RE.match(body)) and len(body.split()) >= 8:
            names = _credit_parts(m["credit"])
            if names and all(w[0].isupper() for w in m["credit"].split()):
                found.setdefault("credit", names[0])
    outlet = found.pop("credit", "") or found.pop("site", "")
    found.pop("site", None)
    if outlet:
        found["outlet"] = outlet
    return found


CLD2_CODES = {"iw": "he", "jw": "jv"}  # CLD2's codes that ISO 639-1 has replaced


def language(text: str) -> str:
    """ISO 639-1 language of the text's first 300 characters: Chromium's Compact Language Detector 2 (pycld2) where
    it is sure of a language ISO 639-1 names, else py3langid (Lui and Baldwin 2012), as where CLD2 cannot read the
    text (a control character, a lone surrogate)."""
    import py3langid
    import pycld2

    sample = text[:300]
    if not sample.strip():
        return ""
    try:
        sure, _, found = pycld2.detect(sample, isPlainText=True)
    except (pycld2.error, ValueError):
        sure = False
    if sure:
        code = found[0][1].split("-")[0]  # "zh-Hant": zh
        code = CLD2_CODES.get(code, code)
        if len(code) == 2:
            return code
    return py3langid.classify(sample)[0]


def load_models() -> None:
    """Load what reading dates and languages load on first use, so that processes forked after it start with it
    (``pipeline.fork_server``): dateparser's rules of every locale (it tries them all on a date no locale reads)
    and py3langid's model."""
    import py3langid

    parse_published("Nomonth 9, 2016")  # no fast path reads it: dateparser tries every locale
    py3langid.classify("")


def _manifest_value(row: dict[str, str], name: str) -> str:
    value = row.get(name) or (row.get("date") if name == "published" else "") or ""
    return value.strip()


def _manifest_zone(row: dict[str, str]) -> str:
    return (row.get("timezone") or row.get("tz") or "").strip()


def _parse_time(name: str, source: str, value: str, manifest: dict[str, str],
                inferred: dict[str, str]) -> Published | None:
    """A time field from one source. The manifest's timezone is the zone of its publication times
    only: when a crawler fetched a page says nothing of where the outlet publishes."""
    if source == "inferred":
        return Published(value, inferred.get("offset", ""))
    if source == "manifest" and name == "published":
        return parse_published(value, _manifest_zone(manifest))
    return parse_published(value)


def resolve(raw: str, given: dict[str, str], manifest: dict[str, str] | None, text: str,
            bs: list[Block] | None = None) -> dict[str, str]:
    """Every field with its provenance: ``{field: value, field + "_src": source, "published_offset": ...}``.

    ``raw`` is the text as read, ``given`` what the file states, ``manifest`` the matching manifest
    row, ``text`` the cleaned text (for the language) and ``bs`` ``raw``'s blocks if read already. An outlet
    given as a domain or URL is read as its host (``site_name``). ``retrieved`` (when a crawler fetched the page)
    comes from the file or the manifest only and never stands in for ``published``: an article with only a fetch
    time is undated.
    """
    manifest = manifest or {}
    inferred = infer(raw, bs)
    if "outlet" not in inferred and (url := manifest.get("url") or given.get("url")):
        host = urlparse(url if "//" in url else "//" + url).hostname or ""
        if host:
            inferred["outlet"] = host.removeprefix("www.")
    if text.strip():
        inferred["language"] = language(text)
    out: dict[str, str] = {"published_offset": ""}
    for name in FIELDS:
        for source, values in (("manifest", manifest), ("file", given), ("inferred", inferred)):
            value = _manifest_value(values, name) if source == "manifest" else (values.get(name) or "").strip()
            if not value:
                continue
            if name in TIMES:
                parsed = _parse_time(name, source, value, manifest, inferred)
                if parsed is None:
                    continue
                value = parsed.value
                if name == "published":
                    out["published_offset"] = parsed.offset
            elif name == "outlet":
                value = site_name(value)
            out[name], out[name + "_src"] = value, source
            break
        else:
            out[name], out[name + "_src"] = "", "missing"
    return out


def manifest_warnings(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    """What a manifest states that cannot be read, per row: ``[(key, reason)]``, the key being the
    row's ``file`` or ``id`` (``"row N"``, counting from 1 after the header, when it has neither).

    A date that is not a full date ("next tuesday-ish", "2020-13-45") or a time zone that is neither an
    IANA name nor an offset ("Mars/Olympus") would otherwise be dropped silently: ``resolve`` falls
    back to the file and the text, and a wall-clock time without its zone stays as written.
    """
    out: list[tuple[str, str]] = []
    for number, row in enumerate(rows, 1):
        key = (row.get("file") or row.get("id") or "").strip() or f"row {number}"
        zone = _manifest_zone(row)
        if zone and time_zone(zone) is None:
            out.append((key, f"timezone {zone!r} is neither an IANA zone name (Europe/Paris) nor an offset "
                             "(+04:30); ignored"))
        for name in TIMES:
            value = _manifest_value(row, name)
            if value and parse_published(value) is None:
                column = name if row.get(name) else "date"
                out.append((key, f"{column} {value!r} is not a full date; ignored"))
    return out

