"""Resolving what clerks write in a 所属行业 cell to a GB/T 4754 door ("C") or major group ("26")."""

from __future__ import annotations

import re

from rencai.core.catalogs import industry_by_code, industry_doors, industry_groups, industry_label
from rencai.core.textnorm import fold_width

_CODE = re.compile(r"^([A-Ta-t])?\s*(\d{2})?")

__all__ = ["find_industry_code", "industry_label"]


def find_industry_code(text: str) -> str | None:
    """'C26', '26', 'C', '化学原料和化学制品制造业' or 'C26 化学原料…' → the code; None when unknown."""
    value = fold_width(text).strip().replace(" ", "")
    if not value:
        return None
    match = _CODE.match(value)
    if match and (match.group(1) or match.group(2)):
        code = match.group(2) or match.group(1).upper()
        if industry_by_code(code):
            return code
    for industry in [*industry_groups(), *industry_doors()]:
        if industry.name == value or (len(value) >= 2 and industry.name.startswith(value)):
            return industry.code
    return None
