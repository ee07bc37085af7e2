"""Every persona logs in through the real pages and opens every area its navigation bar offers."""

from __future__ import annotations

import pytest

from rencai.core.roles import STAFF
from tests.browser.conftest import Web, give_authenticator, give_password, log_in

pytestmark = pytest.mark.browser

# Per persona: areas its bar must offer, areas it must not, and addresses it is refused when typing them.
# DOMAIN.md: enterprise users see their own enterprise only, talents their own records, liaisons their
# institution's people; only the office admin reads the audit log.
AREAS: dict[str, tuple[set[str], set[str], list[str]]] = {
    "office_admin": ({"首页", "人才库", "企业库", "派出单位", "分层规则", "审计日志"}, set(), []),
    "reviewer": ({"首页", "人才库", "企业库", "派出单位", "分层规则"}, {"审计日志"}, ["/audit/"]),
    "finance": ({"首页", "人才库", "企业库", "派出单位"}, {"分层规则", "审计日志"}, ["/audit/", "/talents/tiers/"]),
    "enterprise": ({"首页", "企业库"}, {"人才库", "派出单位", "分层规则", "审计日志", "我的档案"},
                   ["/talents/", "/audit/"]),
    "talent": ({"首页", "我的档案"}, {"人才库", "企业库", "派出单位", "分层规则", "审计日志"},
               ["/talents/", "/orgs/enterprises/", "/audit/"]),
    "liaison": ({"首页", "人才库", "派出单位"}, {"企业库", "分层规则", "审计日志", "我的档案"},
                ["/orgs/enterprises/", "/audit/"]),
}


def nav_links(web: Web) -> list[tuple[str, str]]:
    nav = web.page.get_by_role("navigation", name="功能区")
    return [(link.inner_text().strip(), link.get_attribute("href") or "") for link in nav.get_by_role("link").all()]


@pytest.mark.parametrize("persona", sorted(AREAS))
def test_each_role_opens_every_area_its_bar_offers_and_is_refused_the_rest(web: Web, world, persona: str):
    from playwright.sync_api import expect

    page = web.page
    user = world.personas()[persona]
    must_show, must_hide, refused = AREAS[persona]
    give_password(user)
    log_in(page, user, give_authenticator(user) if user.role in STAFF else None)

    links = nav_links(web)
    shown = {label for label, _ in links}
    assert must_show <= shown, f"{persona} misses {must_show - shown}"
    assert not (must_hide & shown), f"{persona} is offered {must_hide & shown}"

    nav = page.get_by_role("navigation", name="功能区")
    for label, href in links:
        with page.expect_navigation() as navigation:
            nav.get_by_role("link", name=label, exact=True).click()
        response = navigation.value
        assert response is not None and response.status == 200, f"{persona} → {label} ({href}): {response.status}"
        expect(page.get_by_role("heading", name="无权访问")).to_have_count(0)
        expect(page.locator("main h1").first).to_be_visible()

    for address in refused:
        response = page.goto(address)
        assert response is not None and response.status == 403, f"{persona} typed {address}: {response.status}"
        expect(page.get_by_role("heading", name="无权访问")).to_be_visible()

    assert web.problems() == []
