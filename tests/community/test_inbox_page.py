"""The inbox shows what people wrote at a word boundary, with links that work."""

import pytest
from django.urls import reverse

from community.models import Notification, NotificationKind
from tests.factories import UserFactory


@pytest.fixture
def person(db):
    return UserFactory()


def _inbox(client, person, body):
    Notification.objects.create(
        recipient=person, kind=NotificationKind.COMMENT, subject="A comment", body=body, url="/"
    )
    client.force_login(person)
    return client.get(reverse("community:inbox")).content.decode()


def test_a_short_comment_shows_whole_with_its_urls_as_links(client, person):
    html = _inbox(client, person, "See https://example.org/guide for the steps.")
    link = '<a href="https://example.org/guide" rel="nofollow">https://example.org/guide</a>'
    assert link in html
    assert "for the steps." in html and "Read it all" not in html


def test_a_long_comment_is_cut_at_a_word_with_a_link_to_all_of_it(client, person):
    words = [f"word{i:03d}" for i in range(120)]
    html = _inbox(client, person, " ".join(words))
    assert "word079 …" in html  # the 80th word, whole, then an ellipsis
    assert "word080" not in html
    notification = Notification.objects.get(recipient=person)
    assert reverse("community:inbox_open", args=[notification.pk]) in html
    assert "Read it all" in html


def test_markup_in_a_comment_is_escaped_not_linkified_into_html(client, person):
    html = _inbox(client, person, '<script>alert(1)</script> http://x.example/"onmouseover=')
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert 'onmouseover="' not in html
