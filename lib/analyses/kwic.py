"""Keyword in context: where a term is used in a text, and each sentence that uses it with its left and right
context, the match in a column of its own (the concordance view of corpus linguistics; KWIC, Luhn 1960). A term
is found where ``lib.text.tokeniser`` finds its words, as ``lib.text.terms`` counts them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib.text import tokeniser

_BEFORE = re.compile(tokeniser.BEFORE)
_AFTER = rf"(?:[{tokeniser.APOSTROPHES}]s)?{tokeniser.AFTER}"  # a possessive "'s" counts as the word (``canonical``)


def _words(term: str) -> str:
    """``term``'s words as a regular expression: any apostrophe and any hyphen; separated by spaces only, as
    ``lib.text.terms`` counts them."""
    return r"\s+".join(re.escape(w).replace("'", f"[{tokeniser.APOSTROPHES}]").replace(r"\-", f"[{tokeniser.HYPHENS}]")
                       for w in tokeniser.fold(term).split())


def pattern(term: str) -> re.Pattern | None:
    """The regular expression of a term's uses: its words where the tokeniser finds them (``tokeniser.BEFORE``
    and ``AFTER``: "state" is not in "state-run", "iran" is in "Iran's"), in any case, any apostrophe.

    Parameters
    ----------
    term : str
        A term as ``lib.text.terms`` counts it (words separated by spaces).

    Returns
    -------
    re.Pattern or None
        The pattern; None for a term with no words.
    """
    words = _words(term)
    return re.compile(tokeniser.BEFORE + words + _AFTER, re.IGNORECASE) if words else None


def uses(text: str, term: str) -> list[int]:
    """Where a term's uses (as ``pattern`` finds them) start in a long text.

    The lower-cased text is searched for the lower-cased words, and the character before each match is checked:
    the same matches as ``pattern``, found faster (docs/analyses.md, "Keywords in context").

    Parameters
    ----------
    text : str
        The text to search.
    term : str
        The term.

    Returns
    -------
    list of int
        The start offsets of its uses.
    """
    low, words = text.lower(), _words(term.lower())
    if not words:
        return []
    if len(low) != len(text):  # a few letters lowercase to two characters: search the text itself
        return [m.start() for m in pattern(term).finditer(text)]
    return [m.start() for m in re.finditer(words + _AFTER, low) if _BEFORE.match(low, m.start())]


def left_context(text: str, start: int, width: int) -> str:
    """Up to ``width`` characters of ``text`` before ``start``, cut at a word boundary: a word the cut would
    split is left out, and "…" says the sentence goes on before."""
    if start <= width:
        return text[:start]
    part = text[start - width:start]
    if not text[start - width - 1].isspace() and not part[0].isspace():
        space = re.search(r"\s", part)
        part = part[space.start():] if space else ""
    return "…" + part.lstrip() if part.strip() else "…"


def right_context(text: str, end: int, width: int) -> str:
    """Up to ``width`` characters of ``text`` after ``end``, cut at a word boundary (as ``left_context``)."""
    if len(text) - end <= width:
        return text[end:]
    part = text[end:end + width]
    if not text[end + width].isspace() and not part[-1].isspace():
        spaces = [m.start() for m in re.finditer(r"\s", part)]
        part = part[:spaces[-1]] if spaces else ""
    return part.rstrip() + "…"


def kwic(sentences: pd.DataFrame, term: str, width: int = 60) -> pd.DataFrame:
    """Keyword in context: every sentence that uses a term, with the words around the use.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``store.sentences``: article_id, sentence, outlet, text).
    term : str
        The term (``pattern``).
    width : int
        Characters of context on each side, cut at word boundaries (``left_context``, ``right_context``).

    Returns
    -------
    pandas.DataFrame
        article_id, sentence, outlet, left, match (as written), right, text. The match is a column of its own:
        no markup is ever put into article text.
    """
    cols = ["article_id", "sentence", "outlet", "left", "match", "right", "text"]
    found_in = pattern(term)
    if found_in is None:
        return pd.DataFrame(columns=cols)
    texts = sentences["text"].fillna("").astype(str)
    found = [found_in.search(t) for t in texts]
    hit = np.array([m is not None for m in found], dtype=bool)
    hits, spans = sentences[hit], [m.span() for m in found if m is not None]
    return pd.DataFrame({
        "article_id": hits["article_id"].to_numpy(), "sentence": hits["sentence"].to_numpy(),
        "outlet": hits["outlet"].to_numpy(),
        "left": [left_context(t, a, width) for t, (a, _) in zip(hits["text"], spans, strict=True)],
        "match": [t[a:b] for t, (a, b) in zip(hits["text"], spans, strict=True)],
        "right": [right_context(t, b, width) for t, (_, b) in zip(hits["text"], spans, strict=True)],
        "text": hits["text"].to_numpy()}, columns=cols)
