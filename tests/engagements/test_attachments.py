"""Uploaded files open from the pages that show them, for those who may see the row, and for nobody else.

Before, the links pointed at /media/..., which the site does not serve (uploads are never public): 404.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from rencai.core.models import AuditEvent
from rencai.engagements.models import Outcome, ServiceVisit
from tests.conftest import verified_client


def _download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def test_service_record_attachment_opens_for_the_parties_and_not_for_outsiders(world, agreement):
    talent = verified_client(world.talent_user)
    day = agreement.starts_on.isoformat()
    response = talent.post(f"/engagements/{agreement.pk}/log/", {
        "starts_on": day, "ends_on": day, "work": "指导晶界扩散工艺",
        "attachment": SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")})
    assert response.status_code == 302, response.content.decode()[:1500]
    visit = ServiceVisit.objects.get(agreement=agreement)
    url = f"/engagements/visits/{visit.pk}/attachment/"

    page = verified_client(world.enterprise_user).get(f"/engagements/{agreement.pk}/").content.decode()
    assert url in page and "/media/" not in page
    assert _download(verified_client(world.enterprise_user), url) == b"%PDF-1.4 minutes"
    assert _download(verified_client(world.admin), url) == b"%PDF-1.4 minutes"
    assert AuditEvent.objects.filter(action="view", object_type="engagements.servicevisit",
                                     object_id=str(visit.pk)).count() == 2

    assert verified_client(world.enterprise_b_user).get(url).status_code == 404
    assert AuditEvent.objects.filter(object_type="engagements.servicevisit", allowed=False).exists()


def test_outcome_evidence_opens_from_the_agreement_page(world, agreement):
    admin = verified_client(world.admin)
    response = admin.post(f"/engagements/{agreement.pk}/outcomes/", {
        "kind": "patent", "count": 1, "title": "一种钕铁硼磁体晶界扩散方法", "achieved_on": "2026-01-05",
        "evidence": SimpleUploadedFile("专利受理通知书.pdf", b"%PDF-1.4 patent", content_type="application/pdf")})
    assert response.status_code == 302
    outcome = Outcome.objects.get(agreement=agreement)
    url = f"/engagements/outcomes/{outcome.pk}/evidence/"
    page = admin.get(f"/engagements/{agreement.pk}/").content.decode()
    assert url in page and "/media/" not in page
    assert _download(verified_client(world.talent_user), url) == b"%PDF-1.4 patent"
    assert verified_client(world.enterprise_b_user).get(url).status_code == 404


def test_record_without_a_file_has_no_download(world, agreement):
    talent = verified_client(world.talent_user)
    day = agreement.starts_on.isoformat()
    talent.post(f"/engagements/{agreement.pk}/log/", {"starts_on": day, "ends_on": day, "work": "现场指导"})
    visit = ServiceVisit.objects.get(agreement=agreement)
    assert talent.get(f"/engagements/visits/{visit.pk}/attachment/").status_code == 404
