"""The revisions page shows what each edit changed, in the site's words (issue 16)."""

import re

import pytest

from cases.models import CaseStudy
from tests.cases.test_submit_pages import case_study_post, create_url, item_url


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


def section(html: str, number: int) -> str:
    start = html.index(f'id="revision-{number}"')
    end = html.find('<section class="revision"', start)
    return html[start : end if end != -1 else len(html)]


def diff_part(section_html: str) -> str:
    return section_html[: section_html.index('<details class="revision-whole">')]


def test_each_edit_shows_only_its_changed_fields_marked_in_words(signed_in, framework, domain):
    first = case_study_post(domain, action="save", duration_months="120")
    first.update({"q-0-before": "120", "q-0-after": "35"})
    response = signed_in.post(create_url("case-study"), first)
    edit = response.url
    second = {**first, "duration_months": "35", "q-0-after": "20.5"}
    signed_in.post(edit, second)
    third = {**second, "lessons": "Start small, then trace everything."}
    signed_in.post(edit, third)

    item = CaseStudy.objects.get()
    html = signed_in.get(item_url("submission_revisions", item)).content.decode()
    assert "Duration months" not in html
    assert "35.000" not in html and "120.000" not in html

    # Version 2 was replaced by the current version: only the lessons changed.
    newest = diff_part(section(html, 2))
    assert "Changed in the current version" in newest
    assert re.findall(r"<dt>(.*?)</dt>", newest) == ["Lessons"]
    assert '<del><span class="visually-hidden">removed: </span>small.</del>' in newest
    assert (
        '<ins><span class="visually-hidden">added: </span>small, then trace everything.</ins>'
        in newest
    )

    # Version 1 → version 2: the duration and a number, in the form's words and plain numbers.
    oldest = diff_part(section(html, 1))
    assert "Changed in version 2" in oldest
    assert re.findall(r"<dt>(.*?)</dt>", oldest) == ["Duration (months)", "Quantified results"]
    assert '<del><span class="visually-hidden">removed: </span>120</del>' in oldest
    assert '<ins><span class="visually-hidden">added: </span>35</ins>' in oldest
    assert re.search(r"agent incidents per week( \[[a-z-]+\])?: 120 → ", oldest)
    assert '<ins><span class="visually-hidden">added: </span>20.5</ins>' in oldest

    # Each earlier version stays readable whole, folded.
    whole = section(html, 1)[section(html, 1).index('<details class="revision-whole">') :]
    assert "<summary>Version 1 whole</summary>" in whole
    assert "Duration (months)" in whole and '<pre class="plain">120</pre>' in whole


def test_an_edit_of_a_factor_outcome_is_shown_in_the_outcomes_words(signed_in, framework, domain):
    response = signed_in.post(create_url("case-study"), case_study_post(domain, action="save"))
    signed_in.post(response.url, case_study_post(domain, action="save", outcome_7="adapted"))
    html = signed_in.get(item_url("submission_revisions", CaseStudy.objects.get())).content.decode()
    changed = diff_part(section(html, 1))
    assert re.findall(r"<dt>(.*?)</dt>", changed) == ["Factors applied"]
    assert '<del><span class="visually-hidden">removed: </span>Failed</del>' in changed
    assert (
        '<ins><span class="visually-hidden">added: </span>Worked with adaptation</ins>' in changed
    )
