"""Small things a person saw on the walk through the site (issue 10, item 7), checked in a real browser."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.browser.conftest import Web, give_authenticator, give_password, log_in

pytestmark = pytest.mark.browser


def _log_in_admin(web: Web, world) -> None:
    give_password(world.admin)
    log_in(web.page, world.admin, give_authenticator(world.admin))


def test_postdoc_donuts_say_no_data_when_nobody_has_left_yet(web: Web, world):
    """All-zero completion and retention used to draw a 50/50 donut, as if half had finished on time."""
    from playwright.sync_api import expect

    _log_in_admin(web, world)
    page = web.page
    page.goto("/postdoc/stats/")
    for series in ("completion", "retention"):
        chart = page.locator(f'.chart[data-series="{series}"]')
        expect(chart).to_have_attribute("data-rendered", "1")
        expect(chart).to_contain_text("暂无数据")
        names = {"completion": ("按期出站", "逾期出站"), "retention": ("留区工作", "离开本区")}[series]
        for name in names:  # the legend and labels of a drawn donut
            expect(chart).not_to_contain_text(name)
    assert web.problems() == []


def test_filter_address_holds_each_choice_once_however_often_it_changes(web: Web, world):
    """Each change used to append the whole form again: ?tier=A&tier=A&type=…&tier=A…"""
    _log_in_admin(web, world)
    page = web.page
    page.goto("/talents/")
    filters = page.locator("form.filters")
    selects = filters.locator("select")
    for round_ in range(2):
        for i in range(selects.count()):
            select = selects.nth(i)
            options = select.locator("option")
            if options.count() < 2:
                continue
            value = options.nth(1 + round_ % max(1, options.count() - 1)).get_attribute("value")
            with page.expect_response(lambda r: "/talents/" in r.url):
                select.select_option(value)
            page.wait_for_function("v => decodeURIComponent(location.search.replace(/[+]/g, ' ')).includes(v)",
                                   arg=value)
            keys = [k for k, _ in parse_qsl(urlsplit(page.url).query, keep_blank_values=True)]
            repeated = sorted({k for k in keys if keys.count(k) > 1})
            assert not repeated, f"the address repeats {repeated}: {page.url}"
    assert web.problems() == []
