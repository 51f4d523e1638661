"""My 1:1s: every relationship I take part in, at a glance."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lib.http import PersonRequest
from meetings.selectors import home_rows


@login_required
@require_GET
def home(request: PersonRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate()
    current, past = home_rows(request.user, now=now, today=today)
    my_items = [item for row in current for item in row.my_open_items]
    overdue = [item for row in current + past for item in row.overdue_items]
    return render(
        request,
        "meetings/home.html",
        {
            "rows": current,
            "past_rows": past,
            "open_count": len(my_items),
            "overdue_count": len(overdue),
            "has_reports": request.user.reports.filter(is_active=True).exists(),
            "today": today,
        },
    )
