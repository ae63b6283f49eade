import pytest
from django.urls import reverse


def test_open_data_page_states_the_licence_and_lists_every_source(client, framework):
    response = client.get(reverse("opendata:open_data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "CC BY 4.0" in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in html
    for url in (
        "/feeds/evidence.atom",
        "/feeds/factors/automated-tracking.atom",
        "/badges/framework.svg",
        "/api/v1/docs",
        "/api/v1/openapi.json",
        "/case-studies.csv",
        "/failures.csv",
        "/adaptations.csv",
        "/maturity.csv",
        "export_snapshot",
        "import_snapshot",
    ):
        assert url in html, url
    assert 'style="' not in html and "<style" not in html and "<script>" not in html


@pytest.mark.parametrize("url", ["/", "/factors/", "/case-studies/"])
def test_every_page_links_the_open_data_page_in_the_footer(client, framework, url):
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert reverse("opendata:open_data") in footer


@pytest.mark.parametrize(
    "url",
    [
        "/case-studies.csv?q=" + "x" * 10_000,
        "/case-studies.csv?q=%00%00",
        "/case-studies.csv?factor=%00",
        "/failures.csv?severity=%00",
        "/adaptations.csv?domain=" + "d" * 5000,
        "/case-studies.csv?deployment=pilot&deployment=moon",
        "/adaptations.csv?severity=high",
        "/feeds/factors/" + "f" * 1000 + ".atom",
        "/api/case-studies?q=%22%27%3B--%20%2A&sort=%00",
        "/api/failures?factor=-1",
        "/api/adaptations?factor=0",
        "/api/case-studies?limit=-5&page=-5",
        "/api/case-studies?page=1e9",
    ],
)
def test_bad_input_is_a_clear_4xx_or_an_empty_result_never_500(client, evidence, url):
    response = client.get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)
    if response.status_code == 200 and not response.streaming:
        assert b"SECRET" not in response.content
