"""The interface is Chinese; a visitor can switch it to English and back, and the English catalog is complete."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import translation

from rencai.core.models import AuditEvent
from rencai.core.spreadsheet import SheetRow
from rencai.orgs.importers import EnterpriseImporter
from rencai.orgs.models import Enterprise, InnovationIndicator
from rencai.talents.models import Talent
from tests.conftest import verified_client

LOCALE = Path(__file__).resolve().parents[2] / "src" / "rencai" / "locale" / "en" / "LC_MESSAGES"


def _switch(client: Client, language: str, back_to: str) -> str:
    response = client.post(reverse("core:language"), {"language": language, "next": back_to}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _po_entries() -> list[tuple[str, str, list[str]]]:
    """(msgid, msgstr, flags) of every entry but the header; the catalog is written without line wrapping."""
    entries, flags, msgid = [], [], None
    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",")]
        elif line.startswith("msgid "):
            msgid = ast.literal_eval(line[6:])
        elif line.startswith("msgstr ") and msgid is not None:
            if msgid:
                entries.append((msgid, ast.literal_eval(line[7:]), flags))
            flags, msgid = [], None
        elif line.startswith('"') and msgid:
            raise AssertionError(f"wrapped entry near {msgid!r}: regenerate with makemessages --no-wrap")
    return entries


def test_pages_are_in_chinese_until_someone_switches(world):
    page = verified_client(world.admin).get("/talents/").content.decode()
    assert 'lang="zh-hans"' in page
    assert ">人才库</a>" in page
    assert "人才办管理员" in page
    assert "Talent register" not in page


def test_visitor_switches_to_english_and_sees_english_navigation_and_role(world):
    client = verified_client(world.admin)
    page = _switch(client, "en", "/talents/")
    assert 'lang="en"' in page
    assert ">Talent register</a>" in page
    assert ">Enterprise register</a>" in page
    assert ">Sending institutions</a>" in page
    assert "Talent office admin" in page
    assert ">人才库</a>" not in page
    assert "人才办管理员" not in page
    # the choice stays for the next page
    assert "Talent office admin" in client.get("/").content.decode()


def test_visitor_switches_back_to_chinese(world):
    client = verified_client(world.reviewer)
    _switch(client, "en", "/talents/")
    page = _switch(client, "zh-hans", "/talents/")
    assert ">人才库</a>" in page
    assert "审核员" in page
    assert "Talent register" not in page
    assert "Reviewer" not in page


def test_english_pages_translate_tiers_and_three_zeros(world):
    world.talent.tier = "B"
    world.talent.save()
    InnovationIndicator.objects.create(enterprise=world.enterprise, year=2024, rd_spending=0,
                                       has_rd_institution=True, invention_patents=0)
    client = verified_client(world.admin)
    _switch(client, "en", "/")
    talent_page = client.get(reverse("talents:detail", args=[world.talent.pk])).content.decode()
    assert "Tier B: national leading talent" in talent_page
    enterprise_page = client.get(reverse("orgs:enterprise_detail", args=[world.enterprise.pk])).content.decode()
    assert "Missing: R&amp;D spending, invention patents" in enterprise_page
    _switch(client, "zh-hans", "/")
    enterprise_page = client.get(reverse("orgs:enterprise_detail", args=[world.enterprise.pk])).content.decode()
    assert "缺研发投入、发明专利" in enterprise_page


def test_chinese_spreadsheet_qualifications_are_read_while_the_page_is_english(db):
    values = {"企业名称": "包头测试科技有限公司", "企业资质": "高新技术企业、专精特新"}
    row = SheetRow(number=3, values=values, extra={})
    with translation.override("en"):
        parsed = EnterpriseImporter().parse(row)
    assert parsed.problems == []
    assert parsed.data["qualifications"] == ["high_tech", "specialized"]


def test_adding_education_in_english_is_written_to_the_audit_log(world):
    client = verified_client(world.admin)
    _switch(client, "en", "/")
    url = reverse("talents:add_part", args=[world.talent.pk, "education"])
    client.post(url, {"school": "内蒙古科技大学", "major": "材料科学", "degree": "硕士"})
    assert Talent.objects.get(pk=world.talent.pk).educations.filter(school="内蒙古科技大学").exists()
    assert AuditEvent.objects.filter(action="update", detail__added="Education").exists()


def test_english_catalog_is_complete_and_not_fuzzy():
    entries = _po_entries()
    assert len(entries) > 300
    assert [msgid for msgid, msgstr, _ in entries if not msgstr] == []
    assert [msgid for msgid, _, flags in entries if "fuzzy" in flags] == []
    assert ("人才库", "Talent register", []) in entries


def test_compiled_catalog_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [msgid for msgid, msgstr, _ in _po_entries() if compiled.gettext(msgid) != msgstr]
    assert stale == [], "run `rencai compilemessages -l en` and commit django.mo"


def test_enterprise_qualification_labels_are_plain_text_in_english(world):
    enterprise = Enterprise.objects.get(pk=world.enterprise.pk)
    enterprise.qualifications = ["high_tech"]
    with translation.override("en"):
        assert "、".join(enterprise.qualification_labels) == "High-tech enterprise"


def test_every_main_page_opens_in_english(world):
    client = verified_client(world.admin)
    _switch(client, "en", "/")
    pages = ["/", "/talents/", "/orgs/enterprises/", "/orgs/institutions/", "/talents/tiers/", "/audit/",
             "/talents/new/", "/orgs/enterprises/new/", "/import/talents/", "/account/token/",
             f"/talents/{world.talent.pk}/", f"/orgs/enterprises/{world.enterprise.pk}/",
             f"/orgs/institutions/{world.institution.pk}/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'lang="en"' in response.content.decode(), path


def test_needs_list_and_postdoc_stations_have_english_headings(world):
    client = verified_client(world.admin)
    _switch(client, "en", "/")
    needs_page = client.get(reverse("needs:list")).content.decode()
    assert "<h1>Enterprise needs</h1>" in needs_page
    assert "<h1>企业需求</h1>" not in needs_page
    stations_page = client.get(reverse("postdoc:stations")).content.decode()
    assert "<h1>Postdoctoral workstations and innovation practice bases</h1>" in stations_page
    assert "博士后工作站与创新实践基地" not in stations_page


def test_an_english_browser_still_gets_chinese_until_the_user_switches(world):
    from tests.conftest import verified_client

    page = verified_client(world.admin).get("/talents/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "人才库" in page
    assert "Talent register" not in page
