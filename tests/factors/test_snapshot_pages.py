"""The public maturity pages read the current snapshot: the same figures as computing them.

After each kind of change (publish, hide, criterion edit, promotion), done as a committed
change does it (a snapshot recorded, then the generation bump, factors/history.py), the
factor list, the dashboard and a factor page read from the snapshot must show exactly what
they show when every measure is computed afresh from the database.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from cases.measures import improvement_of
from cases.services import submission_publish
from community.services import item_hide
from factorpages import views
from factors import selectors
from factors.history import current_snapshot
from factors.models import Criterion, Factor, MaturitySnapshot
from factors.services import factor_promote
from pagecache.generation import generation_bump, generation_bump_after_change
from tests.factories import CaseStudyFactory, DomainFactory


def _main(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _computed_status(slug):
    factor = Factor.objects.with_phase().get(slug=slug)
    status = selectors._factor_status(factor, now=None)
    status.improvement_metrics = improvement_of(factor).metrics  # over every case study
    return status


@pytest.fixture
def same_as_computed(client, scenario, monkeypatch):
    """Commit what was changed (snapshot, bump); then each page read from the snapshot must
    equal the page computed afresh. Returns the pages, read from the snapshot."""

    def check() -> dict[str, str]:
        generation_bump_after_change()  # what the commit of the change does
        marked = current_snapshot()
        rows = MaturitySnapshot.objects.count()
        urls = {
            "list": reverse("factors:list"),
            "dashboard": reverse("maturity"),
            "factor": scenario.f1.get_absolute_url(),
        }
        read = {name: _main(client.get(url)) for name, url in urls.items()}
        assert MaturitySnapshot.objects.count() == rows  # read, not recorded again
        assert current_snapshot() == marked
        with monkeypatch.context() as m:
            m.setattr(views, "current_report", lambda **kw: selectors.fresh_maturity_report())
            m.setattr(views, "current_factor_status", _computed_status)
            generation_bump()
            computed = {name: _main(client.get(url)) for name, url in urls.items()}
        for name in urls:
            a, b = read[name], computed[name]
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
            if at is not None or len(a) != len(b):
                at = at if at is not None else min(len(a), len(b))
                where = slice(max(0, at - 300), at + 200)
                assert a[where] == b[where], name  # the first difference, in context
        return read

    with override_settings(PAGE_CACHE_VIEWS=[]):
        yield check


def _case_studies_value(html: str) -> str:
    link = f'<td data-label="Value"><a href="{reverse("cases:casestudy_list")}">'
    start = html.index(link) + len(link)
    return html[start : html.index("<", start)]


def test_after_publish_and_hide_the_pages_match_a_fresh_computation(
    same_as_computed, scenario, maintainer
):
    pages = same_as_computed()
    assert _case_studies_value(pages["dashboard"]) == "3"
    item = CaseStudyFactory(
        state="submitted",
        published_at=None,
        domain=DomainFactory(name="Logistics"),
        applied=[(scenario.f1, "worked")],
    )
    submission_publish(item=item, actor=maintainer, comment="Published.")
    pages = same_as_computed()
    assert _case_studies_value(pages["dashboard"]) == "4"
    assert ">Logistics<" in pages["dashboard"] and "Logistics" in pages["factor"]
    item_hide(item=scenario.cs1, actor=maintainer, reason="Not about agents.")
    pages = same_as_computed()
    assert _case_studies_value(pages["dashboard"]) == "3"


def test_after_a_criterion_edit_the_pages_match_a_fresh_computation(same_as_computed, scenario):
    domains_url = reverse("factors:evidence", args=[scenario.f1.slug, "domains"])
    pages = same_as_computed()
    assert f'<a href="{domains_url}">2</a> / 3' in pages["dashboard"]
    criterion = Criterion.objects.get(phase__slug="alpha", measure="domains")
    criterion.threshold = 2
    criterion.save()
    pages = same_as_computed()
    assert f'<a href="{domains_url}">2</a> / 2' in pages["dashboard"]


def test_after_a_promotion_the_pages_match_a_fresh_computation(
    same_as_computed, scenario, maintainer
):
    same_as_computed()
    factor_promote(
        factor=scenario.f1,
        by=maintainer,
        rationale="Tried in enough places.",
        override=True,
        override_reason="Testing the pages.",
    )
    pages = same_as_computed()
    assert 'Phase: <span class="phase phase-beta">Beta</span>' in pages["factor"]
