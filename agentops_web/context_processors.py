from .siteurl import site_url


def site(request):
    """Values every template may use.

    `canonical_url`: this page's address without its query string (but for a page number
    past the first), on the host and scheme it was asked for: what search engines and link
    previews should treat as the page.
    """
    canonical = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and page != "1":
        canonical += f"?page={page}"
    return {"SITE_URL": site_url(request), "canonical_url": canonical}
