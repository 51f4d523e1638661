"""The organization view for admins: content-free aggregates, groups of at least 5 people.

Only an org admin reaches it, for their own organization (people.access, 404 for anyone
else, like every /org/ page). Page and CSV show the same k-filtered figures of
insights/org.py, never a person's name.
"""

from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from insights.org import (
    HIDDEN,
    NO_VALUE,
    ORGANIZATION_LABEL,
    Cell,
    Cells,
    OrgReport,
    org_report,
    other_label,
)
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
    "adherence_percent",
    "cancellation_percent",
    "follow_through_percent",
    "average_usefulness",
    "note",
)


@login_required
@require_GET
def org_csv(request: PersonRequest) -> HttpResponse:
    """The page's figures as CSV: recent figures by team, then the organization by month.

    Only what the page shows: rates in whole percents, the average usefulness to one
    decimal and head counts; never a sum or a count of ratings, meetings or items, which
    would let two exports (or an export and the page) be subtracted from each other. A
    figure held back reads empty with the reason in `note`; so does "no data yet".
    """
    organization = org_admin_of(request.user)
    report = org_report(organization)
    filename = f"rapport-insights-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename, HEADER, _rows(report))


BLANK = [""] * (len(HEADER) - 4)


def _rows(report: OrgReport) -> Iterator[list[object]]:
    if report.as_of is None:
        return
    period = f"{report.as_of:%Y-%m-%d} 00:00 UTC (90 days; people met: 30 days)"
    if report.headline_cells is None:
        yield ["recent", period, ORGANIZATION_LABEL, *BLANK, report.headline_note]
    else:
        notes = (report.headline_note, *report.headline_cells.notes)
        yield ["recent", period, ORGANIZATION_LABEL, *_numbers(report.headline_cells), _join(notes)]  # fmt: skip
    for group in report.groups.shown:
        cells = group.cells
        yield ["recent", period, group.label, *_numbers(cells), _join(cells.notes)]
    if report.groups.hidden:
        label = other_label(report.groups.hidden_teams, report.groups.hidden_without_team)
        yield ["recent", period, label, *BLANK, HIDDEN]
    for month in report.months:
        when = f"{month.first:%Y-%m}"
        if month.cells is None:
            yield ["month", when, ORGANIZATION_LABEL, *BLANK, month.note]
        else:
            notes = month.cells.notes
            yield ["month", when, ORGANIZATION_LABEL, *_numbers(month.cells), _join(notes)]


def _numbers(cells: Cells) -> list[object]:
    """people, people met, then each rate as a whole percent and usefulness to 1 decimal."""
    return [
        cells.people,
        cells.people_met,
        _plain(cells.met_share),
        _plain(cells.adherence),
        _plain(cells.cancellation_rate),
        _plain(cells.follow_through),
        _plain(cells.usefulness),
    ]


def _plain(cell: Cell) -> str:
    """The printed value without its unit, empty for "—"."""
    return "" if cell.value == NO_VALUE else cell.value.removesuffix(" %")


def _join(notes: Iterable[str]) -> str:
    return "; ".join(note for note in notes if note)
