"""Values computed once per generation (e.g. the dashboard's measures)."""

from pagecache.generation import cached_per_generation, generation_bump, generation_current


def test_computed_once_per_generation_and_again_after_a_bump(db):
    calls = []

    def compute():
        calls.append(1)
        return {"published": len(calls)}

    assert cached_per_generation("measures", compute) == {"published": 1}
    assert cached_per_generation("measures", compute) == {"published": 1}
    assert len(calls) == 1
    generation_bump()
    assert cached_per_generation("measures", compute) == {"published": 2}
    assert len(calls) == 2


def test_a_none_result_is_cached_too(db):
    calls = []
    cached_per_generation("nothing", lambda: calls.append(1))
    cached_per_generation("nothing", lambda: calls.append(1))
    assert calls == [1]


def test_bump_counts_up(db):
    start = generation_current()
    assert generation_bump() == start + 1
    assert generation_current() == start + 1


def test_invalidate_pages_command_bumps(db, capsys):
    from django.core.management import call_command

    start = generation_current()
    call_command("invalidate_pages", "--dry-run")
    assert generation_current() == start
    call_command("invalidate_pages")
    assert generation_current() == start + 1
    assert f"{start + 1}" in capsys.readouterr().out


def test_the_database_record_is_raised_in_one_statement_and_made_when_missing(
    db, django_assert_num_queries
):
    """Every committed write raises the record: one UPDATE ... RETURNING, not a read, a write
    and a transaction of its own. A new database has no record yet: the first raise makes it."""
    from pagecache.generation import _anchor_raise
    from pagecache.models import Generation

    Generation.objects.all().delete()
    first = _anchor_raise()
    assert Generation.objects.get(pk=1).value == first == 4_000_000_000_000_000
    with django_assert_num_queries(1):
        second = _anchor_raise()
    assert second == first + 1  # the clock stands still: one more than the record
    assert Generation.objects.get(pk=1).value == second
