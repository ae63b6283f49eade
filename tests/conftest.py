import pytest
from django.core.management import call_command
from django.core.signals import setting_changed
from django.dispatch import receiver


@receiver(setting_changed)
def _reload_task_backends(*, setting, **kwargs):
    """django.tasks keeps its backends once made; a test that changes TASKS gets new ones."""
    if setting == "TASKS":
        from asgiref.local import Local
        from django.tasks import task_backends

        task_backends.__dict__.pop("settings", None)
        task_backends._settings = None
        task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    """Tasks (email, outbox/) run at once in the test's own process, when enqueued (on commit):
    what the worker would do, without one. tests/outbox/test_worker.py runs a real worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]


# The rows `load_framework` writes, kept from the first test in this process that asks for the
# framework: [(model, [row dicts])], in the order the models are installed (parents first).
_FRAMEWORK_ROWS: list = []


@pytest.fixture
def framework(db):
    """The default framework as `manage.py load_framework` loads it.

    The first test in a process runs the command itself (about 0.4 s); the rows it wrote (every
    model whose row count it raised) are kept, and later tests insert the same rows in bulk: same
    data, same primary keys, a fraction of the time.
    """
    from django.apps import apps

    from factors.models import Factor

    if not _FRAMEWORK_ROWS:
        models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
        before = {m: m._default_manager.count() for m in models}
        call_command("load_framework", verbosity=0)
        for model in models:
            if model._default_manager.count() > before[model]:
                _FRAMEWORK_ROWS.append((model, list(model._default_manager.values())))
    else:
        for model, rows in _FRAMEWORK_ROWS:
            model._default_manager.bulk_create(model(**row) for row in rows)
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
    # Clear this in-process cache, the one made here, and no other: at teardown a test may
    # still have the default cache pointed at Redis, and RedisCache.clear() is FLUSHDB,
    # which emptied the keys of tests running at the same moment in other xdist workers.
    cache = caches["default"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own (free port, temp directory), stopped at the end."""
    import shutil

    from bench.private import PrivateRedis

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def resilient_cache(settings, private_redis):
    """The default cache on the private Redis, configured as settings.py does for CACHE_URL."""
    from common.cache import breaker_for

    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "RETRY_AFTER": 2},
        }
    }
    breaker_for(private_redis.url).reset()
    yield private_redis
    breaker_for(private_redis.url).reset()
