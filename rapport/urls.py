"""Top-level URLs: accounts (django-allauth), the 1:1 app, organization admin, SSO, SCIM."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # The old sign-in address keeps working for bookmarks.
    path(
        "login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="login",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include(("notifications.feed_urls", "feed"))),
    path("", include("people.urls")),
    path("", include("sso.urls")),
    path("", include("scim.urls")),
    path("", include("growth.urls")),
    path("", include("insights.urls")),
    path("", include("meetings.urls")),
]
