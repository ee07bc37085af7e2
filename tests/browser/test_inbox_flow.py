"""A talent sees 消息 (2) in the header, opens one notice and marks the rest read: the count falls, in Chromium."""

from __future__ import annotations

import pytest

from rencai.core.inbox import notify
from rencai.core.roles import Role
from tests.browser.conftest import Web, give_password, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_the_header_count_falls_as_the_talent_reads_their_notices(web: Web) -> None:
    from playwright.sync_api import expect

    talent = UserFactory(username="talent_inbox", display_name="王建国", role=Role.TALENT)
    other = UserFactory(username="talent_other", role=Role.TALENT)
    give_password(talent)
    notify(recipients=[talent], kind="postdoc.deadline", text="博士后王建国的开题截止日期为2027-06-01，还有30天",
           url="/inbox/")
    notify(recipients=[talent], kind="matching.pairing", text="人才办向您推荐了需求「晶界扩散工艺」")
    notify(recipients=[other], kind="matching.pairing", text="别人的消息")
    page = web.page
    log_in(page, talent)
    header = page.locator("header.top")
    expect(header.get_by_role("link", name="消息 (2)")).to_be_visible()
    header.get_by_role("link", name="消息 (2)").click()
    expect(page.get_by_role("heading", name="消息 未读 2 条")).to_be_visible()
    expect(page.get_by_text("别人的消息")).to_have_count(0)
    page.get_by_role("link", name="博士后王建国的开题截止日期为2027-06-01，还有30天").click()
    expect(header.get_by_role("link", name="消息 (1)")).to_be_visible()
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_text("已将 1 条消息标为已读")).to_be_visible()
    expect(header.get_by_role("link", name="消息 (0)")).to_be_visible()
    assert web.problems() == []
