"""Single sign-on: an organization's OpenID Connect settings and the sign-in entry point."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

app_name = "sso"


def settings_page(request: HttpRequest) -> HttpResponse:
    raise Http404("Not built yet.")


urlpatterns = [
    path("org/sso/", settings_page, name="settings"),
    path("sso/", settings_page, name="start"),
]
