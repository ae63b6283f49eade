"""/maturity/measures/ defines every registered measure, in the registry's words, with the
criteria that use it today."""

import html
import re

import pytest

from factors.measures import FACTOR, FRAMEWORK, MEASURES
from factors.models import Criterion
from tests.factories import CaseStudyFactory


def text_of(response) -> str:
    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_every_registered_measure_is_defined(client, framework):
    page = text_of(client.get("/maturity/measures/"))
    for key, measure in MEASURES.items():
        assert key in page
        if FACTOR in measure.scopes:
            assert measure.definition in page, key
        if FRAMEWORK in measure.scopes:
            assert measure.definition_for(FRAMEWORK) in page, key


def test_each_measure_lists_the_criteria_using_it_in_their_current_words(client, framework):
    html_ = client.get("/maturity/measures/").content.decode()
    section = html_.split('id="open_severe_failure_modes"', 1)[1].split("</div>", 1)[0]
    assert "No open failure modes of high or critical severity (to leave Beta, per factor)" in (
        html.unescape(section)
    )
    unused = html_.split('id="failures"', 1)[1].split("</div>", 1)[0]
    assert "No criterion uses it today." in unused
    # A threshold raised by a maintainer is worded anew: the text is never stored.
    Criterion.objects.filter(measure="domains", scope=FACTOR).update(threshold=8)
    page = text_of(client.get("/maturity/measures/"))
    assert "At least 8 domains where it worked (to leave Alpha, per factor)" in page
    assert "At least 3 domains where it worked" not in page


def test_the_dashboard_links_the_definitions_and_the_sitemap_lists_them(client, framework):
    assert 'href="/maturity/measures/"' in client.get("/maturity/").content.decode()
    assert "/maturity/measures/</loc>" in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("size", [1, 15])
def test_query_count_is_fixed(client, framework, size, django_assert_max_num_queries):
    for _ in range(size):
        CaseStudyFactory(applied=[(framework[1], "worked")])
    with django_assert_max_num_queries(3):
        client.get("/maturity/measures/")
