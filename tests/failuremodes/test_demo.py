"""seed_demo groups the demo's failure reports into failure modes, so their measures and pages
have something in them; --reset and a dry run leave no demo mode behind."""

import pytest

from cases.demo import demo_seed
from cases.models import FailureReport, State
from factors.selectors import fresh_maturity_report
from failuremodes.models import FailureMode
from failuremodes.selectors import public_mode_list


@pytest.fixture
def seeded(db):
    return demo_seed(size=60, seed=1)


def test_demo_has_open_and_addressed_failure_modes_counted_on_published_reports(seeded, client):
    modes = public_mode_list()
    assert seeded.created["failure modes"] == FailureMode.objects.count() >= 4
    assert all(m.is_demo for m in FailureMode.objects.all())
    assert {m.is_addressed for m in modes} == {True, False}
    for mode in modes:
        # Only published, visible reports are shown or counted, whatever the mode groups.
        assert {r.state for r in mode.published_reports} == {State.PUBLISHED}
        assert not mode.reports.filter(state=State.DRAFT).exists()
    grouped = FailureReport.objects.filter(failure_modes__isnull=False).exclude(
        state=State.PUBLISHED
    )
    assert grouped.exists()  # some grouped reports are under review, rejected or withdrawn …
    measures = fresh_maturity_report().framework_measures
    assert measures["failure_modes"] == len(modes)  # … and never make a mode count
    assert measures["open_failure_modes"] == sum(1 for m in modes if not m.is_addressed)
    assert measures["open_failure_modes"] >= 1
    page = client.get("/failure-modes/").content.decode()
    assert all(m.title in page for m in modes)
    assert page.count('class="tag tag-demo"') == len(modes)  # labelled as invented
    assert 'class="tag tag-demo"' in client.get(modes[0].get_absolute_url()).content.decode()


def test_reset_replaces_the_demo_modes_and_keeps_a_maintainers(seeded, maintainer):
    from failuremodes.services import failure_mode_create

    own = failure_mode_create(actor=maintainer, title="A maintainer's own mode")
    before = FailureMode.objects.filter(is_demo=True).count()
    report = demo_seed(size=60, seed=1, reset=True)
    assert report.removed["failure modes"] == before
    assert FailureMode.objects.filter(is_demo=True).count() == before
    assert FailureMode.objects.filter(pk=own.pk, is_demo=False).exists()


def test_dry_run_leaves_no_failure_mode(db):
    report = demo_seed(size=60, seed=1, dry_run=True)
    assert report.created["failure modes"] >= 1
    assert not FailureMode.objects.exists()
