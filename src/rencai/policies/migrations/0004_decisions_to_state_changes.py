"""Move every review decision (policies.Decision) into the core history (core.StateChange).

The step becomes the move; the policy version and clause go in `data`, as the new review code writes them.
Where the old row does not say which state it left (a rejection may come from 初审, 复审 or 公示), from_state
stays empty.
"""

from django.db import migrations

# step -> (move, from_state, to_state, label)
STEPS = {
    "first": ("first", "submitted", "first_passed", "初审通过"),
    "second": ("second", "first_passed", "second_passed", "复审通过"),
    "notice": ("notice", "second_passed", "notice", "发起公示"),
    "approve": ("approve", "notice", "approved", "公示期满，批准"),
    "reject": ("reject", "", "rejected", "驳回"),
    "resubmit": ("resubmit", "rejected", "submitted", "修改后重新提交"),
    "appeal": ("appeal", "rejected", "appealed", "申诉"),
}
UPHOLD = ("uphold", "appealed", "submitted", "申诉成立，重新审核")
DISMISS = ("dismiss", "appealed", "rejected", "维持驳回")


def forward(apps, schema_editor):
    Decision = apps.get_model("policies", "Decision")
    StateChange = apps.get_model("core", "StateChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Decision.objects.exists():
        return
    ct, _ = ContentType.objects.get_or_create(app_label="policies", model="application")
    done = {(c.data or {}).get("migrated_from") for c in StateChange.objects.filter(content_type=ct)}
    rows = []
    for d in Decision.objects.order_by("at", "pk").iterator():
        if f"policies.decision:{d.pk}" in done:  # run again: nothing twice
            continue
        if d.step == "appeal_answer":
            move, source, to, label = UPHOLD if d.reason.startswith("申诉成立") else DISMISS
        else:
            move, source, to, label = STEPS.get(d.step, (d.step, "", "", d.step))
        rows.append(StateChange(content_type=ct, object_id=d.application_id, field="status", move=move,
                                from_state=source, to_state=to, label=label, by_id=d.by_id, at=d.at,
                                reason=d.reason, data={"version": d.version_number, "clause": d.clause,
                                                       "migrated_from": f"policies.decision:{d.pk}"}))
    StateChange.objects.bulk_create(rows, batch_size=1000)


def backwards(apps, schema_editor):
    Decision = apps.get_model("policies", "Decision")
    StateChange = apps.get_model("core", "StateChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.filter(app_label="policies", model="application").first()
    if ct is None:
        return
    steps = {move: step for step, (move, *_rest) in STEPS.items()} | {"uphold": "appeal_answer",
                                                                     "dismiss": "appeal_answer",
                                                                     "object": "reject"}
    changes = StateChange.objects.filter(content_type=ct).exclude(by=None).order_by("at", "pk")
    Decision.objects.bulk_create([
        Decision(application_id=c.object_id, step=steps.get(c.move, c.move)[:15], by_id=c.by_id, reason=c.reason,
                 version_number=(c.data or {}).get("version") or 1, clause=(c.data or {}).get("clause", ""))
        for c in changes if c.move in steps])
    changes.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_state_change"),
        ("policies", "0003_entitlement_notice_and_bank_problem"),
    ]

    operations = [migrations.RunPython(forward, backwards)]
