import pytest

from tests.factories import ThreadFactory, UserFactory


@pytest.fixture
def author(db):
    """The author of `thread`."""
    return UserFactory(display_name="Thread Author")


@pytest.fixture
def thread(framework, author):
    return ThreadFactory(factor=framework[3], author=author, title="Does factor III hold?")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"
