from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Evidence"

    def ready(self):
        from . import measures  # noqa: F401 - registers the reference implementation measures
