from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Evidence"

    def ready(self):
        from . import (  # noqa: F401 - register with factors/measuring.py and factors/selectors.py
            evidence_measures,  # the measures of published evidence, and the evidence source
            evidence_sections,  # the evidence behind each of those numbers
            measures,  # reference implementations and quantified improvement
        )
