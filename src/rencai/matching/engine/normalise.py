"""Text normalisation before tokenising: one form for full-width, case and Traditional characters.

A profile written in Traditional characters (稀土永磁材料研究與應用) and a need in Simplified must meet on
the same tokens, as must ＭＥＳ and MES. Pure Python; no rencai imports (the engine stands alone).
"""

from __future__ import annotations

import re
from functools import cache

import opencc

__all__ = ["normalise", "normalise_width"]

# U+FF01..U+FF5E are full-width ASCII; U+3000 is the ideographic space.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
_SPACES = re.compile(r"\s+")


@cache
def _t2s() -> opencc.OpenCC:
    # Loading the dictionaries costs milliseconds; once per process is enough.
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Half-width, lower-case, Simplified, single spaces. Empty for None-like input."""
    if not text:
        return ""
    text = text.translate(_WIDTH).lower()
    if not text.isascii():
        text = _t2s().convert(text)
    return _SPACES.sub(" ", text).strip()


def normalise_width(text: str) -> str:
    """Only full-width to half-width, keeping case and script (for showing words as written)."""
    return text.translate(_WIDTH) if text else ""
