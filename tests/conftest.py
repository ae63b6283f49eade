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
def _empty_cache(settings):
    """Tests use an in-process cache (whatever CACHE_URL says), empty at each test's start and
    end: no page cached and no rate-limit count left by an earlier test. A test may switch to
    Redis itself."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "agentops-web-tests",
        }
    }
    caches["default"].clear()
    yield
    caches["default"].clear()
