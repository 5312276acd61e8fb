"""Bytes of unknown encoding to text, for the readers in ``lib.ingest``.

Byte-order marks first (UTF-8, UTF-16), then UTF-16 without a BOM (NUL bytes on one side of the
byte pairs), strict UTF-8, and last charset-normalizer's guess (https://charset-normalizer.readthedocs.io).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import charset_normalizer


class BadInput(ValueError):
    """Raised by a reader for an input that cannot load; the message is the reason."""


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding; raise ``BadInput`` for empty, binary or undecodable data.

    Order: BOMs (UTF-8, UTF-16), UTF-16 without BOM (NUL bytes on one side of the byte pairs only,
    and the decoded text free of control characters), strict UTF-8, then charset-normalizer's best
    guess (Windows-1252, Windows-1256, Latin-1, ...); when several encodings score the same, the most
    widely used one wins.
    """
    if not data[:65536].strip() and not data.strip():
        raise BadInput("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    head = data[:4096]
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
            if zeros and other <= zeros // 10:
                text = data.decode(codec, errors="replace")
                if not _looks_binary(text):
                    return text
        raise BadInput("binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise BadInput("binary file or unknown encoding")
    ties = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    best = min(ties, key=lambda m: _COMMON.index(m.encoding) if m.encoding in _COMMON else len(_COMMON))
    text = str(best)
    if _looks_binary(text):
        raise BadInput("binary file, not text")
    return text


_COMMON = ("cp1252", "latin_1", "cp1251", "cp1256", "cp1250", "iso8859_15")  # by use on the web


def _looks_binary(text: str) -> bool:
    """More than 1% control characters, replacement characters or unpaired surrogates."""
    sample = text[:4096]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or c == "\ufffd"
              or "\ud800" <= c <= "\udfff")
    return bad > 0.01 * len(sample)


def jsonl_lines(data: bytes) -> Iterator[str]:
    """Decoded lines of a JSON Lines file, one at a time, so a large file is never held twice.
    The encoding is judged on the first 64 KB (UTF-16 files are decoded whole)."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        yield from decode(data).splitlines()
        return
    encoding = "utf-8"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 64 KB boundary
            best = charset_normalizer.from_bytes(head).best()
            encoding = best.encoding if best else "latin-1"
    for line in io.BytesIO(data):
        yield line.decode(encoding, errors="replace").removeprefix("\ufeff")
