"""A small set of failure modes whose numbers are worked out by hand.

Reports (factor I = f1 …):
  high      published, high,     Health, Clinic A
  low       published, low,      Retail, Shop B
  crit      published, critical, Retail (no organization)
  draft, rejected, withdrawn, submitted   never public
  hidden    published but hidden, critical
Modes:
  A "Runaway loops"      f1, f2   high, low, draft        open, severe (high)
  B "Stale context"      f1       low                     addressed by a refinement
  C "Silent retries"     f2       draft … hidden          not public (no count)
  D "Budget overrun"     f2, f3   high                    addressed by a published adaptation
  E "Cache poisoning"    f3       crit                    marked addressed by an adaptation
                                                         now hidden: open again, severe
  F "Nothing yet"        f1       (no report)             not public
  G "Slow drift"         f3       low                     open, not severe (low)
Per factor:   f1: 2 modes (A, B), 1 open (A), 1 severe (A)
              f2: 2 (A, D), 1 open (A), 1 severe (A)
              f3: 3 (D, E, G), 2 open (E, G), 1 severe (E)
Framework:    5 modes (A, B, D, E, G), 3 open (A, E, G), 2 severe (A, E)
"""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from cases.models import Severity, State
from failuremodes.models import FailureMode
from tests.factories import (
    AdaptationFactory,
    DomainFactory,
    FailureReportFactory,
    OrganizationFactory,
)


def mode(title, factors, reports, **fields):
    m = FailureMode.objects.create(title=title, **fields)
    m.factors.set(factors)
    m.reports.set(reports)
    return m


@pytest.fixture
def modes(framework):
    f1, f2, f3 = framework[1], framework[2], framework[3]
    health, retail = DomainFactory(name="Health"), DomainFactory(name="Retail")
    clinic = OrganizationFactory(name="Clinic A", domain=health)
    shop = OrganizationFactory(name="Shop B", domain=retail)
    now = timezone.now()

    def report(title, severity, domain, org=None, **kw):
        return FailureReportFactory(
            title=title, severity=severity, domain=domain, organization=org, factors=[f1], **kw
        )

    r = SimpleNamespace(
        high=report("Agent loop took the ward system down", Severity.HIGH, health, clinic),
        low=report("Agent loop slowed the checkout", Severity.LOW, retail, shop),
        crit=report("Poisoned cache served wrong prices", Severity.CRITICAL, retail),
        draft=report("Draft loop report", Severity.CRITICAL, health, state=State.DRAFT),
        rejected=report("Rejected loop report", Severity.CRITICAL, health, state=State.REJECTED),
        withdrawn=report("Withdrawn report", Severity.CRITICAL, health, state=State.WITHDRAWN),
        submitted=report("Submitted report", Severity.CRITICAL, health, state=State.SUBMITTED),
        hidden=report("Hidden report", Severity.CRITICAL, health, hidden_at=now),
    )
    adaptation = AdaptationFactory(title="Loop budgets", factor=f2, domain=retail)
    hidden_adaptation = AdaptationFactory(
        title="Cache keys", factor=f3, domain=retail, hidden_at=now
    )
    m = SimpleNamespace(
        A=mode("Runaway loops", [f1, f2], [r.high, r.low, r.draft]),
        B=mode("Stale context", [f1], [r.low], refinement="Refresh it.", addressed_at=now),
        C=mode(
            "Silent retries",
            [f2],
            [r.draft, r.rejected, r.withdrawn, r.hidden, r.submitted],
        ),
        D=mode("Budget overrun", [f2, f3], [r.high], addressed_by=adaptation, addressed_at=now),
        E=mode("Cache poisoning", [f3], [r.crit], addressed_by=hidden_adaptation, addressed_at=now),
        F=mode("Nothing yet", [f1], []),
        G=mode("Slow drift", [f3], [r.low]),
    )
    return SimpleNamespace(
        reports=r, modes=m, f1=f1, f2=f2, f3=f3, health=health, retail=retail,
        adaptation=adaptation, hidden_adaptation=hidden_adaptation,
    )  # fmt: skip
