"""Publication times: reading a date or date-time written in any common form (``parse_published``), with the zone
it names or one given, as the store keeps it (``Published``: UTC where the zone is known)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?\s?[Mm]\.?)?"
ZONE = r"(?:[A-Z][a-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?|UTC|GMT|Z|[+-]\d{2}:?\d{2}|[A-Z]{3,4}\b)"
WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
DATE_RE = re.compile(
    rf"""(?P<date>
        \d{{4}}-\d{{2}}-\d{{2}}(?:[T\s]+(?P<t1>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)(?:\.\d+)?)?
      | {WEEKDAY}{DAY}\s+{MONTH},?\s+\d{{4}}
      | {WEEKDAY}{MONTH}\s+{DAY},?\s+\d{{4}}
    )
    (?:\s*(?:[|,@]|at)?\s*(?P<time>{TIME}))?
    (?:\s*(?P<zone>{ZONE}))?""",
    re.VERBOSE,
)
ISO_DAY_RE = re.compile(r"\d{4}-[01]\d-[0-3]\d$")
MONTHS = {name: i for i, names in enumerate(
    ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
     "september sep sept", "october oct", "november nov", "december dec"), 1) for name in names.split()}
WRITTEN_DAY_RE = re.compile(  # "March 3, 2020", "Sept. 3 2020", "3 March 2020": English, the day, month and year only
    r"(?:(?P<m1>[A-Za-z]{3,9})(?P<dot1>\.?) (?P<d1>\d{1,2}),? |(?P<d2>\d{1,2}) (?P<m2>[A-Za-z]{3,9})(?P<dot2>\.?),? )"
    r"(?P<y>[12]\d{3})")


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
def time_zone(name: str) -> timezone | ZoneInfo | None:
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


def _written_day(text: str) -> Published | None:
    """The day of a date written with an English month name and nothing else ("March 3, 2020", "Sept. 3 2020",
    "3 March 2020"), read without dateparser, which reads it so too (a test compares them); None for anything else,
    a day the month does not have included (dateparser then decides)."""
    m = WRITTEN_DAY_RE.fullmatch(text)
    if m is None:
        return None
    name, dot = (m["m1"], m["dot1"]) if m["m1"] else (m["m2"], m["dot2"])
    month = MONTHS.get(name.lower())
    if month is None or (dot and len(name) > 4):  # a dot after an abbreviation only ("Sept.", not "March.")
        return None
    try:
        return Published(date(int(m["y"]), month, int(m["d1"] or m["d2"])).isoformat())
    except ValueError:
        return None


def parse_published(text: str, zone: str = "") -> Published | None:
    """Parse a date or date-time written in any common form; ``zone`` applies when the text has none.

    Uses dateparser (https://dateparser.readthedocs.io) for the wall-clock value and zoneinfo for
    IANA zone names, so daylight saving is right for the date ("Asia/Tehran" in August is +04:30); a bare ISO day
    and a day written with an English month name (``_written_day``), the common cases, without it.
    """
    text = text.strip()
    if not text:
        return None
    if len(text) == 10 and ISO_DAY_RE.match(text):
        try:
            return Published(date.fromisoformat(text).isoformat())
        except ValueError:  # "2020-02-30"
            return None
    day = _written_day(text)
    return day if day is not None else _dateparser(text, zone)


def _dateparser(text: str, zone: str = "") -> Published | None:
    """``parse_published`` of a stripped text, by dateparser."""
    import dateparser

    m = DATE_RE.search(text)
    if m and m["zone"] and time_zone(m["zone"]):
        zone, text = m["zone"], text[: m.start("zone")] + text[m.end("zone") :]
    has_time = bool(re.search(r"\d{1,2}:\d{2}", text))
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace("|", " "))
    parsed = dateparser.parse(  # absolute dates only: "2 hours ago" says nothing without the time it was read
        cleaned, languages=None, settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"],
                                           "PARSERS": ["timestamp", "custom-formats", "absolute-time"]}
    )
    if parsed is None:
        return None
    tz = parsed.tzinfo or (time_zone(zone) if zone else None)
    if not has_time:
        return Published(parsed.date().isoformat(), "")
    if tz is None:
        return Published(parsed.replace(tzinfo=None).isoformat(timespec="seconds"), "")
    local = parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed
    utc = local.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return Published(utc, _offset_text(local.utcoffset()))


def utc_now() -> str:
    """Now, as the store writes times: ISO 8601 UTC."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
