"""My 1:1s: every relationship I take part in, at a glance."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lib.http import PersonRequest
from meetings.access import relationships_of, shares_visible_to
from meetings.models import Relationship
from meetings.pagecache import cached_part, viewer_key
from meetings.selectors import home_rows
from people.models import Person


@login_required
@require_GET
def home(request: PersonRequest) -> HttpResponse:
    viewer = request.user
    versions = (
        relationships_of(viewer)
        .order_by("pk")
        .only("uuid", "shared_version", "lead_id", "lead_private_version", "member_private_version")
    )
    key = viewer_key(
        request,
        "home",
        *(f"{r.uuid}:{r.shared_version}:{r.private_version_of(viewer)}" for r in versions),
    )
    body = cached_part(request, key, "meetings/home.html#body", lambda: _home_context(request))
    return render(request, "meetings/home.html", {"body": body})


def _home_context(request: PersonRequest) -> dict[str, Any]:
    now = timezone.now()
    today = timezone.localdate()
    current, past = home_rows(request.user, now=now, today=today)
    my_items = [item for row in current for item in row.my_open_items]
    overdue = [item for row in current + past for item in row.overdue_items]
    reports = _direct_reports(request.user)
    return {
        "rows": current,
        "past_rows": past,
        "open_count": len(my_items),
        "overdue_count": len(overdue),
        "has_reports": bool(reports),
        # Direct reports without an ongoing manager 1:1 with me (new ones, after a change).
        "new_reports": [r for r in reports if not r.has_manager_1on1],  # type: ignore[attr-defined]
        "shared_from": [r for r in reports if r.shared_with_me],  # type: ignore[attr-defined]
        "today": today,
    }


def _direct_reports(viewer: Person) -> list[Person]:
    """Active direct reports, each marked with whether a manager 1:1 with the viewer runs
    and whether they shared meetings of an earlier 1:1 with the viewer (one query)."""
    ongoing = Relationship.objects.filter(
        lead_id=viewer.pk, member_id=OuterRef("pk"), kind=Relationship.Kind.MANAGER
    ).exclude(status=Relationship.Status.ENDED)
    shared = shares_visible_to(viewer).filter(shared_by_id=OuterRef("pk"))
    return list(
        viewer.reports.filter(is_active=True)
        .annotate(has_manager_1on1=Exists(ongoing), shared_with_me=Exists(shared))
        .only("uuid", "name")
        .order_by("name")
    )
