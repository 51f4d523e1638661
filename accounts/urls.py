"""Invitation links and the signed-in person's account pages.

Every URL is listed in tests/accounts/test_permissions.py.
"""

from django.urls import URLPattern, path

from accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern] = [
    path("account/", views.security, name="security"),
    path("invite/<str:token>/", views.invite, name="invite"),
]
