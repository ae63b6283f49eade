"""The evidence: domains, organizations, and the kinds of submission.

Case studies, adaptations, failure reports and reference implementations share one life
cycle (see State, cases/workflow.py and cases/services.py). Markdown fields are rendered and
sanitized once, on save, into a matching `<field>_html` column; templates show only those.

What differs between the kinds lives on each kind's model: its names, its URLs, what
must be filled in to submit it, the related data its pages load, how it names factors,
what it exports. `SUBMISSION_MODELS` (below) lists the kinds; the registry of cases/kinds.py,
the URLs, filters, feeds, API, CSV and snapshot are derived from it.

One module a seam: base (slugs, saving, choices, field helpers), places (domains and
organizations), review (state changes, confirmations, revisions, form tokens), submission
(the abstract Submission), then one module for each kind with the rows that belong to it.
"""

from .adaptation import Adaptation
from .base import (
    Consent,
    Deployment,
    Outcome,
    Severity,
    State,
    prefetch_once,
    save_rendered,
    save_with_unique_slug,
    unique_slug,
)
from .case_study import Better, CaseStudy, FactorApplication, Metric, QuantifiedResult
from .failure_report import FailureReport
from .places import Domain, Organization, SizeBand
from .reference_implementation import FactorImplementation, ReferenceImplementation, https_only
from .review import Confirmation, FormToken, Revision, StateChange
from .submission import Submission, SubmissionQuerySet

SUBMISSION_MODELS = {
    m.KIND: m for m in (CaseStudy, Adaptation, FailureReport, ReferenceImplementation)
}

__all__ = [
    "SUBMISSION_MODELS",
    "Adaptation",
    "Better",
    "CaseStudy",
    "Confirmation",
    "Consent",
    "Deployment",
    "Domain",
    "FactorApplication",
    "FactorImplementation",
    "FailureReport",
    "FormToken",
    "Metric",
    "Organization",
    "Outcome",
    "QuantifiedResult",
    "ReferenceImplementation",
    "Revision",
    "Severity",
    "SizeBand",
    "State",
    "StateChange",
    "Submission",
    "SubmissionQuerySet",
    "https_only",
    "prefetch_once",
    "save_rendered",
    "save_with_unique_slug",
    "unique_slug",
]
