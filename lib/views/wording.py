"""Words for what the pages and the command line print: a count with its noun, what an ingest did."""

from __future__ import annotations


def number(n: int, one: str, more: str) -> str:
    """``n`` with its noun, singular for one: "1 story", "2,000 stories"."""
    return f"{n:,} {one if n == 1 else more}"


def ingest_outcome(added: int, duplicates: int, failed: int, revision: str = "") -> str:
    """What an ingest did, as the command line and the upload page say it: "1 article added (revision 3); 2
    duplicates; 0 failed" (``revision``, in brackets after the articles, when given)."""
    stored = f" ({revision})" if revision else ""
    return (f"{number(added, 'article', 'articles')} added{stored}; {number(duplicates, 'duplicate', 'duplicates')}; "
            f"{failed:,} failed")
