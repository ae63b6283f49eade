"""{% feed_links %}: Atom autodiscovery links for the page being shown.

Every page advertises the feed of all new evidence; a factor page also advertises that
factor's feed, a domain page that domain's. Read from the resolved URL, so no view has
to pass anything.
"""

from django import template
from django.urls import reverse

from cases.kinds import KINDS

register = template.Library()

PAGE_FEEDS = {
    "factors:detail": ("opendata:feed_factor", "New evidence on this factor (Atom)"),
    "cases:domain_detail": ("opendata:feed_domain", "New evidence in this domain (Atom)"),
}


@register.inclusion_tag("opendata/feed_links.html", takes_context=True)
def feed_links(context):
    feeds = [(reverse("opendata:feed_latest"), "New evidence (Atom)")]
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in PAGE_FEEDS and "slug" in match.kwargs:
        name, title = PAGE_FEEDS[match.view_name]
        feeds.append((reverse(name, args=[match.kwargs["slug"]]), title))
    return {"feeds": feeds}


@register.simple_tag
def evidence_csv_url(kind: str, querystring: str = "") -> str:
    """The CSV download of a list with the same filters: {% evidence_csv_url result.kind
    result.querystring %}."""
    url = reverse(KINDS[kind].csv_url_name)
    return f"{url}?{querystring}" if querystring else url
