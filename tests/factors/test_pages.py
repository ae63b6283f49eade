import pytest
from django.urls import reverse


def test_home_explains_the_site_and_shows_twelve_factors_by_tier(client, framework):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "DevOps and SRE discipline" in html
    for tier in ("Foundation", "Operations", "Improvement"):
        assert f">{tier}</h2>" in html
    for factor in framework.values():
        assert factor.get_absolute_url() in html
        assert factor.title in html
    assert html.count('class="phase phase-alpha"') >= 12
    # Foundation comes before Operations, which comes before Improvement.
    assert (
        html.index("Automated Tracking")
        < html.index("Measure Everything")
        < html.index("Package Patterns")
    )


def test_factor_page_shows_its_text_and_phase(client, framework):
    factor = framework[4]
    response = client.get(reverse("factors:detail", args=[factor.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Continuous Validation</h1>" in html
    assert "Factor IV" in html
    assert "<strong>In practice</strong>" in html
    assert "phase-alpha" in html


def test_unknown_factor_is_404(client, framework):
    assert client.get("/factors/no-such-factor/").status_code == 404


def test_layout_has_landmarks_skip_link_and_navigation(client, framework):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert "<footer" in html
    for label in ("Factors", "Domains", "Case studies", "Failures", "Adaptations", "Submit"):
        assert f">{label}</a>" in html


@pytest.mark.parametrize("url_name", ["home"])
def test_page_query_count_is_capped(client, framework, django_assert_max_num_queries, url_name):
    with django_assert_max_num_queries(4):
        assert client.get(reverse(url_name)).status_code == 200


# The factor list and factor pages now measure evidence: their caps, at two data sizes,
# are in tests/factors/test_maturity_pages.py.
