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
  interview:") or after it (", said Jane Doe"), or after "according to", as written; ``lib.analyses.speakers``
  names who it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from lib.text import gazetteer

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
