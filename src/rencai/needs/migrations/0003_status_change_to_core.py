"""Move each need's status history (needs.StatusChange) into the one core history (core.StateChange)."""

from django.db import migrations

# The move each old (from, to) pair was made by; a row with no from state was the need's creation or an import.
MOVES = {
    ("pending", "published"): ("publish", "审核通过并发布"),
    ("published", "matching"): ("start_matching", "开始对接"),
    ("matching", "matched"): ("matched", "已对接"),
    ("matching", "published"): ("unmatch", "退回已发布"),
    ("matched", "solved"): ("solve", "确认已解决"),
    ("matched", "matching"): ("rematch", "重新对接"),
    ("closed", "pending"): ("reopen", "重新打开"),
}


def forward(apps, schema_editor):
    StatusChange = apps.get_model("needs", "StatusChange")
    StateChange = apps.get_model("core", "StateChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    need_type, _ = ContentType.objects.get_or_create(app_label="needs", model="need")
    rows = []
    for old in StatusChange.objects.order_by("at", "pk").iterator():
        if old.reason.startswith("表格导入"):
            move, label = "import", "表格导入"
        elif not old.from_status:
            move, label = "create", "登记需求"
        elif old.to_status == "closed":
            move, label = "close", "关闭"
        else:
            move, label = MOVES.get((old.from_status, old.to_status), ("legacy", "状态变更"))
        rows.append(StateChange(content_type_id=need_type.pk, object_id=old.need_id, field="status", move=move,
                                from_state=old.from_status, to_state=old.to_status, label=label, by_id=old.by_id,
                                at=old.at, reason=old.reason, data={"legacy": f"needs.statuschange:{old.pk}"}))
    StateChange.objects.bulk_create(rows, batch_size=500)


def backward(apps, schema_editor):
    StatusChange = apps.get_model("needs", "StatusChange")
    StateChange = apps.get_model("core", "StateChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    need_type = ContentType.objects.filter(app_label="needs", model="need").first()
    if need_type is None:
        return
    moved = StateChange.objects.filter(content_type_id=need_type.pk, field="status")
    StatusChange.objects.bulk_create(
        [StatusChange(need_id=h.object_id, from_status=h.from_state, to_status=h.to_state, by_id=h.by_id, at=h.at,
                      reason=h.reason[:300]) for h in moved.order_by("at", "pk")], batch_size=500)
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_state_change"),
        ("needs", "0002_need_returned_status"),
    ]

    operations = [migrations.RunPython(forward, backward)]
