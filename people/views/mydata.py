"""My data: a page that explains the download, and the download itself (people/export.py)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from activity.services import activity_record
from lib.http import PersonRequest
from people.export import FORMAT_VERSION, build_zip, file_name


@login_required
@require_GET
def mydata(request: PersonRequest) -> HttpResponse:
    return render(request, "people/mydata.html", {"format_version": FORMAT_VERSION})


@login_required
@require_POST
def mydata_download(request: PersonRequest) -> FileResponse:
    """The zip of everything the person may see.

    A POST (with the CSRF token) rather than a link: building the zip reads the whole
    history and writes an audit row, so link prefetchers, crawlers and other sites'
    pages must not be able to start it; the one button on the page is the only way in.
    """
    person = request.user
    now = timezone.now()
    archive = build_zip(person, now=now)
    if person.organization_id is not None:
        # Content-free audit: that an export happened, never what it held.
        activity_record(
            actor=person, verb="mydata.download", object_type="person", object_uuid=person.uuid
        )
    today = timezone.localdate(now, timezone=timezone.get_current_timezone())
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=file_name(person, today),
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("me/data/", mydata, name="mydata"),
    path("me/data/download/", mydata_download, name="mydata_download"),
]
