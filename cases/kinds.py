"""The kinds of evidence, derived from their models (cases/models/, SUBMISSION_MODELS).

Everything that differs between case studies, adaptations, failure reports and any kind
added later is declared on the kind's model. This registry only reads it, so pages,
URLs, filters and exports can loop over the kinds instead of naming them:

    for kind in KINDS.values():
        kind.model.objects.published()   # kind.key, kind.label, kind.plural, kind.url_segment …
"""

from dataclasses import dataclass

from .models import SUBMISSION_MODELS, Submission


@dataclass(frozen=True)
class Kind:
    model: type[Submission]

    @property
    def key(self) -> str:
        return self.model.KIND

    @property
    def plural_key(self) -> str:
        return self.model.plural_key

    @property
    def label(self) -> str:
        """E.g. "Case study": a heading, the eyebrow of an item's page."""
        return self.model.kind_label

    @property
    def noun(self) -> str:
        """E.g. "case study": inside a sentence."""
        return self.model.kind_label.lower()

    @property
    def plural(self) -> str:
        """E.g. "case studies"."""
        return self.model.kind_plural

    @property
    def title(self) -> str:
        """E.g. "Case studies": the heading of the kind's list."""
        return self.model.kind_plural[:1].upper() + self.model.kind_plural[1:]

    @property
    def description(self) -> str:
        return self.model.kind_description

    @property
    def url_segment(self) -> str:
        """The kind in the authoring and review URLs: /submit/case-study/."""
        return self.key.replace("_", "-")

    @property
    def list_path(self) -> str:
        return self.model.list_path

    @property
    def list_url_name(self) -> str:
        return f"cases:{self.model.url_name}_list"

    @property
    def csv_url_name(self) -> str:
        return f"opendata:{self.model.url_name}_csv"

    @property
    def template_name(self) -> str:
        """E.g. "casestudy": templates are cases/<name>_list.html, _detail.html, _published.html,
        _workflow.html."""
        return self.model._meta.model_name

    @property
    def published_eyebrow(self) -> str:
        """The kind's parts of its public page (cases/_evidence_article.html), which the
        author's preview renders too."""
        return f"cases/{self.template_name}_published.html#eyebrow"

    @property
    def published_body(self) -> str:
        return f"cases/{self.template_name}_published.html#body"

    @property
    def workflow_facts(self) -> str:
        """The kind's facts and sections on its workflow pages (cases/_workflow.html#body)."""
        return f"cases/{self.template_name}_workflow.html#facts"

    @property
    def workflow_sections(self) -> str:
        return f"cases/{self.template_name}_workflow.html#sections"


KINDS: dict[str, Kind] = {key: Kind(model) for key, model in SUBMISSION_MODELS.items()}


def kind_of(item) -> Kind:
    return KINDS[type(item).KIND]


class KindConverter:
    """URL part for a kind: case-study, adaptation, failure … (anything else is 404)."""

    regex = "|".join(kind.url_segment for kind in KINDS.values())

    def to_python(self, value: str) -> str:
        return value.replace("-", "_")

    def to_url(self, value: str) -> str:
        return value.replace("_", "-")
