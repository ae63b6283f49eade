"""Full-text search of reference implementations on PostgreSQL, as cases 0002 does for the
other kinds: a stored, generated tsvector column and a GIN index. Weights: title A,
summary B, description C (ReferenceImplementation.summary_fields / markdown_fields).
"""

from importlib import import_module

from django.db import migrations

TABLE = "cases_referenceimplementation"
FIELDS = ("title", ("summary",), ("description",))


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    vector_sql = import_module("cases.migrations.0002_search_vectors")._vector_sql
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({vector_sql(*FIELDS)}) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX referenceimplementation_search_gin ON {TABLE} USING gin (search_vector)"
    )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_reference_implementations")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
