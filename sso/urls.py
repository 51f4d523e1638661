"""Single sign-on: an organization's OpenID Connect settings and the sign-in entry point.

The OpenID Connect login and callback themselves are allauth's, under
/accounts/oidc/<provider id>/ (sso/adapter.py makes each organization a provider).
"""

from django.urls import path

from sso import views

app_name = "sso"

urlpatterns = [
    path("org/sso/", views.settings_view, name="settings"),
    path("sso/", views.start_view, name="start"),
]
