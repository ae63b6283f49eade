from django.core.management.base import BaseCommand

from factors.history import snapshot_record


class Command(BaseCommand):
    help = (
        "Record a maturity snapshot now (skipped when nothing moved since the last one). "
        "Run it daily: measures over the activity window move with time alone."
    )

    def handle(self, *args, **options):
        snapshot = snapshot_record(reason="daily record")
        self.stdout.write(f"{snapshot} (#{snapshot.pk})")
