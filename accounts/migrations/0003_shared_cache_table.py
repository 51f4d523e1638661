"""The table of the database cache (settings.CACHES["default"]).

Sign-in rate limits and used TOTP codes live there, so every web process sees them.
"""

from django.apps.registry import Apps
from django.core.management import call_command
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def create_cache_table(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Creates the tables of every database cache in CACHES that does not exist yet.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute("DROP TABLE IF EXISTS rapport_cache")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_existing_people_verified")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
