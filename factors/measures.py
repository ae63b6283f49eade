"""The registry of measures that criteria may name.

A criterion says "measure M is at least N". This module only names and defines the
measures (the keys are stored in the database and checked by a constraint); how
each is computed from published evidence lives in factors/maturity.py.
"""

from dataclasses import dataclass

FACTOR = "factor"
FRAMEWORK = "framework"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    definition: str
    scopes: tuple[str, ...] = (FACTOR, FRAMEWORK)


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in [
        Measure(
            "domains",
            "Domains",
            "Distinct domains with published evidence that the factor worked, as written or "
            "with adaptation.",
        ),
        Measure(
            "failures",
            "Failures",
            "Published failure reports, plus published case-study applications that failed.",
        ),
        Measure(
            "adaptations",
            "Adaptations",
            "Published adaptations, plus published case-study applications that worked with "
            "adaptation.",
        ),
        Measure(
            "failures_or_adaptations",
            "Failures or adaptations",
            "Documented failures plus documented adaptations (the two measures above added).",
        ),
        Measure("case_studies", "Case studies", "Published case studies applying the factor."),
        Measure(
            "organizations",
            "Organizations",
            "Distinct organizations with a published case study applying the factor.",
        ),
        Measure(
            "organizations_in_production",
            "Organizations in production",
            "Distinct organizations with a published case study running in production "
            "(not a pilot).",
        ),
        Measure(
            "quantified_case_studies",
            "Quantified case studies",
            "Published case studies that report at least one quantified result (before and after).",
        ),
        Measure(
            "active_collaborators",
            "Active collaborators",
            "Distinct authors with evidence published within the activity window.",
            (FRAMEWORK,),
        ),
        Measure(
            "engaged_members",
            "Engaged members",
            "Distinct people who submitted, reviewed or gave feedback within the activity window.",
            (FRAMEWORK,),
        ),
        Measure(
            "factors_meeting_phase",
            "Factors meeting the phase",
            "Factors whose per-factor criteria for this phase all hold.",
            (FRAMEWORK,),
        ),
        Measure(
            "open_challenges",
            "Open challenges",
            "Open feedback threads of the kind 'challenge'.",
        ),
    ]
}

MEASURE_CHOICES = [(m.key, m.label) for m in MEASURES.values()]
FRAMEWORK_ONLY_MEASURES = [m.key for m in MEASURES.values() if m.scopes == (FRAMEWORK,)]
