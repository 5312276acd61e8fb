"""Speakers: who each quote is from (an entity, a pronoun's or a description's referent), and who each outlet
lets speak. The sieve of ``resolve`` is described in docs/quotes.md; quotes themselves are ``lib.analyses.quotes``.
"""

from __future__ import annotations

import re

import pandas as pd

from lib.analyses.quotes import _DESCRIBED, _OPEN, _V, DESCRIPTION, PREPOSITIONS, PRONOUNS
from lib.text import gazetteer, tokeniser

_OPENING_DESCRIPTION = re.compile(rf"^\W*(?:(?:[A-Z][a-z]+|[Hh]owever|[Ii]n\s+\w+),?\s+)?(?P<who>{_DESCRIBED})"
                                  rf"(?:,\s+[a-z]+,)?\s+"
                                  rf"(?:[a-z]+\s+){{0,2}}?[a-z]+(?:ed|s)\b")  # "The president also disclosed"
_QUOTE_MARK = re.compile(r"[“”\"«»„]")
_INTRODUCTION = re.compile(r"^\W*(?:[A-Z][a-z]+ing|In|At|On|After|During|While|When|Before|Despite|Following|"
                           r"Unlike|Like|Amid|Since|Until)\b[^,]{0,120},")  # a phrase before the subject
_ORGANISED = re.compile(rf"\b(?:{'|'.join(sorted(gazetteer.ORGANISATION_HEADS, key=len, reverse=True))})s?$")
_LEAD_IN = re.compile(rf"\b(?:{_V})[.,]?\s*$")  # a sentence that ends at its verb: "Doe said." before the quote


def resolve(quotes: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The quotes with their speakers named where they can be: an entity, a pronoun's or a description's referent.

    A speaker phrase holding an entity mention takes that entity (``entities.mentions``); a pronoun the nearest
    person named before it (the last speaker when that spoke in the two sentences before); a definite description
    ("the ambassador") the article's last named person that noun stood before. A direct quote whose sentence names
    no speaker takes, in order: the person or body its sentence names before it ("Doe called it "a sham""), the
    pronoun that opens its sentence, the speaker a colon in the sentence before leads in ("Doe tweeted:"), or the
    speaker of the quote it continues (a quote in the sentence before: '"X," Doe said. "Y."'). The rules of
    quote-attribution sieves (Muzny, Fang, Chang and Jurafsky 2017, "A two-stage sieve approach for quote
    attribution"), over entity mentions instead of a parser. See the module docstring.

    Parameters
    ----------
    quotes : pandas.DataFrame
        Quotes (``find``).
    mentions : pandas.DataFrame
        Entity mentions of the same sentences (``entities.mentions``; typed by ``kinds.typed``, else every
        mention of two or more words counts as a person).
    sentences : pandas.DataFrame
        The sentence table (``store.sentences``).

    Returns
    -------
    pandas.DataFrame
        ``quotes`` with ``entity`` filled where the speaker can be named, ``speaker`` filled for a direct quote
        whose speaker was found outside its own sentence, ``speaker_kind`` (the entity's kind, "person" or
        "organisation" mostly; "named" for a name no entity holds; "unresolved" for a pronoun or a description
        no one named answers; "" for no speaker) and ``description`` (the title written before the speaker's
        name, ``kinds.referents``).
    """
    if quotes.empty:
        return quotes.assign(speaker_kind=pd.Series(dtype=object), description=pd.Series(dtype=object))
    out = quotes.copy()
    typed = "kind" in mentions.columns
    rows = list(zip(mentions["article_id"], mentions["sentence"], mentions["entity"].astype(str),
                    mentions["surface"].astype(str),
                    mentions["kind"].astype(str) if typed else mentions["entity"].astype(str), strict=True))
    full: dict[tuple[int, str], list[tuple[int, str]]] = {}  # (article, surname) -> (sentence, person named in full)
    for a, s, e, surface, k in rows:
        if (k == "person" or not typed) and len(e.split()) >= 2 and surface.endswith(e):  # written in full
            full.setdefault((a, surface.split()[-1]), []).append((s, e))
    here: dict[tuple, list[tuple[str, str, str]]] = {}  # (article, sentence) -> (entity, surface, kind), in order
    persons: dict[int, list[tuple[int, str, str]]] = {}  # article -> (sentence, entity, surface) of its people
    bodies: dict[int, list[tuple[int, str, str]]] = {}  # ... and of its organisations
    for a, s, e, surface, k in rows:
        k = k if typed else ("person" if " " in e else "other")
        if (own := full.get((a, surface))) and e not in {n for _, n in own}:  # "Doe": a Doe the article names in
            e, k = _likeliest([n for at, n in own if at <= s] or [n for _, n in own]), "person"  # full, if not the
            # corpus's Doe
        here.setdefault((a, s), []).append((e, surface, k))
        if k in ("person", "organisation"):
            (persons if k == "person" else bodies).setdefault(a, []).append((s, e, surface))
    texts = dict(zip(zip(sentences["article_id"], sentences["sentence"], strict=True),
                     sentences["text"].fillna("").astype(str), strict=True))

    def named(article: int, sentence: int, speaker: str) -> str:
        """The entity a speaker phrase names: the last of the sentence's mentions written inside the phrase ("X
        University professor Jane Doe": Jane Doe), else the last whose last word the phrase holds."""
        tokens, found = set(speaker.split()), here.get((article, sentence), [])
        text = texts.get((article, sentence), "")
        at = text.find(speaker) if speaker else -1
        if at >= 0:
            within = sorted((k != "place", text.find(surface, at), e) for e, surface, k in found
                            if at <= text.find(surface, at) <= at + len(speaker) - len(surface))
            if within:  # the last person or body in the phrase; a place ("Iranian") only if nothing else
                return within[-1][2]
        inside = [e for e, surface, _ in found if set(surface.split()[-1:]) & tokens]
        return inside[-1] if inside else ""

    def people(article: int, sentence: int, kinds: tuple[str, ...] = ("person",), upto: int | None = None,
               subjects: bool = False) -> list[str]:
        """The entities of ``kinds`` the sentence names (before character ``upto``), those that can be its subject
        first: not the object of a preposition ("the hiring of Doe", "his meeting with Doe"), nor an owner ("Doe's
        aide"); with ``subjects``, only those."""
        text, at, free, bound = texts.get((article, sentence), ""), 0, [], []
        opening = _INTRODUCTION.match(text)  # "Hosting Jane Doe at the ministry, John Roe said ...": Roe
        for e, surface, k in here.get((article, sentence), []):
            where = text.find(surface, at)
            if k not in kinds or (upto is not None and not 0 <= where < upto):
                continue
            at = max(at, where)
            words = text[:where].split()[-2:] if where > 0 else []
            quoted = len(_QUOTE_MARK.findall(text, 0, max(where, 0))) % 2 == 1  # inside a quotation: no subject
            owner = text.startswith(("'s", "’s"), where + len(surface))  # "Doe's spokesman Jane Roe"
            agent = len(words) == 2 and words[1] == "by" and words[0].endswith("ed")  # "identified by Doe"
            within = (opening is not None and where < opening.end()) or quoted
            (bound if owner or within or (words and words[-1].lower() in PREPOSITIONS and not agent)
             else free).append(e)
        return free if subjects else free + bound

    def antecedent(article: int, sentence: int, last: tuple[int, str] | None) -> str:
        """A pronoun's referent: the last speaker if it spoke in the two sentences before, else the first person
        of the nearest sentence before that names one."""
        if last and sentence - last[0] <= 1:
            return last[1]  # who spoke in the sentence before
        for back in range(sentence - 1, max(-1, sentence - 6), -1):
            if found := people(article, back, subjects=True):
                return last[1] if last and last[1] in found else found[0]
        return last[1] if last else ""

    def unattributed(article: int, sentence: int, quote: str, last: tuple[int, str, bool] | None,
                     someone: tuple[int, str, bool] | None) -> tuple[str, str]:
        """(speaker as written, entity) of a direct quote whose own sentences name no speaker."""
        text = texts.get((article, sentence), "")
        at = text.find(quote[:40]) if quote else -1
        lead = text[:at] if at > 0 else ""
        described = _OPENING_DESCRIPTION.match(lead)  # "But the president has also pointed to "…""
        if described and not people(article, sentence, ("person", "organisation"), described.start("who"), True):
            return described["who"], (_described(described["who"], [p for p in persons.get(article, [])
                                                                      if p[0] <= sentence], texts, article, titles))
        pronoun = re.search(r"(?<![\w-])(?:[Hh]e|[Ss]he)(?= [a-z])", lead)  # "However, he made clear that "…""
        for kinds in (("person", "organisation"), ("other",)):  # "Google, which said it gave "…""
            found = people(article, sentence, kinds, pronoun.start() if pronoun else len(lead), subjects=True)
            if found:
                return found[0], found[0]
        if pronoun:
            return pronoun.group(), antecedent(article, sentence, someone)
        before = texts.get((article, sentence - 1), "")
        if before.rstrip().endswith(":") or (_LEAD_IN.search(before) and not any(c in before for c in _OPEN)):
            if found := people(article, sentence - 1, ("person", "organisation")):
                return found[0], found[0]
            if re.match(r"^\W*(?:[Hh]e|[Ss]he)\b", before):
                return before.split()[0], antecedent(article, sentence - 1, someone)
        if last and last[2] and (last[0] == sentence - 1 or (
                last[0] == sentence - 2 and not set(people(article, sentence - 1)) - {last[1]})):
            return "", last[1]  # a quote that continues the one before
        return "", ""

    def titled(article: int, sentence: int, speaker: str) -> str:
        """The entity a speaker phrase names, or the person its title describes ("Iran's Defence Minister")."""
        name = named(article, sentence, speaker)
        if kind_of.get(name) == "title" or (not name and tokeniser.fold(speaker.split()[-1]) in gazetteer.TITLES):
            name = _described(speaker, [p for p in persons.get(article, []) if p[0] <= sentence], texts, article,
                              described)
        return name

    rows = list(zip(out["article_id"], out["sentence"], out["speaker"], out["kind"], out["quote"], strict=True))
    speakers, names = [], []
    last: dict[int, tuple[int, str, bool]] = {}  # article -> (sentence, entity, direct) of its last named speaker
    person: dict[int, tuple[int, str, bool]] = {}  # ... of its last speaker who is a person: what "he" may be
    kind_of = {e: k for found in here.values() for e, _, k in found}
    described = dict(zip(mentions["entity"].astype(str), mentions["description"].astype(str), strict=True)) \
        if "description" in mentions.columns else {}  # each entity's title (``kinds.referents``)
    titles = described
    for article, sentence, speaker, kind, quote in rows:
        how = _kind(speaker)
        before = last.get(article)
        name = ""
        if how == "pronoun":
            name = antecedent(article, sentence, person.get(article))
        elif how == "description":
            head = tokeniser.fold(speaker.split()[-1])
            head = head[:-1] if head not in gazetteer.ORGANISATION_HEADS and head.endswith("s") else head
            if head in gazetteer.ORGANISATION_HEADS:  # "the council": the last body of that name before
                name = next((e for s_, e, _ in reversed(bodies.get(article, [])) if s_ <= sentence
                             and tokeniser.fold(e.split()[-1]) == head), "")
            else:
                name = titled(article, sentence, speaker)
        elif how == "name":
            name = titled(article, sentence, speaker)
        elif not speaker and kind == "direct":
            speaker, name = unattributed(article, sentence, quote, before, person.get(article))
        if how == "description" and kind_of.get(name) == "place" and _ORGANISED.search(speaker):
            name = re.sub(r"^(?:[Tt]he|[Ii]ts)\s+", "", speaker)  # "the Australian government": a body, not a place
        if name or how == "name":
            last[article] = (sentence, name or speaker, kind == "direct")
            role = name == "" and _role_noun(speaker)  # "Aides said": people, but no one "he" can be
            if kind_of.get(name, "person") == "person" and not role:
                person[article] = last[article]
        speakers.append(speaker)
        names.append(name)
    out["speaker"], out["entity"] = speakers, names
    out["speaker_kind"] = [kind_of.get(n, "person") if n else "unresolved" if _kind(w) in ("pronoun", "description")
                           else "named" if w else "" for w, n in zip(speakers, names, strict=True)]
    out["description"] = [described.get(n, "") for n in names]
    return out


def _role_noun(speaker: str) -> bool:
    """A speaker written as a role noun alone, singular or plural ("Aides", "Officials")."""
    words = speaker.split()
    word = tokeniser.fold(words[-1]) if len(words) == 1 else ""
    return bool(word) and (word in gazetteer.TITLES or word.removesuffix("s") in gazetteer.TITLES)


def _likeliest(names: list[str]) -> str:
    """The name written most often, the later of two as often ("Jane Doe" over "John Doe" named once)."""
    counts = {n: (names.count(n), i) for i, n in enumerate(names)}
    return max(counts, key=counts.get)


def _kind(speaker: str) -> str:
    """How a speaker is written: "pronoun" (he, she, they), "description" ("the Iranian defense minister", "the
    ambassador's aide"), "name" (also "the Associated Press": capitalised after the article) or ""."""
    words = speaker.split()
    if not words or words[0].lower() in ("we", "i"):
        return ""
    if words[0].lower() in PRONOUNS:
        return "pronoun"
    if (words[0].lower() in DESCRIPTION and not all(w[:1].isupper() for w in words[1:])) \
            or "'s " in speaker.replace("’", "'"):
        return "description"
    return "name"


def _described(speaker: str, earlier: list[tuple[int, str, str]], texts: dict, article: int,
               titles: dict[str, str] | None = None) -> str:
    """The last named person of the article, up to this sentence, whose name the description's head noun ("the
    Iranian defense minister" -> "minister") stood in the title of ("Defense Minister Jane Doe")."""
    head = tokeniser.fold(speaker.split()[-1])
    for sentence, entity, surface in reversed(earlier):
        text = str(texts.get((article, sentence), ""))
        at = text.find(surface.split()[-1])
        if at > 0 and head in tokeniser.folded(text[max(0, at - 60):at])[-5:]:  # in the title just before the name
            return entity
    for _, entity, _ in reversed(earlier):  # or in the title the corpus gives the person ("Iranian Ambassador")
        if head in tokeniser.folded((titles or {}).get(entity, "")):
            return entity
    return ""


def ledger(quotes: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Who each outlet lets speak: its quotes, its speakers, and how much of its text is direct quotation.

    Parameters
    ----------
    quotes : pandas.DataFrame
        Quotes with resolved speakers (``resolve``).
    sentences : pandas.DataFrame
        The sentence table of the same articles (``store.sentences``), for the outlets' text lengths.

    Returns
    -------
    pandas.DataFrame
        One row per outlet: outlet, direct, reported (quote counts), speakers (named, most quoted first, with
        counts; an unresolved pronoun names nobody), quoted_pct (the share of the outlet's characters inside direct
        quotes, %).
    """
    cols = ["outlet", "direct", "reported", "speakers", "quoted_pct"]
    chars = sentences.assign(n=sentences["text"].fillna("").str.len()).groupby("outlet")["n"].sum()
    rows = []
    for outlet, total in chars.items():
        q = quotes[quotes["outlet"] == outlet]
        how = q["speaker"].map(_kind)
        who = q["entity"].where(q["entity"] != "", q["speaker"].where(how != "pronoun", "").where(
            how != "description", "“" + q["speaker"].str.lower() + "” (unresolved)"))
        who = who[who != ""].value_counts()  # an unresolved "he" names nobody
        rows.append((outlet, int((q["kind"] == "direct").sum()), int((q["kind"] == "reported").sum()),
                     ", ".join(f"{w} ({n})" for w, n in who.items()),
                     round(100 * q.loc[q["kind"] == "direct", "chars"].sum() / max(total, 1), 1)))
    return pd.DataFrame(rows, columns=cols)
