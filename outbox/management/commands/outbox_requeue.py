from django.core.management.base import BaseCommand
from django.db import transaction

from outbox.services import email_requeue


class Command(BaseCommand):
    help = (
        "Queue again the emails that have waited more than --minutes for the worker (a task "
        "lost in a crash, a worker that died while sending). Safe to run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=15)

    def handle(self, *args, minutes, **options):
        from datetime import timedelta

        with transaction.atomic():
            count = email_requeue(older_than=timedelta(minutes=minutes))
        self.stdout.write(f"{count} emails queued again.")
