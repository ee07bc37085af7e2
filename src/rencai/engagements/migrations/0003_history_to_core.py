"""Each assessment gets the status its fields imply; each agreement's history (engagements.AgreementChange)
moves into the one core history (core.StateChange)."""

from django.db import migrations

# old kind -> (move, label); every old kind was an event that left the status as it was, except 终止
KINDS = {
    "created": ("create", "签订"),
    "adjusted": ("adjust", "调整"),
    "requested": ("request_change", "企业申请调整或终止"),
    "ended": ("end", "终止"),
    "replaced": ("replaced", "另配人才"),
}
FIELD_LABELS = {"ends_on": "服务结束", "visits_per_month": "每月至少到岗次数", "days_per_visit": "每次至少天数",
                "days_per_year": "每年至少天数", "ended_on": "终止日期", "by": "接替协议"}


def _shown(changes):
    shown = {}
    for key, value in (changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            value = f"{value[0]} → {value[1]}"
        shown[FIELD_LABELS.get(key, key)] = value
    return shown


def forward(apps, schema_editor):
    Assessment = apps.get_model("engagements", "Assessment")
    Assessment.objects.exclude(grade="").update(status="approved")
    Assessment.objects.filter(grade="", host_score__isnull=False).update(status="rated")
    Assessment.objects.filter(grade="", host_score__isnull=True).update(status="awaiting")

    AgreementChange = apps.get_model("engagements", "AgreementChange")
    StateChange = apps.get_model("core", "StateChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    agreement_type, _ = ContentType.objects.get_or_create(app_label="engagements", model="agreement")
    rows = []
    for old in AgreementChange.objects.select_related("agreement").order_by("at", "pk").iterator():
        move, label = KINDS.get(old.kind, ("legacy", old.kind))
        if move == "end":
            from_state, to_state = "active", "ended"
        elif move == "create":
            from_state, to_state = "", "active"
        else:  # an event: the status it had then is not known; today's is the best guess for "replaced"
            from_state = to_state = "active" if move in ("adjust", "request_change") else old.agreement.status
        data = {"legacy": f"engagements.agreementchange:{old.pk}", "fields": old.changes or {}}
        if old.changes:
            data["changes"] = _shown(old.changes)
        rows.append(StateChange(content_type_id=agreement_type.pk, object_id=old.agreement_id, field="status",
                                move=move, from_state=from_state, to_state=to_state, label=label, by_id=old.by_id,
                                at=old.at, reason=old.reason, data=data))
    StateChange.objects.bulk_create(rows, batch_size=500)


def backward(apps, schema_editor):
    AgreementChange = apps.get_model("engagements", "AgreementChange")
    StateChange = apps.get_model("core", "StateChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    agreement_type = ContentType.objects.filter(app_label="engagements", model="agreement").first()
    if agreement_type is None:
        return
    moves = {move: kind for kind, (move, _) in KINDS.items()}
    moved = StateChange.objects.filter(content_type_id=agreement_type.pk, field="status", move__in=list(moves))
    AgreementChange.objects.bulk_create(
        [AgreementChange(agreement_id=h.object_id, kind=moves[h.move], reason=h.reason[:300],
                         changes=(h.data or {}).get("fields", {}), by_id=h.by_id, at=h.at)
         for h in moved.order_by("at", "pk")], batch_size=500)
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_state_change"),
        ("engagements", "0002_assessment_status"),
    ]

    operations = [migrations.RunPython(forward, backward)]
