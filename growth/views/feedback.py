"""Views for feedback. Its URLs are listed here and collected by growth/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
