"""The community around the framework: feedback threads, flags, profiles, follows, notifications.

One module a seam: threads (threads, replies, their revisions and recorded decisions), flags
(reports to the maintainers), members (profiles and follows) and notifications (the inbox).
"""

from .flags import Flag, FlagQuerySet, FlagStatus
from .members import Follow, NotifyChoice, Profile
from .notifications import (
    MAINTAINER_KINDS,
    Notification,
    NotificationKind,
    NotificationQuerySet,
)
from .threads import (
    FORMER_MEMBER,
    KIND_HELP,
    Contribution,
    Reply,
    ReplyQuerySet,
    ReplyRevision,
    Thread,
    ThreadKind,
    ThreadQuerySet,
    ThreadStatus,
    ThreadStatusChange,
)

__all__ = [
    "FORMER_MEMBER",
    "KIND_HELP",
    "MAINTAINER_KINDS",
    "Contribution",
    "Flag",
    "FlagQuerySet",
    "FlagStatus",
    "Follow",
    "Notification",
    "NotificationKind",
    "NotificationQuerySet",
    "NotifyChoice",
    "Profile",
    "Reply",
    "ReplyQuerySet",
    "ReplyRevision",
    "Thread",
    "ThreadKind",
    "ThreadQuerySet",
    "ThreadStatus",
    "ThreadStatusChange",
]
