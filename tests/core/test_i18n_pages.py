"""In English, list pages show their filters, sort orders and statuses in English (found on the walk: every filter
label and status was Chinese, because they were plain strings read once at import)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import verified_client
from tests.factories import EnterpriseFactory, NeedFactory

CJK = re.compile(r"[\u4e00-\u9fff]")


def _english(client):
    client.post("/language/", {"language": "en", "next": "/"})
    return client


def _interface_text(html: str, data: set[str]) -> list[str]:
    """Text of labels, options and headings that still holds Chinese, leaving out the records' own values."""
    chunks = re.findall(r"<(?:label|option|th|h1|h2|button)[^>]*>([^<]+)", html)
    return [c.strip() for c in chunks if CJK.search(c) and c.strip() not in data]


@pytest.mark.parametrize("url", ["/talents/", "/needs/", "/engagements/", "/postdoc/", "/postdoc/postdocs/",
                                 "/orgs/enterprises/", "/audit/"])
def test_list_filters_and_statuses_are_english(world, url):
    NeedFactory(enterprise=EnterpriseFactory(zone=world.zone_a))
    html = _english(verified_client(world.admin)).get(url).content.decode()
    # Zone names, education levels and language names are data or the language menu itself, not interface text.
    data = {world.zone_a.name, world.zone_b.name, "简体中文", "博士研究生", "硕士研究生", "大学本科", "大学专科",
            "中专", "高中及以下"}
    assert _interface_text(html, data) == []


def test_a_status_label_follows_the_language_of_each_request(world):
    client = verified_client(world.admin)
    NeedFactory(enterprise=EnterpriseFactory(zone=world.zone_a))
    assert ">待审核<" in client.get("/needs/").content.decode()
    assert ">To review<" in _english(client).get("/needs/").content.decode()
