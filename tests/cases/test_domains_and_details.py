"""Domain list and page, public detail pages and their "Cite this" block."""

import re

import pytest
from django.urls import reverse

from cases.citation import bibtex_escape, citation
from cases.models import Consent, Outcome, State
from pagecache.generation import generation_bump_after_change
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    OrganizationFactory,
    QuantifiedResultFactory,
    UserFactory,
)


def text(response):
    return response.content.decode()


@pytest.fixture
def two_domains(framework):
    health, finance = DomainFactory(name="Healthcare"), DomainFactory(name="Finance")
    DomainFactory(name="Education")  # nothing in it
    f = framework
    CaseStudyFactory(domain=health, applied=[(f[1], Outcome.WORKED), (f[2], Outcome.FAILED)])
    CaseStudyFactory(domain=health, applied=[(f[1], Outcome.ADAPTED)])
    CaseStudyFactory(domain=health, state=State.SUBMITTED, applied=[(f[7], Outcome.WORKED)])
    AdaptationFactory(domain=health, factor=f[3])
    AdaptationFactory(domain=health, factor=f[8], state=State.REJECTED)
    FailureReportFactory(domain=health, factors=[f[1], f[4]])
    FailureReportFactory(domain=health, factors=[f[9]], hidden_at="2025-01-01T00:00Z")
    CaseStudyFactory(domain=finance, applied=[(f[12], Outcome.WORKED)])
    return f


@pytest.mark.django_db
def test_domain_list_counts_only_published_evidence(client, two_domains):
    page = text(client.get(reverse("cases:domain_list")))
    row = page[page.index(">Healthcare<") :].split("</tr>")[0]
    cells = [re.sub("<[^>]+>", "", c.split("</td>")[0]) for c in re.split("<td[^>]*>", row)[1:]]
    # 2 case studies, 1 adaptation, 1 failure, no reference implementation; factors I, II,
    # III, IV have evidence.
    assert cells == ["2", "1", "1", "0", "4"]
    education = page[page.index(">Education<") :].split("</tr>")[0]
    assert len(re.findall(r"<td[^>]*>0</td>", education)) == 5


@pytest.mark.django_db
def test_domain_page_groups_by_factor_and_lists_help_wanted(client, two_domains):
    page = text(client.get(reverse("cases:domain_detail", args=["healthcare"])))
    evidence, help_wanted = page.split('id="help-wanted"')
    help_wanted = help_wanted.split('id="organizations"')[0]
    for title in ("I. Automated Tracking", "II. Context Loading", "III. Focused Agents",
                  "IV. Continuous Validation"):  # fmt: skip
        assert title in evidence and title not in help_wanted
    # Unpublished, rejected and hidden evidence does not count: VII, VIII, IX want help.
    for title in ("VII. Smart Routing", "VIII. Human Validation", "IX. Mine Patterns"):
        assert title in help_wanted and title not in evidence
    assert "2 case studies" in evidence
    assert "1 worked as written, 1 with adaptation, 0 failed" in evidence


@pytest.mark.django_db
def test_domain_page_shows_organizations_by_public_name(client, framework):
    health = DomainFactory(name="Healthcare")
    named = OrganizationFactory(name="Riverside Clinic", domain=health)
    secret = OrganizationFactory(name="Secret Hospital", domain=health, anonymized=True)
    other = OrganizationFactory(name="Hidden Hospital", domain=health, anonymized=True)
    CaseStudyFactory(domain=health, organization=named)
    CaseStudyFactory(domain=health, organization=secret)
    AdaptationFactory(domain=health, organization=other, factor=framework[1])
    CaseStudyFactory(domain=health, organization=OrganizationFactory(
        name="Draft Only Org", domain=health), state=State.DRAFT)  # fmt: skip
    page = text(client.get(reverse("cases:domain_detail", args=["healthcare"])))
    assert "Riverside Clinic" in page
    assert "A healthcare organization (2 organizations that publish anonymously)" in page
    assert "Secret Hospital" not in page and "secret-hospital" not in page
    assert "Draft Only Org" not in page


@pytest.mark.django_db
def test_unknown_domain_is_404(client, db):
    assert client.get(reverse("cases:domain_detail", args=["atlantis"])).status_code == 404


def _fill_domain(framework, domain, n):
    for i in range(n):
        factor = framework[1 + i % 6]
        org = OrganizationFactory(domain=domain, anonymized=bool(i % 2))
        CaseStudyFactory(domain=domain, organization=org, applied=[(factor, Outcome.WORKED)])
        AdaptationFactory(domain=domain, organization=org, factor=factor)
        FailureReportFactory(domain=domain, organization=org, factors=[factor])


@pytest.mark.django_db
# One query plus two per kind of evidence for the list. A domain's page, right after a
# committed change (its maturity snapshot recorded, then the generation bump): the domain
# with its totals, the factors, the snapshot, the newest items of each kind (four) and the
# organizations (cases/selectors.py).
@pytest.mark.parametrize(("url", "cap"), [("cases:domain_list", 9), ("cases:domain_detail", 8)])
def test_domain_pages_query_count_is_fixed(
    client, framework, django_assert_max_num_queries, url, cap
):
    domain = DomainFactory(name="Healthcare")
    args = [domain.slug] if url == "cases:domain_detail" else []
    _fill_domain(framework, domain, 2)
    generation_bump_after_change()  # as a committed change: a snapshot, then the bump
    with django_assert_max_num_queries(cap):
        assert client.get(reverse(url, args=args)).status_code == 200
    _fill_domain(framework, domain, 25)
    DomainFactory.create_batch(5)
    generation_bump_after_change()
    with django_assert_max_num_queries(cap):
        assert client.get(reverse(url, args=args)).status_code == 200


@pytest.mark.django_db
def test_case_study_detail_is_complete(client, framework):
    org = OrganizationFactory(name="Northgate", domain=DomainFactory(name="Healthcare"))
    item = CaseStudyFactory(
        title="Triage agents",
        domain=org.domain,
        organization=org,
        deployment="pilot",
        duration_months=7,
        team_size=4,
        context="Our **context**.",
        applied=[(framework[4], Outcome.FAILED)],
    )
    item.applications.update(note="Too slow under load.")
    QuantifiedResultFactory(case_study=item, metric="incidents per week", before=9, after=2)
    AdaptationFactory(case_study=item, factor=framework[4], title="Linked adaptation")
    AdaptationFactory(case_study=item, factor=framework[4], title="Draft adaptation",
                      state=State.DRAFT)  # fmt: skip
    page = text(client.get(item.get_absolute_url()))
    for expected in ("Healthcare", "Northgate", "Pilot", "7 months", "4 people",
                     "IV. Continuous Validation", "Failed", "Too slow under load.",
                     "incidents per week", "<strong>context</strong>", "Linked adaptation",
                     reverse("factors:detail", args=[framework[4].slug])):  # fmt: skip
        assert expected in page, expected
    assert "Draft adaptation" not in page


@pytest.mark.django_db
def test_anonymized_organization_name_never_shows_on_details(client, framework):
    org = OrganizationFactory(name="Secret Hospital", domain=DomainFactory(name="Healthcare"),
                              anonymized=True)  # fmt: skip
    item = CaseStudyFactory(domain=org.domain, organization=org)
    page = text(client.get(item.get_absolute_url()))
    assert "a healthcare organization" in page and "Secret" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("state", [s for s in State.values if s != State.PUBLISHED])
def test_unpublished_details_are_404(client, framework, state):
    for item in (
        CaseStudyFactory(state=state),
        AdaptationFactory(state=state, factor=framework[1]),
        FailureReportFactory(state=state),
    ):
        assert client.get(item.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_adaptation_and_failure_details_link_factors_and_public_case_study(client, framework):
    public_case = CaseStudyFactory(title="Public case")
    draft_case = CaseStudyFactory(title="Draft case", state=State.DRAFT)
    adaptation = AdaptationFactory(factor=framework[6], case_study=public_case)
    failure = FailureReportFactory(factors=[framework[2], framework[11]], case_study=draft_case)
    page = text(client.get(adaptation.get_absolute_url()))
    assert reverse("factors:detail", args=[framework[6].slug]) in page and "Public case" in page
    page = text(client.get(failure.get_absolute_url()))
    assert reverse("factors:detail", args=[framework[2].slug]) in page
    assert reverse("factors:detail", args=[framework[11].slug]) in page
    assert "Draft case" not in page and "High severity" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("consent", "role", "expected"),
    [
        (Consent.NAME, "", "Ada Lovelace"),
        (Consent.ROLE, "SRE lead at a hospital", "SRE lead at a hospital"),
        (Consent.ANONYMOUS, "SRE lead", "Anonymous"),
    ],
)
def test_cite_block_credits_as_consent_allows(client, framework, consent, role, expected):
    author = UserFactory(display_name="Ada Lovelace", email="ada@example.org")
    item = CaseStudyFactory(title="Budgets & loops", author=author, consent=consent,
                            attribution_role=role)  # fmt: skip
    page = text(client.get(item.get_absolute_url()))
    cite = page[page.index('id="cite-heading"') :]
    assert expected in cite
    if consent != Consent.NAME:
        assert "Ada Lovelace" not in page and "ada@example.org" not in page
    assert "@misc{" in cite and "Budgets \\&amp; loops" in cite  # BibTeX-escaped, then HTML
    data = citation(item)
    assert data["url"].endswith(item.get_absolute_url())
    assert str(item.published_at.year) in data["text"]


@pytest.mark.django_db
def test_cite_block_on_adaptations_and_failures(client, framework):
    for item in (AdaptationFactory(factor=framework[1]), FailureReportFactory()):
        page = text(client.get(item.get_absolute_url()))
        assert "Cite this" in page and "@misc{" in page and item.credit in page


def test_bibtex_escape():
    assert bibtex_escape("50% of {x}_y & $z #1 ~ ^") == (
        r"50\% of \{x\}\_y \& \$z \#1 \textasciitilde{} \textasciicircum{}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["case_study", "adaptation", "failure"])
def test_detail_query_count_is_fixed(client, framework, django_assert_max_num_queries, kind):
    if kind == "case_study":
        item = CaseStudyFactory(applied=[(framework[n], Outcome.WORKED) for n in range(1, 8)])
        for _ in range(5):
            QuantifiedResultFactory(case_study=item)
            AdaptationFactory(case_study=item, factor=framework[1])
    elif kind == "adaptation":
        item = AdaptationFactory(factor=framework[1], case_study=CaseStudyFactory())
    else:
        item = FailureReportFactory(factors=list(framework.values()))
    with django_assert_max_num_queries(6):
        assert client.get(item.get_absolute_url()).status_code == 200
