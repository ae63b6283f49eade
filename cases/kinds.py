"""The three kinds of evidence as the authoring pages name and describe them."""

from dataclasses import dataclass

from .models import SUBMISSION_MODELS


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    noun: str
    description: str

    @property
    def model(self):
        return SUBMISSION_MODELS[self.key]


KINDS: dict[str, Kind] = {
    "case_study": Kind(
        "case_study",
        "Case study",
        "case study",
        "How your team applied several factors in a real deployment, how each one went, "
        "and what changed, with numbers where you have them.",
    ),
    "adaptation": Kind(
        "adaptation",
        "Adaptation",
        "adaptation",
        "One factor you had to change to fit your context: what you changed, why, and what "
        "happened.",
    ),
    "failure": Kind(
        "failure",
        "Failure report",
        "failure report",
        "Something that went wrong: the symptom, its impact and root cause, how it was "
        "detected and what now prevents it.",
    ),
}


class KindConverter:
    """URL part for a kind: case-study, adaptation or failure (anything else is 404)."""

    regex = "case-study|adaptation|failure"

    def to_python(self, value: str) -> str:
        return value.replace("-", "_")

    def to_url(self, value: str) -> str:
        return value.replace("_", "-")
