"""Real-browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

A person logs in through the real log-in page and, for staff, types the code their authenticator app
shows; nothing is injected into the session behind the browser's back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.models import User
from rencai.core.roles import STAFF

# Playwright's sync API keeps an asyncio loop running in this thread, so Django's ORM called from the
# test itself (fixtures, assertions, the database flush afterwards) would raise SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# Playwright cannot download its own browser here; these flags keep Debian's quiet and headless-friendly.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
PASSWORD = "browser-test-pw-2026"
TIMEOUT_MS = 15_000
ASSET_TYPES = {"stylesheet", "script", "image", "font"}


@dataclass
class Web:
    """One browser tab on the live server, with what went wrong behind the scenes."""

    page: Any
    server_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    broken_assets: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.server_errors + self.script_errors + self.broken_assets


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Module-scoped so Playwright's running loop never outlives the browser tests into other modules."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium not found at /usr/bin/chromium: browser tests skipped (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture
def web(chromium: Any, live_server: Any, transactional_db: None) -> Iterator[Web]:
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                   viewport={"width": 1280, "height": 800}, accept_downloads=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    web = Web(page=page)

    def on_response(response: Any) -> None:
        if response.status >= 500:
            web.server_errors.append(f"{response.status} {response.request.method} {response.url}")
        elif response.status >= 400 and response.request.resource_type in ASSET_TYPES:
            web.broken_assets.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.on("pageerror", lambda error: web.script_errors.append(str(error)))
    try:
        yield web
    finally:
        context.close()


def give_password(user: User) -> None:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])


def give_authenticator(user: User) -> TOTPDevice:
    """The TOTP device a staff member enrolled on their phone."""
    return TOTPDevice.objects.create(user=user, name="手机身份验证器", confirmed=True)


def current_token(device: TOTPDevice) -> str:
    """What the phone shows right now: the same computation an authenticator app does."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:0{device.digits}d}"


def log_in(page: Any, user: User, device: TOTPDevice | None = None) -> None:
    """Through the real log-in page, then the second-factor page for staff; ends on the home page."""
    from playwright.sync_api import expect

    page.goto("/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    if user.role in STAFF:
        assert device is not None, "staff need an authenticator to log in"
        expect(page.get_by_role("heading", name="二次验证")).to_be_visible()
        page.get_by_label("6位动态验证码").fill(current_token(device))
        page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", name=f"您好，{user}")).to_be_visible()
    assert urlsplit(page.url).path == "/", page.url
