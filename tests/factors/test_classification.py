"""Universal or context-specific: the pure rules (no database), worked out by hand."""

import pytest

from factors.classification import Classification, DomainOutcome, classify, domain_outcome

AS_WRITTEN, ADAPTED = DomainOutcome.AS_WRITTEN, DomainOutcome.ADAPTED
MIXED, FAILED = DomainOutcome.MIXED, DomainOutcome.FAILED


@pytest.mark.parametrize(
    ("worked", "adapted", "failed", "expected"),
    [
        (0, 0, 0, None),  # nothing: no outcome
        (1, 0, 0, AS_WRITTEN),
        (2, 1, 0, AS_WRITTEN),  # someone adapted it, but it worked as written there
        (0, 1, 0, ADAPTED),
        (0, 2, 1, ADAPTED),  # the failure there is addressed by the adaptation
        (1, 0, 1, MIXED),  # worked as written for some, failed for others
        (1, 1, 1, MIXED),
        (0, 0, 1, FAILED),
        (0, 0, 3, FAILED),
    ],
)
def test_domain_outcome(worked, adapted, failed, expected):
    assert domain_outcome(worked=worked, adapted=adapted, failed=failed) == expected


def test_no_evidence_is_unproven():
    c = classify({}, min_domains=3)
    assert c.kind == Classification.UNPROVEN and c.label == "Unproven"
    assert not c.classified
    assert c.explanation == (
        "No published evidence of it working yet; 3 domains are needed to classify it."
    )
    assert "1 domain is needed" in classify({}, min_domains=1).explanation


def test_universal_needs_n_domains_as_written_and_none_adapted_or_failed():
    outcomes = {"Health": AS_WRITTEN, "Retail": AS_WRITTEN, "Energy": AS_WRITTEN}
    c = classify(outcomes, min_domains=3)
    assert c.kind == Classification.UNIVERSAL and c.label == "Universal so far"
    assert c.as_written == ("Health", "Retail", "Energy")
    assert c.explanation == (
        "Worked as written in 3 domains (Health, Retail and Energy), with no domain where it "
        "needed adaptation or only failed."
    )
    # One domain fewer than N: unproven.
    two = classify({"Health": AS_WRITTEN, "Retail": AS_WRITTEN}, min_domains=3)
    assert two.kind == Classification.UNPROVEN
    assert two.explanation == "Worked in 2 domains so far; 3 domains are needed to classify it."


def test_n_is_a_parameter_not_a_constant():
    outcomes = {"Health": AS_WRITTEN, "Retail": AS_WRITTEN}
    assert classify(outcomes, min_domains=2).kind == Classification.UNIVERSAL
    assert classify(outcomes, min_domains=3).kind == Classification.UNPROVEN
    assert classify(outcomes, min_domains=0).min_domains == 1  # never below one domain


def test_a_mixed_domain_does_not_spoil_universal_but_does_not_count_toward_n():
    outcomes = {"A": AS_WRITTEN, "B": AS_WRITTEN, "C": MIXED}
    assert classify(outcomes, min_domains=2).kind == Classification.UNIVERSAL
    c = classify(outcomes, min_domains=3)
    assert c.kind == Classification.UNPROVEN
    assert c.explanation.endswith("The evidence is mixed in C.")


def test_context_specific_names_the_domains_needing_adaptation():
    outcomes = {"Health": AS_WRITTEN, "Finance": ADAPTED, "Retail": ADAPTED, "Law": MIXED}
    c = classify(outcomes, min_domains=3)
    assert c.kind == Classification.CONTEXT_SPECIFIC and c.label == "Context-specific"
    assert c.adapted == ("Finance", "Retail") and c.working == 3
    assert c.explanation == "Works in 3 domains, but needed adaptation in Finance and Retail."
    # Even with N domains as written, one needing adaptation makes it context-specific.
    more = {"A": AS_WRITTEN, "B": AS_WRITTEN, "C": AS_WRITTEN, "D": ADAPTED}
    assert classify(more, min_domains=3).kind == Classification.CONTEXT_SPECIFIC


def test_a_domain_where_it_only_failed_makes_it_contested_whatever_else():
    outcomes = {"A": AS_WRITTEN, "B": AS_WRITTEN, "C": AS_WRITTEN, "Energy": FAILED}
    c = classify(outcomes, min_domains=3)
    assert c.kind == Classification.CONTESTED and c.label == "Contested"
    assert c.failed == ("Energy",)
    assert c.explanation == (
        "Failed in Energy with nothing there that shows it working, as written or adapted."
    )
    assert classify({"Energy": FAILED}, min_domains=3).kind == Classification.CONTESTED


def test_domains_with_no_outcome_are_ignored_and_keys_may_be_anything():
    c = classify({1: None, 2: AS_WRITTEN, 3: "as_written"}, min_domains=2)
    assert c.kind == Classification.UNIVERSAL and c.as_written == (2, 3)
