"""Work after a review step that nobody waits for: telling people (run by the task worker)."""

from django.apps import apps
from django.tasks import task

from agentops_web.siteurl import site_url_as
from cases.models import StateChange

from . import review_notifications as notifications


@task
def notify_review_step(
    *, model: str, pk: int, change_id: int | None = None, resubmission=False, site: str = ""
) -> int:
    """Tell the maintainers of a submission (no change_id) or the author and followers of a
    decision (change_id), with links on `site`, the address the step was taken on."""
    item = apps.get_model(model)._default_manager.select_related("author", "domain").get(pk=pk)
    with site_url_as(site):
        if change_id is None:
            created = notifications.notify_submitted(item=item, resubmission=resubmission)
        else:
            change = StateChange.objects.select_related("actor").get(pk=change_id)
            created = notifications.notify_decision(item=item, change=change)
    return len(created) if isinstance(created, list) else created
