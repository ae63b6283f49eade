"""The registry of measures that criteria may name.

A criterion says "measure M is at least N". This module only names and defines the
measures (the keys are stored in the database and checked by a constraint); how
each is computed from published evidence lives in factors/measuring.py, and the
verdicts (value against threshold) in factors/maturity.py. `definition` is the
per-factor meaning; `framework_definition` the framework-wide one, when it differs.
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
    framework_definition: str = ""

    def definition_for(self, scope: str) -> str:
        if scope == FRAMEWORK and self.framework_definition:
            return self.framework_definition
        return self.definition


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in [
        Measure(
            "domains",
            "Domains",
            "Distinct domains of published case studies where the factor worked as written or "
            "with adaptation, and of published adaptations of it.",
            framework_definition="Distinct domains with any published evidence (case study, "
            "adaptation or failure report).",
        ),
        Measure(
            "failures",
            "Failures",
            "Published failure reports naming the factor, plus published case studies where "
            "it failed.",
            framework_definition="Published failure reports, plus failed factor applications "
            "in published case studies.",
        ),
        Measure(
            "adaptations",
            "Adaptations",
            "Published adaptations of the factor, plus published case studies where it worked "
            "with adaptation.",
            framework_definition="Published adaptations, plus factor applications that worked "
            "with adaptation in published case studies.",
        ),
        Measure(
            "failures_or_adaptations",
            "Failures or adaptations",
            "Documented failures plus documented adaptations (the two measures above added).",
        ),
        Measure(
            "case_studies",
            "Case studies",
            "Published case studies applying the factor (any outcome).",
            framework_definition="Published case studies.",
        ),
        Measure(
            "organizations",
            "Organizations",
            "Distinct organizations with a published case study applying the factor.",
            framework_definition="Distinct organizations with a published case study.",
        ),
        Measure(
            "organizations_in_production",
            "Organizations in production",
            "Distinct organizations with a published case study applying the factor in "
            "production (not a pilot).",
            framework_definition="Distinct organizations with a published case study in "
            "production (not a pilot).",
        ),
        Measure(
            "quantified_case_studies",
            "Quantified case studies",
            "Published case studies applying the factor that report at least one quantified "
            "result (before and after).",
            framework_definition="Published case studies that report at least one quantified "
            "result (before and after).",
        ),
        Measure(
            "active_collaborators",
            "Active collaborators",
            "Distinct authors of evidence published within the activity window (90 days by "
            "default).",
            (FRAMEWORK,),
        ),
        Measure(
            "engaged_members",
            "Engaged members",
            "Distinct people who, within the activity window, submitted evidence, reviewed it "
            "(published, rejected or asked for changes) or gave feedback.",
            (FRAMEWORK,),
        ),
        Measure(
            "factors_meeting_phase",
            "Factors meeting the phase",
            "Factors whose per-factor criteria for this phase all hold, whatever phase they "
            "are in now.",
            (FRAMEWORK,),
        ),
        Measure(
            "reference_implementations",
            "Reference implementations",
            "Published reference implementations that implement the factor.",
            framework_definition="Published reference implementations.",
        ),
        Measure(
            "reference_implementation_domains",
            "Domains of reference implementations",
            "Distinct domains of published reference implementations that implement the factor.",
            framework_definition="Distinct domains of published reference implementations.",
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
