"""At risk: a promoted factor whose entry criteria no longer hold is shown so, publicly, with the
reasons, and listed on the dashboard; it stays in its phase until a maintainer decides."""

from django.urls import reverse
from django.utils import timezone

from factors.models import Criterion, Factor
from factors.services import factor_promote
from tests.factories import CaseStudyFactory, DomainFactory


def test_hiding_evidence_puts_a_promoted_factor_at_risk_with_the_reason(
    client, scenario, maintainer
):
    # About domains only: without the criterion "no domains where it only failed" (factor I only
    # failed in Finance), a third domain makes factor I eligible. Criteria are data.
    Criterion.objects.filter(measure="domains_failed").delete()
    energy_domain = DomainFactory(name="Energy")
    energy = CaseStudyFactory(domain=energy_domain, applied=[(scenario.f1, "worked")])
    factor_promote(factor=scenario.f1, by=maintainer, rationale="Three domains now.")
    page = client.get(scenario.f1.get_absolute_url()).content.decode()
    assert "At risk" not in page

    energy.hidden_at = timezone.now()
    energy.hidden_reason = "Duplicate"
    energy.save()

    page = client.get(scenario.f1.get_absolute_url()).content.decode()
    assert "At risk:" in page
    assert "from Alpha into Beta no longer all hold" in page
    assert "2 of 3 (1 more needed)" in page
    dashboard = client.get(reverse("maturity")).content.decode()
    assert "Factors at risk" in dashboard
    assert f'href="{scenario.f1.get_absolute_url()}">I. ' in dashboard
    assert "At risk" in client.get(reverse("factors:list")).content.decode()
    # Nothing moved by itself: demotion stays a decision.
    assert Factor.objects.get(pk=scenario.f1.pk).phase.slug == "beta"


def test_no_factor_at_risk_means_no_section(client, scenario):
    dashboard = client.get(reverse("maturity")).content.decode()
    assert "Factors at risk" not in dashboard and "At risk" not in dashboard
