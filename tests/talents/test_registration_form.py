"""The 人才登记表: printable per talent, masked by default, full values only for a role that may reveal, audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from rencai.core.models import AuditEvent
from rencai.talents.models import Education
from tests.conftest import verified_client
from tests.system import run_tool

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    return run_tool("pdftotext", "-layout", str(path), "-").replace(" ", "")


def test_page_shows_the_register_form_with_the_id_masked(world):
    t = world.talent
    Education.objects.create(talent=t, school="东北大学", major="材料学", degree="博士")
    page = verified_client(world.reviewer).get(f"/talents/{t.pk}/form/").content.decode()
    for label in ("人才登记表", "姓名", "性别", "出生年月", "民族", "政治面貌", "职称", "工作单位", "研究方向",
                  "教育经历", "工作经历", "主要成果", "人才层次"):
        assert label in page, label
    assert t.name in page and "东北大学" in page
    assert t.id_number not in page and t.phone not in page
    assert t.id_number[:6] in page  # the masked form, as elsewhere


def test_pdf_masks_by_default_and_a_reveal_with_a_reason_is_audited(world, tmp_path):
    t = world.talent
    client = verified_client(world.admin)
    masked = client.get(f"/talents/{t.pk}/form.pdf")
    assert masked.status_code == 200 and masked["Content-Type"] == "application/pdf"
    text = _pdf_text(masked.content, tmp_path)
    assert "人才登记表" in text and t.name in text
    assert t.id_number not in text and t.phone not in text
    assert not AuditEvent.objects.filter(action="reveal", object_id=str(t.pk)).exists()

    no_reason = _pdf_text(client.get(f"/talents/{t.pk}/form.pdf?reveal=1").content, tmp_path)
    assert t.id_number not in no_reason

    full = _pdf_text(client.get(f"/talents/{t.pk}/form.pdf?reveal=1&reveal_reason=核对人才认定材料").content,
                     tmp_path)
    assert t.id_number in full and t.phone in full
    reveals = AuditEvent.objects.filter(action="reveal", object_id=str(t.pk), user=world.admin)
    assert {e.detail["field"] for e in reveals} == {"id_number", "phone"}
    assert all(e.detail["reason"] == "核对人才认定材料" for e in reveals)


def test_a_role_that_may_not_reveal_gets_the_masked_form_even_when_asking(world, tmp_path):
    t = world.talent
    response = verified_client(world.reviewer).get(f"/talents/{t.pk}/form.pdf?reveal=1&reveal_reason=想看看")
    text = _pdf_text(response.content, tmp_path)
    assert t.id_number not in text
    assert not AuditEvent.objects.filter(action="reveal", object_id=str(t.pk)).exists()


def test_talent_sees_their_own_form_and_not_another(world):
    client = verified_client(world.talent_user)
    assert client.get(f"/talents/{world.talent.pk}/form/").status_code == 200
    assert client.get(f"/talents/{world.talent_b.pk}/form/").status_code == 404


def test_staff_of_another_zone_and_an_enterprise_cannot_open_it(world):
    assert verified_client(world.enterprise_user).get(f"/talents/{world.talent.pk}/form/").status_code in (403, 404)
    other = world.talent_b if world.talent_b.zone_id != world.admin.zone_id else None
    if other is not None:
        assert verified_client(world.admin).get(f"/talents/{other.pk}/form/").status_code == 404


def test_detail_page_links_the_form(world):
    page = verified_client(world.admin).get(f"/talents/{world.talent.pk}/").content.decode()
    assert f"/talents/{world.talent.pk}/form/" in page
