"""Thin typed views: parse, authorize through access helpers, call a service, render."""
