from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self):
        from . import (
            measures,  # noqa: F401 - registers open_challenges and engagement sources
            reactions,  # noqa: F401 - connects receivers to cases and factors signals
        )
