"""The demo's people and places: domains, their organizations, members and maintainers.

Rows already there (from an earlier run, or real ones of the same name) are reused; new ones
are marked demo (`is_demo`, or a demo-…@example.org address for users).
"""

from collections import defaultdict

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from accounts.models import User
from accounts.services import ensure_maintainers_group
from cases.models import Domain, Organization, SizeBand

from .phrases import T
from .writing import Slugs

MAINTAINERS = 4


def make_places(rng, report) -> tuple[list[Domain], dict[int, list[Organization]]]:
    """The demo domains, and the organizations of each (by domain pk)."""
    existing = {d.name: d for d in Domain.objects.filter(name__in=list(T.DOMAINS))}
    slugs = Slugs(Domain)
    new = [
        Domain(
            name=name,
            slug=slugs.make(name),
            is_demo=True,
            description=(
                f"Demo domain: {name.lower()}. Made by seed_demo to show how the site "
                "works; the evidence in it is invented."
            ),
        )
        for name in T.DOMAINS
        if name not in existing
    ]
    Domain.objects.bulk_create(new)  # pagecache: seed bumps
    report.created["domains"] = len(new)
    domains = [existing.get(d.name, d) for d in new] + list(existing.values())
    org_slugs = Slugs(Organization)
    taken = set(Organization.objects.values_list("name", "domain_id"))
    orgs = []
    for domain in domains:
        for name in T.DOMAINS[domain.name]["organizations"]:
            if (name, domain.pk) in taken:
                continue
            orgs.append(
                Organization(
                    name=name,
                    slug=org_slugs.make(name),
                    domain=domain,
                    size_band=rng.choice(SizeBand.values),
                    anonymized=rng.random() < 0.3,
                    is_demo=True,
                )
            )
    Organization.objects.bulk_create(orgs)  # pagecache: seed bumps
    report.created["organizations"] = len(orgs)
    by_domain = defaultdict(list)
    for org in Organization.objects.filter(domain__in=domains).select_related("domain"):
        by_domain[org.domain_id].append(org)
    return domains, by_domain


def make_people(rng, report, *, size: int, password: str | None) -> tuple[list, list]:
    """(maintainers, members): verified demo users, one member for about 8 case studies."""
    n_members = max(10, min(2000, size // 8))
    wanted = [f"demo-maintainer-{i}@example.org" for i in range(1, MAINTAINERS + 1)] + [
        f"demo-member-{i}@example.org" for i in range(1, n_members + 1)
    ]
    existing = {u.email: u for u in User.objects.filter(email__in=wanted)}
    hashed = make_password(password) if password else None
    new = []
    for email in wanted:
        if email in existing:
            continue
        first, last = rng.choice(T.FIRST_NAMES), rng.choice(T.LAST_NAMES)
        new.append(
            User(
                email=email,
                display_name=f"{first} {last} (demo)",
                password=hashed or make_password(None),
                is_staff=email.startswith("demo-maintainer"),
            )
        )
    User.objects.bulk_create(new)  # pagecache: seed bumps
    EmailAddress.objects.bulk_create(  # pagecache: seed bumps
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in new]
    )
    report.created["users"] = len(new)
    users = {**existing, **{u.email: u for u in new}}
    maintainers = [users[e] for e in wanted if e.startswith("demo-maintainer")]
    members = [users[e] for e in wanted if e.startswith("demo-member")]
    ensure_maintainers_group().user_set.add(*maintainers)
    return maintainers, members
