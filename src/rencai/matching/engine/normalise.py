"""Text normalisation before tokenising: one form for full-width, case and Traditional characters.

A profile written in Traditional characters (稀土永磁材料研究與應用) and a need in Simplified must meet on
the same tokens, as must ＭＥＳ and MES. Pure Python; no rencai imports (the engine stands alone).
"""

from __future__ import annotations

import re
from functools import cache

import opencc

__all__ = ["normalise", "normalise_width", "simplified"]

# U+FF01..U+FF5E are full-width ASCII; U+3000 is the ideographic space.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
_SPACES = re.compile(r"\s+")
_HAS_WIDE = re.compile("[\uff01-\uff5e\u3000]")


@cache
def _t2s() -> opencc.OpenCC:
    # Loading the dictionaries costs milliseconds; once per process is enough.
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Half-width, lower-case, Simplified, single spaces. Empty for None-like input."""
    if not text:
        return ""
    if _HAS_WIDE.search(text):  # translate() looks up every character; most text has nothing to fold
        text = text.translate(_WIDTH)
    text = text.lower()
    if not text.isascii():
        text = _t2s().convert(text)
    return _SPACES.sub(" ", text).strip()


def normalise_width(text: str) -> str:
    """Only full-width to half-width, keeping case and script (for showing words as written)."""
    return text.translate(_WIDTH) if text and _HAS_WIDE.search(text) else text or ""


def simplified(text: str) -> str:
    """Only Traditional to Simplified, keeping case and width (for showing 研究員 as 研究员)."""
    return _t2s().convert(text) if text and not text.isascii() else text or ""
