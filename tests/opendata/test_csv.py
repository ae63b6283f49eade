import csv
import io

import pytest

from opendata.exports import safe_cell
from tests.factories import AdaptationFactory, CaseStudyFactory, FailureReportFactory


def rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_case_study_csv_has_published_rows_with_credit_and_links(client, evidence):
    data = rows(client.get("/case-studies.csv"))
    assert [r["slug"] for r in data] == ["budgets-for-trading-agents", "tracing-every-agent-run"]
    first, second = data
    assert first["credit"] == "SRE lead at a bank"
    assert first["url"] == "http://testserver/case-studies/budgets-for-trading-agents/"
    assert second["organization"] == "a health care organization"
    assert second["factors"] == "I worked; IV adapted"


@pytest.mark.parametrize("url", ["/case-studies.csv", "/adaptations.csv", "/failures.csv"])
def test_csv_never_contains_unpublished_items_or_emails(client, evidence, url):
    response = client.get(url)
    text = b"".join(response.streaming_content).decode()
    assert "SECRET" not in text
    assert "@example.org" not in text
    assert "Secret Hospital" not in text


def test_csv_respects_the_filters(client, evidence):
    assert [r["slug"] for r in rows(client.get("/case-studies.csv?domain=finance"))] == [
        "budgets-for-trading-agents"
    ]
    assert [r["slug"] for r in rows(client.get("/case-studies.csv?factor=4"))] == [
        "tracing-every-agent-run"
    ]
    assert rows(client.get("/failures.csv?severity=low")) == []
    assert len(rows(client.get("/failures.csv?severity=critical"))) == 1
    assert len(rows(client.get("/adaptations.csv?factor=continuous-validation"))) == 1


def test_csv_with_a_bad_filter_says_which_parameter(client, evidence):
    response = client.get("/failures.csv?severity=apocalyptic")
    assert response.status_code == 400
    assert response.content.decode().startswith("severity:")


def test_csv_cells_cannot_run_as_formulas(client, framework):
    CaseStudyFactory(title='=HYPERLINK("http://evil","click")', summary="+1+1")
    AdaptationFactory(title="@SUM(A1:A2)", factor=framework[1])
    FailureReportFactory(title="-2+3", factors=[framework[1]])
    texts = []
    for url in ("/case-studies.csv", "/adaptations.csv", "/failures.csv"):
        for row in rows(client.get(url)):
            texts += list(row.values())
    assert texts, "rows expected"
    for cell in texts:
        assert not cell.startswith(("=", "+", "-", "@")), cell
    assert '\'=HYPERLINK("http://evil","click")' in texts
    assert "'+1+1" in texts and "'@SUM(A1:A2)" in texts and "'-2+3" in texts


def test_safe_cell():
    assert safe_cell("=1+2") == "'=1+2"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell("plain") == "plain"
    assert safe_cell(None) == ""
    assert safe_cell(-3) == "-3"  # numbers are data, not formulas


@pytest.mark.parametrize("size", [2, 20])
def test_csv_query_count_does_not_grow_with_data(
    client, framework, size, django_assert_max_num_queries
):
    for _ in range(size):
        CaseStudyFactory(applied=[(framework[1], "worked")])
        FailureReportFactory(factors=[framework[1]])
    for url in ("/case-studies.csv", "/failures.csv"):
        with django_assert_max_num_queries(6):
            response = client.get(url)
            assert len(rows(response)) == size


def test_maturity_csv_has_a_row_per_factor_and_a_column_per_criterion(client, evidence):
    data = rows(client.get("/maturity.csv"))
    assert [r["number"] for r in data] == [str(n) for n in range(1, 13)]
    factor4 = data[3]
    assert factor4["slug"] == "continuous-validation"
    assert factor4["phase"] == "alpha" and factor4["eligible"] == "no"
    assert factor4["alpha/domains (needs 3)"] == "1"
    assert factor4["alpha/failures_or_adaptations (needs 2)"] == "2"
    assert factor4["alpha/domains_failed (at most 0)"] == "0"
    assert factor4["classification"] == "unproven"


@pytest.mark.parametrize("size", [2, 20])
def test_maturity_csv_query_count(client, framework, size, django_assert_max_num_queries):
    for _ in range(size):
        CaseStudyFactory(applied=[(framework[1], "worked")])
    # 13: the measures (one each for quantified improvement and failure modes among them)
    with django_assert_max_num_queries(13):
        assert len(rows(client.get("/maturity.csv"))) == 12


def test_each_list_links_its_csv_with_the_same_filters(client, evidence):
    html = client.get("/failures/?severity=critical&domain=finance").content.decode()
    assert 'href="/failures.csv?domain=finance&amp;severity=critical"' in html
    link = "/failures.csv?domain=finance&severity=critical"
    assert [r["slug"] for r in rows(client.get(link))] == ["runaway-loop-in-claims-triage"]
    assert 'href="/case-studies.csv"' in client.get("/case-studies/").content.decode()
