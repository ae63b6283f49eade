from .siteurl import site_url


def site(request):
    """Values every template may use."""
    return {"SITE_URL": site_url(request)}
