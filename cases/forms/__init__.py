"""Forms for writing and reviewing evidence.

Drafts may be half-filled: a form built with `submitting=False` requires only what
the database needs (title, domain; the factor of an adaptation). With
`submitting=True` every field in workflow.REQUIRED_ON_SUBMIT is required, so the
errors appear next to the fields. The forms never save: views pass their cleaned
data to cases/services.py.

One module a seam: fields (factor and organization choices), submission (what the kinds'
forms share), one module for each kind's form, and review (the review pages' forms).
"""

from .adaptation import AdaptationForm
from .case_study import (
    OTHER_METRIC,
    QUANTIFIED_PREFIX,
    CaseStudyForm,
    QuantifiedFormSet,
    QuantifiedResultForm,
    metric_choices,
    quantified_rows,
    with_added_row,
)
from .failure_report import FailureReportForm
from .fields import (
    FactorChoiceField,
    FactorMultipleChoiceField,
    OrganizationChoiceField,
    OrganizationIterator,
    TierGroupedIterator,
    organization_labels,
)
from .reference_implementation import ReferenceImplementationForm
from .review import DecisionForm, QueueFilterForm, WithdrawForm
from .submission import (
    COMMON_HELP,
    FACTORS,
    MARKDOWN_MAX_LENGTH,
    QUANTIFIED,
    PerFactorFields,
    SubmissionForm,
)

# Each kind's form, found by its model: a new kind's form class registers itself here.
SUBMISSION_FORMS = {form._meta.model.KIND: form for form in SubmissionForm.__subclasses__()}

__all__ = [
    "COMMON_HELP",
    "FACTORS",
    "MARKDOWN_MAX_LENGTH",
    "OTHER_METRIC",
    "QUANTIFIED",
    "QUANTIFIED_PREFIX",
    "SUBMISSION_FORMS",
    "AdaptationForm",
    "CaseStudyForm",
    "DecisionForm",
    "FactorChoiceField",
    "FactorMultipleChoiceField",
    "FailureReportForm",
    "OrganizationChoiceField",
    "OrganizationIterator",
    "PerFactorFields",
    "QuantifiedFormSet",
    "QuantifiedResultForm",
    "QueueFilterForm",
    "ReferenceImplementationForm",
    "SubmissionForm",
    "TierGroupedIterator",
    "WithdrawForm",
    "metric_choices",
    "organization_labels",
    "quantified_rows",
    "with_added_row",
]
