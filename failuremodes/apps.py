from django.apps import AppConfig


class FailureModesConfig(AppConfig):
    name = "failuremodes"
    verbose_name = "Failure modes"

    def ready(self):
        from cases.signals import demo_removing, demo_seeded

        from . import measures  # noqa: F401 - registers failure_modes, open_failure_modes …
        from .demo import remove_failure_modes, seed_failure_modes

        demo_seeded.connect(seed_failure_modes, dispatch_uid="failuremodes:demo_seeded")
        demo_removing.connect(remove_failure_modes, dispatch_uid="failuremodes:demo_removing")
