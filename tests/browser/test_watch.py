"""The browser fixtures catch what they promise to catch (else every journey passes blindly)."""

import pytest

pytestmark = pytest.mark.browser


def test_an_inline_script_is_refused_by_the_csp_and_reported(page, url, db):
    page.goto(url("home"))
    assert page.console_errors == []
    page.evaluate(
        """() => {
            const s = document.createElement('script');
            s.textContent = 'window.inlineRan = true';
            document.body.appendChild(s);
        }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.inlineRan") is None
    assert any("Content Security Policy" in e for e in page.console_errors), page.console_errors
    page.console_errors.clear()  # seen and expected: do not fail the teardown


def test_a_page_error_and_a_missing_asset_are_reported(page, url, db):
    page.goto(url("home"))
    page.evaluate(
        """() => {
            setTimeout(() => { throw new Error('boom from the page'); }, 0);
            const img = document.createElement('img');
            img.src = '/static/no-such-file.png';
            img.alt = '';
            document.body.appendChild(img);
        }"""
    )
    page.wait_for_timeout(300)
    errors = "\n".join(page.console_errors)
    assert "boom from the page" in errors
    assert "404" in errors
    page.console_errors.clear()


def test_axe_runs_under_the_csp_and_finds_a_missing_alt_text(page, url, axe, db):
    page.goto(url("home"))
    assert axe(page) == []
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = '/static/favicon.svg';
            document.querySelector('main').appendChild(img);
        }"""
    )
    assert "image-alt" in {v["id"] for v in axe(page)}
