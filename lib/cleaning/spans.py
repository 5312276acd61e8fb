"""What cleaning removed, as spans of the raw text (``Span``), and the text rebuilt from them: ``apply`` gives the
cleaned text from the raw text's blocks and the spans still active, so a restored span comes back exactly where it
was; ``marked`` shows each removed span in place, for review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lib.cleaning.blocks import Block, blocks


@dataclass(frozen=True)
class Span:
    """A removed stretch of the raw text: ``raw[start:end]``, why it was removed, and if restored."""

    start: int
    end: int
    kind: str
    restored: bool = False


def apply(raw: str, spans: Iterable[Span], bs: list[Block] | None = None) -> str:
    """The cleaned text: the blocks of the raw text without their active spans, whitespace
    collapsed, separated by a blank line. ``bs`` saves recomputing ``blocks(raw)``."""
    active = sorted((s for s in spans if not s.restored), key=lambda s: s.start)
    out, i = [], 0
    for b in bs if bs is not None else blocks(raw):
        while i < len(active) and active[i].end <= b.start:
            i += 1
        inside = [s for s in active[i:] if s.start < b.end]
        if not inside:
            out.append(b.text)
        elif not any(s.start <= b.start and s.end >= b.end for s in inside):
            pieces, pos = [], b.start
            for s in inside:
                pieces.append(raw[pos : max(pos, s.start)])
                pos = max(pos, s.end)
            pieces.append(raw[pos : b.end])
            text = " ".join("".join(pieces).split())
            if text:
                out.append(text)
    return "\n\n".join(out)


def marked(raw: str, spans: Iterable[Span]) -> str:
    """The raw text with each removed span wrapped as ``⟦kind: …⟧`` (restored spans unmarked),
    for the analyst to review what cleaning took out. Plain text: show it as text, never as HTML."""
    pieces, pos = [], 0
    for span in sorted((s for s in spans if not s.restored), key=lambda s: s.start):
        if span.start >= pos:
            pieces += [raw[pos : span.start], f"⟦{span.kind}: ", raw[span.start : span.end], "⟧"]
            pos = span.end
    pieces.append(raw[pos:])
    return "".join(pieces)
