import copy
import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import override_settings

from assessments.core import jobs
from assessments.core.models import Assessment
from assessments.reporting import pdf
from safermk.celery import app as celery_app
from safermk.settings import filesystem_broker_options

from .admin_world import tenancy_world
from .factories import (
    AssessmentFactory,
    OrganisationFactory,
    PartnershipFactory,
    member,
)
from .renders import render_pdf_reusing
from .snapshots import DemoSnapshot, reset_to_migrated, take_migrated_snapshot
from .worker import OutputSince, celery_worker
from .worlds import kept_for_the_module

pytest_plugins = ["tests.time_budget", "tests.parallel"]

# Playwright's sync API runs beside the live server's thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Each test process of a parallel run (pytest-xdist's gw0, gw1, ...) has its own everything:
# pytest-django gives it its own test database and the live server a free port; here it gets its
# own broker folder, or its own Redis databases for the broker and the cache (the URL's number
# plus twice its index), so that one process's worker never takes another's messages and one's
# cache.clear() never empties another's cache.
WORKER_INDEX = int(os.getenv("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def _own_redis_database(url: str) -> str:
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number or 0) + 2 * WORKER_INDEX}"


if WORKER_INDEX and settings.CELERY_BROKER_URL.startswith("redis"):
    settings.CELERY_BROKER_URL = _own_redis_database(settings.CELERY_BROKER_URL)
    os.environ["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL  # Celery prefers it
    celery_app.conf.broker_url = settings.CELERY_BROKER_URL
if WORKER_INDEX and os.getenv("CACHE_URL", "").startswith("redis"):
    os.environ["CACHE_URL"] = _own_redis_database(os.environ["CACHE_URL"])
    for alias in settings.CACHES.values():
        alias["LOCATION"] = os.environ["CACHE_URL"]

# The test run's own broker folder, so that a `make run` worker never takes the tests' messages.
if settings.CELERY_BROKER_URL.startswith("filesystem"):
    settings.CELERY_BROKER_DIR = Path(tempfile.mkdtemp(prefix="safermk-test-broker-"))
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(settings.CELERY_BROKER_DIR)
    celery_app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS

# --- Which tests run where ------------------------------------------------------------------
# Tests marked `postgres` or `redis` need those services: the SQLite run deselects them; the CI
# run against PostgreSQL and Redis sets REQUIRE_ALL_TESTS=1, which turns any deselection or skip
# into a failure.


def _missing_services() -> set[str]:
    missing = set()
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing.add("postgres")
    redis_cache = str(settings.CACHES["default"].get("LOCATION", "")).startswith("redis")
    if not (settings.CELERY_BROKER_URL.startswith("redis") and redis_cache):
        missing.add("redis")
    return missing


def _require_all() -> bool:
    return os.getenv("REQUIRE_ALL_TESTS") == "1"


def pytest_collection_modifyitems(config, items):
    missing = _missing_services()
    kept, deselected = [], []
    for item in items:
        needs = {m.name for m in item.iter_markers()} & {"postgres", "redis"}
        (deselected if needs & missing else kept).append(item)
    if deselected and _require_all():
        raise pytest.UsageError(
            f"REQUIRE_ALL_TESTS=1 but {', '.join(sorted(missing))} is not configured: "
            f"{len(deselected)} tests would not run"
        )
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and _require_all():
        reporter.write_line(f"REQUIRE_ALL_TESTS=1: {len(skipped)} tests were skipped", red=True)
        session.exitstatus = 1


# --- Environment of every test ---------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, and a copy of what migrations put in it."""
    with django_db_blocker.unblock():
        take_migrated_snapshot()


def _back_to_migrated(test_case) -> None:
    for alias in test_case._databases_names(include_mirrors=False):
        assert alias == "default", "tests/snapshots.py knows one database"
        reset_to_migrated()


# After a transactional test (live server, real workers), the database goes back to what
# migrations left, in milliseconds, instead of Django's flush (about a second: it empties every
# table and makes the content types and permissions again, with new ids).
TransactionTestCase._fixture_teardown = _back_to_migrated


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (a shared Redis one in CI included)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _broker_not_resting(monkeypatch):
    """Each test starts as if the broker had never failed in this process: after a failure a
    process leaves its requests' jobs to the relay for a few seconds (core/jobs.py)."""
    monkeypatch.setitem(jobs._broker_failed_at, "monotonic", float("-inf"))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process unless a test starts a real worker."""
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _renders_reused(request, monkeypatch):
    """In a module marked `reuses_renders`, a document rendered before is not rendered again
    (tests/renders.py)."""
    if request.node.get_closest_marker("reuses_renders"):
        monkeypatch.setattr(pdf, "render_pdf", render_pdf_reusing)


@pytest.fixture
def db_vendor():
    return connection.vendor


# --- People and their roles ------------------------------------------------------------------


@pytest.fixture
def partnership(db):
    return PartnershipFactory(slug="testmk", name="Test Partnership", area_name="Testville")


@pytest.fixture
def other_partnership(db):
    return PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")


@pytest.fixture
def police_org(db, partnership):
    org = OrganisationFactory(name="Test Police", kind="police")
    org.partnerships.add(partnership)
    return org


@pytest.fixture
def fire_org(db, partnership):
    org = OrganisationFactory(name="Test Fire", kind="fire")
    org.partnerships.add(partnership)
    return org


@pytest.fixture
def analyst(partnership):
    return member(partnership, "analyst", username="analyst", is_staff=True)


@pytest.fixture
def chair(partnership):
    return member(partnership, "chair", username="chair")


@pytest.fixture
def board_member(partnership):
    return member(partnership, "board", username="board")


@pytest.fixture
def police_partner(partnership, police_org):
    return member(partnership, "partner", username="police", organisation=police_org)


@pytest.fixture
def fire_partner(partnership, fire_org):
    return member(partnership, "partner", username="fire", organisation=fire_org)


@pytest.fixture
def outsider(other_partnership):
    """A partner of another partnership."""
    return member(other_partnership, "partner", username="outsider")


@pytest.fixture
def other_analyst(other_partnership):
    return member(other_partnership, "analyst", username="other-analyst", is_staff=True)


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def analyst_client(client, analyst):
    return _client_for(client, analyst)


@pytest.fixture
def police_client(client, police_partner):
    return _client_for(client, police_partner)


@pytest.fixture
def fire_client(client, fire_partner):
    return _client_for(client, fire_partner)


@pytest.fixture
def chair_client(client, chair):
    return _client_for(client, chair)


@pytest.fixture
def people(analyst, chair, board_member, police_partner, outsider):
    """One user of each role, by the role names the visibility and workflow tables use."""
    return {
        "analyst": analyst,
        "chair": chair,
        "board": board_member,
        "partner": police_partner,
        "outsider": outsider,
    }


@pytest.fixture
def assessment(partnership):
    return AssessmentFactory(
        partnership=partnership,
        status=Assessment.Status.CONSULTATION,
    )


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> DemoSnapshot:
    """The demo loaded once by this test process (tests/snapshots.py)."""
    with django_db_blocker.unblock():
        return DemoSnapshot.taken()


@pytest.fixture
def demo(db, demo_snapshot):
    """The SaferMK demo, as `load_demo --consultation` leaves it, in this test's database."""
    return demo_snapshot.put_in()


@pytest.fixture(scope="module")
def _kept_tenancy_world(django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media):
        for world in kept_for_the_module(django_db_blocker, tenancy_world):
            yield world, media


@pytest.fixture
def world(_kept_tenancy_world, db, settings) -> dict:
    """Two partnerships that share a police force and a person (tests/admin_world.py), made
    once for the module; each test gets its own copy of the rows' objects."""
    world, media = _kept_tenancy_world
    settings.MEDIA_ROOT = media  # where the world's uploaded files are
    return copy.deepcopy(world)


@pytest.fixture(scope="module")
def _shared_worker(django_db_setup, tmp_path_factory):
    media = tmp_path_factory.mktemp("worker-media")
    with override_settings(MEDIA_ROOT=media), celery_worker("default", "pdf") as lines:
        yield lines, media


@pytest.fixture
def real_worker(_shared_worker, settings) -> OutputSince:
    """A real Celery worker on both queues, started once per module (a few seconds) for the
    tests that use one without stopping it; its output from this test on. Not for longer: it
    would take the messages meant for the worker of a test that starts its own to stop or kill
    it (tests/worker.py's celery_worker)."""
    lines, media = _shared_worker
    settings.MEDIA_ROOT = media  # where the worker writes its files
    return OutputSince(lines)
