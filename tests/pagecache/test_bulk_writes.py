"""Writes that send no signal must bump the generation themselves.

QuerySet.update(), bulk_create(), bulk_update() and raw SQL bypass post_save and
post_delete. Any project module using one must also call
`generation_bump_on_commit()` (or say on the line, with `# pagecache: <why>`, why
no public page can change).
"""

import re
from pathlib import Path

import pytest
from django.db import transaction

from pagecache.generation import generation_bump_on_commit, generation_current
from tests.factories import DomainFactory

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "tests", "migrations", "node_modules", "bench", ".git", "staticfiles"}
BULK = re.compile(
    r"(?:\)|\bobjects|\bqs|queryset)\.update\(|\.bulk_create\(|\.bulk_update\(|\.raw\(|"
    r"\.cursor\(\)|\.execute\("
)


def project_modules():
    for path in ROOT.rglob("*.py"):
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def test_every_bulk_write_in_the_code_bumps_the_generation():
    offenders = []
    for path in project_modules():
        text = path.read_text()
        if "generation_bump_on_commit" in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if BULK.search(line) and "# pagecache:" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, (
        "These writes send no post_save/post_delete signal, so cached pages would go "
        "stale: call pagecache.generation.generation_bump_on_commit() beside them.\n"
        + "\n".join(offenders)
    )


def test_the_guard_sees_a_bulk_update():
    assert BULK.search("Factor.objects.filter(number=4).update(phase=beta)")
    assert BULK.search("CaseStudy.objects.bulk_create(items)")
    assert BULK.search("qs.update(read_at=now)")
    assert BULK.search("    ).update(status=status)")
    assert not BULK.search("values.update(kw)")
    assert not BULK.search("field.widget.attrs.update(rows=8)")


@pytest.mark.django_db(transaction=True)
def test_an_explicit_bump_after_a_queryset_update_makes_pages_fresh(client):
    domain = DomainFactory(name="Retail")
    client.get("/domains/")
    assert client.get("/domains/")["X-Cache"] == "hit"
    before = generation_current()
    with transaction.atomic():
        type(domain).objects.filter(pk=domain.pk).update(name="Retail and e-commerce")
        generation_bump_on_commit()
    assert generation_current() == before + 1
    response = client.get("/domains/")
    assert response["X-Cache"] == "miss"
    assert "Retail and e-commerce" in response.content.decode()
