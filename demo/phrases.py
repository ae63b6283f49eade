"""The demo's phrase banks, loaded from phrases.toml beside this file, and the words that fill
their placeholders.

`T.CASE_TITLES`, `T.DOMAINS["Healthcare"]["agents"]`, …: one attribute per top-level key of the
file. The texts are data, not code: change them there (the file's header says what they may hold).
"""

import html
import tomllib
from pathlib import Path
from types import SimpleNamespace

T = SimpleNamespace(**tomllib.loads(Path(__file__).with_name("phrases.toml").read_text("utf-8")))


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _count(n: int, noun: str) -> str:
    """'1 week', '3 weeks'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def placeholders(rng, domain, agent: str, factor) -> tuple[dict, dict]:
    """(values, the same HTML-escaped) for one item's `{name}` placeholders."""
    values = {
        "domain": domain.name.lower(),
        "agent": agent,
        "factor": factor.title,
        "constraint": T.DOMAINS[domain.name]["constraint"],
        "team": str(rng.randint(3, 40)),
        "months": str(rng.randint(2, 18)),
        "parts": str(rng.randint(2, 6)),
        "count": f"{rng.randint(40, 4000):,}",
        "hours": str(rng.randint(2, 60)),
        "weeks": _count(rng.randint(1, 6), "week"),
    }
    values["a_domain"] = f"{article(values['domain'])} {values['domain']}"
    return values, {k: html.escape(v, quote=False) for k, v in values.items()}
