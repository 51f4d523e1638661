"""Notification settings, the calendar page, CalDAV and webhooks (namespace "notifications")."""

from django.urls import URLPattern, URLResolver

app_name = "notifications"
urlpatterns: list[URLPattern | URLResolver] = []
