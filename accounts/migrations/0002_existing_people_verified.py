"""People who existed before accounts came were added by their admins: their addresses count as verified."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def mark_verified(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Person = apps.get_model("people", "Person")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, verified=True, primary=True)
            for pk, email in Person.objects.values_list("pk", "email").iterator()
            if pk not in known
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("people", "0003_organization_email_domains_organization_require_mfa_and_more"),
    ]

    operations = [migrations.RunPython(mark_verified, migrations.RunPython.noop)]
