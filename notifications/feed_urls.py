"""The public calendar feed (/calendar/<token>.ics): a secret token instead of a session."""

from django.urls import URLPattern, path

from notifications.views import feed as views

urlpatterns: list[URLPattern] = [
    path("calendar/<str:token>.ics", views.feed, name="ics"),
]
