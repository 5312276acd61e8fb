"""General-purpose name resources for typing entities and credits: places, demonyms, personal titles, and the
head nouns of organisations and of places.

- Places: every country's name and its other names (``countryinfo``: "Russian Federation", "U.S."), its
  capital and its provinces; the cities and regions of the IANA time zone database (``zoneinfo``: "Tehran",
  "New York", "Europe"); and names whose last word is a geographic head noun ("Indian Ocean", "Gulf of Oman").
- Demonyms: each country's (``countryinfo``: "Iranian" -> Iran), with its plural ("Iranians").
- Titles: English personal titles, ranks, offices and the roles news attributes speech to ("Dr.", "Gen.",
  "Minister", "spokesman"): the closed class of words written before a person's name.
- Organisations: English head nouns of bodies ("Council", "Ministry", "Party", "Agency").

Names are matched by ``key``: case-folded words without dots ("U.S." -> "u s", "US" -> "us").
"""

from __future__ import annotations

import ast
import functools
import re
import zoneinfo

from countryinfo import all_countries

from lib.text import tokeniser

TITLES = frozenset(  # English titles, ranks, offices and the roles of news attribution, written before a name
    "mr mrs ms miss mx sir dame lord lady dr doctor prof professor rev reverend father pastor imam rabbi bishop "
    "archbishop cardinal pope patriarch ayatollah sheikh sheik mullah cleric emir king queen prince princess "
    "crown president vice premier chancellor minister secretary ambassador consul envoy diplomat senator sen "
    "representative rep congressman congresswoman lawmaker legislator mp governor gov mayor councilman "
    "councilwoman councillor councilor commissioner speaker chairman chairwoman chairperson chair chief head "
    "leader director deputy spokesman spokeswoman spokesperson official aide adviser advisor counsel attorney "
    "prosecutor judge justice magistrate sheriff inspector superintendent officer agent detective general gen "
    "admiral adm colonel col major maj captain capt lieutenant lt sergeant sgt corporal cpl private pvt "
    "commander cmdr brigadier marshal ceo cfo coo cto founder chairman-elect president-elect secretary-general "
    "treasurer executive manager analyst expert economist researcher scientist editor reporter correspondent "
    "columnist commentator anchor host activist candidate nominee strategist pollster negotiator".split())
ORGANISATION_HEADS = frozenset(
    "council committee commission ministry department agency office bureau administration government cabinet "
    "parliament congress senate assembly duma knesset majlis court tribunal party army navy force forces guard "
    "guards corps police service services union league association federation organization organisation "
    "institute institution university college school academy foundation fund bank company corporation corp inc "
    "ltd llc plc group network news press times post journal tv television radio channel media center centre "
    "board authority alliance coalition movement front church club team society trust hospital airlines "
    "airways industries house brigade regiment division command staff secretariat mission embassy consulate "
    "directorate program programme organisation nations".split())
PLACE_HEADS = frozenset("ocean sea gulf river mountains mountain strait straits island islands peninsula bay lake "
                        "desert valley province region county district city republic territory coast "
                        "canal border borders plateau basin east west north south".split())
OTHER_HEADS = frozenset(  # what names a document, an agreement, an event or a programme, not a person
    "act law bill treaty agreement accord deal plan partnership initiative summit conference forum games festival "
    "war crisis protocol convention declaration resolution report strategy doctrine program programme project "
    "award prize cup championship election referendum".split())
PLACE_QUALIFIERS = frozenset("east west north south central northern southern eastern western northeast northwest "
                             "southeast southwest upper lower greater inner outer far middle".split())


def key(name: str) -> str:
    """A name as the resources are matched: case-folded words, dots and other marks removed ("U.S." -> "u s")."""
    return " ".join(tokeniser.folded(name.casefold().replace(".", " ")))


def _squeezed(name: str) -> str:
    """A name's letters alone ("u s" and "us" alike): how dotted abbreviations meet their plain form."""
    return key(name).replace(" ", "")


def _strings(value: object) -> list[str]:
    """A field as a list of strings: a list (nested or not), or a list written as a string ("['a', 'b']")."""
    if isinstance(value, str):
        if value.startswith("["):
            try:
                return _strings(ast.literal_eval(value))
            except (ValueError, SyntaxError):
                return []
        return [value]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _first(value: object) -> str:
    found = _strings(value)
    return found[0] if found else ""


@functools.cache
def _countries() -> list[tuple[str, str, str, list[str], list[str]]]:
    """(name, demonym, capital, other names, provinces) of every country of ``countryinfo``, the most populous
    first (so a demonym several share, "American", names the largest)."""
    found = []
    for country in all_countries():
        def get(method: str, default, country=country):
            try:
                return getattr(country, method)() or default
            except Exception:  # a country with no such field
                return default

        provinces = [re.sub(r"\s*\(.*?\)", "", p) for p in _strings(get("provinces", []))]
        people = get("population", 0)
        found.append((-(people if isinstance(people, int | float) else 0), _first(get("name", "")),
                      _first(get("demonym", "")), _first(get("capital", "")), _strings(get("alt_spellings", [])),
                      provinces))
    return [c[1:] for c in sorted(found, key=lambda c: c[0]) if c[1]]  # the most populous first


@functools.cache
def places() -> dict[str, str]:
    """``key`` of a place name -> the place it names (a country's other names and codes -> the country)."""
    found: dict[str, str] = {}
    for zone in zoneinfo.available_timezones():
        for part in zone.split("/"):
            if part[:1].isupper() and not re.search(r"\d|^[A-Z]+$", part):  # not "GMT+0", "EST5EDT", "UTC"
                found.setdefault(key(part.replace("_", " ")), part.replace("_", " "))
    for name, _, capital, others, provinces in _countries():
        for place in (capital, *provinces):
            if place:
                found.setdefault(key(place), place)
        for other in others:
            if other.isascii() and "," not in other and not re.fullmatch(r"[A-Z]{2,3}", other):
                found[key(other)] = name
        found[key(name)] = name
    return found


@functools.cache
def codes() -> dict[str, str]:
    """A country's code in capitals that spells the initials of its English name (two letters: "US", "UK") or of
    one of its names (three: "USA", "UAE") -> the country; matched on a name written in capitals only, dots or not
    ("U.S."), so "us" is never a place, nor "TV" (Tuvalu's code, not its initials) or "FR"."""
    found = {}
    for name, _, _, others, _ in _countries():
        initials = {"".join(w[0] for w in n.split() if w[:1].isupper()) for n in [name, *others] if " " in n}
        short = "".join(w[0] for w in name.split() if w[:1].isupper())  # of its English name: "US", "UK", "NZ"
        for other in others:  # the most populous country first keeps a code two share ("SA")
            if re.fullmatch(r"[A-Z]{3}", other) and other in initials or re.fullmatch(r"[A-Z]{2}", other) \
                    and other == short:
                found.setdefault(other, name)
    return found


@functools.cache
def demonyms() -> dict[str, str]:
    """``key`` of a demonym, singular or plural ("iranian", "iranians") -> its country."""
    found = {}
    for name, demonym, *_ in _countries():
        if demonym:
            found.setdefault(key(demonym), name)
            found.setdefault(key(demonym) + ("" if demonym.endswith(("s", "sh", "ch", "ese")) else "s"), name)
    return found


def place_of(name: str) -> str | None:
    """The place ``name`` names (a country for its other names and codes), or None."""
    if (found := places().get(key(name))) is not None:
        return found
    letters = name.replace(".", "").strip()
    return codes().get(letters) if name.isupper() or "." in name else None


def country_of_demonym(name: str) -> str | None:
    """The country whose demonym ``name`` is ("Russian", "Russians" -> "Russia"), or None."""
    return demonyms().get(key(name))


def is_title(word: str) -> bool:
    """A personal title or role ("Minister", "Gen.", "spokesman")."""
    return key(word) in TITLES
