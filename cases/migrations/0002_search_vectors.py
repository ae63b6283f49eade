"""Full-text search on PostgreSQL: a stored, generated tsvector column and a GIN index per kind.

PostgreSQL only (other databases use the icontains fallback in cases/search.py), so the
column is not a model field: PostgreSQL computes it on every insert and update
(bulk_create included), and cases.search reads it by name (search.VECTOR_COLUMN).
Weights: title A, summary B, the Markdown bodies C; text search configuration
'english'. If the searched fields change, add a migration that redefines the column.
"""

from django.db import migrations

FIELDS = {
    "cases_casestudy": ("title", ("summary",), ("context", "approach", "results", "lessons")),
    "cases_adaptation": ("title", (), ("changes", "outcome")),
    "cases_failurereport": (
        "title",
        (),
        ("symptom", "impact", "root_cause", "detection", "prevention"),
    ),
}


def _vector_sql(title, secondary, body):
    def weighted(columns, weight):
        text = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
        return f"setweight(to_tsvector('english', {text}), '{weight}')"

    parts = [weighted([title], "A")]
    if secondary:
        parts.append(weighted(secondary, "B"))
    parts.append(weighted(body, "C"))
    return " || ".join(parts)


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fields in FIELDS.items():
        name = table.removeprefix("cases_")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({_vector_sql(*fields)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {name}_search_gin ON {table} USING gin (search_vector)"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in FIELDS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
