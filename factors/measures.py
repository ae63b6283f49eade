"""The registry of measures that criteria may name, and the wording of a criterion.

A criterion says "measure M is at least N" (or "at most N"). This module only names and
defines the measures (the keys are stored in the database and checked by a constraint);
how each is computed is registered in factors/measuring.py (by the apps that hold the
evidence, e.g. cases/evidence_measures.py), and the verdicts (value against threshold) in
factors/maturity.py. `definition` is the per-factor meaning; `framework_definition` the
framework-wide one, when it differs.

A criterion's text is never stored: `criterion_text()` words it from its measure,
comparator and threshold, so raising a threshold changes every page at once. Each
measure names what it counts (`noun`: singular and plural, per scope when they differ);
"{phase}" in a noun is replaced by the name of the criterion's phase.

Pure: imports no models.
"""

from dataclasses import dataclass

FACTOR = "factor"
FRAMEWORK = "framework"

AT_LEAST = "at_least"
AT_MOST = "at_most"
COMPARATORS = {AT_LEAST: "At least", AT_MOST: "At most"}

# A criterion may count only evidence confirmed within the ageing window (cases/ageing.py):
# its measure is then read under this key, computed over that evidence only.
FRESH_SUFFIX = ":fresh"


def counts_ageing_evidence(measure: str) -> bool:
    """Whether a criterion on `measure` may count only evidence confirmed within the ageing
    window (Measure.ages); an unknown key is treated as evidence."""
    m = MEASURES.get(measure)
    return m.ages if m is not None else True


def fresh_key(measure: str) -> str:
    """The key of `measure` computed over evidence confirmed within the ageing window."""
    return f"{measure}{FRESH_SUFFIX}"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    definition: str
    scopes: tuple[str, ...] = (FACTOR, FRAMEWORK)
    framework_definition: str = ""
    noun: tuple[str, str] = ("", "")  # (one, many), as a criterion's text counts it
    framework_noun: tuple[str, str] = ("", "")
    none_text: str = ""  # the text of "at most 0", when "No <many>" reads badly
    # Whether it counts published evidence, which ages (cases/ageing.py): only then can a
    # criterion count just the evidence confirmed within the ageing window (`fresh_only`).
    # People, activity and open questions do not age.
    ages: bool = True

    def definition_for(self, scope: str) -> str:
        if scope == FRAMEWORK and self.framework_definition:
            return self.framework_definition
        return self.definition

    def noun_for(self, scope: str) -> tuple[str, str]:
        if scope == FRAMEWORK and self.framework_noun[0]:
            return self.framework_noun
        return self.noun if self.noun[0] else (self.label.lower(), self.label.lower())


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
            noun=("domain where it worked", "domains where it worked"),
            framework_noun=("domain with published evidence", "domains with published evidence"),
        ),
        Measure(
            "failures",
            "Failures",
            "Published failure reports naming the factor, plus published case studies where "
            "it failed.",
            framework_definition="Published failure reports, plus failed factor applications "
            "in published case studies.",
            noun=("documented failure", "documented failures"),
        ),
        Measure(
            "adaptations",
            "Adaptations",
            "Published adaptations of the factor, plus published case studies where it worked "
            "with adaptation.",
            framework_definition="Published adaptations, plus factor applications that worked "
            "with adaptation in published case studies.",
            noun=("documented adaptation", "documented adaptations"),
        ),
        Measure(
            "failures_or_adaptations",
            "Failures or adaptations",
            "Documented failures plus documented adaptations (the two measures above added).",
            noun=("documented failure or adaptation", "documented failures or adaptations"),
        ),
        Measure(
            "case_studies",
            "Case studies",
            "Published case studies applying the factor (any outcome).",
            framework_definition="Published case studies.",
            noun=("published case study applying it", "published case studies applying it"),
            framework_noun=("published case study", "published case studies"),
        ),
        Measure(
            "organizations",
            "Organizations",
            "Distinct organizations with a published case study applying the factor.",
            framework_definition="Distinct organizations with a published case study.",
            noun=(
                "organization with a case study applying it",
                "organizations with a case study applying it",
            ),
            framework_noun=(
                "organization with a published case study",
                "organizations with a published case study",
            ),
        ),
        Measure(
            "organizations_in_production",
            "Organizations in production",
            "Distinct organizations with a published case study applying the factor in "
            "production (not a pilot).",
            framework_definition="Distinct organizations with a published case study in "
            "production (not a pilot).",
            noun=(
                "organization applying it in production",
                "organizations applying it in production",
            ),
            framework_noun=(
                "organization using the framework in production",
                "organizations using the framework in production",
            ),
        ),
        Measure(
            "quantified_case_studies",
            "Quantified case studies",
            "Published case studies applying the factor that report at least one quantified "
            "result (before and after).",
            framework_definition="Published case studies that report at least one quantified "
            "result (before and after).",
            noun=("case study with quantified results", "case studies with quantified results"),
        ),
        Measure(
            "case_studies_improved",
            "Case studies reporting improvement",
            "Published case studies applying the factor (as written or with adaptation, not "
            "failed) whose results on the metric vocabulary improved: at least one improved, "
            "none worsened. A case study applies several factors at once: this shows that "
            "the factor was part of an improvement, not that it caused it alone.",
            framework_definition="Published case studies whose results on the metric "
            "vocabulary improved: at least one improved, none worsened.",
            noun=("case study reporting improvement", "case studies reporting improvement"),
        ),
        Measure(
            "active_collaborators",
            "Active collaborators",
            "Distinct authors of evidence published within the activity window (90 days by "
            "default).",
            (FRAMEWORK,),
            noun=("active collaborator", "active collaborators"),
            ages=False,
        ),
        Measure(
            "engaged_members",
            "Engaged members",
            "Distinct people who, within the activity window, submitted evidence, reviewed it "
            "(published, rejected or asked for changes) or gave feedback.",
            (FRAMEWORK,),
            noun=("engaged community member", "engaged community members"),
            ages=False,
        ),
        Measure(
            "factors_meeting_phase",
            "Factors meeting the phase",
            "Factors whose per-factor criteria for this phase all hold, whatever phase they "
            "are in now.",
            (FRAMEWORK,),
            noun=("factor meeting its {phase} criteria", "factors meeting their {phase} criteria"),
            ages=False,
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
            noun=("open challenge", "open challenges"),
            ages=False,
        ),
        Measure(
            "domains_as_written",
            "Domains where it worked as written",
            "Domains whose published evidence shows the factor working as written: a published "
            "case study there applied it as written, and nothing published there reports it "
            "failing (see the domain outcomes).",
            (FACTOR,),
            noun=("domain where it worked as written", "domains where it worked as written"),
        ),
        Measure(
            "domains_adapted",
            "Domains needing adaptation",
            "Domains where the factor worked only with adaptation: published adaptations of it, "
            "or case studies that adapted it, and no case study there applying it as written.",
            (FACTOR,),
            noun=("domain where it needed adaptation", "domains where it needed adaptation"),
        ),
        Measure(
            "domains_failed",
            "Domains where it only failed",
            "Domains where the published evidence about the factor is only failure (failed case "
            "studies, failure reports) with nothing there showing it working, as written or "
            "adapted.",
            (FACTOR,),
            noun=("domain where it only failed", "domains where it only failed"),
        ),
        Measure(
            "failure_modes",
            "Failure modes",
            "Failure modes concerning the factor that group at least one published failure "
            "report (addressed or not).",
            framework_definition="Failure modes that group at least one published failure report.",
            noun=("known failure mode", "known failure modes"),
        ),
        Measure(
            "open_failure_modes",
            "Open failure modes",
            "Failure modes concerning the factor, with at least one published failure report, "
            "that nothing addresses yet (no published adaptation, no refinement of the factor).",
            framework_definition="Failure modes with at least one published failure report "
            "that nothing addresses yet.",
            noun=("open failure mode", "open failure modes"),
        ),
        Measure(
            "open_severe_failure_modes",
            "Open severe failure modes",
            "Open failure modes concerning the factor with a published failure report of high "
            "or critical severity.",
            framework_definition="Open failure modes with a published failure report of high "
            "or critical severity.",
            noun=(
                "open failure mode of high or critical severity",
                "open failure modes of high or critical severity",
            ),
        ),
        Measure(
            "factors_unproven",
            "Factors still unproven",
            "Factors classified as unproven: fewer domains where they worked (as written or "
            "adapted) than the framework's classification setting asks for, and no domain "
            "where they only failed.",
            (FRAMEWORK,),
            noun=("factor still unproven", "factors still unproven"),
            none_text="Every factor classified (none still unproven)",
        ),
    ]
}

MEASURE_CHOICES = [(m.key, m.label) for m in MEASURES.values()]
FRAMEWORK_ONLY_MEASURES = [m.key for m in MEASURES.values() if m.scopes == (FRAMEWORK,)]
FACTOR_ONLY_MEASURES = [m.key for m in MEASURES.values() if m.scopes == (FACTOR,)]
COMPARATOR_CHOICES = list(COMPARATORS.items())

SCOPE_WORDS = {
    (FACTOR, FRAMEWORK): "factor, framework",
    (FACTOR,): "factor only",
    (FRAMEWORK,): "framework only",
}


def measures_markdown_table() -> str:
    """The table of docs/reference/measures.md, from this registry (tests/test_docs.py checks
    the page holds exactly this): the definitions are written once, here, and the site's
    pages (/maturity/measures/, each criterion) show the same text."""
    rows = ["| key | scope | definition |", "| --- | --- | --- |"]
    for m in MEASURES.values():
        text = m.definition
        if fw := m.framework_definition:
            text += f" Framework-wide: {fw[0].lower()}{fw[1:]}"
        rows.append(f"| `{m.key}` | {SCOPE_WORDS[m.scopes]} | {text.replace('|', '\\|')} |")
    return "\n".join(rows) + "\n"


def criterion_text(
    measure: str,
    comparator: str,
    threshold: int,
    *,
    scope: str,
    phase_name: str = "",
    fresh_months: int = 0,
) -> str:
    """A criterion in words, from its measure, comparator and threshold (and, for a criterion
    counting only evidence confirmed within the ageing window, that window in months).

    criterion_text("domains", AT_LEAST, 3, scope=FACTOR) == "At least 3 domains where it worked"
    criterion_text("open_challenges", AT_MOST, 0, scope=FACTOR) == "No open challenges"
    criterion_text("case_studies", AT_LEAST, 2, scope=FACTOR, fresh_months=18) ==
        "At least 2 published case studies applying it, confirmed within 18 months"
    """
    m = MEASURES.get(measure)
    one, many = m.noun_for(scope) if m else (measure, measure)
    if comparator == AT_MOST and threshold == 0:
        text = (m.none_text if m else "") or f"No {many}"
    else:
        noun = one if threshold == 1 else many
        text = f"{COMPARATORS.get(comparator, comparator)} {threshold} {noun}"
    if fresh_months:
        text += f", confirmed within {fresh_months} month{'s' if fresh_months != 1 else ''}"
    return text.replace("{phase}", phase_name or "next-phase")
