"""ID numbers (GB 11643), credit codes (GB 32100) and mobiles, as clerks type them."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rencai.core.validators import (
    credit_code_check_char,
    credit_code_problem,
    id_number_check_char,
    id_number_problem,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_mobile,
    mobile_problem,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
)

DIGITS = "0123456789"
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
NUMERIC_ID = "身份证号被表格存成了数字，后几位已经丢失，请把该列设为文本格式后重新填写"


def make_id(region: str, born: datetime.date, sequence: str) -> str:
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    return first17 + id_number_check_char(first17)


def make_credit(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


valid_ids = st.builds(
    make_id,
    st.text(DIGITS, min_size=6, max_size=6),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date.today()),
    st.text(DIGITS, min_size=3, max_size=3),
)
valid_credit_codes = st.text(CREDIT_CHARSET, min_size=17, max_size=17).map(make_credit)


@st.composite
def id_with_one_change(draw: st.DrawFn) -> str:
    valid = draw(valid_ids)
    position = draw(st.integers(0, 17))
    allowed = DIGITS + "X" if position == 17 else DIGITS
    other = draw(st.sampled_from([c for c in allowed if c != valid[position]]))
    return valid[:position] + other + valid[position + 1 :]


@st.composite
def credit_with_one_change(draw: st.DrawFn) -> str:
    valid = draw(valid_credit_codes)
    position = draw(st.integers(0, 17))
    other = draw(st.sampled_from([c for c in CREDIT_CHARSET if c != valid[position]]))
    return valid[:position] + other + valid[position + 1 :]


# --- ID numbers ------------------------------------------------------------------------------------


@given(valid_ids)
def test_valid_id_numbers_pass(value: str) -> None:
    assert id_number_problem(value) is None
    assert is_valid_id_number(value)


@given(id_with_one_change())
def test_any_single_character_change_of_an_id_number_fails(value: str) -> None:
    assert not is_valid_id_number(value)
    assert id_number_problem(value)


@given(valid_ids)
def test_lower_case_x_and_full_width_digits_are_accepted(value: str) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in value.lower())
    assert is_valid_id_number(value.lower())
    assert is_valid_id_number(full_width)
    assert normalize_id_number(full_width) == value


def test_known_good_id_numbers() -> None:
    # Check characters computed by hand with the GB 11643 weights.
    assert id_number_check_char("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")
    assert id_number_check_char("15020319880512124") == "8"
    assert is_valid_id_number("150203 19880512 1248")


def test_id_stored_as_a_number_is_refused() -> None:
    assert id_number_problem(150203198805121248) == NUMERIC_ID
    assert id_number_problem(1.50203198805121e17) == NUMERIC_ID
    assert id_number_problem("1.50203E+17") == NUMERIC_ID
    assert id_number_problem("150203198805121248.0") == NUMERIC_ID
    # What is left when a number cell is turned back into text: the last digits became zeros.
    assert id_number_problem("150203198805121000") == NUMERIC_ID


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("15020319880512124", "身份证号应为18位，这里是17位"),
        ("150203880512124", "身份证号应为18位，这里是15位（这是15位旧号码，请换成18位新号码）"),
        ("150203198802311231", "身份证号中的出生日期 19880231 不存在"),
        ("150203189912311234", "身份证号中的出生日期 18991231 早于1900年，不可能"),
        ("15020319880512124Y", "身份证号含有不该出现的字符「Y」：前17位只能是数字，最后一位是数字或 X"),
        ("150203198805121240", "身份证号校验位不对（最后一位应为 8）"),
        (None, "身份证号为空"),
        ("  ", "身份证号为空"),
    ],
)
def test_id_number_reasons(value: object, reason: str) -> None:
    assert id_number_problem(value) == reason


def test_id_birth_date_in_the_future_is_refused() -> None:
    future = datetime.date.today() + datetime.timedelta(days=2)
    assert "晚于今天" in id_number_problem(make_id("150203", future, "123"))


def test_id_check_char_needs_17_digits() -> None:
    with pytest.raises(ValueError):
        id_number_check_char("1234")


# --- unified social credit codes -------------------------------------------------------------------


@given(valid_credit_codes)
def test_valid_credit_codes_pass(value: str) -> None:
    assert credit_code_problem(value) is None
    assert is_valid_credit_code(value.lower())


@given(credit_with_one_change())
def test_any_single_character_change_of_a_credit_code_fails(value: str) -> None:
    assert not is_valid_credit_code(value)


def test_known_good_credit_codes() -> None:
    # The worked example of GB 32100-2015: 91350100M000100Y4 → check character 3.
    assert credit_code_check_char("91350100M000100Y4") == "3"
    assert is_valid_credit_code("91350100M000100Y43")
    assert is_valid_credit_code("91350100m000100y43")
    assert normalize_credit_code(" ９１３５０１００Ｍ０００１００Ｙ４３ ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("91350100M000100Y4", "统一社会信用代码应为18位，这里是17位"),
        ("91350100MOOO100Y43", "统一社会信用代码含有不该出现的字符「O」"),
        ("91350100M000100Y40", "统一社会信用代码校验位不对（最后一位应为 3）"),
        (913501001000100143, "统一社会信用代码被表格存成了数字"),
        ("9.13501E+17", "统一社会信用代码被表格存成了数字"),
        (None, "统一社会信用代码为空"),
    ],
)
def test_credit_code_reasons(value: object, reason: str) -> None:
    problem = credit_code_problem(value)
    assert problem is not None
    assert problem.startswith(reason)


def test_credit_code_with_a_letter_e_is_not_mistaken_for_a_number() -> None:
    code = make_credit("9115020012345E678")
    assert is_valid_credit_code(code)


# --- mobiles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "8613812345678",
        "１３８１２３４５６７８",
        13812345678,
        13812345678.0,
    ],
)
def test_mobiles_as_clerks_type_them(value: object) -> None:
    assert mobile_problem(value) is None
    assert is_valid_mobile(value)
    assert normalize_mobile(value) == "13812345678"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1381234567", "手机号应为11位，这里是10位"),
        ("12812345678", "手机号应以13至19开头"),
        ("0471-1234567", "手机号应以13至19开头"),
        ("打电话", "手机号只能是数字，这里是「打电话」"),
        (None, "手机号为空"),
    ],
)
def test_mobile_reasons(value: object, reason: str) -> None:
    assert mobile_problem(value) == reason
