"""Side by side: how each outlet frames the same event.

``compare`` puts together, for the articles of a few outlets on one story: a column per outlet (headline,
publication, dateline, byline, length, sources credited, tone, distinctive terms, who is quoted), the story
elements and who carries them (``lib.analyses.elements``), each outlet's omissions, naming choices
(``lib.analyses.naming``), quotes (``lib.analyses.quotes``) and tone (``lib.analyses.tone``). Pure: tables in,
tables out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.analyses import elements, naming, quotes, speakers, tone

MAX_OUTLETS = 6  # outlets compared by default (the largest of the story); more can be chosen, and scroll
VIEWS = ("all", "every", "only-one", "omissions")
FIELDS = ["articles", "headline", "published", "dateline", "byline", "words", "sentences", "sources", "tone",
          "distinctive", "quoted"]


@dataclass(frozen=True)
class Comparison:
    """Every table of one comparison (see ``compare``)."""

    outlets: tuple[str, ...]
    columns: pd.DataFrame  # one row per outlet: FIELDS
    elements: pd.DataFrame  # one row per element: element, label, outlets, articles, independent, sentences
    members: pd.DataFrame  # one row per sentence: article_id, sentence, outlet, text, element, centrality, copy, tone
    threshold: float  # the similarity of two aligned sentences (``elements.threshold``)
    omissions: pd.DataFrame  # outlet, element, label, carried_by
    variants: pd.DataFrame  # ``naming.variants``
    substitutions: pd.DataFrame  # ``naming.substitutions``
    quotes: pd.DataFrame  # ``quotes.find`` with resolved speakers
    quote_ledger: pd.DataFrame  # ``speakers.ledger``
    tone_outlets: pd.DataFrame  # ``tone.by_group`` per outlet
    tone_elements: pd.DataFrame  # per element carried by two outlets or more: element, label, outlet, tone, sentences
    loaded: pd.DataFrame  # ``tone.loaded``


def default_outlets(order: list[str], present: pd.Series, most: int = MAX_OUTLETS) -> list[str]:
    """The outlets compared by default: the first of the corpus's order that have articles here.

    Parameters
    ----------
    order : list of str
        The corpus's outlets in their colour order.
    present : pandas.Series
        The outlets of the articles in scope (one value per article).
    most : int
        How many outlets to take at most.

    Returns
    -------
    list of str
        Up to ``most`` outlets, in ``order``.
    """
    have = set(present)
    return [o for o in order if o in have][:most]


def _joined(values: pd.Series, sep: str = " | ") -> str:
    return sep.join(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v.strip()))


def outlet_columns(articles: pd.DataFrame, outlets: list[str], credits: pd.DataFrame, tones: pd.DataFrame,
                   distinctive: pd.DataFrame, ledger: pd.DataFrame, terms: int = 8) -> pd.DataFrame:
    """One row per outlet (in ``outlets`` order): articles, headline(s), first publication, dateline(s), byline(s),
    words, sentences, sources credited (with counts), tone (mean compound and sentences), top distinctive terms
    (log-odds z among the compared outlets), who is quoted (named speakers, most quoted first)."""
    rows = []
    for outlet in outlets:
        a = articles[articles["outlet"] == outlet]
        c = credits[credits["outlet"] == outlet] if len(credits) else credits
        t = tones[tones["outlet"] == outlet]
        d = distinctive[distinctive["outlet"] == outlet].head(terms) if len(distinctive) else distinctive
        q = ledger[ledger["outlet"] == outlet]
        published = a["published"].replace("", np.nan).dropna().sort_values()
        rows.append({
            "outlet": outlet, "articles": len(a), "headline": _joined(a["title"]) or "(no headline)",
            "published": published.iloc[0] if len(published) else "(undated)",
            "dateline": _joined(a["dateline"]) if "dateline" in a else "",
            "byline": _joined(a["byline"]) if "byline" in a else "",
            "words": int(a["words"].sum()), "sentences": int(t["sentences"].sum()) if len(t) else 0,
            "sources": ", ".join(f"{s} ({n})" for s, n in c["source"].value_counts().items()) if len(c) else "",
            "tone": f"{t['tone'].iloc[0]:.2f} over {int(t['sentences'].iloc[0])} sentences" if len(t) else "",
            "distinctive": ", ".join(d["term"].astype(str)) if len(d) else "",
            "quoted": q["speakers"].iloc[0] if len(q) else ""})
    return pd.DataFrame(rows, columns=["outlet", *FIELDS])


def _copies(members: pd.DataFrame) -> pd.Series:
    """Whether a member sentence is in an article that copies another article carrying the same element."""
    carried = set(zip(members["element"], members["article_id"], strict=True))
    return pd.Series([o != a and (e, o) in carried for e, a, o in
                      zip(members["element"], members["article_id"], members["original"], strict=True)],
                     index=members.index)


def omissions(table: pd.DataFrame, members: pd.DataFrame, outlets: list[str]) -> pd.DataFrame:
    """Per outlet, the elements that most of the other outlets carry (more than half of them) and it leaves out:
    outlet, element, label, carried_by (the outlets that carry it)."""
    cols = ["outlet", "element", "label", "carried_by"]
    carriers = members.groupby("element")["outlet"].agg(lambda s: [o for o in outlets if o in set(s)])
    labels = table.set_index("element")["label"]
    rows = []
    for outlet in outlets:
        others = len(outlets) - 1
        for element, who in carriers.items():
            if outlet not in who and others and 2 * len(who) > others:
                rows.append((outlet, element, labels[element], ", ".join(who)))
    return pd.DataFrame(rows, columns=cols).sort_values(["outlet", "element"], key=lambda s: s.map(
        {o: i for i, o in enumerate(outlets)}) if s.name == "outlet" else s, kind="stable").reset_index(drop=True)


def view(cmp: Comparison, which: str = "all", outlet: str | None = None) -> pd.DataFrame:
    """The elements of one view of the comparison grid.

    Parameters
    ----------
    cmp : Comparison
        A comparison (``compare``).
    which : {"all", "every", "only-one", "omissions"}
        All elements; those every compared outlet carries; those only one outlet carries; or ``outlet``'s
        omissions.
    outlet : str, optional
        The outlet whose omissions to show (``which="omissions"``).

    Returns
    -------
    pandas.DataFrame
        The rows of ``cmp.elements`` in the view.
    """
    table = cmp.elements
    if which == "every":
        return table[table["outlets"] == len(cmp.outlets)]
    if which == "only-one":
        return table[table["outlets"] == 1]
    if which == "omissions":
        return table[table["element"].isin(cmp.omissions.loc[cmp.omissions["outlet"] == outlet, "element"])]
    return table


def grid(cmp: Comparison, table: pd.DataFrame | None = None, width: int = 90) -> pd.DataFrame:
    """The element x outlet grid as a long table, one row per element and outlet.

    Parameters
    ----------
    cmp : Comparison
        A comparison (``compare``).
    table : pandas.DataFrame, optional
        The elements to show (a ``view``); default all of ``cmp.elements``.
    width : int
        Characters of an element's label shown in its row name.

    Returns
    -------
    pandas.DataFrame
        element, row (number and label), outlet, carried ("own sentence", "copy" or "no"), sentences, text (the
        outlet's most central sentence of the element, "" where it leaves the element out).
    """
    table = cmp.elements if table is None else table
    m = cmp.members[cmp.members["element"].isin(table["element"])]
    m = m.sort_values(["element", "outlet", "copy", "centrality"], ascending=[True, True, True, False])
    first = m.groupby(["element", "outlet"], sort=False).agg(text=("text", "first"), sentences=("text", "size"),
                                                            copy=("copy", "all")).reset_index()
    full = pd.MultiIndex.from_product([table["element"], list(cmp.outlets)], names=["element", "outlet"])
    long = first.set_index(["element", "outlet"]).reindex(full).reset_index()
    long["carried"] = np.where(long["text"].isna(), "no", np.where(long["copy"].fillna(False).astype(bool), "copy",
                                                                     "own sentence"))
    long["sentences"] = long["sentences"].fillna(0).astype(int)
    long["text"] = long["text"].fillna("")
    labels = table.set_index("element")["label"]
    long["row"] = [f"{e}. {_cut(labels[e], width)}" for e in long["element"]]
    return long[["element", "row", "outlet", "carried", "sentences", "text"]]


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def wide(cmp: Comparison, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The elements with one column per outlet holding its sentence, as the CSV download gives them.

    Parameters
    ----------
    cmp : Comparison
        A comparison (``compare``).
    table : pandas.DataFrame, optional
        The elements to give (a ``view``); default all of ``cmp.elements``.

    Returns
    -------
    pandas.DataFrame
        element, label, outlets, independent, then one column per outlet: its most central sentence of the
        element, "[copy] ..." for a copy's, empty where it leaves the element out.
    """
    table = cmp.elements if table is None else table
    long = grid(cmp, table)
    long["cell"] = np.where(long["carried"] == "copy", "[copy] " + long["text"], long["text"])
    cells = long.pivot(index="element", columns="outlet", values="cell").reindex(columns=list(cmp.outlets))
    out = table[["element", "label", "outlets", "independent"]].set_index("element").join(cells)
    return out.reset_index().rename_axis(columns=None)


def compare(articles: pd.DataFrame, sentences: pd.DataFrame, mentions: pd.DataFrame, outlets: list[str],
            copies: pd.Series | None = None, credits: pd.DataFrame | None = None,
            distinctive: pd.DataFrame | None = None, alpha: float = elements.ALPHA,
            random_state: int = 0) -> Comparison:
    """Compare how the ``outlets`` cover one story, side by side.

    Puts together a column per outlet (``outlet_columns``), the story elements and who carries them
    (``elements.align``: sentence alignment), each outlet's omissions, naming choices (``naming``), quotes and
    their speakers (``quotes``) and tone (``tone``: VADER, Hutto and Gilbert 2014). Copies (``reuse.copies``)
    count once.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles: id, outlet, title, published, dateline, byline, words; articles of other outlets are left
        out.
    sentences : pandas.DataFrame
        Their sentence table (``store.sentences``: article_id, sentence, paragraph, outlet, text).
    mentions : pandas.DataFrame
        Their entity mentions (``entities.mentions``).
    outlets : list of str
        The outlets compared, in display order.
    copies : pandas.Series, optional
        Copy id -> original id (``reuse.copies``).
    credits : pandas.DataFrame, optional
        Their credited sources (``sources.cited``).
    distinctive : pandas.DataFrame, optional
        Distinctive terms of the compared outlets (``keywords.distinctive``).
    alpha : float
        The alignment threshold's chance level (``elements.align``).
    random_state : int
        Seed of the alignment threshold's shuffles.

    Returns
    -------
    Comparison
        Every table of the comparison.
    """
    outlets = list(outlets)
    articles = articles[articles["outlet"].isin(outlets)]
    ids = articles["id"]
    s = sentences[sentences["article_id"].isin(ids)].reset_index(drop=True)
    men = mentions[mentions["article_id"].isin(ids)]
    found = elements.align(s, men, copies, alpha=alpha, random_state=random_state)
    members = found.members.copy()
    members["copy"] = _copies(members)
    members[["tone", "quoted_tone"]] = tone.scored(members["text"])
    q = speakers.resolve(quotes.find(s), men, s)
    ledger = speakers.ledger(q, s)
    tones = tone.by_group(members, "outlet")
    credits = credits if credits is not None else pd.DataFrame(columns=["outlet", "source", "article_id"])
    credits = credits[credits["article_id"].isin(ids)]
    distinctive = distinctive if distinctive is not None else pd.DataFrame(columns=["outlet", "term"])
    shared = found.table.loc[found.table["outlets"] > 1, ["element", "label"]]
    per_element = members[members["element"].isin(shared["element"])].groupby(["element", "outlet"], as_index=False)
    tone_elements = shared.merge(per_element.agg(tone=("tone", "mean"), sentences=("tone", "size")), on="element")
    return Comparison(
        outlets=tuple(outlets),
        columns=outlet_columns(articles, outlets, credits, tones, distinctive, ledger),
        elements=found.table, members=members, threshold=found.threshold,
        omissions=omissions(found.table, members, outlets),
        variants=naming.variants(men, s), substitutions=naming.substitutions(members),
        quotes=q, quote_ledger=ledger, tone_outlets=tones, tone_elements=tone_elements.round({"tone": 3}),
        loaded=tone.loaded(members))


def tables(cmp: Comparison) -> dict[str, pd.DataFrame]:
    """The comparison's tables by name, as the CSV downloads and the report give them.

    Parameters
    ----------
    cmp : Comparison
        A comparison (``compare``).

    Returns
    -------
    dict of str to pandas.DataFrame
        outlets, elements (``wide``), omissions, names, words, quotes, quote-ledger, tone-outlets, tone-elements,
        loaded.
    """
    return {"outlets": cmp.columns, "elements": wide(cmp), "omissions": cmp.omissions, "names": cmp.variants,
            "words": cmp.substitutions, "quotes": cmp.quotes.drop(columns=["chars"]), "quote-ledger": cmp.quote_ledger,
            "tone-outlets": cmp.tone_outlets, "tone-elements": cmp.tone_elements, "loaded": cmp.loaded}
