"""The documentation stays true to the code: every management command, environment
variable and URL path it names exists."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
SETTINGS_SOURCE = (ROOT / "agentops_web" / "settings.py").read_text()

# Environment variables the settings module reads: env.str("NAME", ...), env.bool(...), …
ENV_VARS = set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS_SOURCE))
# Names in capitals that docs may mention that are neither variables nor settings.
CODE_NAMES = {
    "INFO",
    "JSON",
    "CSV",
    "API",
    "SVG",
    "HTTP",
    "HTTPS",
    "URL",
    "GET",
    "POST",
    "HEAD",
    "INCR",
}
# Constants the project's code defines (docs may name them: TRANSITIONS, RATE_LIMITS, …).
CODE_CONSTANTS = {
    name
    for path in ROOT.glob("*/**/*.py")
    if ".venv" not in path.parts
    for match in re.findall(
        r"^\s*([A-Z][A-Z0-9_]{2,})\s*[:=]|getattr\(settings, \"([A-Z][A-Z0-9_]{2,})\"",
        path.read_text(),
        flags=re.M,
    )
    for name in match
    if name
}
# Variables the Makefile reads (PORT=8001 make run).
MAKE_VARS = set(re.findall(r"^([A-Z][A-Z0-9_]+) \?=", (ROOT / "Makefile").read_text(), flags=re.M))
# Placeholders in documented paths, and a value that fits each.
PLACEHOLDERS = {
    "slug": "continuous-validation",
    "measure": "domains",
    "domain_slug": "healthcare",
    "id": "1",
    "kind": "case-study",
}


def _text(path: Path) -> str:
    return path.read_text()


def _all_docs_text() -> str:
    return "\n".join(_text(p) for p in DOCS)


def documented_commands() -> set[str]:
    return set(re.findall(r"manage\.py ([a-z_]+)", _all_docs_text())) - {"shell"}


def documented_variables() -> set[str]:
    text = _all_docs_text()
    names = set(re.findall(r"`([A-Z][A-Z0-9_]{2,})`", text))
    names |= set(re.findall(r"(?:^|[\s`])([A-Z][A-Z0-9_]{2,})=", text, flags=re.M))
    return names - CODE_NAMES


def documented_paths() -> set[str]:
    paths = set()
    for raw in re.findall(r"`(/[^`\s]*)`", _all_docs_text()):
        path = raw.split("?", 1)[0]
        for name, value in PLACEHOLDERS.items():
            path = path.replace(f"<{name}>", value).replace(f"{{{name}}}", value)
        paths.add(path)
    return paths


def test_docs_exist_in_every_diataxis_section():
    for section in ("tutorial", "how-to", "reference", "explanation"):
        assert list((ROOT / "docs" / section).glob("*.md")), section


@pytest.mark.parametrize("command", sorted(documented_commands()))
def test_every_documented_command_exists(command):
    assert command in get_commands(), f"docs name `manage.py {command}`, which does not exist"


@pytest.mark.parametrize("name", sorted(documented_variables()))
def test_every_documented_variable_is_read_by_the_settings(name):
    known = ENV_VARS | MAKE_VARS | CODE_CONSTANTS
    assert name in known or hasattr(settings, name), (
        f"docs name {name}, which is neither an environment variable the settings or the "
        "Makefile read, nor a setting or constant of the code"
    )


def test_every_environment_variable_is_in_the_settings_reference():
    reference = _text(ROOT / "docs" / "reference" / "settings.md")
    missing = sorted(name for name in ENV_VARS if f"`{name}`" not in reference)
    assert not missing, f"docs/reference/settings.md does not document {missing}"


@pytest.mark.parametrize("path", sorted(documented_paths()))
def test_every_documented_path_resolves(path):
    try:
        resolve(path)
    except Resolver404:
        pytest.fail(f"docs name the path {path}, which no URL pattern matches")


def test_the_checks_find_what_they_look_for():
    """Guard against a regex that silently matches nothing."""
    assert {"load_framework", "seed_demo", "grant_maintainer"} <= documented_commands()
    assert {"DATABASE_URL", "SECRET_KEY", "CACHE_URL"} <= documented_variables()
    assert {"/maturity/", "/api/docs", "/submit/"} <= documented_paths()
    assert len(ENV_VARS) > 10


def documented_measure_rows() -> set[str]:
    """The measure keys in the first column of docs/reference/measures.md's tables."""
    text = _text(ROOT / "docs" / "reference" / "measures.md")
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.M))


def test_every_registered_measure_is_defined_in_the_measures_reference():
    from factors.measures import MEASURES

    assert len(MEASURES) > 20
    missing = sorted(set(MEASURES) - documented_measure_rows())
    assert not missing, f"docs/reference/measures.md has no row for the measures {missing}"
    unknown = sorted(documented_measure_rows() - set(MEASURES))
    assert not unknown, f"docs/reference/measures.md defines measures that do not exist: {unknown}"


def test_the_measures_reference_shows_the_registry_definitions_word_for_word():
    """Definitions are written once (factors/measures.py); the page holds the table made from it."""
    from factors.measures import measures_markdown_table

    table = measures_markdown_table()
    assert "| `domains` | factor, framework | Distinct domains of published" in table
    assert table in _text(ROOT / "docs" / "reference" / "measures.md"), (
        "docs/reference/measures.md's table differs from the registry: replace it with\n" + table
    )
