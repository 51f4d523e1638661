"""Rollups written before the contributor counts existed count nobody (members, raters and
owners are 0), so their figures would stay hidden. Removing them makes the worker's next
run recompute every month with the counts (it does all 24 when none is stored), and
that run is due at once."""

from typing import Any

from django.db import migrations
from django.utils import timezone


def forget_rollups(apps: Any, schema_editor: Any) -> None:
    apps.get_model("insights", "TeamRollup").objects.all().delete()
    beats = apps.get_model("notifications", "Beat").objects
    beats.filter(name="insights.rollup").update(next_run_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_rollup_owners"), ("notifications", "0001_initial")]

    operations = [migrations.RunPython(forget_rollups, migrations.RunPython.noop)]
