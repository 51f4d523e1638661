"""The public calendar feed: a secret token instead of a session."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
