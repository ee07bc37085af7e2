"""The common policies of DOMAIN.md §7 as editable examples, each with its first version."""

from django.db import migrations

from rencai.policies.examples import load_examples


def forwards(apps, schema_editor):
    load_examples(apps.get_model("policies", "Policy"), apps.get_model("policies", "PolicyVersion"))


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
