"""/sitemap.xml (django.contrib.sitemaps) and /robots.txt: what search engines may index.

The sitemap lists the public pages: the lists, the twelve factors, every domain, each
published item of evidence (never a draft, an item in review, a rejected or a hidden one:
the same `.published()` the pages themselves serve) and the public failure modes.
Addresses are built on the host and scheme the sitemap was asked on. Each section costs
two queries (a count, the rows) whatever the data size.
"""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from cases.models import Adaptation, CaseStudy, Domain, FailureReport
from factors.models import Factor
from failuremodes.models import FailureMode


class PagesSitemap(Sitemap):
    priority = 0.8
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "maturity",
            "maturity_measures",
            "factors:list",
            "cases:casestudy_list",
            "cases:adaptation_list",
            "cases:failure_list",
            "cases:domain_list",
            "failuremodes:list",
            "community:thread_list",
            "community:contributor_list",
            "community:health",
            "opendata:open_data",
        ]

    def location(self, item):
        return reverse(item)


class FactorSitemap(Sitemap):
    priority = 0.9
    changefreq = "weekly"

    def items(self):
        return Factor.objects.order_by("number").only("slug", "number")


class DomainSitemap(Sitemap):
    priority = 0.6
    changefreq = "weekly"

    def items(self):
        return Domain.objects.order_by("name").only("slug", "name")


class EvidenceSitemap(Sitemap):
    """Published items of one kind, with their last change as lastmod."""

    model = None
    priority = 0.7
    changefreq = "monthly"

    def items(self):
        return (
            self.model.objects.published()
            .order_by("-published_at", "-id")
            .only("id", "slug", "updated_at", "published_at")
        )

    def lastmod(self, item):
        return item.updated_at


class CaseStudySitemap(EvidenceSitemap):
    model = CaseStudy


class AdaptationSitemap(EvidenceSitemap):
    model = Adaptation


class FailureSitemap(EvidenceSitemap):
    model = FailureReport


class FailureModeSitemap(Sitemap):
    """Public failure modes (at least one published report)."""

    priority = 0.6
    changefreq = "monthly"

    def items(self):
        return FailureMode.objects.public().order_by("title", "pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "factors": FactorSitemap,
    "domains": DomainSitemap,
    "case-studies": CaseStudySitemap,
    "adaptations": AdaptationSitemap,
    "failures": FailureSitemap,
    "failure-modes": FailureModeSitemap,
}

# Pages for one person (their drafts, inbox, settings), for maintainers, or that take input:
# nothing there for a search engine. URL names, so the paths follow the URLconf.
ROBOTS_DISALLOW = [
    "admin:index",
    "account_login",  # /accounts/: signing in, sign-up, passwords
    "cases:submit",
    "cases:my_submissions",
    "cases:review_queue",
    "cases:search",  # endless combinations of the lists above
    "community:moderation",
    "community:settings",
    "community:inbox",
]


def _prefix(name: str) -> str | None:
    try:
        path = reverse(name)
    except NoReverseMatch:
        return None
    if name == "account_login":  # the whole allauth area
        return path.rsplit("/", 2)[0] + "/"
    return path


@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in map(_prefix, ROBOTS_DISALLOW) if path]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('opendata:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
