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
