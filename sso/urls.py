"""Single sign-on: an organization's OpenID Connect settings and the sign-in entry point."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "sso"


def settings_page(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


urlpatterns = [path("org/sso/", settings_page, name="settings")]
