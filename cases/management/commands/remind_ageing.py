from django.core.management.base import BaseCommand

from cases.ageing import ageing_months
from cases.services import remind_ageing


class Command(BaseCommand):
    help = (
        "Remind the authors of published evidence that has become ageing (not confirmed "
        "within EVIDENCE_AGEING_MONTHS), once per item until it is re-confirmed. Run it daily."
    )

    def handle(self, *args, **options):
        sent = remind_ageing()
        self.stdout.write(
            f"Reminded {sent} author{'s' if sent != 1 else ''} of evidence older than "
            f"{ageing_months()} months."
        )
