from django.apps import AppConfig


class FactorpagesConfig(AppConfig):
    """The public pages of the framework read beside its evidence: home, the factors and the
    evidence behind each number, the maturity dashboard, the maintainers' decision and the
    snapshots. Above factors, cases and failuremodes (docs/explanation/app-layers.md)."""

    name = "factorpages"
    verbose_name = "Framework pages"
