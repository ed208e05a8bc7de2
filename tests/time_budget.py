"""Every test's own time against a budget, so that a slow test is noticed when it is written.

A test's own time is its call, plus the set-up of its function-scoped fixtures, plus their
tear-down when the module goes on: what is built once for a module or a run (the demo copy,
rendered PDFs, a browser, the test database) is nobody's. A test over BUDGET seconds must say why
with `@pytest.mark.slow(reason=...)`. The end of the run lists any that does not; with
TEST_BUDGET_STRICT=1 (CI) a test over three times the budget without the mark fails the run,
so that a loaded machine alone does not. `--slowest N` lists the N slowest tests by own time.

Works the same with and without pytest-xdist: each test process measures its tests and sends the
figure with the test's last report; the process that reports adds them up."""

from __future__ import annotations

import os
import time
from collections import defaultdict

import pytest

BUDGET = 2.0
STRICT_FACTOR = 3
OWN_SECONDS = "own_seconds"

_shared_setup: dict[str, float] = defaultdict(float)  # by test id: shared fixtures' set-up
_own: dict[str, float] = defaultdict(float)
_teardown_is_shared: dict[str, bool] = {}
_measured: list[tuple[float, str, bool]] = []  # (own seconds, test id, marked slow)


def pytest_addoption(parser):
    parser.addoption(
        "--slowest", type=int, default=0, metavar="N", help="list the N slowest tests by own time"
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"slow(reason): a test whose own time is over the {BUDGET:g} s budget, and why "
        "(tests/time_budget.py)",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("slow")
        if marker is not None and not marker.kwargs.get("reason"):
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.slow needs a reason=")
    # The modules with slow tests first, in the order they had (pytest-randomly's, say): a
    # parallel run hands them out while every process is free and fills in with the short ones,
    # instead of ending on one process still crawling. By module, so that what a module builds
    # once (rendered PDFs, a worker) is built once.
    slow_modules = {item.module for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.module not in slow_modules)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        item = getattr(request, "_pyfuncitem", None)
        if fixturedef.scope != "function" and item is not None:
            _shared_setup[item.nodeid] += time.perf_counter() - started


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    # The last test of a module (or of the run) also tears down what the module or run shared.
    _teardown_is_shared[item.nodeid] = nextitem is None or nextitem.module is not item.module


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    nodeid = item.nodeid
    if call.when == "setup":
        _own[nodeid] += max(report.duration - _shared_setup.pop(nodeid, 0.0), 0.0)
    elif call.when == "call":
        _own[nodeid] += report.duration
    elif call.when == "teardown":
        if not _teardown_is_shared.pop(nodeid, True):
            _own[nodeid] += report.duration
        report.user_properties.append((OWN_SECONDS, round(_own.pop(nodeid), 3)))
    return report


def pytest_runtest_logreport(report):
    if report.when != "teardown":
        return
    own = dict(report.user_properties).get(OWN_SECONDS)
    if own is not None:
        _measured.append((own, report.nodeid, "slow" in report.keywords))


def _over_budget(factor: float = 1) -> list[tuple[float, str, bool]]:
    return sorted(m for m in _measured if m[0] > BUDGET * factor and not m[2])[::-1]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    slowest = config.getoption("slowest")
    if slowest:
        terminalreporter.section(f"the {slowest} slowest tests, by their own time")
        for own, nodeid, marked in sorted(_measured, reverse=True)[:slowest]:
            terminalreporter.write_line(f"{own:7.2f}s {'slow ' if marked else '     '}{nodeid}")
    over = _over_budget()
    if over:
        terminalreporter.section(f"over the {BUDGET:g} s budget without @pytest.mark.slow")
        for own, nodeid, _ in over:
            terminalreporter.write_line(f"{own:7.2f}s {nodeid}", yellow=True)


def pytest_sessionfinish(session, exitstatus):
    if os.getenv("TEST_BUDGET_STRICT") != "1" or hasattr(session.config, "workerinput"):
        return
    far_over = _over_budget(STRICT_FACTOR)
    if far_over:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(
            f"TEST_BUDGET_STRICT=1: {len(far_over)} tests took over {STRICT_FACTOR * BUDGET:g} s "
            "without @pytest.mark.slow(reason=...): "
            + ", ".join(nodeid for _, nodeid, _ in far_over),
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
