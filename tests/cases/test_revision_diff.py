"""The revision diff as a plain function (cases/revision_diff.py), without the database: the
form's labels, the site's number formats, changed fields only, words marked removed and added."""

from cases.forms import CaseStudyForm, ReferenceImplementationForm
from cases.models import CaseStudy, ReferenceImplementation
from cases.revision_diff import (
    ADDED,
    REMOVED,
    SAME,
    SKIPPED,
    Piece,
    changes,
    diff_text,
    number,
    version_fields,
)

LABELS = CaseStudyForm.field_labels()


def version(**overrides):
    data = {
        "title": "Agents on call",
        "summary": "Three agents.",
        "domain": 1,
        "domain_label": "Healthcare",
        "organization": None,
        "organization_label": "",
        "deployment": "pilot",
        "duration_months": 120,
        "team_size": 4,
        "context": "A busy ward.",
        "approach": "Tracing first.",
        "results": "Fewer pages.",
        "lessons": "Start small.",
        "consent": "name",
        "attribution_role": "",
        "applications": [
            {"factor": 1, "factor_label": "I. Observability", "outcome": "worked", "note": ""}
        ],
        "quantified": [
            {"metric": "pages per week", "before": "120.000", "after": "35.000", "unit": ""}
        ],
    }
    data.update(overrides)
    return data


def test_numbers_are_written_as_people_write_them():
    assert [number(v) for v in ("35.000", "120", 35, "1.500", "0.250", None, "")] == [
        "35",
        "120",
        "35",
        "1.5",
        "0.25",
        "",
        "",
    ]


def test_a_version_reads_in_the_forms_words_and_the_sites_formats():
    fields = dict(version_fields(CaseStudy, version(), LABELS))
    assert fields["Duration (months)"] == "120"
    assert fields["Deployment"] == "Pilot"
    assert fields["Domain"] == "Healthcare"
    assert fields["Publication consent"] == "Attribute to me by name"
    assert fields["Context and constraints"] == "A busy ward."
    assert fields["Quantified results"] == "pages per week: 120 → 35"
    assert fields["Factors applied"] == "I. Observability: Worked as written"
    assert "Duration months" not in fields and "35.000" not in " ".join(fields.values())


def test_only_changed_fields_are_listed_with_removed_and_added_text():
    before = version()
    after = version(
        duration_months=35,
        deployment="production",
        quantified=[
            {"metric": "pages per week", "before": "120.000", "after": "20.500", "unit": ""}
        ],
    )
    found = changes(CaseStudy, before, after, LABELS)
    assert [c.label for c in found] == ["Deployment", "Duration (months)", "Quantified results"]
    duration = found[1]
    assert (duration.before, duration.after) == ("120", "35")
    assert duration.lines == ((Piece(REMOVED, "120"), Piece(ADDED, "35")),)
    assert found[0].lines == ((Piece(REMOVED, "Pilot"), Piece(ADDED, "In production")),)
    assert found[2].lines == (
        (Piece(SAME, "pages per week: 120 → "), Piece(REMOVED, "35"), Piece(ADDED, "20.5")),
    )


def test_no_change_gives_no_fields():
    assert changes(CaseStudy, version(), version(), LABELS) == []


def test_a_changed_line_is_compared_word_by_word():
    assert diff_text("We traced every call.", "We traced most calls.") == (
        (
            Piece(SAME, "We traced "),
            Piece(REMOVED, "every"),
            Piece(ADDED, "most"),
            Piece(SAME, " "),
            Piece(REMOVED, "call."),
            Piece(ADDED, "calls."),
        ),
    )


def test_lines_added_and_removed_whole_and_empty_fields():
    assert diff_text("", "New text.") == ((Piece(ADDED, "New text."),),)
    assert diff_text("Old text.", "") == ((Piece(REMOVED, "Old text."),),)
    assert diff_text("one\ntwo", "one\nthree\ntwo") == (
        (Piece(SAME, "one"),),
        (Piece(ADDED, "three"),),
        (Piece(SAME, "two"),),
    )


def test_long_unchanged_runs_are_left_out_and_counted():
    before = "\n".join(f"Line {n}." for n in range(10))
    after = before.replace("Line 5.", "Line five.")
    assert diff_text(before, after) == (
        (Piece(SKIPPED, "4 unchanged lines"),),
        (Piece(SAME, "Line 4."),),
        (Piece(SAME, "Line "), Piece(REMOVED, "5."), Piece(ADDED, "five.")),
        (Piece(SAME, "Line 6."),),
        (Piece(SKIPPED, "3 unchanged lines"),),
    )
    words = " ".join(f"w{n}" for n in range(40))
    line = diff_text(words + " end.", words + " finish.")[0]
    assert line[0] == Piece(SKIPPED, "32 unchanged words")
    assert line[1:] == (
        Piece(SAME, " w32 w33 w34 w35 w36 w37 w38 w39 "),
        Piece(REMOVED, "end."),
        Piece(ADDED, "finish."),
    )


def test_booleans_dates_and_factor_notes_of_a_reference_implementation():
    labels = ReferenceImplementationForm.field_labels()
    base = {
        "title": "Guard",
        "maintained": True,
        "last_checked": "2026-11-30",
        "url": "https://example.org",
        "implementations": [{"factor": 3, "factor_label": "III. Budgets", "note": "Retries."}],
    }
    fields = dict(version_fields(ReferenceImplementation, base, labels))
    assert fields["Actively maintained"] == "Yes"
    assert fields["Last checked"] == "30 Nov 2026"
    assert fields["Repository or documentation URL"] == "https://example.org"
    after = {
        **base,
        "maintained": False,
        "implementations": [{"factor": 3, "factor_label": "III. Budgets", "note": "Retry caps."}],
    }
    found = {c.label: c for c in changes(ReferenceImplementation, base, after, labels)}
    assert set(found) == {"Actively maintained", "Factors implemented"}
    assert found["Actively maintained"].lines == ((Piece(REMOVED, "Yes"), Piece(ADDED, "No")),)
    assert found["Factors implemented"].lines == (
        (Piece(SAME, "III. Budgets — "), Piece(REMOVED, "Retries."), Piece(ADDED, "Retry caps.")),
    )
