from django.core.management.base import BaseCommand

from factors.history import snapshot_record
from factors.models import MaturitySnapshot
from pagecache.generation import generation_bump_on_commit


class Command(BaseCommand):
    help = (
        "Record a maturity snapshot now (skipped when nothing moved since the last one). "
        "Run it daily: measures over the activity window move with time alone."
    )

    def handle(self, *args, **options):
        latest = MaturitySnapshot.objects.order_by("-taken_at", "-pk").first()
        snapshot = snapshot_record(reason="daily record")
        if snapshot != latest:
            generation_bump_on_commit()  # factor pages chart the new point
            self.stdout.write(f"Recorded: {snapshot} (#{snapshot.pk})")
        else:
            self.stdout.write(f"Nothing moved since {snapshot} (#{snapshot.pk})")
