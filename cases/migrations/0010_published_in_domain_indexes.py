"""Partial indexes on the published items of each kind by domain, newest first.

They serve the domain page (cases/selectors.py: the newest items of each factor in a
domain read a few rows each instead of every item of the domain) and the search page's
newest matches. Plain SQL, as the search vectors of 0002 (the same on PostgreSQL and
SQLite, which both index a WHERE clause); not model state, so models.py is unchanged.
"""

from django.db import migrations

TABLES = {
    "cases_casestudy": "casestudy_domain_published",
    "cases_adaptation": "adaptation_domain_published",
    "cases_failurereport": "failure_domain_published",
    "cases_referenceimplementation": "refimpl_domain_published",
}


def _create(table, name):
    return (
        f'CREATE INDEX "{name}" ON "{table}" ("domain_id", "published_at" DESC, "id" DESC) '
        "WHERE \"state\" = 'published' AND \"hidden_at\" IS NULL"
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_casestudy_deployment_chosen_by_the_author")]

    operations = [
        migrations.RunSQL(_create(table, name), f'DROP INDEX "{name}"')
        for table, name in TABLES.items()
    ]
