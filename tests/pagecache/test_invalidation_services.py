"""The invalidation matrix through the site's own services, with real commits.

Each change is made the way the site makes it (the service functions, each one
transaction) and the next anonymous request must show it. These tests run outside
pytest-django's test transaction, so the generation moves only on COMMIT, as in
production.
"""

import pytest
from django.core.management import call_command

from cases.models import State
from cases.services import submission_publish
from community.services import item_hide, reply_create, thread_create, user_delete_account
from factors.models import Criterion
from factors.services import factor_demote, factor_promote
from tests.factories import CaseStudyFactory, OrganizationFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/case-studies/"
DASHBOARD = "/maturity/"


def warm(client, url):
    client.get(url)
    response = client.get(url)
    assert response["X-Cache"] == "hit", url
    return response.content.decode()


def fresh(client, url, *, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    if status == 200:
        assert response["X-Cache"] == "miss", url
    return response.content.decode()


def test_publishing_shows_on_lists_factor_page_and_dashboard(client, framework, maintainer):
    factor = framework[2]
    item = CaseStudyFactory(
        title="Kill switches in retail", state=State.SUBMITTED, applied=[(factor, "worked")]
    )
    assert "Kill switches in retail" not in warm(client, LIST)
    before_factor = warm(client, factor.get_absolute_url())
    before_dashboard = warm(client, DASHBOARD)
    submission_publish(item=item, actor=maintainer, comment="Solid evidence.")
    assert "Kill switches in retail" in fresh(client, LIST)
    after_factor = fresh(client, factor.get_absolute_url())
    assert "Kill switches in retail" in after_factor
    assert after_factor != before_factor
    assert fresh(client, DASHBOARD) != before_dashboard  # its measures moved


def test_hiding_removes_the_item(client, framework, maintainer):
    item = CaseStudyFactory(title="Kill switches in retail")
    assert "Kill switches in retail" in warm(client, LIST)
    warm(client, item.get_absolute_url())
    item_hide(item=item, actor=maintainer, reason="Spam.")
    assert "Kill switches in retail" not in fresh(client, LIST)
    fresh(client, item.get_absolute_url(), status=404)


def test_withdrawing_a_published_item_removes_it(client, framework):
    # The workflow has no author withdrawal after publication yet; a maintainer's
    # edit in the admin is a plain save.
    item = CaseStudyFactory(title="Kill switches in retail")
    warm(client, LIST)
    item.state = State.WITHDRAWN
    item.save()
    assert "Kill switches in retail" not in fresh(client, LIST)


def test_promotion_then_demotion_show_on_factor_page_and_dashboard(client, framework, maintainer):
    factor = framework[5]
    assert "phase-alpha" in warm(client, factor.get_absolute_url())
    warm(client, DASHBOARD)
    warm(client, "/factors/")
    factor_promote(
        factor=factor,
        by=maintainer,
        rationale="Enough evidence in practice.",
        override=True,
        override_reason="Testing the cache.",
    )
    html = fresh(client, factor.get_absolute_url())
    assert "Enough evidence in practice." in html
    assert "phase-beta" in html
    assert "phase-beta" in fresh(client, "/factors/")
    fresh_dashboard = fresh(client, DASHBOARD)
    assert "phase-beta" in fresh_dashboard
    warm(client, factor.get_absolute_url())
    factor_demote(factor=factor, by=maintainer, reason="A failure report says otherwise.")
    html = fresh(client, factor.get_absolute_url())
    assert "A failure report says otherwise." in html


def test_a_criterion_edit_shows_on_the_dashboard(client, framework):
    """Raising a threshold from 3 to 8 rewords the criterion on every page that shows it."""
    criterion = Criterion.objects.get(phase__slug="alpha", scope="factor", measure="domains")
    pages = [DASHBOARD, "/factors/", framework[1].get_absolute_url()]
    for url in pages:
        warm(client, url)
    criterion.threshold = 8
    criterion.save()
    for url in pages:
        html = fresh(client, url)
        assert "At least 8 domains where it worked" in html
        assert "At least 3 domains where it worked" not in html


def test_a_factor_edit_shows(client, framework):
    factor = framework[7]
    warm(client, "/factors/")
    factor.title = "Guarded Rollouts"
    factor.save()
    assert "Guarded Rollouts" in fresh(client, "/factors/")


def test_domain_and_organization_edits_make_pages_fresh(client, framework):
    organization = OrganizationFactory(name="Acme Bank")
    item = CaseStudyFactory(organization=organization, domain=organization.domain)
    warm(client, item.get_absolute_url())
    organization.anonymized = True
    organization.save()
    assert "Acme Bank" not in fresh(client, item.get_absolute_url())
    domain = organization.domain
    domain.name = "Banking and insurance"
    domain.save()
    assert "Banking and insurance" in fresh(client, item.get_absolute_url())


def test_account_deletion_removes_the_name(client, framework):
    author = UserFactory(display_name="Ada Writer")
    item = CaseStudyFactory(author=author)
    assert "Ada Writer" in warm(client, item.get_absolute_url())
    user_delete_account(user=author)
    html = fresh(client, item.get_absolute_url())
    assert "Ada Writer" not in html


def test_feedback_threads_and_replies_show(client, framework, member):
    factor = framework[3]
    warm(client, "/feedback/")
    thread = thread_create(
        author=member, factor=factor, kind="challenge", title="Budgets do not hold", body="Why."
    )
    assert "Budgets do not hold" in fresh(client, "/feedback/")
    warm(client, thread.get_absolute_url())
    reply_create(thread=thread, author=UserFactory(), body="They held for us at a bank.")
    assert "They held for us at a bank." in fresh(client, thread.get_absolute_url())


def test_a_hidden_thread_disappears(client, framework, maintainer):
    thread = ThreadFactory(factor=framework[1], title="Spam thread about nothing")
    assert "Spam thread about nothing" in warm(client, "/feedback/")
    item_hide(item=thread, actor=maintainer, reason="Spam.")
    assert "Spam thread about nothing" not in fresh(client, "/feedback/")


def test_seed_demo_makes_pages_fresh(client, framework):
    before = warm(client, LIST)
    call_command("seed_demo", size=3, seed=1, verbosity=0)
    assert fresh(client, LIST) != before
