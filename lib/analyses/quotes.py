"""Quotes: who each outlet lets speak, in its own words (direct quotes) or reported ("X said that ...").

Method (rules over the sentence table, no model):

- Direct quotes: spans between quotation marks (straight or typographic, mixed as scraped text mixes them),
  found in each paragraph's sentences joined, so a quote running over several sentences is one quote. A span
  of fewer than ``MIN_WORDS`` words with no speaker is a scare quote or a name ("big defeat"), not a quote.
- Reporting verbs that are as often nouns ("states", "claims", "reports", "notes", "called") are left out.
- Reported quotes: a sentence with no quotation of its own whose subject is followed by a reporting verb
  (``VERBS``: said, told, stressed, according to, ...) and a clause: the clause is the quote; or one that ends
  ", said Jane Doe": what precedes is the quote. A subject is not a capitalised function word ("About 80
  families ...") nor a passive ("the migrants were told").
- Speaker: the phrase next to the reporting verb, before it ("Jane Doe said", "the minister noted in an
  interview:") or after it (", said Jane Doe"), or after "according to". It is resolved to an entity name
  (``lib.analyses.entities``) when an entity mention of the sentence lies in it; a pronoun ("He said") to the last
  named speaker of the article, else its last named person who is a named speaker somewhere in the corpus (a
  place never is); a definite description ("the ambassador") to the
  last named person of the article whose name that noun stood before ("Ambassador Jane Doe").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from lib.text import gazetteer, tokeniser

VERBS = ("said", "says", "say", "told", "tells", "added", "adds", "stated", "noted", "stressed", "stresses",
         "emphasized", "emphasised", "emphasizes", "underlined", "underscored", "confirmed", "confirms", "claimed",
         "argued", "argues", "warned", "warns", "announced", "announces", "explained", "insisted", "insists",
         "asserted", "declared", "acknowledged", "admitted", "denied", "denies", "replied", "responded", "wrote",
         "writes", "tweeted", "posted", "suggested", "speculated", "reported", "predicted", "vowed", "pledged",
         "promised", "urged", "described", "praised", "hailed", "criticized", "criticised", "accused", "complained",
         "recalled", "observed", "remarked", "continued", "went on to say", "joked", "quipped", "asked", "asks",
         "wondered", "answered", "concluded", "cautioned", "lamented", "boasted", "conceded", "countered",
         "testified", "points out", "pointed out", "according to")
QUOTE_VERBS = frozenset(v for v in VERBS if " " not in v)  # the single words (for stopword lists)
MIN_WORDS = 4  # a quoted span shorter than this with no speaker is a scare quote or a name
PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
PASSIVE = frozenset({"was", "were", "is", "are", "be", "been", "being"})
PREPOSITIONS = frozenset({"to", "from", "for", "of", "in", "at", "on", "by", "with", "near", "into", "about"})
STOPWORDS = ENGLISH_STOP_WORDS
COLUMNS = ["article_id", "sentence", "outlet", "kind", "speaker", "entity", "verb", "quote", "chars", "text"]

_V = "|".join(re.escape(v) for v in sorted(VERBS, key=len, reverse=True) if v != "according to")
_OPEN, _CLOSE = "“\"«„", "”\"»“"
QUOTED = re.compile(r"[“\"«„]([^“”\"«»„]{2,}?)[”\"»“]|[“\"«„]([^“”\"«»„]{2,})$")  # closed, or open to the end
_NAME = r"(?:[A-Z][\w.'’-]*(?:\s+(?:of|the|de|al|bin|van|von)?\s*[A-Z][\w.'’-]*){0,5})"
MEDIA_NOUNS = frozenset("news press times post journal tv television radio channel media network".split())
_ROLE = "|".join(sorted(gazetteer.TITLES | gazetteer.ORGANISATION_HEADS - MEDIA_NOUNS, key=len, reverse=True))
_DESCRIBED = rf"(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[\w-]+\s+){{0,3}}(?:{_ROLE})s?(?![\w-])"
# a description ending in a role or a body: "the Iranian defense minister", "his aides", "the company"; not "the
# news", which after a verb is what was said ("tweeted the news")
_SUBJECT = rf"(?P<speaker>{_NAME}|[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|{_DESCRIBED})"
_ADVERB = r"(?:(?:also|further|later|then|has|had|[a-z]+ly)\s+){0,2}"  # "also said", "reportedly told"
# "X said", "X, said", "X, 34, an aide, said": up to two appositives, each closed by a comma, between the
# speaker (a whole word) and the verb
_BEFORE = re.compile(rf"(?<!\w){_SUBJECT}(?:\s*,\s+(?:[^,]{{1,90}},\s+){{0,2}}|\s*,\s+(?:who|which)\s+|\s+)"
                     rf"{_ADVERB}(?P<verb>{_V})\b")
_NAMED_END = r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:who|of|at|in|on|from|to|for|during|after|before)\b)"
_AFTER = re.compile(rf"^\W*(?P<verb>{_V})\s+(?P<speaker>(?:[\w.'’-]+\s+){{0,6}}?{_NAME}{_NAMED_END}|[Hh]e|[Ss]he"
                    rf"|{_DESCRIBED})")
# "said Jane Doe", "said resident Jane Doe", "said X University associate professor Jane Doe, who ..."
_TRAILING = re.compile(rf",\s+(?P<verb>{_V})\s+(?P<speaker>{_NAME})")  # "..., said Jane Doe, an aide."
_ACCORDING = re.compile(rf"\b[Aa]ccording to\s+(?P<speaker>{_NAME}|the\s+[\w-]+(?:\s+[\w-]+){{0,2}})")
_CLAUSE = re.compile(rf"^(?:[^.;:]*?\s)?(?P<verb>{_V})\b(?P<rest>.*)$", re.S)
_LEAD = re.compile(r"^\s*(?:[A-Z]{2,}[\w ,]*\s+[-–—]\s+|[\w/ ]{2,40}:\s+)")  # a dateline or a lead "X/Europe:"
_VERB = re.compile(rf"\b(?:{_V})\b")
_OPENING_DESCRIPTION = re.compile(rf"^\W*(?:(?:[A-Z][a-z]+|[Hh]owever|[Ii]n\s+\w+),?\s+)?(?P<who>{_DESCRIBED})"
                                  rf"(?:,\s+[a-z]+,)?\s+"
                                  rf"(?:[a-z]+\s+){{0,2}}?[a-z]+(?:ed|s)\b")  # "The president also disclosed"
_QUOTE_MARK = re.compile(r"[“”\"«»„]")
_INTRODUCTION = re.compile(r"^\W*(?:[A-Z][a-z]+ing|In|At|On|After|During|While|When|Before|Despite|Following|"
                           r"Unlike|Like|Amid|Since|Until)\b[^,]{0,120},")  # a phrase before the subject
_ORGANISED = re.compile(rf"\b(?:{'|'.join(sorted(gazetteer.ORGANISATION_HEADS, key=len, reverse=True))})s?$")
_LEAD_IN = re.compile(rf"\b(?:{_V})[.,]?\s*$")  # a sentence that ends at its verb: "Doe said." before the quote
DESCRIPTION = ("the", "his", "her", "their", "its", "a", "an")


def _unlead(text: str) -> str:
    """``text`` without a leading dateline or lead ("MOSCOW -", "X/Europe:"), unless that is "He said:"."""
    lead = _LEAD.match(text)
    return text[lead.end():] if lead and not _VERB.search(lead.group(0)) else text


def _paragraphs(sentences: pd.DataFrame) -> list[tuple[int, list[int], str, list[int]]]:
    """Per paragraph: article id, the sentence rows, the joined text and each sentence's offset in it."""
    texts = sentences["text"].fillna("").astype(str).tolist()
    articles = sentences["article_id"].tolist()
    paragraphs = (sentences["paragraph"] if "paragraph" in sentences else sentences["sentence"]).tolist()
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(articles, paragraphs, strict=True)):
        groups.setdefault(key, []).append(i)
    out = []
    for (article, _), rows in groups.items():
        parts = [texts[i] for i in rows]
        offsets = list(np.cumsum([0] + [len(t) + 1 for t in parts[:-1]]))
        out.append((int(article), rows, " ".join(parts), offsets))
    return out


def _speaker(context_before: str, context_after: str) -> tuple[str, str]:
    """(speaker as written, verb) from the text before and after a direct quote, or ("", "")."""
    after = _AFTER.match(context_after)
    if after:
        return after["speaker"], after["verb"]
    near = list(_subjects(context_after[:120]))
    if near and near[0].start() < 4 + len(re.match(r"^\W*", context_after).group(0)):
        return near[0]["speaker"], near[0]["verb"]  # '," Jane Doe said'
    before = list(_subjects(context_before))
    if before:
        return before[-1]["speaker"], before[-1]["verb"]
    if near:
        return near[0]["speaker"], near[0]["verb"]
    according = _ACCORDING.search(context_before) or _ACCORDING.search(context_after)
    return (according["speaker"], "according to") if according else ("", "")


def _clean_speaker(speaker: str) -> str:
    return re.sub(r"^(?:[Bb]ut|[Aa]nd|[Ss]o|[Yy]et|[Tt]hen|[Hh]owever)\s+", "", speaker.strip(" ,")).rstrip(".")


def _subject(m: re.Match) -> bool:
    """Whether a ``_BEFORE`` match's speaker can speak: not a capitalised function word opening the sentence
    ("About 80 families ..., said X"), not a passive ("the migrants were told"), not the object of a
    preposition ("Lawyers who went to Tijuana denied")."""
    words = m["speaker"].split()
    before = m.string[: m.start()].split()
    if words[-1].lower() in PASSIVE or (before and before[-1].lower() in PREPOSITIONS):
        return False
    return words[0].lower() in PRONOUNS or words[0].lower() in DESCRIPTION or words[0].lower() not in STOPWORDS


def _subjects(text: str) -> Iterator[re.Match]:
    """The ``_BEFORE`` matches of ``text`` whose speaker can speak, trying every start, so that "Ambassador to
    Russia Jane Doe said" finds "Jane Doe said" once "Russia ... said" is refused."""
    pos = 0
    while m := _BEFORE.search(text, pos):
        if _subject(m):
            yield m
            pos = m.end()
        else:
            pos = m.start() + 1


def _first_subject(text: str) -> re.Match | None:
    return next(_subjects(text), None)


def find(sentences: pd.DataFrame) -> pd.DataFrame:
    """Every quote in the sentences: direct (between quotation marks) and reported (a reporting verb and a clause).

    Rules over the sentence table, no model: quotation marks and reporting-verb patterns next to a speaker, the
    approach of Pouliquen, Steinberger and Best (2007, "Automatic detection of quotations in multilingual news");
    a direct quote may run over several sentences of a paragraph. See the module docstring.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``store.sentences``: article_id, sentence, paragraph, outlet, text), in article order.

    Returns
    -------
    pandas.DataFrame
        One row per quote: article_id, sentence (where it starts), outlet, kind ("direct" or "reported"), speaker
        (as written), entity (empty here: ``resolve``), verb, quote, chars (the quote's length), text (the sentence).
    """
    found = []
    s = sentences.reset_index(drop=True)
    texts = s["text"].fillna("").astype(str).tolist()
    for _article, rows, text, offsets in _paragraphs(s):
        quoted = np.zeros(len(rows), bool)
        for m in QUOTED.finditer(text):
            quote = (m.group(1) or m.group(2) or "").strip()
            first = int(np.searchsorted(offsets, m.start(), "right") - 1)
            last = int(np.searchsorted(offsets, m.end() - 1, "right") - 1)
            start, end = offsets[first], offsets[last] + len(texts[rows[last]])
            speaker, verb = _speaker(_unlead(text[start:m.start()]), text[m.end():end])
            if len(quote.split()) < MIN_WORDS and not speaker:
                continue
            quoted[first:last + 1] = True
            found.append((rows[first], "direct", _clean_speaker(speaker), verb, quote))
        for i, row in enumerate(rows):
            sentence = texts[row]
            if quoted[i] or any(c in sentence for c in _OPEN + _CLOSE):
                continue
            body = _unlead(sentence)
            m = _first_subject(body)
            according = _ACCORDING.search(body)
            trailing = _TRAILING.search(body)
            if m and m.start() <= 80:
                rest = body[m.end():].strip(" ,:")
                rest = re.sub(r"^(?:(?:in|on|during|at)\s[^,]{0,40}?\s)?(?:that\s+)", "", rest)
                if len(rest.split()) >= MIN_WORDS:
                    found.append((row, "reported", _clean_speaker(m["speaker"]), m["verb"], rest))
            elif trailing and len(body[:trailing.start()].split()) >= MIN_WORDS:
                found.append((row, "reported", trailing["speaker"], trailing["verb"], body[:trailing.start()]))
            elif according and according.start() <= 40:
                rest = body[according.end():].strip(" ,:")
                if len(rest.split()) >= MIN_WORDS:
                    found.append((row, "reported", _clean_speaker(according["speaker"]), "according to", rest))
    if not found:
        return pd.DataFrame(columns=COLUMNS)
    df = pd.DataFrame(found, columns=["row", "kind", "speaker", "verb", "quote"]).sort_values("row", kind="stable")
    src = s.iloc[df["row"].to_numpy()]
    return pd.DataFrame({"article_id": src["article_id"].to_numpy(), "sentence": src["sentence"].to_numpy(),
                         "outlet": src["outlet"].to_numpy(), "kind": df["kind"].to_numpy(),
                         "speaker": df["speaker"].to_numpy(), "entity": "", "verb": df["verb"].to_numpy(),
                         "quote": df["quote"].to_numpy(), "chars": df["quote"].str.len().to_numpy(),
                         "text": src["text"].to_numpy()}, columns=COLUMNS)


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
