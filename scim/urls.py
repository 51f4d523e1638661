"""SCIM 2.0 provisioning under /scim/v2/, and the token settings page for org admins."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

app_name = "scim"


def settings_page(request: HttpRequest) -> HttpResponse:
    raise Http404("Not built yet.")


urlpatterns = [path("org/scim/", settings_page, name="settings")]
