"""Notification settings, the calendar page, CalDAV and webhooks.

Every URL of the `notifications` namespace is listed in a permission table
(tests/test_urls_covered.py). The public calendar feed has its own namespace, `feed`:
it is reached with a secret token, not a session.
"""

from django.urls import URLPattern, URLResolver

from notifications.views import caldav, preferences, webhooks
from notifications.views import feed as calendar

app_name = "notifications"
urlpatterns: list[URLPattern | URLResolver] = [
    *preferences.urlpatterns,
    *calendar.urlpatterns,
    *caldav.urlpatterns,
    *webhooks.urlpatterns,
]
