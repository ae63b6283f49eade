"""The invalidation matrix: after each kind of change, the next anonymous request shows it.

Each case warms the cache (a miss, then a hit), makes one change the way the site
makes it, and checks the next anonymous request: a miss that shows the change.
(Inside pytest-django's test transaction the generation is bumped at the write,
since that transaction never commits; test_on_commit.py covers real commits.)
"""

import pytest
from django.utils import timezone

from cases.models import FactorApplication, Outcome, State
from factors.models import Criterion, Phase, PhaseChange
from pagecache.generation import generation_current
from tests.factories import (
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    OrganizationFactory,
    QuantifiedResultFactory,
    UserFactory,
)


def warm(client, url):
    assert client.get(url)["X-Cache"] == "miss"
    response = client.get(url)
    assert response["X-Cache"] == "hit"
    return response.content.decode()


def fresh(client, url, *, status=200):
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert response["X-Cache"] == "miss"
    return response.content.decode()


LIST = "/case-studies/"


def test_publish_shows_the_item(client, framework):
    item = CaseStudyFactory(title="Kill switches in retail", state=State.SUBMITTED)
    assert "Kill switches in retail" not in warm(client, LIST)
    client.get(item.get_absolute_url())  # a cached 404 must not outlive publication
    item.state = State.PUBLISHED
    item.published_at = timezone.now()
    item.save()
    assert "Kill switches in retail" in fresh(client, LIST)
    assert "Kill switches in retail" in fresh(client, item.get_absolute_url())


def test_withdraw_after_publish_removes_the_item(client, framework):
    item = CaseStudyFactory(title="Kill switches in retail")
    assert "Kill switches in retail" in warm(client, LIST)
    warm(client, item.get_absolute_url())
    item.state = State.WITHDRAWN
    item.save()
    assert "Kill switches in retail" not in fresh(client, LIST)
    fresh(client, item.get_absolute_url(), status=404)


def test_hide_removes_the_item(client, framework):
    item = CaseStudyFactory(title="Kill switches in retail")
    warm(client, item.get_absolute_url())
    assert "Kill switches in retail" in warm(client, LIST)
    item.hidden_at = timezone.now()
    item.hidden_reason = "Spam"
    item.save()
    assert "Kill switches in retail" not in fresh(client, LIST)
    fresh(client, item.get_absolute_url(), status=404)


@pytest.mark.parametrize("direction", ["promotion", "demotion"])
def test_promotion_and_demotion_show_on_the_factor_pages(client, framework, direction):
    factor = framework[4]
    alpha, beta = Phase.objects.order_by("order")[:2]
    if direction == "demotion":
        factor.phase = beta
        factor.save()
    start, end = (alpha, beta) if direction == "promotion" else (beta, alpha)
    assert f"phase-{start.slug}" in warm(client, factor.get_absolute_url())
    warm(client, "/factors/")
    warm(client, "/")
    factor.phase = end
    factor.save()
    PhaseChange.objects.create(
        factor=factor, from_phase=start, to_phase=end, rationale="Evidence says so."
    )
    html = fresh(client, factor.get_absolute_url())
    assert f"{start} → {end}" in html
    assert "Evidence says so." in html
    for url in ("/factors/", "/"):
        assert fresh(client, url).count(f"phase-{end.slug}") >= 1


def test_factor_edit_shows(client, framework):
    factor = framework[7]
    warm(client, "/factors/")
    warm(client, factor.get_absolute_url())
    factor.title = "Guarded Rollouts"
    factor.save()
    assert "Guarded Rollouts" in fresh(client, "/factors/")
    assert "Guarded Rollouts" in fresh(client, factor.get_absolute_url())


def test_criterion_edit_makes_pages_fresh(client, framework):
    criterion = Criterion.objects.first()
    warm(client, "/factors/")
    before = generation_current()
    criterion.threshold += 1
    criterion.save()
    assert generation_current() > before
    fresh(client, "/factors/")


def test_domain_edit_shows(client, framework):
    domain = DomainFactory(name="Retail")
    CaseStudyFactory(title="Kill switches in retail", domain=domain)
    warm(client, "/domains/")
    warm(client, LIST)
    domain.name = "Retail and e-commerce"
    domain.save()
    assert "Retail and e-commerce" in fresh(client, "/domains/")
    assert "Retail and e-commerce" in fresh(client, LIST)


def test_organization_edit_makes_pages_fresh(client, framework):
    organization = OrganizationFactory(name="Acme Bank")
    item = CaseStudyFactory(organization=organization, domain=organization.domain)
    warm(client, item.get_absolute_url())
    before = generation_current()
    organization.anonymized = True
    organization.save()
    assert generation_current() > before
    fresh(client, item.get_absolute_url())


def test_account_deletion_removes_the_name(client, framework):
    author = UserFactory(display_name="Ada Writer")
    item = CaseStudyFactory(author=author)
    assert "Ada Writer" in warm(client, item.get_absolute_url())
    author.delete()
    html = fresh(client, item.get_absolute_url())
    assert "Ada Writer" not in html
    assert "A former member" in html


def test_renaming_an_account_shows_the_new_name(client, framework):
    author = UserFactory(display_name="Ada Writer")
    item = CaseStudyFactory(author=author)
    warm(client, item.get_absolute_url())
    author.display_name = "Ada Lovelace"
    author.save()
    assert "Ada Lovelace" in fresh(client, item.get_absolute_url())


def test_sign_in_bookkeeping_does_not_empty_the_cache(client, framework, member):
    warm(client, "/factors/")
    member.last_login = timezone.now()
    member.save(update_fields=["last_login"])
    assert client.get("/factors/")["X-Cache"] == "hit"


@pytest.mark.parametrize(
    "change",
    [
        "factor_application_added",
        "factor_application_deleted",
        "quantified_result_edited",
        "failure_factors_m2m",
    ],
)
def test_changes_to_related_evidence_make_pages_fresh(client, framework, change):
    item = CaseStudyFactory(applied=[(framework[1], Outcome.WORKED)])
    result = QuantifiedResultFactory(case_study=item)
    failure = FailureReportFactory(factors=[framework[2]])
    url = item.get_absolute_url()
    warm(client, url)
    warm(client, failure.get_absolute_url())
    before = generation_current()
    if change == "factor_application_added":
        FactorApplication.objects.create(case_study=item, factor=framework[3], outcome="failed")
    elif change == "factor_application_deleted":
        FactorApplication.objects.filter(case_study=item).delete()
    elif change == "quantified_result_edited":
        result.after = 1
        result.save()
    else:
        failure.factors.add(framework[5])
    assert generation_current() > before
    fresh(client, url)
    fresh(client, failure.get_absolute_url())
