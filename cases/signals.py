"""What the evidence workflow tells the rest of the site.

`cases` knows nothing of who listens: the community app (inbox, email, followers) connects its
receivers in its AppConfig.ready(). Each signal is sent once the change is committed
(transaction.on_commit, robust), so nobody hears of a step that was rolled back; the one
exception says so.
"""

from django.dispatch import Signal

# A review step was taken on a submission: sent by cases.services after the commit.
# sender: the item's model; keywords: item, change_id (None when the item was submitted for
# review, the StateChange of a maintainer's decision otherwise), resubmission (bool), site (the
# address the step was taken on, for links in what people are sent).
review_step_taken = Signal()

# Published evidence became ageing and its author is to be reminded, once: sent by
# cases.services.remind_ageing INSIDE the transaction that marks the item reminded, so the
# reminder and the mark are saved together or not at all. sender: the item's model; keyword: item.
ageing_reminder_due = Signal()
