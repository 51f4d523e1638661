from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        # The rollup job registers itself with the worker's periodic tick.
        from insights import rollups  # noqa: F401
