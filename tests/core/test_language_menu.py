"""The language menu names each language in its own language, so a reader of either can find theirs."""

from __future__ import annotations

from tests.conftest import verified_client


def test_language_menu_shows_simplified_chinese_and_english_in_their_own_names(world):
    page = verified_client(world.admin).get("/").content.decode()
    assert ">简体中文</option>" in page
    assert ">English</option>" in page
    assert "英语" not in page


def test_language_menu_is_the_same_in_the_english_interface(world):
    client = verified_client(world.admin)
    page = client.post("/language/", {"language": "en", "next": "/"}, follow=True).content.decode()
    assert ">简体中文</option>" in page and ">English</option>" in page
    assert "Simplified Chinese" not in page
