"""How the community app reacts to what other apps announce: people hear of it.

Connected in CommunityConfig.ready(). The senders (cases, factors) import nothing from here:
the dependency runs one way, community -> cases -> factors.
"""

from django.dispatch import receiver

from cases.signals import ageing_reminder_due, review_step_taken
from factors.signals import phase_changed

from .notifications import notify_phase_change
from .review_notifications import notify_ageing
from .tasks import notify_review_step


@receiver(review_step_taken, dispatch_uid="community.review_step_taken")
def review_step_to_worker(sender, *, item, change_id, resubmission, site, **kwargs):
    """The inbox entries and emails for a maintainer's publish to 40 followers are not made in
    the request: the task worker makes them."""
    notify_review_step.enqueue(
        model=item._meta.label_lower,
        pk=item.pk,
        change_id=change_id,
        resubmission=resubmission,
        site=site,
    )


@receiver(phase_changed, dispatch_uid="community.phase_changed")
def phase_change_to_followers(sender, *, factor, change, **kwargs):
    notify_phase_change(factor, change)


@receiver(ageing_reminder_due, dispatch_uid="community.ageing_reminder_due")
def ageing_reminder_to_author(sender, *, item, **kwargs):
    notify_ageing(item=item)
