"""The app's URLs plus bare views, for measuring the cost of the stack itself."""

import uuid

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

from activity.services import activity_record
from lib.http import PersonRequest

BARE_WRITE_VERB = "bench.bare-write"


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_POST
def bare_write(request: PersonRequest) -> HttpResponse:
    """The smallest honest write: one row inserted in a transaction, nothing rendered."""
    with transaction.atomic():
        activity_record(
            actor=request.user, verb=BARE_WRITE_VERB, object_type="Bench", object_uuid=uuid.uuid4()
        )
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/bare/", bare, name="bench_bare"),
    path("__bench__/bare-write/", bare_write, name="bench_bare_write"),
    path("", include("rapport.urls")),
]
