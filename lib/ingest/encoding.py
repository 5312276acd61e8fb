"""Bytes of unknown encoding to text, for the readers in ``lib.ingest``.

Byte-order marks first (UTF-32 before UTF-16, whose BOM starts the same way, then UTF-8), strict UTF-8,
UTF-16 without a BOM (the NUL pattern of its byte pairs), and last charset-normalizer's guess
(https://charset-normalizer.readthedocs.io). Stray control characters are removed from the text, and
counted so that the reader can say so.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator

import charset_normalizer


class BadInput(ValueError):
    """Raised by a reader for an input that cannot load; the message is the reason."""


BOMS = (  # UTF-32 LE first: its BOM begins with UTF-16 LE's
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # C0 controls but tab, newline, form feed, CR
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])  # the same, as UTF-8 bytes
STRAY_SHARE = 0.1  # valid UTF-8 with more control characters than this is not text with a few strays


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding, stray control characters removed; raise ``BadInput`` for
    empty, binary or undecodable data."""
    return decode_counted(data)[0]


def decode_counted(data: bytes) -> tuple[str, int]:
    """``decode`` and the number of control characters it removed (NUL and other C0 controls but tab,
    newline, carriage return and form feed)."""
    if not data[:65536].strip() and not data.strip():
        raise BadInput("empty file")
    return strip_controls(_decode(data))


def strip_controls(text: str) -> tuple[str, int]:
    """``text`` without C0 control characters (tab, newline, carriage return and form feed kept), and
    how many were removed; a NUL or an escape sequence is never article text."""
    data = text.encode("utf-8", "surrogatepass")  # a control's only byte; any other character's are 0x80 or more
    if len(data.translate(None, CONTROL_BYTES)) == len(data):
        return text, 0  # none, as the bytes tell faster than the pattern
    return CONTROLS.subn("", text)


def _decode(data: bytes) -> str:
    """Decoded text, control characters still in it.

    Order: BOMs; strict UTF-8 unless more than a tenth of it is control characters (then it is UTF-16
    of ASCII, or binary); UTF-16 without BOM when most byte pairs show its NUL pattern; then
    charset-normalizer's best guess (Windows-1252, Windows-1256, Latin-1, ...; when several score the
    same, the most widely used wins).
    """
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _text(data.decode(codec, errors="replace"), STRAY_SHARE)
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and _control_share(utf8[:4096]) <= STRAY_SHARE:
        return utf8
    head = data[:4096]
    codec = _utf16_codec(head) if b"\x00" in head else None
    if codec:
        return _text(data.decode(codec, errors="replace"), STRAY_SHARE)
    if utf8 is not None:
        raise BadInput("binary file, not text")
    text = _guess(data)  # held to a stricter standard than a BOM or UTF-16's pattern, stray NULs apart
    nuls = text[:4096].count("\x00") / max(len(text[:4096]), 1)
    if nuls > STRAY_SHARE or _looks_binary(text.replace("\x00", ""), 0.01):
        raise BadInput("binary file, not text")
    return text


def _text(text: str, controls: float) -> str:
    """``text``, unless it looks binary (more than ``controls`` of it control characters)."""
    if _looks_binary(text, controls):
        raise BadInput("binary file, not text")
    return text


def _utf16_codec(head: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when most byte pairs look like UTF-16 without a BOM, else None.

    In UTF-16 the high byte of nearly every pair is NUL (ASCII) or the block of the text's script
    (0x06 for Arabic, 0x04 for Cyrillic, 0x20 for punctuation), while the low byte is almost never NUL;
    a stray NUL in 8-bit text lands on a side at random and its neighbours' bytes vary.
    """
    pairs = len(head) // 2
    for codec, high, low in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        zeros = high[:pairs].count(0)
        if not zeros or low[:pairs].count(0) > zeros // 10:
            continue
        common = Counter(high[:pairs]).most_common(3)
        if sum(n for _, n in common) >= 0.9 * pairs:
            return codec
    return None


def _guess(data: bytes) -> str:
    """charset-normalizer's best guess; NUL bytes are left out of the guessing (they defeat it) and
    kept in the text, to be counted when they are removed."""
    matches = charset_normalizer.from_bytes(data.replace(b"\x00", b"") if b"\x00" in data else data)
    best = matches.best()
    if best is None:
        raise BadInput("binary file or unknown encoding")
    ties = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    best = min(ties, key=lambda m: _COMMON.index(m.encoding) if m.encoding in _COMMON else len(_COMMON))
    return data.decode(best.encoding, errors="replace") if b"\x00" in data else str(best)


_COMMON = ("cp1252", "latin_1", "cp1251", "cp1256", "cp1250", "iso8859_15")  # by use on the web


def _control_share(text: str) -> float:
    """The share of C0 control characters (tab, newline, CR and form feed apart) in ``text``."""
    return len(CONTROLS.findall(text)) / max(len(text), 1)


def _looks_binary(text: str, controls: float = 0.01) -> bool:
    """More than ``controls`` control characters, or more than 1% replacement characters and unpaired
    surrogates, in the first 4,096 characters."""
    sample = text[:4096]
    bad = sum(1 for c in sample if c == "\ufffd" or "\ud800" <= c <= "\udfff")
    return bad > 0.01 * len(sample) or _control_share(sample) > controls


def jsonl_lines(data: bytes) -> Iterator[str]:
    """Decoded lines of a JSON Lines file, one at a time, so a large file is never held twice; control
    characters are left for the reader to remove and count. The encoding is judged on the first 64 KB
    (files with a BOM or NUL bytes are decoded whole)."""
    head = data[:65536]
    if head.startswith(tuple(bom for bom, _ in BOMS)) or b"\x00" in head:
        yield from _decode(data).split("\n")  # not splitlines: U+2028 and \x1c are legal inside a JSON string
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
