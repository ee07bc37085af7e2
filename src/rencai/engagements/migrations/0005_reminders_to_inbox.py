"""Move the compliance reminders (engagements.Reminder) into the one inbox (core.Notice); read becomes read_at."""

from django.db import migrations

KINDS = {"month_short": "engagements.month_short", "confirm": "engagements.confirm",
         "office_digest": "engagements.office_digest", "letter": "engagements.letter"}


def _url(old):
    if old.kind == "letter":
        return "/engagements/letters/"
    return f"/engagements/{old.agreement_id}/" if old.agreement_id else "/engagements/"


def forward(apps, schema_editor):
    Reminder = apps.get_model("engagements", "Reminder")
    Notice = apps.get_model("core", "Notice")
    ContentType = apps.get_model("contenttypes", "ContentType")
    agreement_type, _ = ContentType.objects.get_or_create(app_label="engagements", model="agreement")
    rows = [
        Notice(recipient_id=old.recipient_id, kind=KINDS.get(old.kind, f"engagements.{old.kind}"),
               subject_type_id=agreement_type.pk if old.agreement_id else None, subject_id=old.agreement_id,
               dedupe_key=f"{old.agreement_id or '-'}:{old.period}", text=old.text, url=_url(old),
               created_at=old.created_at, read_at=old.created_at if old.read else None)
        for old in Reminder.objects.order_by("created_at", "pk").iterator()
    ]
    Notice.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def backward(apps, schema_editor):
    Reminder = apps.get_model("engagements", "Reminder")
    Notice = apps.get_model("core", "Notice")
    old_kind = {new: old for old, new in KINDS.items()}
    moved = Notice.objects.filter(kind__in=list(old_kind))
    rows = [
        Reminder(recipient_id=n.recipient_id, agreement_id=n.subject_id, kind=old_kind[n.kind],
                 period=n.dedupe_key.split(":", 1)[1][:10], text=n.text, read=n.read_at is not None)
        for n in moved.order_by("created_at", "pk")
    ]
    Reminder.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_notices"),
        ("engagements", "0004_delete_agreement_change"),
    ]

    operations = [migrations.RunPython(forward, backward)]
