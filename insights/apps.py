from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        # The rollup job registers itself with the worker's periodic tick; usefulness
        # blocks are written by receivers of the meetings signals.
        from insights import blocks, rollups  # noqa: F401
