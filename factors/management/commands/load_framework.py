from pathlib import Path

from django.core.management.base import BaseCommand

from factors.services import DEFAULT_FRAMEWORK_FILE, framework_load


class Command(BaseCommand):
    help = (
        "Load the default framework (phases, the twelve factors, criteria) from a data file. "
        "Safe to run again: it creates what is missing and leaves existing rows alone unless "
        "--update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite texts and thresholds edited since with the file's values.",
        )
        parser.add_argument("--file", type=Path, default=DEFAULT_FRAMEWORK_FILE)

    def handle(self, *args, update, file, verbosity, **options):
        report = framework_load(path=file, update=update)
        if verbosity >= 2:
            for line in report.created:
                self.stdout.write(f"created {line}")
            for line in report.updated:
                self.stdout.write(f"updated {line}")
        self.stdout.write(
            f"Framework loaded: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged."
        )
