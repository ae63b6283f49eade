import json
import sys
import time

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from opendata.snapshot import snapshot_export


class Command(BaseCommand):
    help = (
        "Write a versioned JSON snapshot of all published data (framework, criteria, domains, "
        "organizations' public names, published evidence) to a file or standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--indent", type=int, default=2)

    def handle(self, *args, output=None, indent=2, verbosity=1, **options):
        # Progress and the summary go to standard error when the snapshot goes to stdout.
        say = self.stdout if output else self.stderr
        started = time.monotonic()
        if verbosity:
            say.write("Reading the published data...")
        data = snapshot_export()
        if verbosity:
            say.write("Writing the snapshot...")
        text = json.dumps(data, cls=DjangoJSONEncoder, indent=indent or None, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
        else:
            sys.stdout.write(text + "\n")
        if verbosity:
            summary = ", ".join(f"{n} {key.replace('_', ' ')}" for key, n in data["counts"].items())
            where = output or "standard output"
            seconds = time.monotonic() - started
            say.write(self.style.SUCCESS(f"Wrote {where} in {seconds:.1f}s: {summary}."))
