"""Move the pairing messages (matching.MatchNotice) into the one inbox (core.Notice); read becomes read_at."""

import hashlib

from django.db import migrations

KIND = "matching.pairing"


def dedupe_key(pairing_id, text):
    """The same key matching.services._notify gives: one message of one text about one pairing per person."""
    return f"{pairing_id}:{hashlib.sha256(text.encode()).hexdigest()[:24]}"


def forward(apps, schema_editor):
    MatchNotice = apps.get_model("matching", "MatchNotice")
    Notice = apps.get_model("core", "Notice")
    ContentType = apps.get_model("contenttypes", "ContentType")
    pairing_type, _ = ContentType.objects.get_or_create(app_label="matching", model="pairing")
    rows = [
        Notice(recipient_id=old.recipient_id, kind=KIND, subject_type_id=pairing_type.pk, subject_id=old.pairing_id,
               dedupe_key=dedupe_key(old.pairing_id, old.text), text=old.text, url="/matching/proposals/",
               created_at=old.created_at, read_at=old.created_at if old.read else None)
        for old in MatchNotice.objects.order_by("created_at", "pk").iterator()
    ]
    Notice.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def backward(apps, schema_editor):
    MatchNotice = apps.get_model("matching", "MatchNotice")
    Notice = apps.get_model("core", "Notice")
    moved = Notice.objects.filter(kind=KIND, subject_id__isnull=False)
    MatchNotice.objects.bulk_create(
        [MatchNotice(recipient_id=n.recipient_id, pairing_id=n.subject_id, text=n.text[:300], created_at=n.created_at,
                     read=n.read_at is not None) for n in moved.order_by("created_at", "pk")],
        batch_size=500, ignore_conflicts=True)
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_notices"),
        ("matching", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
