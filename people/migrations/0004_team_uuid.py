"""Teams get a public id (the admin pages' URLs, the audit trail): added in three steps,
so that existing rows each get their own value before the column becomes unique."""

import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):  # type: ignore[no-untyped-def]
    Team = apps.get_model("people", "Team")
    for team in Team.objects.only("id"):
        team.uuid = uuid.uuid4()
        team.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_organization_email_domains_organization_require_mfa_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="team", name="uuid", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="team",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
