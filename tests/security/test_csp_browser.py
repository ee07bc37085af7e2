"""In a real browser the Content-Security-Policy refuses nothing the pages need, and the former inline
handlers still work (the language menu submits itself, charts draw)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import chromium, give_authenticator, give_password, log_in, web  # noqa: F401

pytestmark = pytest.mark.browser

WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sourceFile}:${e.lineNumber}`));
"""


def _violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate("window.__csp || []")


def test_pages_run_under_the_policy_without_a_single_violation(web, world):  # noqa: F811
    from playwright.sync_api import expect

    page = web.page
    page.context.add_init_script(WATCH)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    user = world.admin
    give_password(user)
    log_in(page, user, give_authenticator(user))
    for address in ("/", "/talents/", "/needs/stats/", "/postdoc/", "/postdoc/stats/", "/matching/thesaurus/",
                    "/account/token/", "/audit/"):
        response = page.goto(address)
        assert response is not None and response.status == 200, address
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
        page.wait_for_load_state("load")
        assert _violations(page) == [], (address, _violations(page))
    chart = page.goto("/needs/stats/")
    assert chart is not None
    expect(page.locator("svg").first).to_be_attached()
    # the language menu had onchange="this.form.submit()"; now site.js does it
    page.goto("/talents/")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert refused == [] and web.problems() == []
