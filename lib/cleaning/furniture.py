"""Page furniture an article shows by its own shape: photo galleries flattened into a paragraph, media-player lines,
data tables flattened into a line and transcript speaker labels, with no corpus to compare it with; captions opened
by their credit and link cards flattened into a sentence, which the outlet's template confirms
(``repeats.site_repeats``, ``repeats.captioned``). ``lib/cleaning/clean.py`` removes what these find."""

from __future__ import annotations

import re

from lib.cleaning.blocks import Block, ends_sentence
from lib.text.stopwords import ENGLISH_STOP_WORDS

try:  # compiled where the install found a C compiler (setup.py); else found by ``GLUE`` below
    from lib.cleaning._blocks import glue as _glue
except ImportError:
    _glue = None

# "Caption 3 of 19", "Photo 2 of 8"; from a word's start: the regex engine tries no start inside a word (same matches)
GALLERY_COUNTER = re.compile(r"(?<!\w)(\w+)\s+(\d{1,3}) of (\d{1,3})\b")
GALLERY = 3  # counters of one gallery in a block: its captions flattened into one paragraph
PLAYER = re.compile(r"\s\d{1,2}:[0-5]\d(?::[0-5]\d)?(?:\s+\d{1,2}:[0-5]\d(?::[0-5]\d)?)?\s*$")  # "Listen · 4:07 4:07"
SPEAKER = re.compile(r"([^\W\d_][\w'’.-]*)[ \t]+([^\W\d_][\w'’-]*):?(?=\s|$)")  # two words: "MICHAEL BARBARO:"
SPEAKERS = 3  # lines of one article a speaker label opens
TABLE_WORDS = 20  # a data table flattened into a line: this many words or more ...
TABLE_NUMBERS = 0.4  # ... this share of them with a digit, not ending like a sentence
# a word glued to the next ("DentOvernight", "KellyMORE", "Clinton2020"): the match is the next word's first character,
# so the regex engine skips ahead to the characters that can open one (a lower-case letter first: twice as slow)
GLUE = re.compile(r"[A-Z\d‘\"“](?<=[a-z].)")
# a name's last word, then, spaced or glued, its full name ending with it, glued to what follows: "Dent Charles
# (Charlie) W. Dent|Overnight", "Bill de Blasio Bill de Blasio|The", "DurhamJohn Durham|The"; not "Mc|Connell ...
# Mc|Connell": a glued name's last word has three letters or more
ECHO = re.compile(r"(?<![\w'’.-])(?P<last>[A-Z][\w'’.-]*)(?: |(?<=[\w'’.-]{3})(?=[A-Z]))"
                  r"(?:(?:[A-Z][\w'’-]*|[A-Z]\.|[a-z]{2,3}|\([^()\s]+\)) ){0,4}(?P=last)$")
CARD_NAME = 150  # characters: the longest name and full name before a glue
CARD_CHARS = 1000  # the longest card: a full name and three headlines
CAPITALS = re.compile(r"(?<![A-Z'’])[A-Z]{2,}\b")  # a word in capitals, also glued after a name ("KellyMORE")
_NAME = r"(?!(?:A|An|The)\s)(?:[A-Z][a-z][\w.'’-]*|[A-Z]\.)(?:\s+(?:[A-Z][a-z][\w.'’-]*|[A-Z]\.)){1,3}"  # "Jane Q. Doe"
_AGENCY = r"[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,2}"  # "AP", "Getty Images", "The New York Times"
CAPTIONED = re.compile(rf"(?:^|\s\|\s+){_NAME}(?:\s*/\s*{_AGENCY})+\s+[A-Z“\"‘']")  # "Jane Doe/AP Protesters ..."


def is_gallery(text: str) -> bool:
    """A photo gallery flattened into one block: ``GALLERY`` or more counters "<word> N of M" with the same
    word and total, N rising ("... Hide Caption 3 of 19 Photos: <title> <caption> Hide Caption 4 of 19 ...");
    the captions between them are pictures' text, however many sentences each has."""
    if not _counted(text):  # a cheap test first: few blocks have a counter (docs/cleaning.md)
        return False
    last: dict[tuple[str, str], tuple[int, int]] = {}  # (word, total) -> (last N, counters in a row)
    for m in GALLERY_COUNTER.finditer(text):
        at, total = int(m.group(2)), m.group(3)
        if at > int(total):
            continue
        key = (m.group(1).lower(), total)
        before, run = last.get(key, (0, 0))
        last[key] = (at, run + 1 if at > before else 1)
        if last[key][1] >= GALLERY:
            return True
    return False


def _counted(text: str) -> bool:
    r"""Whether ``text`` holds what every gallery counter holds, " of " between two decimal digits (re's ``\d of \d``;
    each place of " of " looked at: the words around it are rarely digits)."""
    at = text.find(" of ")
    while at >= 0:
        if at and text[at - 1].isdecimal() and text[at + 4 : at + 5].isdecimal():
            return True
        at = text.find(" of ", at + 1)
    return False


def is_player(text: str) -> bool:
    """A media-player line: three or more words ending with a running time, not like a sentence ("<title>
    Listen · 4:07 4:07", "<video title> 02:07"); "The vote was held at 10:30." is a sentence."""
    return (":" in text and len(text.split()) >= 3 and PLAYER.search(text) is not None  # ":": a cheap test first
            and not ends_sentence(text))


def is_table(text: str) -> bool:
    """A data table or a chart flattened into one line: ``TABLE_WORDS`` or more words, ``TABLE_NUMBERS`` of them
    with a digit, not ending like a sentence ("Ticker Security Last Change Change % I:DJI DOW JONES AVERAGES
    29311.32 +34.50 +0.12% SP500 ...", "Safe D (164): California (55), Connecticut (7), ..."); "The House has four
    brackets: 12%, 25%, 35% and 39.6%." is a sentence."""
    if ends_sentence(text):  # the cheap test first: most blocks do
        return False
    words = text.split()
    return len(words) >= TABLE_WORDS and sum(any(c.isdigit() for c in w) for w in words) >= TABLE_NUMBERS * len(words)


def speaker_labels(raw: str, bs: list[Block], kinds: list[str | None]) -> list[tuple[int, int]]:
    """Transcript speaker labels: two words that open ``SPEAKERS`` or more lines of the article and that, wherever
    they are in it, open a line or a sentence and are followed by the end of the line, a colon or (when they are
    in lower case or capitals) a bracket, a quote, a number or a capital ("michael barbaro" on a line of its own,
    "archived recording (william barr) President Trump faced ...", "AMY GOODMAN: Welcome ..."); the words go, what
    is said stays. "Joe Biden said" runs on as a sentence, "President Donald Trump", "The White House", "Tom Cole
    (R-OK)" and "The July 30 poll" are names, "But the" is function words, "an archived recording of" runs inside
    a sentence. Returns their (start, end) offsets in ``raw``, but for those inside the blocks ``kinds`` removes."""
    openings: dict[str, list[tuple[int, int]]] = {}  # label -> where it opens a block
    for b in bs:
        if m := SPEAKER.match(raw, b.start):
            openings.setdefault(f"{m.group(1)} {m.group(2)}".lower(), []).append(m.span())
    removed = [(b.start, b.end) for b, kind in zip(bs, kinds, strict=True) if kind]
    spans = []
    for label, places in openings.items():
        words = label.split()
        if len(places) < SPEAKERS or set(words) <= ENGLISH_STOP_WORDS:
            continue
        alike = re.fullmatch(re.escape(words[0]), words[1], re.IGNORECASE)  # "doe doe" may match across a line
        if not alike and not all(_speaks(raw, *place) for place in places):
            continue  # the label's own openings first: the search below finds each of them
        anywhere = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w):?", re.IGNORECASE)
        found = list(anywhere.finditer(raw))
        if all(_speaks(raw, *m.span()) for m in found):
            spans += [(m.start(), m.end()) for m in found
                      if not any(start <= m.start() < end for start, end in removed)]
    return spans


def _speaks(raw: str, start: int, end: int) -> bool:
    """Whether ``raw[start:end]`` (a ``speaker_labels`` label) opens a line, a sentence or what follows a dash (an
    interruption: "It is our time — archived recording (adam schiff) The gentleman ...") and is followed as a label
    is."""
    label = raw[start:end]
    before = raw[raw.rfind("\n", 0, start) + 1 : start].rstrip()
    if before and before[-1] not in ".!?”\"’)]—–":  # a dash: an interruption
        return False
    follows = raw[end : end + 2].lstrip(" \t")[:1]
    words = "".join(label.rstrip(":").split())
    cased = words.isalpha() and (words.islower() or words.isupper())  # "archived recording", not "President Donald"
    return (label.endswith(":") or follows in "\n" or (cased and (follows in "([\"“‘'—–" or follows.isalnum()
                                                                 and not follows.islower())))


def is_captioned(text: str) -> bool:
    """A block that opens with a photo credit, a person's name and an agency after a slash, glued to a caption
    ("Jane Doe/AP Protesters gather ...", "Jane Doe / Reuters A pastor ..."), or has one after a bar, glued to what
    follows ("<caption>. | Jane Doe/Getty Images <section> <title> <dek>"): a picture's caption, or a page's header
    around one. "The Journal/NBC News poll ..." opens with an article, not a name; but "Washington Post/ABC News
    poll ..." has this shape too, so ``lib/cleaning/clean.py`` takes such blocks only in an outlet whose template
    they are."""
    return "/" in text and CAPTIONED.search(text) is not None  # "/": a cheap test first (docs/cleaning.md)


def glued(raw: str) -> list[int]:
    """Where a word is glued to the one before it: the start of each match of ``GLUE`` (``lib/cleaning/_blocks.c``,
    where the install compiled it, finds the same)."""
    if _glue is not None:
        return _glue(raw)
    return [m.start() for m in GLUE.finditer(raw)]


def cards(raw: str) -> list[tuple[int, int, int]]:
    """Where a link's card may be flattened into a sentence: a name followed by the same name in full, glued to
    the card's first headline ("Rep. Jane Doe Jane Q. DoeOvernight Defense: ... MORE (D-Ohio)", a site's hover
    card). Returns (start of the full name, the glue, the furthest the card can
    run: its line's end, the next card or ``CARD_CHARS`` on); the space before the full name goes with it, so
    "Kelly John Francis KellyMORE’s" leaves "Kelly’s"."""
    found = [m for g in glued(raw) if (m := ECHO.search(raw, max(0, g - 1 - CARD_NAME), g))]
    spans = []
    for k, m in enumerate(found):
        end = min(found[k + 1].start() if k + 1 < len(found) else len(raw), m.end() + CARD_CHARS)
        line_end = raw.find("\n", m.end(), end)
        spans.append((m.end("last"), m.end(), end if line_end < 0 else line_end))
    return spans


def closers(raw: str, found: list[tuple[int, int, int]]) -> set[str]:
    """The words in capitals that follow the glue of every one of ``found`` (``cards``) within it: "MORE"."""
    words = [{m.group() for m in CAPITALS.finditer(raw, glue, end)} for _, glue, end in found]
    return set.intersection(*words) if words else set()


def link_cards(raw: str, closing: set[str]) -> list[tuple[int, int]]:
    """The ``cards`` of ``raw`` closed by a word of ``closing``, from the full name to that word, the first after
    the glue: "Rep. Charlie Dent Charles (Charlie) Wieder DentOvernight Defense: ... MORE (R-Pa.)" keeps "Rep.
    Charlie Dent (R-Pa.)". Returns their (start, end) offsets in ``raw``."""
    spans = []
    for start, glue, end in cards(raw) if closing else ():
        if m := next((m for m in CAPITALS.finditer(raw, glue, end) if m.group() in closing), None):
            spans.append((start, m.end()))
    return spans
