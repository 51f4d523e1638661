"""Who moved a meeting, for meetings moved before Meeting.moved_by existed.

The audit trail has recorded every move ("meeting.reschedule", with the actor and the
meeting's uuid) since the start; the latest one per meeting is who moved it last.
"""

from collections import defaultdict
from typing import Any

from django.db import migrations
from django.db.models import F

CHUNK = 1000


def moved_by_from_activity(apps: Any, schema_editor: Any) -> None:
    Activity = apps.get_model("activity", "Activity")
    Meeting = apps.get_model("meetings", "Meeting")
    latest: dict[Any, int] = {}
    moves = (
        Activity.objects.filter(verb="meeting.reschedule", actor__isnull=False)
        .order_by("created_at", "pk")
        .values_list("object_uuid", "actor_id")
    )
    for uuid, actor_id in moves.iterator(chunk_size=5000):
        latest[uuid] = actor_id
    by_actor: dict[int, list[Any]] = defaultdict(list)
    for uuid, actor_id in latest.items():
        by_actor[actor_id].append(uuid)
    for actor_id, uuids in by_actor.items():
        for start in range(0, len(uuids), CHUNK):
            Meeting.objects.filter(uuid__in=uuids[start : start + CHUNK], moved_by__isnull=True).exclude(
                start=F("occurrence_start")
            ).update(moved_by_id=actor_id)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0002_initial"),
        ("meetings", "0009_meeting_org_key_index"),
    ]

    operations = [migrations.RunPython(moved_by_from_activity, migrations.RunPython.noop)]
