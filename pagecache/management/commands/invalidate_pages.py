from django.core.management.base import BaseCommand

from pagecache.generation import generation_bump


class Command(BaseCommand):
    help = (
        "Make every cached page stale at once (bump the site-wide generation). "
        "Changes made through the site do this by themselves; use it after editing the "
        "database by hand."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if dry_run:
            self.stdout.write("Would bump the page cache generation (nothing done).")
            return
        generation = generation_bump()
        if generation is None:
            self.stderr.write("The cache could not be reached; see the log.")
            raise SystemExit(1)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Page cache generation is now {generation}."))
