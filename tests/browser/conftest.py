"""Real-browser fixtures: Debian's Chromium driven by Playwright against the live server.

- `browser` (per module): Chromium, headless. Missing Chromium or Playwright skips the browser tests
  locally with the reason, and FAILS them when the CI environment variable is set.
- `page`: a fresh browser context per test (no shared cookies) whose console is watched: any console
  error (CSP violations are console errors in Chromium), uncaught page error or failed request
  fails the test at teardown. `page.console_errors` lists them so far.
- `shoot(page, name)`: full-page screenshots at 390 px and 1280 px into test-artifacts/screenshots/.
- `url(name, *args)`: the live server's absolute URL for a URL name.
- `axe(page)`: runs axe-core (vendored, see vendor/README.md) in the page; returns its violations.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE, DESKTOP = 390, 1280
# Long enough for a loaded 2-core machine, short enough that a broken page fails fast.
TIMEOUT_MS = 15_000


def _unavailable(reason):
    """Skip locally; in CI a missing browser is a failure, never a silent skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run; see .ci/run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -e '.[dev]'")
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        _unavailable(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    # Playwright's sync API keeps an asyncio loop running in this thread; Django's guard against
    # sync ORM calls inside a running loop would then refuse the test's own queries. Module scope:
    # the loop (and the variable) end with each browser module, so later tests and their
    # subprocesses (e.g. `check --deploy`) never see them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_playwright):
    from playwright.sync_api import expect

    # Assertions wait as long as actions do: a loaded CI machine is slow, not broken.
    expect.set_options(timeout=TIMEOUT_MS)
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


class ConsoleWatch:
    """Collects everything the browser reports as going wrong on a page."""

    def __init__(self, page):
        self.errors = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("requestfailed", self._request_failed)

    def _request_failed(self, request):
        # A navigation cancels what the previous page was still loading: not a fault.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(
                f"request failed: {request.method} {request.url} ({request.failure})"
            )

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console error at {message.location.get('url')}: {message.text}")


def _new_page(browser, live_server, width=DESKTOP, **context_options):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
        locale="en-GB",
        **context_options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.console_errors = ConsoleWatch(page).errors
    return context, page


@pytest.fixture
def new_page(browser, live_server):
    """Open further independent pages (another person in the same journey)."""
    opened = []

    def open_page(**options):
        context, page = _new_page(browser, live_server, **options)
        opened.append((context, page))
        return page

    yield open_page
    problems = [e for _, page in opened for e in page.console_errors]
    for context, _ in opened:
        context.close()
    if problems:
        pytest.fail("The browser reported errors:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def url(live_server):
    def absolute(name, *args, **kwargs):
        return live_server.url + reverse(name, args=args, kwargs=kwargs or None)

    return absolute


@pytest.fixture
def shoot():
    """Screenshot the current page at phone and desktop widths, then restore the viewport."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def screenshot(page, name):
        size = page.viewport_size
        for width in (PHONE, DESKTOP):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        page.set_viewport_size(size)

    return screenshot


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing (see tests/browser/vendor/README.md)", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """Run axe-core on the page as it is; return violations of impact serious or critical.

    axe is evaluated through the DevTools protocol (page.evaluate), which the page's CSP does not
    govern, so the site's strict CSP stays on during the accessibility tests (no bypass_csp).
    """

    def run(page, *, impacts=("serious", "critical")):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source + "\n;undefined")
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {
                    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                     'best-practice']},
                    resultTypes: ['violations'],
                    // The stylesheets axe can fetch serve only css-orientation-lock, an
                    // experimental rule these tags do not run: fetching them costs ~20 %.
                    preload: false,
                });
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
                }));
            }"""
        )
        return [v for v in result if v["impact"] in impacts]

    return run


def describe(violations):
    """Readable list of axe violations for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        lines.extend(f"    {node}" for node in v["nodes"][:5])
    return "\n".join(lines)
