from django.tasks import task

from .services import email_deliver


@task
def send_emails(email_ids: list[int]) -> dict:
    """Send these queued emails over one mail connection (see outbox.services.email_deliver)."""
    return email_deliver(email_ids)
