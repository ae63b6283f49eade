"""Every community URL for an anonymous visitor, a member, the item's author and a maintainer."""

import pytest
from django.urls import reverse

from community.models import Flag, Notification
from community.notifications import unsubscribe_token
from tests.factories import ReplyFactory, ThreadFactory, UserFactory

LOGIN = "login"
ALL_OK = {"anonymous": 200, "member": 200, "author": 200, "maintainer": 200}
SIGNED_IN = {"anonymous": LOGIN, "member": 200, "author": 200, "maintainer": 200}
MAINTAINERS = {"anonymous": LOGIN, "member": 403, "author": 403, "maintainer": 200}


def _p(status_map, ok):
    """The same map with the success status replaced (e.g. 302 for a POST that redirects)."""
    return {role: (ok if s == 200 else s) for role, s in status_map.items()}


CASES = [
    ("thread_list", "GET", lambda w: [], {}, ALL_OK),
    ("thread_create", "GET", lambda w: [w["factor"].slug], {}, SIGNED_IN),
    ("thread_detail", "GET", lambda w: [w["thread"].pk], {}, ALL_OK),
    ("thread_reply", "POST", lambda w: [w["thread"].pk], {"body": "Hi"}, _p(SIGNED_IN, 302)),
    (
        "thread_decide",
        "POST",
        lambda w: [w["thread"].pk],
        {"status": "resolved", "reason": "Done"},
        _p(MAINTAINERS, 302),
    ),
    (
        "reply_edit",
        "GET",
        lambda w: [w["reply"].pk],
        {},
        {"anonymous": LOGIN, "member": 403, "author": 200, "maintainer": 403},
    ),
    ("flag", "GET", lambda w: ["thread", w["thread"].pk], {}, SIGNED_IN),
    ("flag", "POST", lambda w: ["reply", w["reply"].pk], {"reason": "x"}, _p(SIGNED_IN, 302)),
    ("moderation", "GET", lambda w: [], {}, MAINTAINERS),
    ("flag_hide", "POST", lambda w: [w["flag"].pk], {"reason": "Abuse"}, _p(MAINTAINERS, 302)),
    ("flag_dismiss", "POST", lambda w: [w["flag"].pk], {}, _p(MAINTAINERS, 302)),
    ("contributor_list", "GET", lambda w: [], {}, ALL_OK),
    ("contributor_detail", "GET", lambda w: [w["author"].pk], {}, ALL_OK),
    ("settings", "GET", lambda w: [], {}, SIGNED_IN),
    ("delete_account", "GET", lambda w: [], {}, SIGNED_IN),
    (
        "follow_factor",
        "POST",
        lambda w: [w["factor"].slug],
        {"action": "follow"},
        _p(SIGNED_IN, 302),
    ),
    ("inbox", "GET", lambda w: [], {}, SIGNED_IN),
    ("inbox_mark_read", "POST", lambda w: [], {"all": "1"}, _p(SIGNED_IN, 302)),
    (
        "inbox_open",
        "GET",
        lambda w: [w["notification"].pk],
        {},
        {"anonymous": LOGIN, "member": 404, "author": 302, "maintainer": 404},
    ),
    ("unsubscribe", "GET", lambda w: [w["token"]], {}, ALL_OK),
    ("resubscribe", "POST", lambda w: [w["token"]], {}, _p(ALL_OK, 302)),
]


@pytest.fixture
def world(framework, maintainer):
    author = UserFactory(display_name="The Author")
    thread = ThreadFactory(factor=framework[2], author=author)
    reply = ReplyFactory(thread=thread, author=author)
    flag = Flag.objects.create(item=thread, flagged_by=UserFactory(), reason="Spam")
    return {
        "factor": framework[2],
        "author": author,
        "member": UserFactory(),
        "maintainer": maintainer,
        "thread": thread,
        "reply": reply,
        "flag": flag,
        "token": unsubscribe_token(user=author, kind="reply"),
        "notification": Notification.objects.create(
            recipient=author, kind="reply", subject="Hi", url=thread.get_absolute_url()
        ),
    }


@pytest.mark.parametrize("role", ["anonymous", "member", "author", "maintainer"])
@pytest.mark.parametrize(
    ("name", "method", "args", "data", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[1]}" for c in CASES],
)
def test_every_url_for_every_role(client, world, role, name, method, args, data, expected):
    if role != "anonymous":
        client.force_login(world[role])
    url = reverse(f"community:{name}", args=args(world))
    response = client.post(url, data) if method == "POST" else client.get(url)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == want, response.content.decode()[:500]


@pytest.mark.parametrize(
    "name", ["thread_reply", "thread_decide", "flag_hide", "flag_dismiss", "inbox_mark_read"]
)
def test_post_only_urls_answer_405_to_get(client, world, name):
    client.force_login(world["maintainer"])
    args = {
        "thread_reply": [world["thread"].pk],
        "thread_decide": [world["thread"].pk],
        "flag_hide": [world["flag"].pk],
        "flag_dismiss": [world["flag"].pk],
        "inbox_mark_read": [],
    }[name]
    assert client.get(reverse(f"community:{name}", args=args)).status_code == 405


def test_csrf_is_enforced_on_community_forms(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["member"])
    url = reverse("community:thread_reply", args=[world["thread"].pk])
    assert client.post(url, {"body": "no token"}).status_code == 403
