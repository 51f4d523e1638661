from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Each channel registers its renderers, senders, receivers and periodic jobs.
        from notifications import emails, housekeeping  # noqa: F401
