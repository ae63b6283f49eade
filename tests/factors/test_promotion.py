"""Promotion and demotion: maintainers decide; criteria are checked; every change is recorded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from factors.models import Factor, Framework, Phase, PhaseChange
from factors.selectors import factor_status
from factors.services import (
    PromotionRefused,
    factor_demote,
    factor_promote,
    framework_demote,
    framework_promote,
)
from tests.factories import AdaptationFactory, CaseStudyFactory, DomainFactory


@pytest.fixture
def eligible(scenario):
    """Factor I meets its Alpha criteria once it has worked in a third domain and its failure
    in Finance is addressed there by an adaptation (no domain where it only failed)."""
    CaseStudyFactory(domain=scenario.energy, applied=[(scenario.f1, "worked")])
    AdaptationFactory(factor=scenario.f1, domain=scenario.finance)
    return scenario.f1


def _phase(factor) -> str:
    return Factor.objects.get(pk=factor.pk).phase.slug


def test_eligibility_never_moves_a_factor_by_itself(eligible):
    assert factor_status(eligible).eligibility.eligible
    assert _phase(eligible) == "alpha"
    assert not PhaseChange.objects.exists()


def test_maintainer_promotes_an_eligible_factor_and_it_is_recorded(eligible, maintainer):
    change = factor_promote(factor=eligible, by=maintainer, rationale="Three domains now.")
    assert _phase(eligible) == "beta"
    change.refresh_from_db()
    assert (change.factor, change.from_phase.slug, change.to_phase.slug) == (
        eligible,
        "alpha",
        "beta",
    )
    assert change.changed_by == maintainer and change.rationale == "Three domains now."
    assert change.changed_at is not None
    assert not change.override and change.unmet_criteria == []


def test_promotion_refused_with_the_unmet_criteria(scenario, maintainer):
    f2 = scenario.f2  # no domain where it worked; 2 failures
    with pytest.raises(PromotionRefused) as refused:
        factor_promote(factor=f2, by=maintainer, rationale="Please.")
    assert [v.criterion.measure for v in refused.value.unmet] == ["domains", "domains_failed"]
    assert [v.shortfall for v in refused.value.unmet] == [3, 2]
    assert "At least 3 domains where it worked (0 of 3)" in str(refused.value)
    assert "No domains where it only failed (2, at most 0)" in str(refused.value)
    assert _phase(f2) == "alpha" and not PhaseChange.objects.exists()


def test_override_with_a_reason_promotes_and_records_unmet_criteria(scenario, maintainer):
    change = factor_promote(
        factor=scenario.f3,
        by=maintainer,
        rationale="Field reports outside the site.",
        override=True,
        override_reason="Steering committee decision of May.",
    )
    assert _phase(scenario.f3) == "beta"
    change.refresh_from_db()
    assert change.override and change.override_reason == "Steering committee decision of May."
    assert [(c["measure"], c["value"], c["threshold"]) for c in change.unmet_criteria] == [
        ("domains", 0, 3),
        ("failures_or_adaptations", 0, 2),
    ]


def test_override_without_a_reason_is_refused(scenario, maintainer):
    with pytest.raises(ValidationError):
        factor_promote(
            factor=scenario.f3, by=maintainer, rationale="Go.", override=True, override_reason=" "
        )
    assert _phase(scenario.f3) == "alpha"


def test_override_is_not_recorded_when_criteria_hold(eligible, maintainer):
    change = factor_promote(
        factor=eligible, by=maintainer, rationale="Ok.", override=True, override_reason="Why not."
    )
    assert not change.override and change.override_reason == ""


def test_rationale_is_required(eligible, maintainer):
    with pytest.raises(ValidationError):
        factor_promote(factor=eligible, by=maintainer, rationale="  ")


def test_only_maintainers_promote_or_demote(eligible, member):
    with pytest.raises(PermissionDenied):
        factor_promote(factor=eligible, by=member, rationale="Me too.")
    with pytest.raises(PermissionDenied):
        factor_demote(factor=eligible, by=member, reason="No.")
    assert _phase(eligible) == "alpha"


def test_last_phase_cannot_be_promoted_and_first_cannot_be_demoted(framework, maintainer):
    factor = framework[5]
    with pytest.raises(ValidationError):
        factor_demote(factor=factor, by=maintainer, reason="Lower.")
    Factor.objects.filter(pk=factor.pk).update(phase=Phase.objects.get(slug="v1-0"))
    with pytest.raises(ValidationError):
        factor_promote(factor=factor, by=maintainer, rationale="Higher.", override=True,
                       override_reason="x")  # fmt: skip


def test_demotion_needs_a_reason_and_is_recorded(eligible, maintainer):
    factor_promote(factor=eligible, by=maintainer, rationale="Up.")
    with pytest.raises(ValidationError):
        factor_demote(factor=eligible, by=maintainer, reason="")
    change = factor_demote(factor=eligible, by=maintainer, reason="Two case studies retracted.")
    assert _phase(eligible) == "alpha"
    assert (change.from_phase.slug, change.to_phase.slug) == ("beta", "alpha")
    assert PhaseChange.objects.filter(factor=eligible).count() == 2


def test_framework_promotion_follows_framework_criteria(framework, maintainer):
    # Alpha → Beta needs 3 active collaborators and every factor classified; neither holds.
    with pytest.raises(PromotionRefused) as refused:
        framework_promote(by=maintainer, rationale="Go.")
    assert {v.criterion.measure for v in refused.value.unmet} == {
        "active_collaborators",
        "factors_unproven",
    }
    health = DomainFactory(name="Health")
    for _ in range(3):
        CaseStudyFactory(domain=health, applied=[(f, "worked") for f in framework.values()])
    with pytest.raises(PromotionRefused) as refused:  # one domain each: still unproven
        framework_promote(by=maintainer, rationale="Go.")
    assert [(v.criterion.measure, v.value) for v in refused.value.unmet] == [
        ("factors_unproven", 12)
    ]
    Framework.objects.update(classification_min_domains=1)  # maintainers' setting
    change = framework_promote(by=maintainer, rationale="Three collaborators.")
    assert change.factor is None and Framework.objects.get().phase.slug == "beta"
    framework_demote(by=maintainer, reason="Collaborators left.")
    assert Framework.objects.get().phase.slug == "alpha"


# -- through the pages --------------------------------------------------------------------------


def test_maintainer_sees_the_promotion_form_others_do_not(client, eligible, maintainer, member):
    url = eligible.get_absolute_url()
    assert "Promote to Beta" not in client.get(url).content.decode()
    client.force_login(member)
    assert "Promote to Beta" not in client.get(url).content.decode()
    client.force_login(maintainer)
    html = client.get(url).content.decode()
    assert "Promote to Beta" in html and 'name="csrfmiddlewaretoken"' in html


def _confirm(client, url, data):
    """The promotion form's two steps: the preview, then the confirmation it offers."""
    preview = client.post(url, data)
    assert preview.status_code == 200 and "What the decision will change" in (
        preview.content.decode()
    )
    assert _phase_of_url(url) == "alpha"  # the preview changes nothing
    return client.post(
        url, {**data, "confirm": "1", "snapshot": preview.context["preview"].snapshot.pk}
    )


def _phase_of_url(url) -> str:
    slug = url.rstrip("/").split("/")[-2]
    return Factor.objects.get(slug=slug).phase.slug


def test_promote_through_the_page(client, eligible, maintainer):
    client.force_login(maintainer)
    response = _confirm(
        client, reverse("factors:promote", args=[eligible.slug]), {"rationale": "Three domains."}
    )
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "promoted from Alpha to Beta" in html  # the message
    assert "Alpha → Beta" in html and "Three domains." in html  # the history


def test_refused_promotion_lists_unmet_criteria_and_keeps_the_text(client, scenario, maintainer):
    client.force_login(maintainer)
    response = client.post(
        reverse("factors:promote", args=[scenario.f2.slug]), {"rationale": "My careful reasons"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Not promoted" in html and "At least 3 domains where it worked (0 of 3)" in html
    assert "My careful reasons" in html
    assert _phase(scenario.f2) == "alpha"
    # Said once, in a summary near the top (before the phase history), linked to the form.
    assert html.count("At least 3 domains where it worked (0 of 3)") == 1
    summary = html.index('class="form-errors error-summary"')
    assert summary < html.index('id="history-title"')
    assert summary < html.index("Not promoted") < html.index('id="promote-form"')
    assert '<a href="#promote-form">Not promoted' in html


def test_a_promotion_form_error_is_summarized_and_linked_to_its_field(client, scenario, maintainer):
    client.force_login(maintainer)
    url = reverse("factors:promote", args=[scenario.f2.slug])
    response = client.post(url, {"rationale": "", "override": "on"})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_rationale">Why it moves on: Say why it moves on' in html
    assert '<a href="#id_override_reason">Reason for the override: Give the reason' in html
    demote = client.post(reverse("factors:framework_demote"), {"reason": ""})
    assert demote.status_code == 400


def test_override_through_the_page_needs_a_reason(client, scenario, maintainer):
    client.force_login(maintainer)
    url = reverse("factors:promote", args=[scenario.f2.slug])
    html = client.post(url, {"rationale": "R", "override": "on"}).content.decode()
    assert "Give the reason for promoting" in html and _phase(scenario.f2) == "alpha"
    response = _confirm(
        client, url, {"rationale": "R", "override": "on", "override_reason": "Board decision"}
    )
    assert response.status_code == 302 and _phase(scenario.f2) == "beta"
    html = client.get(response.url).content.decode()
    assert "Override:" in html and "Board decision" in html
    assert "At least 3 domains where it worked: 0 of 3" in html
    assert "No domains where it only failed: 2, at most 0" in html


def test_non_maintainers_cannot_post(client, eligible, member):
    url = reverse("factors:promote", args=[eligible.slug])
    response = client.post(url, {"rationale": "x"})
    assert response.status_code == 302 and reverse("account_login") in response.url
    client.force_login(member)
    assert client.post(url, {"rationale": "x"}).status_code == 403
    assert client.post(reverse("factors:demote", args=[eligible.slug]), {}).status_code == 403
    assert client.post(reverse("factors:framework_promote"), {}).status_code == 403
    assert _phase(eligible) == "alpha"


def test_promotion_needs_csrf_token(eligible, maintainer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(maintainer)
    response = client.post(reverse("factors:promote", args=[eligible.slug]), {"rationale": "x"})
    assert response.status_code == 403 and _phase(eligible) == "alpha"


def test_demote_through_the_page(client, eligible, maintainer):
    factor_promote(factor=eligible, by=maintainer, rationale="Up.")
    client.force_login(maintainer)
    url = reverse("factors:demote", args=[eligible.slug])
    assert "Say why it moves back" in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "Evidence withdrawn."})
    assert response.status_code == 302 and _phase(eligible) == "alpha"


def test_framework_promotion_through_the_dashboard(client, framework, maintainer):
    client.force_login(maintainer)
    url = reverse("factors:framework_promote")
    html = client.post(url, {"rationale": "Go"}).content.decode()
    assert "Not promoted" in html and "At least 3 active collaborators (0 of 3)" in html
    assert "Every factor classified (none still unproven) (12, at most 0)" in html
    response = client.post(url, {"rationale": "Go", "override": "on", "override_reason": "Why"})
    assert response.status_code == 302
    html = client.get(reverse("maturity")).content.decode()
    assert "The framework moved from Alpha to Beta as an override" in html
    assert "Alpha → Beta" in html
