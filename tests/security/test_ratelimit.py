"""Rate limits: per address and per account, with a friendly 429 page that says when to retry."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from common import ratelimit as rl
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls_ratelimit")]


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves forward, at the start of an hour so windows are predictable."""
    now = {"t": 1_800_000_000.0 - 1_800_000_000.0 % 3600}
    monkeypatch.setattr(rl, "_clock", lambda: now["t"])
    return now


def test_rates_parse_from_settings_strings():
    assert rl.parse_rates("20/h/ip, 10/5m/user") == [
        rl.Rate(20, 3600, "ip"),
        rl.Rate(10, 300, "user"),
    ]
    for bad in ("20/h", "x/h/ip", "20/w/ip", "20/h/planet", "0/h/ip"):
        with pytest.raises(ImproperlyConfigured):
            rl.parse_rates(bad)


def test_per_account_limit_is_hit_then_resets_when_the_window_passes(client, settings, clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit": "100/h/ip,3/h/user"}
    client.force_login(UserFactory())
    for _ in range(3):
        assert client.post("/limited/").status_code == 200
    refused = client.post("/limited/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    page = refused.content.decode()
    assert "Please slow down" in page
    assert "about 60 minutes" in page
    assert 'class="site-header"' in page  # in the site layout
    # Reading the form is never limited.
    assert client.get("/limited/").status_code == 200

    clock["t"] += 1800  # half an hour on: still refused, and it says so
    assert client.post("/limited/")["Retry-After"] == "1800"

    clock["t"] += 1800  # the hour has passed
    assert client.post("/limited/").status_code == 200


def test_another_account_from_another_address_is_not_affected(client, settings, clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit": "100/h/ip,1/h/user"}
    client.force_login(UserFactory())
    client.post("/limited/")
    assert client.post("/limited/").status_code == 429
    client.force_login(UserFactory())
    assert client.post("/limited/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_per_address_limit_applies_to_anonymous_visitors_and_across_accounts(
    client, settings, clock
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit": "2/m/ip,100/h/user"}
    assert client.post("/limited/").status_code == 200
    client.force_login(UserFactory())
    assert client.post("/limited/").status_code == 200
    refused = client.post("/limited/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "about 1 minute" in refused.content.decode()
    # Another address is still served.
    assert client.post("/limited/", REMOTE_ADDR="10.0.0.7").status_code == 200
    clock["t"] += 60
    assert client.post("/limited/").status_code == 200


def test_limits_can_be_switched_off(client, settings, clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit": "1/h/ip"}
    settings.RATELIMIT_ENABLED = False
    for _ in range(3):
        assert client.post("/limited/").status_code == 200


def test_every_action_in_settings_is_well_formed(settings):
    for action, text in settings.RATE_LIMITS.items():
        assert rl.parse_rates(text), action
    for action in ("submit", "feedback", "flag"):
        scopes = {rate.scope for rate in rl.rates_for(action)}
        assert scopes == {"ip", "user"}, action


def test_allauth_uses_the_numbers_from_settings(settings):
    from allauth.account import app_settings

    for action in ("login", "login_failed", "signup", "reset_password"):
        assert app_settings.RATE_LIMITS[action] == settings.RATE_LIMITS[action]


def test_sign_in_failures_are_limited_per_account(client, settings):
    """The lockout answers on the form itself (what was typed is kept), with a 429 saying so
    and Retry-After: the time until the oldest counted failure leaves the window."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "100/m/ip,3/5m/key"}
    user = UserFactory()
    wrong = {"login": user.email, "password": "not the password"}
    for _ in range(3):
        assert client.post(reverse("account_login"), wrong).status_code == 200
    refused = client.post(reverse("account_login"), wrong)
    assert refused.status_code == 429
    assert 295 <= int(refused["Retry-After"]) <= 300
    html = refused.content.decode()
    assert "Signing in is paused after too many failed attempts" in html
    assert "try again in 5 minutes" in html
    assert f'value="{user.email}"' in html
    # Even the right password waits: that is the point of the limit.
    right = {"login": user.email, "password": "correct horse battery staple"}
    assert client.post(reverse("account_login"), right).status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    other = UserFactory()
    ok = client.post(
        reverse("account_login"),
        {"login": other.email, "password": "correct horse battery staple"},
    )
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_sign_in_attempts_are_limited_per_address_with_our_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/m/ip"}
    data = {"login": "nobody@example.org", "password": "whatever it is"}
    for _ in range(2):
        assert client.post(reverse("account_login"), data).status_code == 200
    refused = client.post(reverse("account_login"), data)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Please slow down" in refused.content.decode()
    assert client.post(reverse("account_login"), data, REMOTE_ADDR="10.1.1.1").status_code == 200


def test_sign_up_is_limited_per_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/h/ip"}
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": "2/h/ip"}
    for n in range(2):
        client.logout()
        data = {"email": f"new{n}@example.org", "password1": "a long pass 4242"}
        data["password2"] = data["password1"]
        data["display_name"] = f"Newcomer {n}"
        assert client.post(reverse("account_signup"), data).status_code == 302
    client.logout()
    data = {"email": "new9@example.org", "password1": "a long pass 4242"}
    data["password2"] = data["password1"]
    data["display_name"] = "Newcomer 9"
    refused = client.post(reverse("account_signup"), data)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"


def test_password_reset_is_limited_per_email(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "100/m/ip,2/h/key"}
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reset_password": "100/m/ip,2/h/key"}
    user = UserFactory()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):  # the commit, then the worker
            response = client.post(reverse("account_reset_password"), {"email": user.email})
        assert response.status_code == 302
    refused = client.post(reverse("account_reset_password"), {"email": user.email})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert len(mailoutbox) == 2


def test_two_app_servers_sharing_redis_share_the_counts(monkeypatch, settings, clock, rf):
    """Each app server has its own cache client; with CACHE_URL=redis:// they count together."""
    import uuid

    from django.core.cache.backends.redis import RedisCache

    prefix = f"agentops-security-test-{uuid.uuid4().hex}"
    servers = [RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": prefix}) for _ in range(2)]
    try:
        servers[0].get("ping")
    except Exception as exc:  # noqa: BLE001 - any connection failure
        pytest.skip(f"Redis is not reachable at 127.0.0.1:6379: {exc}")
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit": "3/h/ip"}
    request = rf.post("/submit/")
    try:
        answers = []
        for n in range(4):
            monkeypatch.setattr(rl, "cache", servers[n % 2])
            answers.append(rl.ratelimit_hit(request, "submit"))
        assert answers == [None, None, None, 3600]
    finally:
        client = servers[0]._cache.get_client(write=True)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def test_an_unreachable_cache_lets_requests_through(monkeypatch, settings, rf, caplog):
    """Redis down must not take the site down: the limit is skipped, and a warning logged."""
    from django.core.cache.backends.redis import RedisCache

    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    monkeypatch.setattr(rl, "cache", down)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit": "1/h/ip"}
    request = rf.post("/submit/")
    assert [rl.ratelimit_hit(request, "submit") for _ in range(3)] == [None, None, None]
    assert "cache is unavailable" in caplog.text


def test_the_lockout_wait_counts_down_with_the_oldest_failure(client, settings, monkeypatch):
    import time

    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "100/m/ip,2/5m/key"}
    user = UserFactory()
    wrong = {"login": user.email, "password": "not the password"}
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    client.post(reverse("account_login"), wrong)
    monkeypatch.setattr(time, "time", lambda: start + 100)
    client.post(reverse("account_login"), wrong)
    monkeypatch.setattr(time, "time", lambda: start + 160)
    refused = client.post(reverse("account_login"), wrong)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "140"  # the first failure leaves the window at 300 s
    assert "try again in 3 minutes" in refused.content.decode()


def test_a_wrong_password_without_lockout_is_no_429(client, db):
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "not the password"}
    )
    assert response.status_code == 200
    assert "Retry-After" not in response
