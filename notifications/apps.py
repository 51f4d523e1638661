from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Each channel connects its own receivers to the meetings signals.
        from notifications import (  # noqa: F401
            caldav,
            emails,
            housekeeping,
            invitations,
            reminders,
            webhooks,
        )
