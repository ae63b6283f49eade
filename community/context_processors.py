from django.utils.functional import SimpleLazyObject


def inbox(request):
    """`inbox_unread`: the signed-in member's unread notifications, counted (one query) only
    when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        return user.notifications.unread().count()

    return {"inbox_unread": SimpleLazyObject(count)}
