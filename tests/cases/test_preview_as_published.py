"""The preview shows the page as it will be published, from the public page's own template,
marked "Preview — not published", and saves nothing (issue 16)."""

import re

import pytest

from cases.models import CaseStudy, Consent, ReferenceImplementation
from tests.cases.test_submit_pages import (
    adaptation_post,
    case_study_post,
    create_url,
    failure_post,
    item_url,
)
from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


def preview_of(html: str) -> str:
    start = html.index('<section class="preview"')
    return html[start : html.index("</section>", html.index("</article>", start))]


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_a_case_study_preview_is_its_public_page_marked_not_published(client, framework, domain):
    author = UserFactory(display_name="Ada Lovelace")
    client.force_login(author)
    org = OrganizationFactory(name="Northgate Clinics", domain=domain)
    data = case_study_post(
        domain,
        action="preview",
        organization=str(org.pk),
        approach="**Tracing** first. <script>alert(1)</script>",
        **{"q-0-before": "120", "q-0-after": "35"},
    )
    response = client.post(create_url("case-study"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert not CaseStudy.objects.exists()
    preview = preview_of(html)
    shown = text(preview)
    assert "Preview — not published." in shown
    # The public page's header, facts, factors, numbers and sections, from what was typed.
    assert "Case study · Healthcare" in shown
    assert '<h2 class="evidence-title">Agents on call at a hospital</h2>' in preview
    assert "By Ada Lovelace · published on the day a maintainer publishes it" in shown
    assert "Northgate Clinics" in shown and "In production" in shown
    assert "6 months" in shown and "4 people" in shown
    assert re.search(r"Traces everywhere\.", shown)
    assert "Worked as written" in shown and "Failed" in shown and "Too noisy." in shown
    assert re.search(r"agent incidents per week (\(other: not added up\) )?120 35 incidents", shown)
    assert "<strong>Tracing</strong> first." in preview
    assert "<script>alert(1)" not in html
    assert "Context and constraints" in shown and "A <em>busy</em> ward." in preview
    # And the form is still there, with everything kept.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in html


def test_the_preview_and_the_published_page_show_the_same_parts(
    client, framework, domain, maintainer
):
    from cases import services

    author = UserFactory(display_name="Ada Lovelace")
    client.force_login(author)
    data = case_study_post(domain)
    preview = preview_of(
        client.post(create_url("case-study"), {**data, "action": "preview"}).content.decode()
    )
    client.post(create_url("case-study"), data)
    item = CaseStudy.objects.get()
    services.submission_publish(item=item, actor=maintainer, comment="Thanks.")
    public = client.get(item.get_absolute_url()).content.decode()
    article = public[
        public.index('<article class="evidence">') : public.index('<section class="cite"')
    ]
    heading = re.compile(r"<h2[^>]*>(.*?)</h2>")
    assert heading.findall(article) == heading.findall(preview)[1:]  # after the title
    for part in ("Worked as written", "Too noisy.", "agent incidents per week", "Fewer pages."):
        assert part in preview and part in article


def test_credit_in_the_preview_follows_the_consent(signed_in, framework, domain):
    data = failure_post(domain, [framework[2]], action="preview")
    shown = text(preview_of(signed_in.post(create_url("failure"), data).content.decode()))
    assert "By SRE lead" in shown
    assert "Failure report · High severity" in shown
    assert "Factors involved II." in shown
    data = adaptation_post(domain, framework[4], action="preview", consent=Consent.ANONYMOUS)
    shown = text(preview_of(signed_in.post(create_url("adaptation"), data).content.decode()))
    assert "By Anonymous" in shown and "Adaptation of IV." in shown
    assert "We doubled the budget." in shown


def test_a_half_filled_form_previews_what_there_is(signed_in, framework, domain):
    data = {"title": "", "domain": "", "context": "Only *this* so far.", "action": "preview"}
    data.update({"q-TOTAL_FORMS": "1", "q-INITIAL_FORMS": "0"})
    response = signed_in.post(create_url("case-study"), data)
    assert response.status_code == 200
    preview = preview_of(response.content.decode())
    assert "(no title yet)" in preview and "Only <em>this</em> so far." in preview


def test_an_edit_preview_shows_the_edited_text_not_the_saved_one(
    signed_in, framework, make_item, domain
):
    item = make_item(title="Saved title", domain=domain)
    data = case_study_post(domain, action="preview", title="Edited title")
    html = signed_in.post(item_url("submission_edit", item), data).content.decode()
    assert "Edited title</h2>" in preview_of(html)
    item.refresh_from_db()
    assert item.title == "Saved title"


def test_a_reference_implementation_preview_lists_its_factors(signed_in, framework, domain):
    data = {
        "title": "Budget guard",
        "summary": "A guard.",
        "url": "https://example.org/guard",
        "licence": "MIT",
        "domain": str(domain.pk),
        "maintained": "on",
        "description": "It *guards*.",
        "consent": "name",
        "implements_3": "on",
        "note_3": "The retry budget.",
        "action": "preview",
    }
    html = signed_in.post(create_url("reference-implementation"), data).content.decode()
    shown = text(preview_of(html))
    assert "Reference implementation · Healthcare" in shown
    assert "III." in shown and "The retry budget." in shown
    assert "https://example.org/guard" in shown and "MIT" in shown
    assert not ReferenceImplementation.objects.exists()
