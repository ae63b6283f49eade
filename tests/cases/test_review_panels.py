"""The review page's panels (cases/review_panels.py): cases owns the extension point and knows
nothing of the apps that fill it; a panel's refusal rolls the whole decision back."""

import ast
from pathlib import Path

import pytest
from django import forms

from cases import review_panels
from cases.models import State
from common.errors import ServiceError

from .test_review_pages import review_url

CASES = Path(review_panels.__file__).resolve().parent


def test_cases_imports_nothing_from_the_apps_above_it():
    found = []
    for path in CASES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found += [
                f"{path.name}:{node.lineno} {name}"
                for name in names
                if name.split(".")[0] in ("failuremodes", "demo", "opendata", "community")
            ]
    assert found == []


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


class NotePanel(review_panels.ReviewPanel):
    """A panel for the test: a note field, refused when it says "refuse"."""

    form_template = "tests/panel_note.html"
    seen: list = []

    def make_form(self, data):
        return NoteForm(data, prefix="note")

    def after_decision(self, *, item, actor, action):
        if self.form.cleaned_data["note"] == "refuse":
            raise ServiceError("The note panel refuses.")
        self.seen.append((item.pk, item.state, action))


@pytest.fixture
def note_panel(monkeypatch, settings, tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "panel_note.html").write_text("{{ panel.form.note.as_field_group }}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    monkeypatch.setattr(review_panels, "_PANELS", [])
    monkeypatch.setattr(NotePanel, "seen", [])
    review_panels.register(NotePanel)
    review_panels.register(NotePanel)  # once, whatever the calls
    return NotePanel


@pytest.fixture
def as_maintainer(client, maintainer):
    client.force_login(maintainer)
    return client


def test_a_registered_panel_is_shown_and_acts_after_the_decision(
    as_maintainer, make_item, note_panel
):
    item = make_item(state=State.SUBMITTED)
    html = as_maintainer.get(review_url(item)).content.decode()
    assert 'name="note-note"' in html
    response = as_maintainer.post(
        review_url(item), {"decision": "publish", "comment": "Thanks.", "note-note": "fine"}
    )
    assert response.status_code == 302
    assert note_panel.seen == [(item.pk, State.PUBLISHED, "publish")]


def test_a_panel_refusal_rolls_the_decision_back(as_maintainer, make_item, note_panel):
    item = make_item(state=State.SUBMITTED)
    changes = item.state_changes.count()
    response = as_maintainer.post(
        review_url(item), {"decision": "publish", "comment": "Thanks.", "note-note": "refuse"}
    )
    assert response.status_code == 409
    assert "The note panel refuses." in response.content.decode()
    item.refresh_from_db()
    assert item.state == State.SUBMITTED and item.state_changes.count() == changes
    assert note_panel.seen == []
