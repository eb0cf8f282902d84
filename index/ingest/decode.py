"""Turn uploaded bytes into text without altering it beyond newline normalisation.

Stored text is sliced by character offsets for every quote, so decoding must be
faithful: no Unicode normalisation, no whitespace changes, only ``\\r\\n``/``\\r`` -> ``\\n``.
"""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from index.errors import UserError

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Tab, LF, VT, FF, CR are ordinary in text; other C0 controls and DEL are not.
_TEXT_CONTROLS = frozenset("\t\n\x0b\x0c\r")
_MAX_CONTROL_SHARE = 0.05
_SNIFF_CHARS = 8192


def _bom(data: bytes) -> tuple[str, int] | None:
    """The encoding a leading byte-order mark announces, and the mark's length."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return encoding, len(mark)
    return None


def _control_share(chars: str) -> float:
    if not chars:
        return 0.0
    controls = sum(1 for c in chars if (c < " " and c not in _TEXT_CONTROLS) or c == "\x7f")
    return controls / len(chars)


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes (outside BOM-marked UTF-16/32) or many controls."""
    bom = _bom(data)
    if bom is not None:
        encoding, skip = bom
        sample = data[skip : skip + _SNIFF_CHARS * 4].decode(encoding, errors="replace")
        return "\x00" in sample or _control_share(sample[:_SNIFF_CHARS]) > _MAX_CONTROL_SHARE
    if b"\x00" in data:
        return True
    # latin-1 maps each byte to one character, so this counts control bytes.
    return _control_share(data[:_SNIFF_CHARS].decode("latin-1")) > _MAX_CONTROL_SHARE


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_decode(data: bytes) -> str:
    """Decode data that is not UTF-8: charset_normalizer, biased to cp1252 on a tie.

    charset_normalizer often ranks cp1250 first for English cp1252 text (curly quotes
    then come out right but "£" and accents turn into Polish letters); when cp1252 is
    among the equally good candidates, the common Western code page is the better bet.
    """
    matches = list(from_bytes(data))
    if matches:
        best = matches[0]
        tied = [m for m in matches if m.chaos <= best.chaos + 0.01]
        if any("cp1252" in m.could_be_from_charset for m in tied):
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        return str(best)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def decode_bytes(data: bytes, name: str = "the input") -> str:
    """Decode a text file's bytes; ``name`` (the file name) is used in error messages."""
    if looks_binary(data):
        raise UserError(f"{name} looks like a binary file, not text; upload .txt, .md, .html, .pdf, .docx or .jsonl")
    bom = _bom(data)
    if bom is not None:
        encoding, skip = bom
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError:
            raise UserError(f"{name} starts with a {encoding} byte-order mark but is not valid {encoding}") from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _guess_decode(data)
    if not text.strip():
        raise UserError(f"{name} is empty")
    return normalize_newlines(text)
