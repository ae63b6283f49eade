"""What people write is shown safely: their links carry rel="nofollow ugc noopener" and
nothing they type can add script or style to a page."""

import pytest
from django.urls import reverse

from tests.factories import AdaptationFactory, CaseStudyFactory, FailureReportFactory
from tests.security.inline import inline_code

pytestmark = pytest.mark.django_db

HOSTILE = (
    "See [our runbook](https://runbook.example.org/agents) and <https://auto.example.org/>.\n\n"
    '<a href="https://raw.example.org/" onclick="steal()">raw link</a>\n\n'
    '<p style="position:fixed">overlay</p><script>alert(1)</script>'
    "<style>body{display:none}</style>\n\n"
    "[click](javascript:alert(1)) | ![x](data:image/svg+xml;base64,PHN2Zz4=)"
)


def links_to(html, host):
    start = html.index(f'href="https://{host}')
    return html[html.rindex("<a", 0, start) : html.index(">", start) + 1]


@pytest.mark.parametrize(
    "make",
    [
        lambda: CaseStudyFactory(context=HOSTILE),
        lambda f: AdaptationFactory(factor=f[2], changes=HOSTILE),
        lambda f: FailureReportFactory(symptom=HOSTILE, factors=[f[3]]),
    ],
    ids=["case study", "adaptation", "failure report"],
)
def test_links_in_evidence_are_nofollow_ugc_noopener_and_no_code_gets_through(
    client, framework, make
):
    item = make() if make.__code__.co_argcount == 0 else make(framework)
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for host in ("runbook.example.org", "auto.example.org", "raw.example.org"):
        link = links_to(html, host)
        assert 'rel="nofollow ugc noopener"' in link, link
    assert inline_code(html) == []
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html
    assert "data:image" not in html


def test_search_snippets_escape_what_people_wrote(client, framework):
    CaseStudyFactory(
        title="Agents in production",
        summary='<img src=x onerror="alert(1)"> agents <script>alert(2)</script> agents',
        context="Our agents <b onclick='x()'>looped</b>.",
    )
    response = client.get(reverse("cases:search"), {"q": "agents"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>" in html.lower()  # the words are highlighted...
    assert inline_code(html) == []  # ...and nothing typed becomes markup
    assert "<img src=x" not in html
    assert "<script>alert(2)" not in html
