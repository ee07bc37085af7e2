"""Enterprise.name_key: the name folded to Simplified (opencc), so 包头北辰磁业 finds 包頭北辰磁業有限責任公司."""

from django.db import migrations, models


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from rencai.core.textnorm import name_key

    Enterprise = apps.get_model("orgs", "Enterprise")  # noqa: N806
    rows = list(Enterprise.objects.only("pk", "name"))
    for row in rows:
        row.name_key = name_key(row.name)
    Enterprise.objects.bulk_update(rows, ["name_key"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='enterprise',
            name='name_key',
            field=models.CharField(db_index=True, default='', editable=False, max_length=200),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
