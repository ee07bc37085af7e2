"""Text normalisation for data as it really arrives: stray spaces, full-width characters, Traditional names.

Pure Python, no Django: the command line's file mode uses it without a database.
"""

from __future__ import annotations

import re
from functools import cache

import opencc

__all__ = ["clean_cell", "fold_width", "name_key", "split_terms", "strip_zero_width", "to_simplified"]

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20

# Zero-width characters Excel and web forms leave behind; str.isspace() does not cover them.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_HSPACE_RUN = re.compile(r"[^\S\n]+")
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\x1c-\x1e\x85\u2028\u2029]")
_BLANK_LINES = re.compile(r" ?\n[\s\n]*")

_NAME_DROP = re.compile(rf"[\s·•・･‧⋅{_ZERO_WIDTH}]+")
_TERM_SPLIT = re.compile(r"[；;、,，/／\r\n]+")


def fold_width(text: str) -> str:
    """Full-width ASCII and the ideographic space to their half-width forms (for codes, numbers, dates)."""
    return text.translate(_WIDTH_TABLE)


def clean_cell(value: object) -> object:
    """Trim a string cell and collapse runs of spaces; an empty string becomes None; other types unchanged.

    Line breaks inside a cell (Alt+Enter in Excel) are kept, one per line, because clerks use them to list
    several research directions in one cell and split_terms() needs them; all other whitespace runs
    (tabs, U+3000, non-breaking spaces, zero-width characters) become one ordinary space.
    """
    if value.__class__ is not str:
        return value
    text: str = value  # type: ignore[assignment]
    # Fast path for the common cell: only printable characters and single ASCII spaces.
    if text.isprintable() and "  " not in text:
        text = text.strip(" ")
        return text or None
    text = _ZERO_WIDTH_RE.sub("", text)  # invisible, so removed rather than turned into a space
    text = _LINE_BREAKS.sub("\n", text)
    text = _HSPACE_RUN.sub(" ", text)
    text = _BLANK_LINES.sub("\n", text).strip(" \n")
    return text or None


@cache
def _t2s() -> opencc.OpenCC:
    # Building the converter loads its dictionaries; do it once per process.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese to Simplified (opencc t2s); other characters pass through."""
    if text.isascii():
        return text
    return _t2s().convert(text)


def name_key(name: str) -> str:
    """Key for finding the same person twice: 張 偉 / 张伟 / ＺＨＡＮＧ·Wei all compare by this."""
    text = to_simplified(fold_width(name))
    return _NAME_DROP.sub("", text).lower()


def split_terms(text: str) -> list[str]:
    """Split free text such as 研究方向 on ；;、,，/ and line breaks.

    Terms are trimmed, empty ones dropped, order kept, a repeated term kept only the first time.
    """
    seen: dict[str, None] = {}
    for part in _TERM_SPLIT.split(text):
        term = part.strip().strip(_ZERO_WIDTH).strip()
        if term:
            seen.setdefault(term, None)
    return list(seen)


def strip_zero_width(text: str) -> str:
    """Remove zero-width characters (used where a value is compared, e.g. codes)."""
    return _ZERO_WIDTH_RE.sub("", text)
