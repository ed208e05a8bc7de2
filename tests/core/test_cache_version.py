"""`cached`: a value is built once per version of the partnership's data, kept unpickled by the
process while the shared cache holds it, and built again once anything it shows changes."""

import pytest
from django.core.cache import cache

from assessments.core.cache_version import cached
from assessments.core.models import Partnership
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def _fresh(partnership: Partnership) -> Partnership:
    return Partnership.objects.get(pk=partnership.pk)  # as the next request reads it


def test_a_value_is_built_once_and_shared_by_the_requests_of_a_process(partnership):
    builds = []

    def build():
        builds.append(1)
        return {"rows": [1, 2, 3]}

    first = cached(_fresh(partnership), build, "test")
    second = cached(_fresh(partnership), build, "test")
    assert len(builds) == 1 and second == first
    assert second is first  # not unpickled again


def test_a_change_to_the_partnerships_rows_builds_the_value_again(partnership):
    values = iter(["before", "after"])
    assert cached(_fresh(partnership), lambda: next(values), "test") == "before"
    ThemeFactory(partnership=partnership)  # any shown row bumps the version
    assert cached(_fresh(partnership), lambda: next(values), "test") == "after"


def test_clearing_the_shared_cache_clears_what_the_process_kept(partnership):
    values = iter(["first", "second"])
    assert cached(_fresh(partnership), lambda: next(values), "test") == "first"
    cache.clear()
    assert cached(_fresh(partnership), lambda: next(values), "test") == "second"
