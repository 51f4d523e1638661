"""Operators see the queue's state (what, when, how it went), never a message's content."""

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import Beat, Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ("kind", "channel", "status", "attempts", "due_at", "sent_at", "response_status")
    list_filter = ("status", "channel", "kind")
    fields = (
        "uuid",
        "kind",
        "channel",
        "status",
        "organization",
        "attempts",
        "max_attempts",
        "due_at",
        "sent_at",
        "claimed_until",
        "response_status",
        "last_error",
        "created_at",
    )
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Beat)
class BeatAdmin(admin.ModelAdmin[Beat]):
    list_display = ("name", "next_run_at", "last_run_at", "last_outcome")
    readonly_fields = ("name", "next_run_at", "last_run_at", "last_outcome")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
