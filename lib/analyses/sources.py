"""The agencies, outlets, channels and platforms each outlet credits, with the sentences that credit them.

Method: attribution cues, as in the reported-speech and source taggers of news analysis (Krestel, Bergler and Witte
2008, "Minding the source: automatic tagging of reported speech in newspaper articles"; Pareti 2016, "PARC 3.0: a
corpus of attribution relations"). A vectorised literal prefilter (pyarrow) keeps the sentences that could hold a cue;
a pattern per cue, run only where its keyword occurs, reads the credited name (a capitalised phrase):

- ``source line``: "Sources: A, B and C", "Source: X", "Photo: J. Doe/AP" (each name; the agency of a photo credit);
- ``photo``: "(AP Photo/J. Doe)", "(J. Doe/Getty Images)": the agency, not the photographer;
- ``credit``: a parenthesised credit after a dateline, "MOSCOW (X News / Y - 22 August)", "WASHINGTON (AP) -", or
  opening the text, "(CNN)The";
- ``lead``: "X/Desk:" or "X News:" opening a sentence (a slash, or a media word in two or more words: not
  "Read More:", nor a transcript's "REPORTER:");
- ``according to``, ``told``, ``reported`` ("X reported"), ``reported by``, ``quoted by``, ``citing``, ``cited by``,
  ``interview`` ("in an interview with X"), ``news agency`` ("X news agency", "news agency X"; not "Russian news
  agency"), ``contributed`` ("X contributed to this report"), ``wrote in``, ``spoke to``; ``platform``: "on
  Telegram", "via Twitter", "tweeted".

Telling a medium from a person ("according to X") takes one rule, given as ``kind``: ``platform`` when the name is a
social network or messaging app (PLATFORMS); ``media`` when the cue is a credit (source line, photo, credit, lead,
news agency), when the name holds a media word (MEDIA_WORDS: "News", "TV", "Times", ...), is a web address
("X.com"), is followed by a media word ("Russia 24 tv channel"), is an outlet of the corpus (or its acronym), is
credited by a credit cue anywhere in the corpus, or is an acronym after a cue that credits media ("interview with
CNN", "reported by AFP"); otherwise ``other`` (an official body, a document: "told the FBI", "according to the
report"). A place ("citing Paris") or a person ("according to Jane Doe": a speaker, in ``lib.analyses.quotes``)
that is not credited as media is no source (``kinds.place``, ``kinds.kind``); names a scraper ran together are cut
apart (``unglued``). ``own`` marks an outlet crediting itself. An acronym is renamed to the one credited name
it abbreviates ("AP" -> "Associated Press").
"""

from __future__ import annotations

import calendar
import re

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from lib.analyses import kinds

PLATFORMS = ("Twitter", "Facebook", "Instagram", "Telegram", "WhatsApp", "YouTube", "TikTok", "Snapchat", "LinkedIn",
             "Reddit", "VKontakte", "VK", "Weibo", "WeChat", "Viber", "Truth Social", "Gab", "Parler", "Mastodon",
             "Bluesky", "Rumble", "Twitch", "Discord", "Substack", "Periscope")
MEDIA_WORDS = frozenset("news press agency tv television radio times post journal herald tribune gazette telegraph "
                        "daily magazine network broadcasting broadcaster channel media wire chronicle reporter "
                        "newspaper examiner monitor dispatch courier weekly bulletin today guardian observer mirror "
                        "economist inquirer sentinel beacon images photo pictures".split())
CREDIT_CUES = frozenset({"source line", "photo", "credit", "lead", "news agency"})
REPORTING_CUES = frozenset({"reported by", "interview", "quoted by", "cited by", "contributed", "wrote in"})
COLUMNS = ["article_id", "sentence", "outlet", "source", "kind", "cue", "own", "text"]

_T = r"[A-Z](?:[\w&.-]|['’](?=[A-Za-z])(?!s(?!\w)))*"  # a capitalised token: "Al-Ahram", "AT&T", "O'Neil"; "CNN's"
_JOIN = r"[ \t]+(?:(?:of(?:[ \t]+the)?|for|and|&|de|al)[ \t]+)?"
NAME = rf"{_T}(?:{_JOIN}{_T})*(?:[ \t]+\d{{1,3}}(?![\w.,]))?"  # "Bank of the West", "Russia 24"
_THE = r"(?:[Tt]he[ \t]+)?"
_B = r"(?<![\w-])"
_DEMONYM = r"(?<!an)(?<!ese)(?<!ish)(?<!ch)"  # "Russian news agency X": X, not "Russian"
CUES = {  # cue: (keywords that must occur, pattern whose groups are the credited names)
    "source line": (("ource", "hoto", "mage", "icture", "redit"),
                    r"^[ \t\"'“‘]*(?:Sources?|Photo(?:graph)?|Image|Picture|Credits?)(?:[ \t]+credit)?[ \t]*:"
                    r"[ \t]*(.+)$"),
    "photo": (("Photo", "Image", "Picture"), r"\(([^()]*?(?:Photo|Images?|Pictures?)[^()]*)\)"),
    "credit": (("(",), r"^[^a-z():]*?[A-Z]{3,}[^a-z():]{0,40}?(?:[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}[ \t]*)?"
                       r"\(([A-Z][^()]{0,80})\)(?![ \t]*:)|^\W*\(([A-Z][\w.]*)\)(?=[A-Z]|[ \t]*[-–—])"),
    "lead": ((":",), rf"^\W*({NAME}(?:[ \t]*/[ \t]*{NAME})?)[ \t]*:"),
    "according to": (("ccording to",), rf"{_B}[Aa]ccording to {_THE}({NAME})"),
    "told": (("told ",), rf"{_B}told {_THE}({NAME})"),
    "reported": (("report",), rf"({NAME})[ \t]+(?:first[ \t]+|also[ \t]+|has[ \t]+|had[ \t]+)?report(?:ed|s)\b"),
    "reported by": ((" by ",), rf"{_B}(?:reported|broadcast|published|aired) by {_THE}({NAME})"),
    "quoted by": (("quoted by",), rf"{_B}quoted by {_THE}({NAME})"),
    "citing": (("citing ",), rf"{_B}citing {_THE}({NAME})"),
    "cited by": (("cited by",), rf"{_B}cited by {_THE}({NAME})"),
    "interview": (("nterview",), rf"{_B}interviews? (?:with|on|to|for) {_THE}({NAME})"),
    "news agency": (("agency",), rf"({NAME}){_DEMONYM}[ \t]+(?:(?:state|official)[ \t]+)?(?:news|press)[ \t]+agency"
                                 rf"|(?:news|press) agency,?[ \t]+{_THE}({NAME})"),
    "contributed": (("contributed",), rf"({NAME})[ \t]+contributed(?:[ \t]+reporting)?[ \t]+to[ \t]+this"),
    "wrote in": (("writ", "wrote"), rf"{_B}(?:wrote|writes|writing|write) (?:in|for) {_THE}({NAME})"),
    "spoke to": (("spoke", "speaking", "talk"), rf"{_B}(?:spoke|speaking|talked|talking) (?:to|with) {_THE}({NAME})"),
    "platform": ((*PLATFORMS, "tweet"), rf"{_B}(?:on|via|to) (?:his |her |their |its )?({'|'.join(PLATFORMS)})"
                                        rf"(?![\w-])|{_B}((?:in a )?tweet(?:ed|s)?)(?![\w-])"),
}
_CUES = {cue: (keys, re.compile(pattern)) for cue, (keys, pattern) in CUES.items()}
_TRIGGER = "|".join(re.escape(k) for keys, _ in CUES.values() for k in keys if k not in "(:") + \
    r"|^[^a-z()]{0,60}\(|^(?:[^ :]+ ){0,3}[^ :]+:"  # a dateline credit, a lead: pyarrow's RE2 (no \b, no lookaround)
_MEDIUM_AFTER = re.compile(r"[ \t]+(?:tv|television|channels?|radio|newspapers?|broadcaster|magazine)(?![\w-])",
                           re.IGNORECASE)  # "an interview with Russia 24 tv channel"
_SKIP = frozenset(w.lower() for w in [*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name,
                                      *calendar.day_abbr, *ENGLISH_STOP_WORDS])


def _key(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.casefold()).strip()


def _agency(parts: list[str]) -> list[str]:
    """The agency of a photo credit ("J. Doe/Getty Images", "AP Photo/J. Doe", "J. Doe for X"), not the person; both
    of "X via Y" (a photo of X's distributed by Y)."""
    parts = [re.split(r"[ \t]+for[ \t]+", q)[-1] for p in parts for q in p.split(",")]
    parts = [v for p in parts for v in re.split(r"[ \t]+via[ \t]+", p)]
    media = [p for p in parts if MEDIA_WORDS & set(_key(p).split()) or re.fullmatch(r"[ \t]*[A-Z]{2,6}[ \t]*", p)]
    return [re.sub(r"\b(?:Photos?|Pictures|File|via)\b|\bby\b.*", "", p) for p in (media or parts[-1:])]


def _names(cue: str, raw: str) -> list[str]:
    """The names one match credits (several for a source line or a credit), cleaned."""
    if cue == "source line":
        parts = [q for p in re.split(r"[,;&]|\band\b", raw) for q in _agency(p.split("/"))]
    elif cue == "photo":
        parts = _agency(raw.split("/"))
    elif cue == "contributed":  # "Jane Doe and The Associated Press contributed"
        parts = re.split(r",|\band\b", raw)
    elif cue == "credit" and re.search(r"[a-z]/[A-Z]", raw):  # "(Jane Doe/X News via AP)": a photo's credit
        parts = _agency(raw.split("/"))
    elif cue == "credit":  # "(X News / Y - 22 August)": the names, not the date
        parts = [re.split(r"[ \t]+[-–—][ \t]+|,|\d", p)[0] for p in raw.split("/") if not re.search("Photo|Image", p)]
        parts = [p for p in parts if not (p.isupper() and " " in p.strip()) and not re.match(r"[RDI]-", p)]
        # not a transcript's "(PRESIDENT X)", nor a party label "(R-Texas)"
    elif cue == "lead":
        first = _agency(raw.split("/"))[0] if "/" in raw else raw  # "X News/Europe:", "J. Doe/Getty Images:"
        words = set(_key(first).split())
        named = (len(words) > 1 or first.strip().isupper()) and not words & {"photo", "credit", "credits"}
        parts = [first] if named and not raw.isupper() and ("/" in raw or words & MEDIA_WORDS) else []
    elif cue == "platform":
        parts = ["Twitter" if "tweet" in raw.lower() else raw]
    else:
        parts = [raw]
    names = []
    for part in parts:
        tokens = part.strip(" \t\"'“”‘’.,:;()-–—").split()
        while tokens and (tokens[0].lower() in _SKIP or re.fullmatch(r"[A-Z][a-z]{0,3}\.", tokens[0])):
            tokens = tokens[1:]  # "The", "On Tuesday", "Mr."
        while tokens and tokens[-1].lower() in _SKIP:
            tokens = tokens[:-1]  # "MSNBC Thursday"
        name = " ".join(tokens)
        if name[:1].isupper() and len(name) > 1 and len(tokens) <= 6 and not re.search(r"\b[a-z]{4,}\b", name):
            names.append(name)
    return names


_GLUE = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{2,})")  # "PressIran": two names run together by a scraper


def unglued(name: str, text: str) -> list[str]:
    """``name`` cut where a scraper ran two names together ("Oslo TimesOslo Desk" -> "Oslo Times", "Oslo Desk"):
    inside a word, after three lower-case letters, before a capitalised word that ``text`` also has on its own
    ("WhatsApp" stays whole)."""
    for word in name.split():
        for cut in _GLUE.finditer(word):
            right = re.match(r"[A-Z][a-z]+", word[cut.start():]).group()
            if re.search(rf"(?<![\w-]){right}(?![\w-])", text):
                at = name.index(word) + cut.start()
                return [part for part in (name[:at].strip(), *unglued(name[at:].strip(), text)) if part]
    return [name]


def _acronyms(keys: pd.Series) -> dict[str, str]:
    """Acronym -> the one credited long name whose initials it spells ("ap" -> "associated press")."""
    longs: dict[str, list[str]] = {}
    for k in keys.unique():
        tokens = [t for t in re.split(r"[ -]+", k) if t]
        if len(tokens) > 1:
            longs.setdefault("".join(t[0] for t in tokens), []).append(k)
    return {k: longs[k][0] for k in keys.unique() if len(longs.get(k, [])) == 1}


def _outlet_key(outlet: object) -> str:
    return re.sub(r"^the ", "", _key(re.sub(r"\(.*?\)", "", str(outlet))))  # "CNN (Web News)" -> "cnn"


def cited(sentences: pd.DataFrame) -> pd.DataFrame:
    """Every credit in the sentences: the agencies, outlets, channels, platforms and others each outlet cites.

    Attribution cues (Krestel, Bergler and Witte 2008; Pareti 2016): a literal prefilter, then a pattern per cue
    reads the credited name; the name's kind follows the module docstring's rule.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``store.sentences``: article_id, sentence, outlet, text).

    Returns
    -------
    pandas.DataFrame
        One row per sentence and source (the first cue in ``CUES`` order): article_id, sentence, outlet, source (the
        credited name), kind ("media", "platform" or "other"), cue (the pattern that found it), own (the outlet
        credits itself), text (the sentence).
    """
    texts = sentences["text"].fillna("").astype(str)
    hit = np.flatnonzero(texts.str.contains(_TRIGGER, regex=True).to_numpy(dtype=bool))
    found = []
    for row, text in zip(hit, texts.iloc[hit], strict=True):
        for rank, (cue, (keys, pattern)) in enumerate(_CUES.items()):
            if any(k in text for k in keys):
                for m in pattern.finditer(text):
                    found += [(row, rank, name, cue, bool(_MEDIUM_AFTER.match(text, m.end(i + 1))))
                              for i, g in enumerate(m.groups()) if g for glued in _names(cue, g)
                              for name in unglued(glued, text)[: 1 if cue == "lead" else None]]
                    # a lead's second name is its desk, as after a slash ("X News/Europe:")
    df = pd.DataFrame(found, columns=["row", "rank", "source", "cue", "hint"])
    if df.empty:
        return pd.DataFrame(columns=COLUMNS)
    df["key"] = df["source"].map(_key)
    df = df.sort_values(["row", "rank"], kind="stable").drop_duplicates(["row", "key"])
    df["key"] = df["key"].replace(_acronyms(df["key"]))
    shown = df.groupby("key")["source"].agg(lambda s: s.value_counts().index[0])
    outlets = {_outlet_key(o) for o in sentences["outlet"].dropna().unique()} - {""}
    credited = set(df.loc[df["cue"].isin(CREDIT_CUES), "key"])
    media = {k: k in credited or bool(MEDIA_WORDS & set(k.split())) or k.endswith((" com", " org")) or any(
        # an outlet, or an outlet's acronym ("BBC" for "BBC News")
        k == o or k.startswith(o + " ") or (o.startswith(k + " ") and shown[k].isupper()) for o in outlets)
        for k in shown.index}
    acronym = df["source"].str.fullmatch(r"(?:[A-Z]\.?){2,6}") & df["cue"].isin(REPORTING_CUES)
    kind = np.where(df["key"].isin({_key(p) for p in PLATFORMS}), "platform",
                    np.where(df["key"].map(media) | acronym | df["hint"], "media", "other"))
    names = df["source"].unique()
    named = df["source"].map(dict(zip(names, [kinds.place(n) is not None or kinds.kind(n, [n]) == "person"
                                              for n in names], strict=True)))
    keep = ~((kind == "other") & named.to_numpy(dtype=bool))  # a place, or a person: a speaker (``quotes``)
    df, kind = df[keep], kind[keep]
    rows = sentences.iloc[df["row"].to_numpy()]
    own = [len(o) > 2 and (k.startswith(o) or o.startswith(k)) for k, o in
           zip(df["key"], rows["outlet"].map(_outlet_key), strict=True)]
    return pd.DataFrame({"article_id": rows["article_id"].to_numpy(), "sentence": rows["sentence"].to_numpy(),
                         "outlet": rows["outlet"].to_numpy(), "source": df["key"].map(shown).to_numpy(),
                         "kind": kind, "cue": df["cue"].to_numpy(), "own": own, "text": rows["text"].to_numpy()})


def by_outlet(cited: pd.DataFrame, kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Credits counted per outlet and source.

    Parameters
    ----------
    cited : pandas.DataFrame
        Credits (``cited``).
    kinds : tuple of str, optional
        Keep only these kinds (e.g. ``("media", "platform")``); default all.

    Returns
    -------
    pandas.DataFrame
        outlet, source, kind, citations (sentences), articles, own; the most cited first within each outlet.
    """
    cols = ["outlet", "source", "kind", "citations", "articles", "own"]
    if kinds is not None:
        cited = cited[cited["kind"].isin(kinds)]
    if cited.empty:
        return pd.DataFrame(columns=cols)
    out = cited.groupby(["outlet", "source"], as_index=False).agg(
        kind=("kind", "first"), citations=("sentence", "size"), articles=("article_id", "nunique"), own=("own", "any"))
    return out.sort_values(["outlet", "citations", "source"], ascending=[True, False, True]).reset_index(drop=True)
