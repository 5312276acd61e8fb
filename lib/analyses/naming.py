"""Naming choices: the different words outlets use for the same thing.

- Variant names: an entity (``lib.analyses.entities`` merges spellings, transliterations and short forms of one
  referent) written in more than one way across the compared outlets, with who wrote which form, how often, and an
  example.
- Word substitutions: for two outlets' sentences of one story element (``lib.analyses.elements``; each outlet's most
  central one), the word-level differences (``difflib.SequenceMatcher`` on tokens, the words and marks of
  ``lib.text.tokeniser``; Ratcliff and Obershelp's gestalt matching); a short span
  replaced by another short span in the same place ("US-sponsored" / "US-proposed", "talks" / "meeting") is a
  substitution. Pairs are counted over the element pairs they occur in: a pair seen in several elements is a
  habit of wording, not an accident; spans that differ only by inflection or case are left out.
- Wording: each outlet's sentence of an element next to the element's central sentence, the words that differ
  marked ⟦…⟧ in plain text (never markup).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import combinations

import pandas as pd

from lib.analyses.elements import stem, words
from lib.text.tokeniser import tokens

MAX_SPAN = 3  # tokens on either side of a substitution


def diff(reference: str, text: str) -> tuple[str, list[tuple[str, bool]]]:
    """``text`` with the tokens not in ``reference`` marked ⟦…⟧ (runs merged), and its tokens with a changed flag."""
    a, b = tokens(reference), tokens(text)
    matcher = SequenceMatcher(None, [t.lower() for t in a], [t.lower() for t in b], autojunk=False)
    flags = [True] * len(b)
    for block in matcher.get_matching_blocks():
        for k in range(block.b, block.b + block.size):
            flags[k] = False
    out, run = [], []
    for tok, changed in zip(b, flags, strict=True):
        if changed:
            run.append(tok)
            continue
        if run:
            out.append("⟦" + " ".join(run) + "⟧")
            run = []
        out.append(tok)
    if run:
        out.append("⟦" + " ".join(run) + "⟧")
    marked = re.sub(r"\s+([^\w\s⟦⟧'’-])", r"\1", " ".join(out))
    return marked, list(zip(b, flags, strict=True))


def wording(members: pd.DataFrame, element: int, label: str) -> pd.DataFrame:
    """Each outlet's sentences of one story element next to the element's label, the words that differ marked.

    Token differences by ``difflib.SequenceMatcher`` (Ratcliff and Obershelp's gestalt pattern matching).

    Parameters
    ----------
    members : pandas.DataFrame
        The element members (``elements.align``: element, outlet, article_id, sentence, text).
    element : int
        The element.
    label : str
        Its label (its most central sentence).

    Returns
    -------
    pandas.DataFrame
        outlet, article_id, sentence, marked (the sentence with the words not in the label marked ⟦…⟧, plain text),
        changed_pct (the share of its tokens not in the label, %), text.
    """
    rows = members[members["element"] == element]
    out = []
    for r in rows.itertuples():
        marked, flags = diff(label, r.text)
        out.append((r.outlet, r.article_id, r.sentence, marked,
                    round(100 * sum(f for _, f in flags) / max(len(flags), 1), 1), r.text))
    return pd.DataFrame(out, columns=["outlet", "article_id", "sentence", "marked", "changed_pct", "text"])


def _content(span: list[str]) -> bool:
    return bool(words(" ".join(span)))


def substitutions(members: pd.DataFrame) -> pd.DataFrame:
    """Word substitutions between outlets' aligned sentences: a short span replaced by another in the same place.

    For each element carried by two outlets or more, each pair of outlets' most central sentences is compared token by
    token (``difflib.SequenceMatcher``, Ratcliff and Obershelp's gestalt pattern matching); a replaced span of up to
    ``MAX_SPAN`` tokens on each side is a substitution, unless the two differ only by inflection or case.

    Parameters
    ----------
    members : pandas.DataFrame
        The element members (``elements.align``: element, outlet, centrality, text).

    Returns
    -------
    pandas.DataFrame
        One row per pair of spans (``a`` < ``b``), most frequent first: a, b, elements (the element pairs it occurs
        in), a_outlets, b_outlets (who wrote which side), and an example (element, a_text, b_text).
    """
    cols = ["a", "b", "elements", "a_outlets", "b_outlets", "element", "a_text", "b_text"]
    found = []
    shared = members[members.groupby("element")["outlet"].transform("nunique") > 1]
    central = shared.sort_values("centrality", ascending=False, kind="stable").drop_duplicates(["element", "outlet"])
    for element, rows in central.groupby("element", sort=False):  # each outlet's most central sentence
        recs = list(rows[["outlet", "text"]].itertuples(index=False))
        pairs = list(combinations(recs, 2))
        for x, y in pairs:
            ta, tb = tokens(x.text), tokens(y.text)
            matcher = SequenceMatcher(None, [t.lower() for t in ta], [t.lower() for t in tb], autojunk=False)
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                if op != "replace" or i2 - i1 > MAX_SPAN or j2 - j1 > MAX_SPAN:
                    continue
                sa, sb = ta[i1:i2], tb[j1:j2]
                if not (_content(sa) and _content(sb)) or [stem(t.lower()) for t in sa] == [
                        stem(t.lower()) for t in sb]:
                    continue
                a, b = " ".join(sa), " ".join(sb)
                if a.lower() > b.lower():
                    a, b, x2, y2 = b, a, y, x
                else:
                    x2, y2 = x, y
                found.append((a, b, element, x2.outlet, y2.outlet, x2.text, y2.text))
    if not found:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(found, columns=["a", "b", "element", "a_outlet", "b_outlet", "a_text", "b_text"])
    df["key"] = df["a"].str.lower() + "\x00" + df["b"].str.lower()
    g = df.groupby("key", sort=False)
    out = pd.DataFrame({
        "a": g["a"].first(), "b": g["b"].first(), "elements": g["element"].nunique(),
        "a_outlets": g["a_outlet"].agg(lambda s: ", ".join(sorted(set(s)))),
        "b_outlets": g["b_outlet"].agg(lambda s: ", ".join(sorted(set(s)))),
        "element": g["element"].first(), "a_text": g["a_text"].first(), "b_text": g["b_text"].first()})
    return out.sort_values(["elements", "a"], ascending=[False, True], kind="stable").reset_index(drop=True)[cols]


NAME_LIKE = 0.4  # a written word this alike (difflib ratio) to the name's last word ends the name (misspelt or not)
SAME_WORD = 0.75  # and the words before it this alike to the name's words before the last are part of it


def _alike(a: str, b: str) -> float:
    return SequenceMatcher(None, a.lower().strip("."), b.lower().strip(".")).ratio()


def _form(surface: str, entity: str) -> tuple[str, str]:
    """(form, titles) of one mention: the written words that end like the entity's name (the last word at least
    ``NAME_LIKE`` alike, the words before it ``SAME_WORD`` alike to the name's), and the words before them; a
    mention with no word like the name's last one (an acronym's long form) is a form as a whole."""
    name, words = entity.split(), surface.split()
    scores = [_alike(w, name[-1]) for w in words]
    end = max(range(len(words)), key=lambda i: (scores[i], i)) if words else 0
    if not words or scores[end] < NAME_LIKE:
        return surface, ""
    start, k = end, len(name) - 2
    while start > 0 and k >= 0 and _alike(words[start - 1], name[k]) >= SAME_WORD:
        start, k = start - 1, k - 1
    return " ".join(words[start:end + 1]), " ".join(words[:start])


def _kind(form: str, entity: str) -> str:
    name, have = entity.lower().replace(".", "").split(), form.lower().replace(".", "").split()
    return "same" if have == name else "short form" if set(have) < set(name) else "spelling"


def variants(mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Entities whose name is written in more than one way in the compared articles, with who wrote which form.

    A mention's *form* is the run of its words that ends like the entity's name ("Defense Minister Jane Doh" ->
    "Jane Doh" for "Jane Doe", ``_form``); the words before it are its *titles*. Referents as
    ``entities.mentions`` merges them. Compounds that hold the name ("Doe-led") are left out.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Entity mentions of the compared articles (``entities.mentions``).
    sentences : pandas.DataFrame
        Their sentence table (``store.sentences``), for the examples.

    Returns
    -------
    pandas.DataFrame
        One row per entity and form, for entities with two forms or more, those with another spelling first:
        entity, form, kind ("same": the name up to case and dots; "short form": part of the name; "spelling":
        another spelling, a transliteration or another name of the referent such as an acronym), mentions, outlets
        (with counts), titles (as written before it), example (a sentence using it).
    """
    cols = ["entity", "form", "kind", "mentions", "outlets", "titles", "example"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    m = mentions.astype({"entity": str, "surface": str, "outlet": str})
    m = m[~m["surface"].str.contains(r"\w-\w", regex=True) | m["entity"].str.contains("-", regex=False)]
    split = {k: _form(*k) for k in set(zip(m["surface"], m["entity"], strict=True))}  # each written form once
    pairs = [split[k] for k in zip(m["surface"], m["entity"], strict=True)]
    m = m.assign(form=[f for f, _ in pairs], titles=[t for _, t in pairs])
    key = m["form"].str.lower().str.replace(".", "", regex=False)
    forms = key.groupby(m["entity"]).nunique()
    m = m[m["entity"].isin(forms[forms > 1].index)]
    if m.empty:
        return pd.DataFrame(columns=cols)
    text = sentences.set_index(["article_id", "sentence"])["text"]
    m = m.assign(key=key[m.index])
    g = m.groupby(["entity", "key"], sort=False)
    out = g.agg(form=("form", lambda f: f.value_counts().index[0]), mentions=("form", "size"),
                article_id=("article_id", "first"), sentence=("sentence", "first"),
                titles=("titles", lambda t: ", ".join(sorted({x for x in t if x})))).reset_index()
    per = m.groupby(["entity", "key", "outlet"], sort=False).size().reset_index(name="n").sort_values(
        "n", ascending=False, kind="stable")
    per["cell"] = per["outlet"] + " (" + per["n"].astype(str) + ")"
    out["outlets"] = out.set_index(["entity", "key"]).index.map(per.groupby(["entity", "key"])["cell"].agg(", ".join))
    out["kind"] = [_kind(f, e) for f, e in zip(out["form"], out["entity"], strict=True)]
    out["example"] = [str(text.get(k, "")) for k in zip(out["article_id"], out["sentence"], strict=True)]
    out = out[cols]
    spelled = out.groupby("entity")["kind"].transform(lambda k: (k == "spelling").any())
    total = out.groupby("entity")["mentions"].transform("sum")
    return out.assign(_s=spelled, _t=total).sort_values(["_s", "_t", "entity", "mentions"],
                                                        ascending=[False, False, True, False]).drop(
        columns=["_s", "_t"]).reset_index(drop=True)
