import json

from django.core.management.base import BaseCommand, CommandError

from opendata.snapshot import SnapshotError, snapshot_import, snapshot_validate


class Command(BaseCommand):
    help = (
        "Load a snapshot written by export_snapshot into an empty site, in one transaction. "
        "Refuses a site that already has domains or evidence unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The snapshot (JSON) to load.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load into a site that has data: items are matched by slug and overwritten.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; change nothing."
        )

    def handle(self, *args, file, force=False, dry_run=False, verbosity=1, **options):
        try:
            with open(file, encoding="utf-8") as fh:
                data = json.load(fh)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}") from exc
        try:
            snapshot_validate(data)
            if dry_run:
                counts = ", ".join(f"{n} {k}" for k, n in data.get("counts", {}).items())
                self.stdout.write(
                    f"{file} is a valid version-{data['version']} snapshot: {counts}."
                )
                return
            report = snapshot_import(
                data=data,
                force=force,
                progress=(lambda message: self.stdout.write(message)) if verbosity else None,
            )
        except SnapshotError as exc:
            raise CommandError(str(exc)) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise CommandError(f"The snapshot is malformed ({type(exc).__name__}: {exc}).") from exc
        if verbosity:
            summary = ", ".join(f"{n} {key}" for key, n in report.counts.items())
            self.stdout.write(self.style.SUCCESS(f"Imported {file}: {summary}."))
