"""Every response carries a request id, every log line written while serving it the same one."""

import logging

import pytest
from django.test import Client

from agentops_web.requestid import RequestIdFilter, current_request_id


def test_a_well_formed_incoming_id_is_kept_and_echoed(db):
    response = Client().get("/", HTTP_X_REQUEST_ID="lb-7f3a.42:abc_DEF")
    assert response["X-Request-ID"] == "lb-7f3a.42:abc_DEF"


@pytest.mark.parametrize("incoming", ["", "has space", "new\nline", "x" * 129, "<script>"])
def test_a_malformed_incoming_id_is_replaced_by_a_fresh_one(db, incoming):
    response = Client().get("/", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_each_request_gets_its_own_id_even_from_the_page_cache(db):
    client = Client()
    ids = {client.get("/").headers["X-Request-ID"] for _ in range(3)}
    assert client.get("/")["X-Cache"] == "hit"
    assert len(ids) == 3


def test_log_lines_carry_time_level_logger_and_request_id(db, settings, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no/such/page/", HTTP_X_REQUEST_ID="trace-me-1")
    assert response.status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.request_id == "trace-me-1" for r in records)
    # The configured format puts them all on the line.
    formatter = logging.Formatter(
        settings.LOGGING["formatters"]["line"]["format"],
        settings.LOGGING["formatters"]["line"]["datefmt"],
    )
    line = formatter.format(records[0])
    assert " WARNING django.request [trace-me-1] Not Found: /no/such/page/" in line
    assert line[:4].isdigit() and "T" in line[:11]


def test_outside_a_request_the_filter_says_dash():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
    assert RequestIdFilter().filter(record) is True
    assert record.request_id == "-" == current_request_id()


def test_the_console_handler_uses_the_filter_and_format(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["request_id"]
    assert handler["formatter"] == "line"
