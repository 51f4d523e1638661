"""The organization view for admins: content-free aggregates, groups of at least 5 people.

Only an org admin reaches it, for their own organization (people.access, 404 for anyone
else, like every /org/ page). Page and CSV show the same k-filtered figures of
insights/org.py, never a person's name.
"""

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from insights.org import HIDDEN, ORGANIZATION_LABEL, Figures, OrgReport, org_report
from lib.csvfile import csv_response
from lib.http import PersonRequest
from people.access import org_admin_of


@login_required
@require_GET
def org(request: PersonRequest) -> HttpResponse:
    """The organization's 1:1 health: headline, by team (k >= 5) and monthly trends."""
    organization = org_admin_of(request.user)
    report = org_report(organization)
    return render(request, "insights/org.html", {"organization": organization, "report": report})


HEADER = (
    "section",
    "period",
    "group",
    "people",
    "people_met",
    "met_share_percent",
    "planned",
    "held",
    "cancelled",
    "rescheduled",
    "adherence_percent",
    "cancellation_percent",
    "actions_on_time",
    "actions_late",
    "actions_overdue",
    "follow_through_percent",
    "ratings",
    "average_usefulness",
)


@login_required
@require_GET
def org_csv(request: PersonRequest) -> HttpResponse:
    """The page's figures as CSV: recent figures by team, then the organization by month."""
    organization = org_admin_of(request.user)
    report = org_report(organization)
    filename = f"rapport-insights-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename, HEADER, _rows(report))


def _rows(report: OrgReport) -> Iterator[list[object]]:
    if report.computed_at is None:
        return
    period = f"{timezone.localtime(report.computed_at):%Y-%m-%d} (90 days; people met: 30 days)"
    if report.headline is not None:
        yield ["recent", period, ORGANIZATION_LABEL, *_numbers(report.headline)]
    for group in report.groups.shown:
        yield ["recent", period, group.label, *_numbers(group.figures)]
    if report.groups.hidden:
        yield ["recent", period, HIDDEN]
    for month in report.months:
        if month.figures is None:
            yield ["month", f"{month.first:%Y-%m}", HIDDEN]
        else:
            yield ["month", f"{month.first:%Y-%m}", ORGANIZATION_LABEL, *_numbers(month.figures)]


def _number(value: float | None, scale: float = 100, digits: int = 0) -> str:
    return "" if value is None else f"{value * scale:.{digits}f}"


def _numbers(figures: Figures) -> list[object]:
    return [
        figures.people,
        figures.people_met,
        _number(figures.met_share),
        figures.planned,
        figures.held,
        figures.cancelled,
        figures.rescheduled,
        _number(figures.adherence),
        _number(figures.cancellation_rate),
        figures.actions_on_time,
        figures.actions_late,
        figures.actions_overdue,
        _number(figures.follow_through),
        figures.rating_count,
        _number(figures.usefulness, 1, 2),
    ]
