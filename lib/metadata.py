"""Article metadata with provenance: manifest, file, inferred, user or missing.

``resolve`` merges, per field, the manifest row, what the file states and what general rules read
from the text, in that order of trust. The rules look only at the shape of the text (a dateline in
capitals, a credit in parentheses or before a colon, a "By ..." line, a written date, the first
short line, a domain-shaped line, the URL's host); none names an outlet. A field nothing supplies
stays empty and is marked ``missing``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lib.blocks import is_prose

FIELDS = ("outlet", "title", "published", "url", "byline", "dateline", "language")
SOURCES = ("user", "manifest", "file", "inferred", "missing")

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?\s?[Mm]\.?)?"
_ZONE = r"(?:[A-Z][a-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?|UTC|GMT|Z|[+-]\d{2}:?\d{2}|[A-Z]{3,4}\b)"
_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
DATE_RE = re.compile(
    rf"""(?P<date>
        \d{{4}}-\d{{2}}-\d{{2}}(?:[T\s]+(?P<t1>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)(?:\.\d+)?)?
      | {_WEEKDAY}{_DAY}\s+{_MONTH},?\s+\d{{4}}
      | {_WEEKDAY}{_MONTH}\s+{_DAY},?\s+\d{{4}}
    )
    (?:\s*(?:[|,@]|at)?\s*(?P<time>{_TIME}))?
    (?:\s*(?P<zone>{_ZONE}))?""",
    re.VERBOSE,
)
DATELINE_RE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'.\-]{2,}(?:[ ,]+[A-Z][A-Z'.\-]+){0,3}(?:,\s*[A-Z][a-z]{1,4}\.)?)"  # ", Fla."
    rf"(?:,\s*(?P<when>(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH})(?:,?\s+\d{{4}})?))?"  # "LONDON, March 3 (Reuters) -"
    r"\s*(?:\((?P<credit>[^()]{1,80})\))?\s*(?P<dash>[-–—:]+)?\s*(?=\S)"
)
LEAD_CREDIT_RE = re.compile(r"^\s*(?P<credit>[A-Z][\w&.'’-]*(?:[ /][A-Z][\w&.'’-]*){0,5})\s*:\s+\S")
BYLINE_RE = re.compile(
    r"^\s*(?:By\s+)?(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})"
    r"(?=\s+(?:\d+\s+\w+\s+ago|" + _WEEKDAY + _DAY + r"\s|" + _MONTH + r"\s|\d{4}-|[|,-]|$))"
)
BY_RE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|and|&|de|van|von)){1,6})\s*$")
DOMAIN_LINE_RE = re.compile(r"^\s*(?:www\.)?(?P<site>[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.[a-z]{2,6})\s*$")
ISO_DAY_RE = re.compile(r"\d{4}-[01]\d-[0-3]\d$")
BULLET_RE = re.compile(r"^[\s•·*#>\-–—]+")


@dataclass(frozen=True)
class Published:
    """A publication time: ``value`` is ISO 8601 in UTC ("...Z") when the zone is known, wall-clock
    time without zone when it is not, or a bare date; ``offset`` is the original UTC offset."""

    value: str
    offset: str = ""


def _offset_text(delta: timedelta | None) -> str:
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@lru_cache(maxsize=256)
def _zone(name: str) -> timezone | ZoneInfo | None:
    """A time zone from an IANA name, UTC/GMT/Z or an offset like +04:30; None if unknown."""
    name = name.strip()
    if name in ("UTC", "GMT", "Z"):
        return UTC
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", name)
    if m:
        delta = timedelta(hours=int(m[2]), minutes=int(m[3]))
        return timezone(delta if m[1] == "+" else -delta)
    if "/" in name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return None
    return None


def parse_published(text: str, zone: str = "") -> Published | None:
    """Parse a date or date-time written in any common form; ``zone`` applies when the text has none.

    Uses dateparser (https://dateparser.readthedocs.io) for the wall-clock value and zoneinfo for
    IANA zone names, so daylight saving is right for the date ("Asia/Tehran" in August is +04:30).
    """
    import dateparser

    text = text.strip()
    if not text:
        return None
    if len(text) == 10 and ISO_DAY_RE.match(text):  # the common case in exports, without dateparser
        return Published(text)
    m = DATE_RE.search(text)
    if m and m["zone"] and _zone(m["zone"]):
        zone, text = m["zone"], text[: m.start("zone")] + text[m.end("zone") :]
    has_time = bool(re.search(r"\d{1,2}:\d{2}", text))
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace("|", " "))
    parsed = dateparser.parse(  # absolute dates only: "2 hours ago" says nothing without the time it was read
        cleaned, languages=None, settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"],
                                           "PARSERS": ["timestamp", "custom-formats", "absolute-time"]}
    )
    if parsed is None:
        return None
    tz = parsed.tzinfo or (_zone(zone) if zone else None)
    if not has_time:
        return Published(parsed.date().isoformat(), "")
    if tz is None:
        return Published(parsed.replace(tzinfo=None).isoformat(timespec="seconds"), "")
    local = parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed
    utc = local.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return Published(utc, _offset_text(local.utcoffset()))


def _header(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split into header lines (before the first prose paragraph) and the first prose paragraphs."""
    for i, line in enumerate(lines):
        if is_prose(line):
            return lines[:i], lines[i : i + 3]
    return lines[:10], []


def _credit_parts(credit: str) -> list[str]:
    """Names in a credit: split at '/', ' - ', ',' and at glued words ("Gulf TimesGulf News", where
    the second word also stands alone); dates and times dropped."""
    words = set(credit.split())
    credit = re.sub(r"([a-z])([A-Z]\w*)", lambda m: m[1] + ("/" if m[2] in words else "") + m[2], credit)
    parts = [p.strip(" .") for p in re.split(r"/|\s[-–—]\s|,|;", credit)]
    return [p for p in parts if p and re.search(r"[A-Za-z]{2}", p) and not DATE_RE.search(p + " 2000")
            and not re.search(r"\d{1,2}:\d{2}|\b\d{4}\b", p)]


def infer(raw: str) -> dict[str, str]:
    """Metadata the text itself states, by general rules; only fields found are returned."""
    lines = [line.strip() for line in raw[:5000].splitlines() if line.strip()]
    header, lead = _header(lines)
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
    for line in header:
        text = BULLET_RE.sub("", DATE_RE.sub("", re.sub(r"\[[^\]]*\]", "", line))).strip()
        words = text.split()
        if 3 <= len(words) <= 25 and text != found.get("byline") and not BYLINE_RE.match(text):
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


def language(text: str) -> str:
    """ISO 639-1 language of the text, by py3langid (Lui and Baldwin 2012) on its first 300 characters."""
    import py3langid

    sample = text[:300]
    return py3langid.classify(sample)[0] if sample.strip() else ""


def _manifest_published(row: dict[str, str]) -> Published | None:
    value = row.get("published") or row.get("date") or ""
    return parse_published(value, row.get("timezone") or row.get("tz") or "") if value else None


def resolve(raw: str, given: dict[str, str], manifest: dict[str, str] | None, text: str) -> dict[str, str]:
    """Every field with its provenance: ``{field: value, field + "_src": source, "published_offset": ...}``.

    ``raw`` is the text as read, ``given`` what the file states, ``manifest`` the matching manifest
    row and ``text`` the cleaned text (for the language).
    """
    manifest = manifest or {}
    inferred = infer(raw)
    if "outlet" not in inferred and (url := manifest.get("url") or given.get("url")):
        host = urlparse(url if "//" in url else "//" + url).hostname or ""
        if host:
            inferred["outlet"] = host.removeprefix("www.")
    if text.strip():
        inferred["language"] = language(text)
    out: dict[str, str] = {"published_offset": ""}
    for name in FIELDS:
        for source, values in (("manifest", manifest), ("file", given), ("inferred", inferred)):
            value = (values.get(name) or "").strip()
            if not value:
                continue
            if name == "published":
                if source == "inferred":
                    parsed = Published(value, inferred.get("offset", ""))
                elif source == "manifest":
                    parsed = _manifest_published(manifest)
                else:
                    parsed = parse_published(value)
                if parsed is None:
                    continue
                value, out["published_offset"] = parsed.value, parsed.offset
            out[name], out[name + "_src"] = value, source
            break
        else:
            out[name], out[name + "_src"] = "", "missing"
    return out


def utc_now() -> str:
    """Now, as the store writes times: ISO 8601 UTC."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
