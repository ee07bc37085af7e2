"""Need.discipline_source, and 一级学科 for existing needs whose 所属领域 names one (catalog, then thesaurus)."""

from django.db import migrations, models


def map_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    from rencai.needs.fields import map_field, shipped_thesaurus

    Need = apps.get_model("needs", "Need")  # noqa: N806
    built = None
    for need in Need.objects.filter(discipline_code="").exclude(field_text=""):
        built = built or shipped_thesaurus()
        mapping = map_field(need.field_text, built)
        if mapping.discipline_code:
            need.discipline_code, need.discipline_source = mapping.discipline_code, mapping.source
            need.save(update_fields=["discipline_code", "discipline_source"])


class Migration(migrations.Migration):

    dependencies = [
        ('needs', '0004_delete_status_change'),
    ]

    operations = [
        migrations.AddField(
            model_name='need',
            name='discipline_source',
            field=models.CharField(blank=True, choices=[('', '未识别'), ('catalog', '按学科目录识别'),
                                                        ('thesaurus', '按领域词表识别'), ('staff', '工作人员指定')],
                                   default='', max_length=10, verbose_name='一级学科来源'),
        ),
        migrations.RunPython(map_existing, migrations.RunPython.noop),
    ]
