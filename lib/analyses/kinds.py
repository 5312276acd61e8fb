"""What each entity is (person, organisation, place, other), the titles written before people's names (kept as
their descriptions, not listed as entities), and each country's names and demonyms joined into one referent.

Method: rules over the referents of ``lib.analyses.entities`` and the general-purpose resources of
``lib.text.gazetteer``, in the manner of gazetteer- and cue-based name classification (Mikheev, Moens and Grover
1999, "Named entity recognition without gazetteers"; Nadeau and Sekine 2007, "A survey of named entity
recognition and classification"). In order, the first rule that holds:

1. Organisation: a name outlets credit as media (``credited``): a news agency named for its province is one,
   if at least ``CREDITED_SHARE`` of the place name's mentions are credits; a demonym never is.
2. Place: a place name of the gazetteer, a country's other name or code ("Russian Federation", "U.S."), a
   demonym ("Russian", "Iranians"), or a place joined to a participle ("US-led"). A country's names and demonyms
   become the country's referent; each mention keeps its form as written (``surface``), a naming choice.
3. Organisation: a name whose head (its last word, or the word
   before "of") is an organisation head noun ("Security Council", "Ministry of Defense"), or an acronym.
4. Title: a name whose head is a personal title or role and whose other words are titles, demonyms, places or
   common English words (``WORD_ZIPF``; after "of", any dictionary word: ``PORTFOLIO_ZIPF``) ("Defense Minister",
   "Minister of Fisheries of Norway", "Iranian Ambassador"): a description.
5. Place: a name whose last word is a geographic head noun ("Indian Ocean", "Dominican Republic"), or a place
   after a compass word or the like ("East Asia", "Greater London").
6. Other: a group named by one plural noun ("Democrats").
7. Person: a name that opens with a title phrase ("Syrian President Jane Doe": the person Jane Doe, described as
   "Syrian President"), a name written after a title ("Defense Minister Jane Doe"), a name of two or more words
   also written as its last word alone ("Doe"), or two to four capitalised words, none a common English word
   (``COMMON_ZIPF``), a head noun (of a body, a place, or a document or event: "Paris Agreement"), a title or
   a place.
8. Other: events, laws, products, works ("Expo 2020", "Affordable Care Act").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd
import wordfreq
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from lib.text import gazetteer

KINDS = ("person", "organisation", "place", "title", "other")
COMMON_ZIPF = 4.9  # a word at least this frequent in general English (wordfreq's Zipf scale) is no name's part
WORD_ZIPF = 4.0  # ... and one at least this frequent can qualify a title ("Defence Minister"; not "Sergei Minister")
CREDITED_SHARE = 0.1  # a place name is a medium when a tenth of its mentions or more are credits
PORTFOLIO_ZIPF = 2.5  # ... a dictionary word after "of" ("Minister of Fisheries"), not a surname's rarity
_PARTICLES = frozenset({"of", "the", "and", "for", "de", "la", "du", "del", "al", "el", "bin", "ibn", "van", "von"})
_ACRONYM = re.compile(r"(?:[A-Z]\.?){2,6}")
_UP, _LOW = r"[^\W\d_a-zß-ÿ]", r"[a-zß-öø-ÿ\u0100-\u024f]"  # capitals and small letters, Latin and beyond
_NAME_WORD = re.compile(rf"(?:[a-z]{{1,3}}-)?{_UP}{_LOW}+(?:['’-][^\W\d_]{_LOW}+)*\.?|{_UP}\.")
# a name's word: "Jane", "O'Neil", "Jong-un", "al-Assad", "J."


def _words(name: str) -> list[str]:
    return name.split()


def _head(words: list[str]) -> str:
    """The word a name's kind rests on: the one before its first "of" ("Ministry of Defense"), else its last."""
    low = [w.lower() for w in words]
    return gazetteer.key(words[low.index("of") - 1]) if "of" in low[1:] else gazetteer.key(words[-1])


def _common(word: str) -> bool:
    return wordfreq.zipf_frequency(word.lower(), "en") >= COMMON_ZIPF


def _role(word: str) -> bool:
    """A personal title or role that is not also a body ("Minister", "Gen."; not "Army", "Council")."""
    return gazetteer.is_title(word) and gazetteer.key(word) not in gazetteer.ORGANISATION_HEADS


def place(name: str) -> str | None:
    """The place ``name`` names, a demonym's country, or the place of "X-led" ("US-led" -> United States)."""
    found = gazetteer.place_of(name) or gazetteer.country_of_demonym(name)
    if found is None and re.fullmatch(r"[\w.]+-[a-z]+", name):
        first = name.split("-")[0]
        found = gazetteer.place_of(first) or gazetteer.country_of_demonym(first)
    return found


def is_title(name: str) -> bool:
    """Rule 4: a title or role phrase, with no name of its own ("Russian Defense Minister")."""
    every = _words(name)
    if not every or not _role(_head(every)):
        return False
    low = [w.lower() for w in every]
    cut = low.index("of") if "of" in low[1:] else len(every)  # "Minister of X": X, the portfolio, any word

    def plain(w: str, least: float) -> bool:
        return w.lower() in _PARTICLES or _role(w) or place(w) is not None or wordfreq.zipf_frequency(
            w.lower(), "en") >= least

    return all(plain(w, WORD_ZIPF) for w in every[:cut]) and all(plain(w, PORTFOLIO_ZIPF) for w in every[cut:])


def _titled(name: str, surfaces: Iterable[str]) -> list[str]:
    """The title phrases written just before ``name`` in its ``surfaces`` ("Defense Minister" of "Defense
    Minister Jane Doe"), as written."""
    first = gazetteer.key(_words(name)[0]) if name else ""
    found = []
    for surface in surfaces:
        words = _words(surface)
        at = next((i for i, w in enumerate(words) if gazetteer.key(w) == first), None)
        before = words[:at] if at else []
        while before and not _role(before[-1]) and (place(before[-1]) or before[-1].lower() in _PARTICLES):
            before = before[:-1]  # "Russia Jane Doe": a juxtaposed place, not a title
        while before and before[0].lower() in ENGLISH_STOP_WORDS:
            before = before[1:]  # "But Sen. Jane Doe", "The Defense Minister Jane Doe"
        if before and _role(before[-1]):
            found.append(" ".join(before))
    return found


def split_title(name: str) -> tuple[str, str]:
    """A name that opens with a title phrase, as (title, name): ("Syrian President", "Jane Doe"); ("", name) when
    it does not, or when what follows its last role word is not a name."""
    words = _words(name)
    last = max((i for i, w in enumerate(words[:-1]) if _role(w)), default=-1)
    rest = words[last + 1:]
    if last < 0 or not is_title(" ".join(words[:last + 1])) or not all(
            _NAME_WORD.fullmatch(w) or w.lower() in _PARTICLES for w in rest) or not rest[0][:1].isupper():
        return "", name
    return " ".join(words[:last + 1]), " ".join(rest)


def _full_name(surface: str, word: str) -> bool:
    """Whether ``surface`` is a person's name ending in ``word``: a given name and the word ("Terry Gross" for
    "GROSS"), the given name not a common word, a title or a place, the whole no place ("San Salvador")."""
    parts = surface.split()
    return len(parts) == 2 and gazetteer.key(parts[1]) == gazetteer.key(word) and bool(_NAME_WORD.fullmatch(
        parts[0])) and not (_common(parts[0]) or _role(parts[0]) or place(parts[0]) or place(surface))


def kind(name: str, surfaces: list[str], credited: dict[str, int] | None = None, mentions: int = 0) -> str:
    """The kind of the entity ``name`` (one of ``KINDS``), from its name, the ``surfaces`` it was written as and,
    for a name outlets credit as media, how often it is credited (``credited``: key -> credits) of its
    ``mentions``."""
    words = _words(name)
    if not words:
        return "other"
    credits = (credited or {}).get(gazetteer.key(name), 0)
    where = place(name)
    if credits and not gazetteer.country_of_demonym(name) and (where is None or credits >= CREDITED_SHARE * mentions):
        return "organisation"  # "Fars" credited as often as named; not "Iowa", once in a dateline credit
    if where:
        return "place"
    if len(words) == 1 and any(_full_name(surface, name) for surface in surfaces):
        return "person"  # "GROSS" in a transcript, written "Terry Gross" elsewhere: a surname, not an acronym
    if _head(words) in gazetteer.ORGANISATION_HEADS or _ACRONYM.fullmatch(name):
        return "organisation"
    if is_title(name):
        return "title"
    if _head(words) in gazetteer.PLACE_HEADS or (len(words) > 1 and gazetteer.place_of(words[-1]) and all(
            gazetteer.key(w) in gazetteer.PLACE_QUALIFIERS for w in words[:-1])):
        return "place"  # "Indian Ocean", "Middle East", "East Asia"; not "John Bolton"
    if len(words) == 1 and name.endswith("s") and wordfreq.zipf_frequency(name[:-1].lower(), "en") >= WORD_ZIPF:
        return "other"  # a group named by a plural noun ("Democrats", "Liberals"), not a person
    if split_title(name)[0] or _titled(name, surfaces):
        return "person"
    plain = [w for w in words if w.lower() not in _PARTICLES - {"of", "the", "and", "for"}]
    if len(words) >= 2 and "of" not in (w.lower() for w in words) and all(_NAME_WORD.fullmatch(w) for w in plain):
        alone = any(gazetteer.key(s) == gazetteer.key(words[-1]) for s in surfaces)
        heads = any(_role(w) or gazetteer.key(w) in gazetteer.ORGANISATION_HEADS | gazetteer.PLACE_HEADS
                    | gazetteer.OTHER_HEADS for w in plain)
        if not heads and (alone or not any(_common(w) or place(w) for w in plain)):
            return "person"  # "Jane Doe"; "John Bolton" written "Bolton" alone, though Bolton is a town
    return "other"


def referents(mentions: pd.DataFrame, credited: Iterable[str] = ()) -> pd.DataFrame:
    """Each entity's referent, kind and description.

    Parameters
    ----------
    mentions : DataFrame
        ``entities.mentions``: article_id, sentence, outlet, entity, surface.
    credited : iterable of str
        Every credit of a medium or a platform (``sources.cited``), a name a credit: organisations, if credited often
        enough for a place's name.

    Returns
    -------
    DataFrame
        One row per entity: entity (as found), referent (a country for its names and demonyms, else the
        entity), kind (``KINDS``), description (the title most often written before a person's name, "" if
        none).
    """
    if mentions.empty:
        return pd.DataFrame(columns=["entity", "referent", "kind", "description"])
    known: dict[str, int] = {}
    for name in credited:
        known[gazetteer.key(name)] = known.get(gazetteer.key(name), 0) + 1
    counts = mentions["entity"].astype("category").value_counts()
    counts.index = counts.index.astype(str)
    forms = mentions[["entity", "surface"]].drop_duplicates()  # the distinct forms: few next to the mentions
    surfaces: dict[str, list[str]] = {}
    for entity, surface in zip(forms["entity"].astype(str), forms["surface"].astype(str), strict=True):
        surfaces.setdefault(entity, []).append(surface)
    rows = []
    for entity, written in surfaces.items():
        found = kind(entity, written, known, int(counts.get(entity, 0)))
        title, named = split_title(entity) if found == "person" else ("", entity)
        titles = Counter([title] * bool(title) + _titled(named, written) if found == "person" else [])
        rows.append((entity, (place(entity) if found == "place" else None) or named, found,
                     titles.most_common(1)[0][0] if titles else ""))
    return pd.DataFrame(rows, columns=["entity", "referent", "kind", "description"])


def typed(mentions: pd.DataFrame, credited: Iterable[str] = ()) -> pd.DataFrame:
    """``mentions`` with each entity replaced by its referent (a country's names and demonyms joined), and its
    ``kind`` and ``description`` (``referents``) as columns; ``surface`` keeps the form as written."""
    table = referents(mentions, credited).set_index("entity")
    if table.empty:
        return mentions.assign(kind=pd.Series(dtype=object), description=pd.Series(dtype=object))
    entity = mentions["entity"].astype("category")
    codes = entity.cat.codes.to_numpy()
    each = table.reindex(entity.cat.categories.astype(str))  # per category, not per mention: millions of rows

    def column(values: pd.Series, categories: list[str] | None = None) -> pd.Categorical:
        at, names = pd.factorize(values.fillna(""))
        if categories is not None:
            at, names = pd.Index(categories).get_indexer(names)[at], categories
        return pd.Categorical.from_codes(at[codes], categories=names)

    return mentions.assign(entity=column(each["referent"]), kind=column(each["kind"], list(KINDS)),
                           description=column(each["description"]))


def table(mentions: pd.DataFrame) -> pd.DataFrame:
    """Who and what each entity of typed ``mentions`` (``typed``) is.

    Parameters
    ----------
    mentions : DataFrame
        Typed mentions: article_id, sentence, outlet, entity, surface, kind, description.

    Returns
    -------
    DataFrame
        One row per entity, the most mentioned first: entity, kind, description, mentions, articles, outlets,
        forms (the ways it is written, the most frequent first, joined by " | ": a country's demonym among them).
    """
    cols = ["entity", "kind", "description", "mentions", "articles", "outlets", "forms"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    df = mentions.assign(entity=mentions["entity"].astype("category"), surface=mentions["surface"].astype("category"))
    by = df.groupby("entity", observed=True)
    out = by.agg(mentions=("sentence", "size"), articles=("article_id", "nunique"), outlets=("outlet", "nunique"))
    first = df.drop_duplicates("entity").set_index("entity")
    out["kind"], out["description"] = first["kind"].astype(str), first["description"].astype(str)
    written = df.groupby(["entity", "surface"], observed=True).size().rename("n").reset_index()
    written = written.sort_values(["entity", "n"], ascending=[True, False], kind="stable").groupby(
        "entity", observed=True).head(8)  # each entity's eight most frequent forms
    out["forms"] = written.assign(surface=written["surface"].astype(str)).groupby(
        "entity", observed=True)["surface"].agg(" | ".join)
    out.index = out.index.astype(str)
    return out.sort_values(["mentions", "articles"], ascending=False, kind="stable").rename_axis(
        "entity").reset_index()[cols]
