"""Writing the audit trail; called by every service that changes domain data."""

import uuid

from activity.models import Activity
from people.models import Person


def activity_record(
    *,
    actor: Person | None,
    verb: str,
    object_type: str,
    object_uuid: uuid.UUID,
    relationship_id: int | None = None,
    organization_id: int | None = None,
) -> Activity:
    """Record one write. Call inside the service's transaction.

    `actor` is None for writes made by a system (SCIM provisioning, a CSV import run by
    a command); then `organization_id` says whose trail it joins.
    """
    organization_id = organization_id or (actor.organization_id if actor else None)
    assert organization_id is not None
    return Activity.objects.create(
        organization_id=organization_id,
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_uuid=object_uuid,
        relationship_id=relationship_id,
    )
