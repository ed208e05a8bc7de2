"""Which tests a parallel run (pytest-xdist, `--dist loadgroup`) keeps in one process.

What a module-scoped fixture builds (rendered PDFs, a Celery worker, the tenancy world) is built
once only if the module's tests run in one process, one after another: split between processes,
or interleaved with other modules' tests, each piece builds it again (pytest tears a module's
fixtures down whenever the next test is another module's). So every test that uses a
module-scoped fixture gets its module's `xdist_group`, unless it names a group of its own.

xdist passes the group on as a suffix of the test's id ("...::test_x@group"). A pytest that
keeps ids where xdist no longer writes (9.2 with xdist 3.8: pytest-dev/pytest-xdist#1386)
drops every group without a word, and the module's PDFs were rendered three times: the run
stops instead."""

from __future__ import annotations

import pytest


def _uses_a_module_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        definition.scope == "module"
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


def pytest_itemcollected(item: pytest.Item) -> None:
    # Here, not in pytest_collection_modifyitems: xdist reads the groups in its own
    # modifyitems, which runs before a conftest's.
    if item.get_closest_marker("xdist_group") is None and _uses_a_module_fixture(item):
        item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config.option, "loadgroup", False):
        return
    lost = [i.nodeid for i in items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
    if lost:
        raise pytest.UsageError(
            f"--dist loadgroup dropped the xdist_group of {len(lost)} tests, such as {lost[0]}: "
            "pytest and pytest-xdist disagree on test ids (tests/parallel.py)"
        )
