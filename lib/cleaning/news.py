"""What several articles share is news, not furniture (DESIGN.md rule 0): the test cleaning applies to a line
or sentence that other articles carry too (what one outlet alone repeats is its template, ``Repeats.templates``,
and is not asked).

A shared passage is news when it quotes someone (a shared quotation), when it is prose that several named
outlets carry (a wire paragraph or sentence; ``several``: the corpus names the article's outlet and the
passage is not carried by one outlet's articles alone, ``Repeats.shared``), or when its words are the
article's story (``reads_as_story``: a wire headline, a short wire sentence). Page furniture
("Advertisement", a share row, "3 hours ago", and where the outlets are not known "By signing up you agree
to receive our newsletters") is none of these.
``docs/cleaning.md`` has the measurements.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter

from wordfreq import iter_wordlist, zipf_frequency

from lib.cleaning.blocks import Block, is_prose, letter_runs
from lib.cleaning.repeats import QUOTATION
from lib.text.stopwords import ENGLISH_STOP_WORDS

CONTENT_WORD = 3  # letters a content word has at least
STEM = 5  # letters a content word is compared by: "criticized" meets "criticism", "denied" meets "denies"
ON_STORY = 0.5  # share of a passage's content words found in the article's prose for it to read as the story's
GENERIC = 5.5  # Zipf frequency (wordfreq) from which a word says nothing of a story: "take", "week", "said", "first"


@functools.cache
def _generic() -> frozenset[str]:
    """The words of wordfreq's English list as common as ``GENERIC`` or more: the head of the list, which is in
    order of frequency (about 300 words)."""
    return frozenset(itertools.takewhile(lambda w: zipf_frequency(w, "en") >= GENERIC, iter_wordlist("en")))


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A telling word by its first ``STEM`` letters, a plural's "s" dropped ("ports": "port"); "" for a word that
    cannot tie a passage to a story: a stop word, or one as common as ``GENERIC`` or more in English (``_generic``
    for a word in ASCII, which wordfreq looks up as it is; ``zipf_frequency`` for another, which it may normalise
    first: "ﬁrst" is "first")."""
    if word in ENGLISH_STOP_WORDS or (word in _generic() if word.isascii() else zipf_frequency(word, "en") >= GENERIC):
        return ""
    return (word[:-1] if word.endswith("s") and len(word) > 3 else word)[:STEM]


def _stems(text: str) -> Counter[str]:
    """The telling words of ``text`` by their ``_stem``."""
    stems = Counter(map(_stem, letter_runs(text.lower(), CONTENT_WORD)))
    del stems[""]
    return stems


def story_words(bs: list[Block]) -> Counter[str]:
    """The content words of an article's prose blocks (its story), by their first ``STEM`` letters."""
    return _stems("\n".join(b.text for b in bs if is_prose(b.text, b.words)))  # no word runs across a line


def reads_as_story(text: str, story: Counter[str], inside_prose: bool) -> bool:
    """Whether a passage reads as the story's: it has three telling words or more (``_stems``), and ``ON_STORY``
    of them occur elsewhere in the article's prose (``story_words``; ``inside_prose``: the passage is part of
    it, so its own words are discounted). A wire headline does; "Advertisement" (in an article on advertising
    too), "USA TODAY", "Share this", "3 hours ago", "Sign up for Take Action Now and get three actions in your
    inbox every week" do not."""
    own = _stems(text)
    found = sum(story[w] > (n if inside_prose else 0) for w, n in own.items())
    return len(own) >= 3 and found >= ON_STORY * len(own)


def news(text: str, story: Counter[str], inside_prose: bool, several: bool) -> bool:
    """Whether a passage other articles carry is news: it quotes someone, it is prose that ``several`` named
    outlets carry, or it reads as the article's story (``reads_as_story``)."""
    return (QUOTATION.search(text) is not None or several and is_prose(text)
            or reads_as_story(text, story, inside_prose))
