"""The site's write pages are rate limited (numbers from settings.RATE_LIMITS)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import CaseStudyFactory, ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(framework):
    thread = ThreadFactory(factor=framework[1])
    case = CaseStudyFactory()
    return {
        "submit": [reverse("cases:submission_create", args=["case_study"])],
        "feedback": [
            reverse("community:thread_create", args=[framework[1].slug]),
            reverse("community:thread_reply", args=[thread.pk]),
        ],
        "flag": [reverse("community:flag", args=["case_study", case.pk])],
    }


@pytest.mark.parametrize("action", ["submit", "feedback", "flag"])
def test_write_pages_answer_429_past_the_per_account_limit(
    client, settings, member, targets, action
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, action: "100/h/ip,1/h/user"}
    client.force_login(member)
    for url in targets[action]:
        cache.clear()
        first = client.post(url, {})
        assert first.status_code != 429, url
        refused = client.post(url, {})
        assert refused.status_code == 429, url
        assert 1 <= int(refused["Retry-After"]) <= 3600  # until the hour's window ends
        assert "Please slow down" in refused.content.decode()
        # Reading the form is not limited.
        if url != targets["feedback"][-1]:  # replying is POST only
            assert client.get(url).status_code == 200, url
