"""Pages run a fixed number of queries whatever the data size (checked at 2 and 25 items)."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Flag
from community.notifications import notify
from pagecache.generation import generation_bump, generation_bump_after_change
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    FailureReportFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _same_at_two_sizes(client, url, grow, cap, django_assert_max_num_queries):
    # The whole-page cache would answer anonymous requests without running the view.
    with override_settings(PAGE_CACHE_VIEWS=[]):
        grow(2)
        _count(client, url)  # warm the per-process caches (content types), as a live site has
        small = _count(client, url)
        grow(23)
        _count(client, url)  # values cached per generation (the measures) are rebuilt once
        with django_assert_max_num_queries(cap):
            large = _count(client, url)
    assert small == large, f"{url}: {small} queries with few items, {large} with many"


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def test_thread_list(signed_in, framework, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            t = ThreadFactory(factor=framework[1 + i % 12])
            ReplyFactory(thread=t)

    _same_at_two_sizes(
        signed_in, reverse("community:thread_list"), grow, 8, django_assert_max_num_queries
    )


def test_factor_page_with_threads(signed_in, framework, django_assert_max_num_queries):
    factor = framework[3]

    def grow(n):
        for _ in range(n):
            ReplyFactory(thread=ThreadFactory(factor=factor))

    # The factor page belongs to the maturity work. The community adds three queries, whatever
    # the data size: the header's unread count, the open threads, whether the member follows
    # the factor; its measures (open_challenges, engaged members) are counted when a maturity
    # snapshot is recorded, which the page reads.
    _same_at_two_sizes(
        signed_in, factor.get_absolute_url(), grow, 24, django_assert_max_num_queries
    )
    with CaptureQueriesContext(connection) as ctx:
        signed_in.get(factor.get_absolute_url())
    ours = [q["sql"] for q in ctx.captured_queries if "community_" in q["sql"]]
    assert len(ours) == 3, "\n".join(ours)
    generation_bump_after_change()  # a committed change: its snapshot, then the bump
    with CaptureQueriesContext(connection) as ctx:
        signed_in.get(factor.get_absolute_url())
    ours = [q["sql"] for q in ctx.captured_queries if "community_" in q["sql"]]
    assert len(ours) == 3, "\n".join(ours)
    generation_bump()  # a bump without its snapshot: the page records one (two measures)
    with CaptureQueriesContext(connection) as ctx:
        signed_in.get(factor.get_absolute_url())
    ours = [q["sql"] for q in ctx.captured_queries if "community_" in q["sql"]]
    assert len(ours) == 5, "\n".join(ours)


def test_thread_detail(signed_in, thread, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            ReplyFactory(thread=thread)

    _same_at_two_sizes(
        signed_in, thread.get_absolute_url(), grow, 10, django_assert_max_num_queries
    )


def test_profile(client, framework, django_assert_max_num_queries):
    person = UserFactory()

    def grow(n):
        for _ in range(n):
            CaseStudyFactory(author=person)
            AdaptationFactory(author=person, factor=framework[1])
            FailureReportFactory(author=person)
            CaseStudyFactory(author=person, consent="anonymous")
            ReplyFactory(author=person, thread=ThreadFactory(factor=framework[2], author=person))

    url = reverse("community:contributor_detail", args=[person.pk])
    _same_at_two_sizes(client, url, grow, 8, django_assert_max_num_queries)


def test_contributors(client, framework, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            CaseStudyFactory()
            ThreadFactory(factor=framework[1])

    url = reverse("community:contributor_list")
    _same_at_two_sizes(client, url, grow, 10, django_assert_max_num_queries)


def test_inbox_and_header_count(signed_in, member, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            notify(recipients=[member], kind="reply", subject=f"N{i}", url="/")

    _same_at_two_sizes(
        signed_in, reverse("community:inbox"), grow, 6, django_assert_max_num_queries
    )


def test_moderation_queue(client, framework, maintainer, django_assert_max_num_queries):
    client.force_login(maintainer)

    def grow(n):
        for _ in range(n):
            t = ThreadFactory(factor=framework[1])
            r = ReplyFactory(thread=t)
            c = CaseStudyFactory()
            for item in (t, r, c):
                Flag.objects.create(item=item, flagged_by=UserFactory(), reason="x")

    url = reverse("community:moderation")
    _same_at_two_sizes(client, url, grow, 12, django_assert_max_num_queries)
