"""Atom feeds of newly published evidence: everything, per factor, per domain."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from cases.models import Domain
from factors.models import Factor

from .selectors import latest_evidence

FEED_LENGTH = 30


class LatestEvidenceFeed(Feed):
    """All newly published evidence, of every kind."""

    feed_type = Atom1Feed
    title = "12-Factor AgentOps: new evidence"
    subtitle = "Case studies, adaptations and failure reports as they are published."

    def link(self):
        return reverse("cases:casestudy_list")

    def feed_url(self, obj=None):
        return reverse("opendata:feed_latest")

    def items(self, obj=None):
        return latest_evidence(limit=FEED_LENGTH)

    def item_title(self, item):
        return f"{item.kind_label}: {item.title}"

    def item_description(self, item):
        """The entry's summary, which Atom1Feed sends as `type="html"`: only sanitized HTML
        (Submission.feed_description escapes a plain-text summary)."""
        return item.feed_description

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.credit

    def item_categories(self, item):
        return [item.kind_label, item.domain.name]


class FactorEvidenceFeed(LatestEvidenceFeed):
    """New evidence about one factor."""

    def get_object(self, request, slug):
        return get_object_or_404(Factor, slug=slug)

    def title(self, obj):
        return f"12-Factor AgentOps: new evidence on Factor {obj.roman}, {obj.title}"

    def subtitle(self, obj):
        return obj.summary

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        return reverse("opendata:feed_factor", args=[obj.slug])

    def items(self, obj):
        return latest_evidence(limit=FEED_LENGTH, factor=obj)


class DomainEvidenceFeed(LatestEvidenceFeed):
    """New evidence from one domain."""

    def get_object(self, request, slug):
        return get_object_or_404(Domain, slug=slug)

    def title(self, obj):
        return f"12-Factor AgentOps: new evidence from {obj.name}"

    def subtitle(self, obj):
        return obj.description or f"Published evidence in the {obj.name} domain."

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        return reverse("opendata:feed_domain", args=[obj.slug])

    def items(self, obj):
        return latest_evidence(limit=FEED_LENGTH, domain=obj)
