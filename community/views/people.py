"""The people of the community: its health page, the contributors by domain and a
contributor's public page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..health import health_page_context
from ..selectors import active_users, contributors_by_domain, public_evidence_of, public_feedback_of


def community_health(request):
    """Per month: evidence published, new contributors, feedback, review latency."""
    return render(request, "community/health.html", health_page_context())


def contributor_list(request):
    return render(
        request,
        "community/contributor_list.html",
        {"groups": contributors_by_domain(), "window_days": settings.ACTIVITY_WINDOW_DAYS},
    )


def contributor_detail(request, pk):
    person = get_object_or_404(active_users().select_related("profile__domain"), pk=pk)
    profile = getattr(person, "profile", None)
    evidence = public_evidence_of(person)
    feedback = public_feedback_of(person)
    has_public_work = evidence or feedback["threads"] or feedback["replies"]
    if not has_public_work and person != request.user:
        # Only contributors have a public page: member ids do not list everyone's name.
        raise Http404("No contributions under this name.")
    return render(
        request,
        "community/contributor_detail.html",
        {"person": person, "profile": profile, "evidence": evidence, **feedback},
    )
