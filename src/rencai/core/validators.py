"""Checks for resident ID numbers (GB 11643-1999), unified social credit codes (GB 32100-2015) and mobiles.

Each `*_problem` function returns None when the value is fine, else one short reason in plain Chinese that
an import preview can show next to the row number. Pure Python, no Django.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from rencai.core.textnorm import fold_width, strip_zero_width

__all__ = [
    "credit_code_check_char",
    "credit_code_problem",
    "id_number_check_char",
    "id_number_problem",
    "is_valid_credit_code",
    "is_valid_id_number",
    "is_valid_mobile",
    "mobile_problem",
    "normalize_credit_code",
    "normalize_id_number",
    "normalize_mobile",
]

# China has one time zone and no daylight saving; "today" for a birth date is Beijing's today.
_CHINA_TZ = datetime.timezone(datetime.timedelta(hours=8))

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_CHARS = re.compile(r"\d{17}[\dX]")

_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {char: index for index, char in enumerate(_CREDIT_CHARSET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_SEPARATORS = re.compile(r"[\s\-‐‑–—()]+")

# How Excel shows a long number that it stored as a float: 1.50203E+17, or 150203198805121234.0.
# A sign or a point is required so that a credit code such as 9115020012345E6789 is not taken for one.
_NUMBER_AS_TEXT = re.compile(r"\d+\.\d*(?:E[+-]?\d+)?|\d+E[+-]\d+")
_WHITESPACE = re.compile(r"\s+")

_ID_AS_NUMBER = "身份证号被表格存成了数字，后几位已经丢失，请把该列设为文本格式后重新填写"
_LOOKALIKE_HINT = "（代码里不用字母 I、O、S、V、Z，请核对是否把数字 0、1 写成了字母）"
_CREDIT_AS_NUMBER = "统一社会信用代码被表格存成了数字，后几位已经丢失，请把该列设为文本格式后重新填写"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _compact(value: str) -> str:
    """Width-folded, upper-case, with every space removed (clerks group digits: 150203 1988 0512 1234)."""
    return _WHITESPACE.sub("", strip_zero_width(fold_width(value))).upper()


def _bad_chars(text: str, allowed: str) -> str:
    """The distinct characters of text not in allowed, in order, for the error message."""
    return "".join(dict.fromkeys(char for char in text if char not in allowed))


# --- resident ID number (居民身份证号码) -------------------------------------------------------------


def normalize_id_number(value: str) -> str:
    """Fold full-width characters, drop spaces, upper-case the x check character."""
    return _compact(value)


def id_number_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _id_birth_problem(digits8: str) -> str | None:
    try:
        born = datetime.date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:]))
    except ValueError:
        return f"身份证号中的出生日期 {digits8} 不存在"
    if born.year < 1900:
        return f"身份证号中的出生日期 {digits8} 早于1900年，不可能"
    if born > datetime.datetime.now(_CHINA_TZ).date():
        return f"身份证号中的出生日期 {digits8} 晚于今天，不可能"
    return None


def id_number_problem(value: object) -> str | None:
    """None if value is a valid 18-character resident ID number, else why not, in plain Chinese."""
    if _is_number(value):
        return _ID_AS_NUMBER
    if not isinstance(value, str):
        return "身份证号格式不对，应为18位文字" if value is not None else "身份证号为空"
    text = normalize_id_number(value)
    if not text:
        return "身份证号为空"
    if _NUMBER_AS_TEXT.fullmatch(text):
        return _ID_AS_NUMBER
    if len(text) != 18:
        hint = "（这是15位旧号码，请换成18位新号码）" if len(text) == 15 and text.isdigit() else ""
        return f"身份证号应为18位，这里是{len(text)}位{hint}"
    if not _ID_CHARS.fullmatch(text):
        bad = _bad_chars(text[:17], "0123456789") + _bad_chars(text[17], "0123456789X")
        return f"身份证号含有不该出现的字符「{bad}」：前17位只能是数字，最后一位是数字或 X"
    birth = _id_birth_problem(text[6:14])
    if birth:
        return birth
    expected = id_number_check_char(text[:17])
    if text[17] != expected:
        if text.endswith("000"):
            # Excel keeps 15 significant digits; a number turned back into text ends in zeros.
            return _ID_AS_NUMBER
        return f"身份证号校验位不对（最后一位应为 {expected}）"
    return None


def is_valid_id_number(value: str) -> bool:
    return id_number_problem(value) is None


# --- unified social credit code (统一社会信用代码) ---------------------------------------------------


def normalize_credit_code(value: str) -> str:
    """Fold full-width characters, drop spaces, upper-case."""
    return _compact(value)


def credit_code_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters (upper case)."""
    if len(first17) != 17:
        raise ValueError(f"need 17 characters, got {first17!r}")
    try:
        values = [_CREDIT_VALUE[char] for char in first17]
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not used in credit codes") from None
    total = sum(value * weight for value, weight in zip(values, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(value: object) -> str | None:
    """None if value is a valid 18-character unified social credit code, else why not, in plain Chinese."""
    if _is_number(value):
        return _CREDIT_AS_NUMBER
    if not isinstance(value, str):
        return "统一社会信用代码格式不对，应为18位文字" if value is not None else "统一社会信用代码为空"
    text = normalize_credit_code(value)
    if not text:
        return "统一社会信用代码为空"
    if _NUMBER_AS_TEXT.fullmatch(text):
        return _CREDIT_AS_NUMBER
    if len(text) != 18:
        return f"统一社会信用代码应为18位，这里是{len(text)}位"
    bad = _bad_chars(text, _CREDIT_CHARSET)
    if bad:
        hint = _LOOKALIKE_HINT if set(bad) <= set("IOSVZ") else ""
        return f"统一社会信用代码含有不该出现的字符「{bad}」{hint}"
    expected = credit_code_check_char(text[:17])
    if text[17] != expected:
        return f"统一社会信用代码校验位不对（最后一位应为 {expected}）"
    return None


def is_valid_credit_code(value: str) -> bool:
    return credit_code_problem(value) is None


# --- mainland mobile number (手机号) -----------------------------------------------------------------


def normalize_mobile(value: object) -> str:
    """Digits only: spaces, hyphens and brackets dropped, a +86 / 0086 / 86 country prefix removed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a numeric cell: 13812345678.0
    text = _MOBILE_SEPARATORS.sub("", strip_zero_width(fold_width(str(value))))
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and len(text) == 11 + len(prefix):
            return text[len(prefix) :]
    return text


def mobile_problem(value: object) -> str | None:
    """None if value is a mainland mobile number (11 digits, 13x–19x), else why not, in plain Chinese."""
    if value is None or isinstance(value, bool):
        return "手机号为空" if value is None else "手机号格式不对"
    text = normalize_mobile(value)
    if not text:
        return "手机号为空"
    if not (text.isascii() and text.isdigit()):
        return f"手机号只能是数字，这里是「{value}」"
    if len(text) != 11:
        return f"手机号应为11位，这里是{len(text)}位"
    if not _MOBILE.fullmatch(text):
        return "手机号应以13至19开头"
    return None


def is_valid_mobile(value: object) -> bool:
    return mobile_problem(value) is None
