"""The promotion form previews what the decision will change, and the record keeps it."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from factors.history import snapshot_record
from factors.models import Factor, MaturitySnapshot, PhaseChange
from factors.services import StalePreview, factor_promote
from pagecache.generation import generation_bump
from tests.factories import AdaptationFactory, CaseStudyFactory
from tests.factors.conftest import add_bulk_evidence


@pytest.fixture
def eligible(scenario):
    """Factor I meets its Alpha criteria (as in test_promotion.py): worked in Energy too, and
    its failure in Finance is addressed there by an adaptation."""
    CaseStudyFactory(domain=scenario.energy, applied=[(scenario.f1, "worked")])
    AdaptationFactory(factor=scenario.f1, domain=scenario.finance)
    return scenario.f1


def _url(factor):
    return reverse("factors:promote", args=[factor.slug])


def _text(html: str) -> str:
    """The page's text, tags dropped and spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _row(text: str, what: str) -> str:
    start = text.index(what)
    return text[start : start + 400]


def test_the_preview_shows_what_the_promotion_will_change_and_changes_nothing(
    client, eligible, maintainer
):
    client.force_login(maintainer)
    response = client.post(_url(eligible), {"rationale": "Four domains."})
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    assert f"Promote {eligible.title} from Alpha to Beta?" in text
    assert "Phase of the factor Alpha Beta Changes" in text
    assert "Badge Factor I · Alpha Factor I · Beta Changes" in text
    # Measured against the Beta criteria next: 3 organizations (A, B and the Energy case
    # study's), no domain only failed and no open severe failure mode hold; 1 quantified case
    # study of 2 and the case studies reporting improvement (2 needed) do not.
    assert (
        "Criteria it is measured against Alpha criteria: 3 of 3 hold, eligible for Beta "
        "Beta criteria: 3 of 5 hold, not yet eligible for V1.0 Changes"
    ) in text
    assert "At risk Not at risk Not at risk Unchanged" in text
    assert "Factors in Alpha 12 11 Changes" in text and "Factors in Beta 0 1 Changes" in text
    # The framework gate counts measures, not phases: said, and unchanged.
    gate = _row(text, "Factors meeting their Beta criteria (framework criterion)")
    assert "0 of 12 (6 needed) 0 of 12 (6 needed)" in gate and "Unchanged" in gate
    # Active collaborators A, B, D and the two new authors (C published 100 days ago): 5 of 3;
    # still unproven: the ten factors with no evidence (I context-specific, II contested).
    framework = _row(text, "The framework Not eligible")
    assert framework.count("Not eligible for Beta (1 of 2 framework criteria hold)") == 2
    # Where it stands in the ranking, with margins in words.
    assert "rank 1 of 12" in text and "eligible; 3 of 3 criteria to leave Alpha met" in text
    assert "At least 3 domains where it worked: 4 of 3, margin +1 (+0.33)" in text
    # The confirmation form keeps the text typed and names the snapshot shown.
    snapshot = response.context["preview"].snapshot
    assert f'name="snapshot" value="{snapshot.pk}"' in html
    assert "Four domains." in html and 'name="confirm"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert Factor.objects.get(pk=eligible.pk).phase.slug == "alpha"
    assert not PhaseChange.objects.exists()


def test_confirming_records_what_was_shown_and_the_history_shows_it(client, eligible, maintainer):
    client.force_login(maintainer)
    preview = client.post(_url(eligible), {"rationale": "Four domains."})
    seen = preview.context["preview"].snapshot
    response = client.post(
        _url(eligible), {"rationale": "Four domains.", "confirm": "1", "snapshot": seen.pk}
    )
    assert response.status_code == 302
    change = PhaseChange.objects.get()
    assert change.snapshot_id == seen.pk  # the very figures shown
    assert change.shown["snapshot"] == seen.pk
    assert change.shown["ranking"]["rank"] == 1 and change.shown["ranking"]["of"] == 12
    assert change.shown["ranking"]["readiness"] == "Eligible"
    effects = {e["what"]: e for e in change.shown["changes"]["effects"]}
    assert effects["Badge"]["after"] == "Factor I · Beta"
    assert effects["Factors in Beta"] == {
        "what": "Factors in Beta", "before": "0", "after": "1", "note": ""
    }  # fmt: skip
    html = client.get(eligible.get_absolute_url()).content.decode()
    history = _text(html[html.index('id="history-title"') :])
    assert "What the maintainer was shown before confirming" in history
    assert "Badge Factor I · Alpha Factor I · Beta Changes" in history
    assert "rank 1 of 12" in history
    assert "In production: 3 of 4 case studies (75 %)" in history
    assert f'href="{seen.get_absolute_url()}"' in html


def test_figures_that_moved_since_the_preview_ask_to_confirm_again(
    client, scenario, eligible, maintainer
):
    client.force_login(maintainer)
    data = {"rationale": "Four domains."}
    seen = client.post(_url(eligible), data).context["preview"].snapshot
    # Meanwhile a fourth organization publishes a case study about factor I.
    CaseStudyFactory(domain=scenario.health, applied=[(eligible, "worked")])
    response = client.post(_url(eligible), {**data, "confirm": "1", "snapshot": seen.pk})
    assert response.status_code == 409
    text = _text(response.content.decode())
    assert "The figures changed since your preview" in text and "Nothing was promoted" in text
    assert Factor.objects.get(pk=eligible.pk).phase.slug == "alpha"
    assert not PhaseChange.objects.exists()
    fresh = response.context["preview"].snapshot
    assert fresh.pk != seen.pk and fresh.digest != seen.digest
    assert "Four domains." in response.content.decode()  # what was typed is kept
    again = client.post(_url(eligible), {**data, "confirm": "1", "snapshot": fresh.pk})
    assert again.status_code == 302
    assert PhaseChange.objects.get().snapshot_id == fresh.pk


def test_a_confirmation_without_a_snapshot_only_previews(client, eligible, maintainer):
    client.force_login(maintainer)
    for snapshot in ("", "nope", "²", "-3", "9" * 30):
        response = client.post(
            _url(eligible), {"rationale": "x", "confirm": "1", "snapshot": snapshot}
        )
        assert response.status_code == 200 and "What the decision will change" in (
            response.content.decode()
        )
    assert not PhaseChange.objects.exists()


def test_a_refused_promotion_is_refused_before_any_preview(client, scenario, maintainer):
    client.force_login(maintainer)
    response = client.post(_url(scenario.f2), {"rationale": "Please", "confirm": "1"})
    assert response.status_code == 400
    assert "What the decision will change" not in response.content.decode()


def test_an_override_preview_says_the_factor_will_be_at_risk(client, scenario, maintainer):
    client.force_login(maintainer)
    data = {"rationale": "R", "override": "on", "override_reason": "Board decision"}
    text = _text(client.post(_url(scenario.f2), data).content.decode())
    assert "Override: 2 criteria to leave Alpha do not hold" in text
    assert "At risk Not at risk At risk: At least 3 domains where it worked (0 of 3)" in text


def test_the_service_refuses_a_stale_preview(scenario, eligible, maintainer):
    seen = snapshot_record(reason="preview")
    AdaptationFactory(factor=eligible, domain=scenario.retail)
    with pytest.raises(StalePreview):
        factor_promote(factor=eligible, by=maintainer, rationale="Go", seen_snapshot=seen.pk)
    assert not PhaseChange.objects.exists()
    with pytest.raises(StalePreview):  # a snapshot that does not exist is no preview either
        factor_promote(factor=eligible, by=maintainer, rationale="Go", seen_snapshot=10**6)
    now = snapshot_record(reason="preview")
    change = factor_promote(factor=eligible, by=maintainer, rationale="Go", seen_snapshot=now.pk)
    assert change.snapshot_id == now.pk
    assert MaturitySnapshot.objects.filter(pk=seen.pk).exists()


@override_settings(PAGE_CACHE_VIEWS=[])
def test_the_preview_query_count_is_capped_at_two_sizes(
    client, scenario, eligible, maintainer, django_assert_max_num_queries
):
    client.force_login(maintainer)
    data = {"rationale": "Go"}
    client.post(_url(eligible), data)

    def count() -> int:
        generation_bump()
        with django_assert_max_num_queries(76) as ctx:
            assert client.post(_url(eligible), data).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    add_bulk_evidence(scenario.framework, 30)
    count()  # the figures moved: this preview records a new snapshot (three more queries)
    assert count() == small
