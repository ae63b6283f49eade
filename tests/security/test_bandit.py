"""bandit finds no medium or high issue in the code we ship (CI runs the same command)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_bandit_reports_no_medium_or_high_issue():
    bandit = Path(sys.executable).with_name("bandit")
    if not bandit.exists():
        pytest.skip("bandit is not installed (pip install -e '.[dev]')")
    packages = sorted(p.parent.name for p in ROOT.glob("*/__init__.py"))
    result = subprocess.run(
        [str(bandit), "-c", "pyproject.toml", "-r", *packages, "-ll", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
