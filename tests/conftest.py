import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]


@pytest.fixture
def framework(db):
    """The default framework as `manage.py load_framework` loads it."""
    call_command("load_framework", verbosity=0)
    from factors.models import Factor

    return {f.number: f for f in Factor.objects.with_phase()}


@pytest.fixture
def member(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def maintainer(db):
    from accounts.services import user_grant_maintainer
    from tests.factories import UserFactory

    return user_grant_maintainer(user=UserFactory())


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counts live in the cache: every test starts with none.

    Only an in-process cache is cleared: clearing a shared Redis would empty it for everyone.
    """
    from django.core.cache import cache

    local = "locmem" in type(cache).__module__
    if local:
        cache.clear()
    yield
    if local:
        cache.clear()
