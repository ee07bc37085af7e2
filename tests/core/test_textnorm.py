"""Stray spaces, full-width characters and Traditional names, as they arrive in cells."""

from __future__ import annotations

import datetime

import pytest

from rencai.core.textnorm import clean_cell, fold_width, name_key, split_terms, to_simplified


def test_full_width_letters_digits_and_punctuation_fold_to_half_width() -> None:
    assert fold_width("ＡＢＣ１２３（万元）／，") == "ABC123(万元)/,"
    assert fold_width("１９８８年５月") == "1988年5月"
    assert fold_width("a\u3000b") == "a b"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  张伟  ", "张伟"),
        ("\u3000张伟\u3000", "张伟"),
        ("\xa0张伟\t", "张伟"),
        ("张\u200b伟\ufeff", "张伟"),
        ("包头  稀土\u3000\u3000研究院", "包头 稀土 研究院"),
        ("稀土永磁 \r\n\r\n  储氢材料 ", "稀土永磁\n储氢材料"),
        ("", None),
        (" \u3000\xa0\u200b ", None),
    ],
)
def test_stray_spaces_are_trimmed(raw: str, cleaned: str | None) -> None:
    assert clean_cell(raw) == cleaned


@pytest.mark.parametrize("value", [None, 3, 1.5, datetime.date(1988, 5, 12)])
def test_non_text_cells_are_unchanged(value: object) -> None:
    assert clean_cell(value) == value


def test_traditional_name_gives_the_same_key_as_simplified() -> None:
    assert to_simplified("張偉") == "张伟"
    assert name_key("張偉") == name_key("张伟")
    assert name_key("張 偉") == name_key("张伟")


def test_name_key_ignores_middle_dots_spaces_width_and_case() -> None:
    assert (
        name_key("阿卜杜·热合曼") == name_key("阿卜杜•热合曼") == name_key("阿卜杜・热合曼") == "阿卜杜热合曼"
    )
    assert name_key("ＪＯＨＮ Smith") == name_key("john smith") == "johnsmith"


def test_split_terms_on_chinese_and_latin_separators() -> None:
    text = "稀土永磁；储氢材料、 新能源,稀土永磁\n氢能/电池，;"
    assert split_terms(text) == ["稀土永磁", "储氢材料", "新能源", "氢能", "电池"]
    assert split_terms("") == []
