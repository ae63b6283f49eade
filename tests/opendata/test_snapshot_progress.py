"""Long snapshot commands say what they are doing and end with a summary."""

import json
from io import StringIO

import pytest
from django.core.management import call_command


def test_export_to_a_file_shows_progress_and_a_summary(evidence, tmp_path):
    out, path = StringIO(), tmp_path / "snapshot.json"
    call_command("export_snapshot", output=str(path), stdout=out)
    text = out.getvalue()
    assert "Reading the published data..." in text
    assert f"Wrote {path} in " in text
    assert "case studies" in text


def test_export_to_stdout_keeps_stdout_pure_json(evidence, capsys):
    call_command("export_snapshot")
    captured = capsys.readouterr()
    assert json.loads(captured.out)["format"] == "agentops-web-snapshot"
    assert "Wrote standard output in " in captured.err


@pytest.mark.django_db(transaction=True)
def test_import_shows_progress_by_default_and_a_summary(evidence, tmp_path):
    path = tmp_path / "snapshot.json"
    call_command("export_snapshot", output=str(path), verbosity=0)
    out = StringIO()
    call_command("import_snapshot", str(path), force=True, stdout=out)
    text = out.getvalue()
    assert "case studies." in text  # a progress line per section
    assert f"Imported {path}: " in text
