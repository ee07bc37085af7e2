"""Move the deadline reminders (postdoc.Reminder) into the one inbox (core.Notice), read state included."""

from django.db import migrations

KIND = "postdoc.deadline"


def forward(apps, schema_editor):
    Reminder = apps.get_model("postdoc", "Reminder")
    Notice = apps.get_model("core", "Notice")
    ContentType = apps.get_model("contenttypes", "ContentType")
    postdoc_type, _ = ContentType.objects.get_or_create(app_label="postdoc", model="postdoc")
    rows = [
        Notice(recipient_id=old.recipient_id, kind=KIND, subject_type_id=postdoc_type.pk, subject_id=old.postdoc_id,
               dedupe_key=f"{old.postdoc_id}:{old.milestone}:{old.due:%Y-%m-%d}:{old.days_before}", text=old.text,
               url=f"/postdoc/postdocs/{old.postdoc_id}/", created_at=old.sent_at, read_at=old.read_at)
        for old in Reminder.objects.order_by("sent_at", "pk").iterator()
    ]
    Notice.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def backward(apps, schema_editor):
    from datetime import date

    Reminder = apps.get_model("postdoc", "Reminder")
    Notice = apps.get_model("core", "Notice")
    moved = Notice.objects.filter(kind=KIND, subject_id__isnull=False)
    rows = []
    for notice in moved.order_by("created_at", "pk"):
        _, milestone, due, step = notice.dedupe_key.split(":")
        rows.append(Reminder(postdoc_id=notice.subject_id, milestone=milestone, due=date.fromisoformat(due),
                             days_before=int(step), recipient_id=notice.recipient_id, text=notice.text[:300],
                             sent_at=notice.created_at, read_at=notice.read_at))
    Reminder.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_notices"),
        ("postdoc", "0003_delete_station_step"),
    ]

    operations = [migrations.RunPython(forward, backward)]
