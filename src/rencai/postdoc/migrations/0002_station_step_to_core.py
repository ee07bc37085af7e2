"""Move each station's step history (postdoc.StationStep) into the one core history (core.StateChange)."""

from django.db import migrations

MOVES = {
    ("survey", "evaluation"): ("evaluate", "进入项目评估"),
    ("evaluation", "application"): ("recommend", "评估通过，申报推荐"),
    ("evaluation", "survey"): ("back_to_survey", "退回调研"),
    ("application", "approved"): ("approve", "获批设站"),
    ("application", "evaluation"): ("not_recommended", "未获推荐，退回评估"),
    ("approved", "operating"): ("operate", "开始运行"),
    ("approved", "withdrawn"): ("withdraw", "撤站"),
    ("operating", "withdrawn"): ("withdraw", "撤站"),
    ("survey", "withdrawn"): ("terminate", "终止"),
    ("evaluation", "withdrawn"): ("terminate", "终止"),
    ("application", "withdrawn"): ("terminate", "终止"),
}


def forward(apps, schema_editor):
    StationStep = apps.get_model("postdoc", "StationStep")
    StateChange = apps.get_model("core", "StateChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    station_type, _ = ContentType.objects.get_or_create(app_label="postdoc", model="station")
    rows = []
    for old in StationStep.objects.order_by("at", "pk").iterator():
        if not old.from_stage:
            move, label = "create", "登记"
        else:
            move, label = MOVES.get((old.from_stage, old.to_stage), ("legacy", "阶段变更"))
        rows.append(StateChange(content_type_id=station_type.pk, object_id=old.station_id, field="stage", move=move,
                                from_state=old.from_stage, to_state=old.to_stage, label=label, by_id=old.by_id,
                                at=old.at, on=old.on, reason=old.note,
                                data={"legacy": f"postdoc.stationstep:{old.pk}"}))
    StateChange.objects.bulk_create(rows, batch_size=500)


def backward(apps, schema_editor):
    StationStep = apps.get_model("postdoc", "StationStep")
    StateChange = apps.get_model("core", "StateChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    station_type = ContentType.objects.filter(app_label="postdoc", model="station").first()
    if station_type is None:
        return
    moved = StateChange.objects.filter(content_type_id=station_type.pk, field="stage")
    StationStep.objects.bulk_create(
        [StationStep(station_id=h.object_id, from_stage=h.from_state, to_stage=h.to_state, on=h.on or h.at.date(),
                     note=h.reason[:300], by_id=h.by_id, at=h.at) for h in moved.order_by("at", "pk")],
        batch_size=500)
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_state_change"),
        ("postdoc", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
