from django.apps import AppConfig


class FailureModesConfig(AppConfig):
    name = "failuremodes"
    verbose_name = "Failure modes"

    def ready(self):
        from . import (
            measures,  # noqa: F401 - registers failure_modes, open_failure_modes …
            review,  # noqa: F401 - registers the review page's failure mode panel
        )
