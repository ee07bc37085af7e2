"""An application's supporting documents open from its page, for those who may see it, never as /media/."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from rencai.core.models import AuditEvent
from rencai.policies.models import Application
from tests.conftest import verified_client
from tests.factories import UserFactory


def test_application_document_opens_for_applicant_and_office_but_not_another_talent(world):
    client = verified_client(world.talent_user)
    upload = SimpleUploadedFile("购房合同.pdf", b"%PDF-1.4 contract", content_type="application/pdf")
    assert client.post("/policies/housing_subsidy/apply/",
                       {"statement": "首次购房", "attachment": upload}).status_code == 302
    attachment = Application.objects.get().attachments.get()
    url = f"/policies/attachments/{attachment.pk}/"

    page = verified_client(world.reviewer).get(f"/policies/applications/{attachment.application_id}/")
    assert url in page.content.decode() and "/media/" not in page.content.decode()
    for user in (world.talent_user, world.reviewer):
        response = verified_client(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 contract"
    assert AuditEvent.objects.filter(action="view", object_type="policies.attachment").count() == 2

    other = UserFactory(username="talent_other", role="talent")
    assert verified_client(other).get(url).status_code == 404
