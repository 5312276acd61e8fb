"""Page furniture an article shows by its own shape, with no corpus to compare it with: photo galleries flattened
into a paragraph, media-player lines and transcript speaker labels. ``lib/clean.py`` removes what these find."""

from __future__ import annotations

import re
from collections import Counter

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from lib.blocks import Block, ends_sentence

GALLERY_COUNTER = re.compile(r"(\w+)\s+(\d{1,3}) of (\d{1,3})\b")  # "Caption 3 of 19", "Photo 2 of 8"
GALLERY = 3  # counters of one gallery in a block: its captions flattened into one paragraph
PLAYER = re.compile(r"\s\d{1,2}:[0-5]\d(?::[0-5]\d)?(?:\s+\d{1,2}:[0-5]\d(?::[0-5]\d)?)?\s*$")  # "Listen · 4:07 4:07"
SPEAKER = re.compile(r"([^\W\d_][\w'’.-]*)[ \t]+([^\W\d_][\w'’-]*):?(?=\s|$)")  # two words: "MICHAEL BARBARO:"
SPEAKERS = 3  # lines of one article a speaker label opens


def is_gallery(text: str) -> bool:
    """A photo gallery flattened into one block: ``GALLERY`` or more counters "<word> N of M" with the same
    word and total, N rising ("... Hide Caption 3 of 19 Photos: <title> <caption> Hide Caption 4 of 19 ...");
    the captions between them are pictures' text, however many sentences each has."""
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


def is_player(text: str) -> bool:
    """A media-player line: three or more words ending with a running time, not like a sentence ("<title>
    Listen · 4:07 4:07", "<video title> 02:07"); "The vote was held at 10:30." is a sentence."""
    return len(text.split()) >= 3 and PLAYER.search(text) is not None and not ends_sentence(text)


def speaker_labels(raw: str, bs: list[Block], kinds: list[str | None]) -> list[tuple[int, int]]:
    """Transcript speaker labels: two words that open ``SPEAKERS`` or more lines of the article and that, wherever
    they are in it, open a line or a sentence and are followed by the end of the line, a colon or (when they are
    in lower case or capitals) a bracket, a quote, a number or a capital ("michael barbaro" on a line of its own,
    "archived recording (william barr) President Trump faced ...", "AMY GOODMAN: Welcome ..."); the words go, what
    is said stays. "Joe Biden said" runs on as a sentence, "President Donald Trump", "The White House", "Tom Cole
    (R-OK)" and "The July 30 poll" are names, "But the" is function words, "an archived recording of" runs inside
    a sentence. Returns their (start, end) offsets in ``raw``, but for those inside the blocks ``kinds`` removes."""
    openings = Counter(f"{m.group(1)} {m.group(2)}".lower() for b in bs if (m := SPEAKER.match(raw, b.start)))
    removed = [(b.start, b.end) for b, kind in zip(bs, kinds, strict=True) if kind]
    spans = []
    for label, n in openings.items():
        if n < SPEAKERS or set(label.split()) <= ENGLISH_STOP_WORDS:
            continue
        anywhere = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, label.split())) + r"(?!\w):?", re.IGNORECASE)
        found = list(anywhere.finditer(raw))
        if all(_speaks(raw, m) for m in found):
            spans += [(m.start(), m.end()) for m in found
                      if not any(start <= m.start() < end for start, end in removed)]
    return spans


def _speaks(raw: str, m: re.Match) -> bool:
    """Whether ``m`` (a ``speaker_labels`` label) opens a line, a sentence or what follows a dash (an interruption:
    "It is our time — archived recording (adam schiff) The gentleman ...") and is followed as a label is."""
    before = raw[raw.rfind("\n", 0, m.start()) + 1 : m.start()].rstrip()
    if before and before[-1] not in ".!?”\"’)]—–":  # a dash: an interruption
        return False
    follows = raw[m.end() : m.end() + 2].lstrip(" \t")[:1]
    words = "".join(m.group().rstrip(":").split())
    cased = words.isalpha() and (words.islower() or words.isupper())  # "archived recording", not "President Donald"
    return (m.group().endswith(":") or follows in "\n" or (cased and (follows in "([\"“‘'—–" or follows.isalnum()
                                                                     and not follows.islower())))
