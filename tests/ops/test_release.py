"""Cached pages and fragments are built from the data and from the code. Keys carried the data's
version only, so after a deploy that changed a template the old pages were served, and readers'
browsers were told "304 Not Modified", until the data next changed. Every cache key now carries
the release (a digest of the code and templates, or SAFERMK_RELEASE), and so do public ETags."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from assessments.reporting.models import Edition
from safermk.settings import CACHES, RATELIMIT_USE_CACHE, RELEASE, cache_settings, code_release
from tests.factories import set_status

pytestmark = pytest.mark.django_db


def _deployed(release: str):
    """Settings as a process of another release has them: its RELEASE, and the page cache's
    keys prefixed with it (the prefix is read when a cache connection is made)."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": release}
    return override_settings(RELEASE=release, CACHES={**settings.CACHES, "default": default})


def _tree(root, template: str):
    (root / "templates").mkdir(parents=True)
    (root / "assessments").mkdir()
    (root / "templates" / "page.html").write_text(template)
    (root / "assessments" / "views.py").write_text("def view(): ...\n")
    return root


def test_the_release_changes_with_a_template_and_only_with_the_code(tmp_path):
    a = code_release(_tree(tmp_path / "a", "<h1>{{ title }}</h1>"))
    same = code_release(_tree(tmp_path / "b", "<h1>{{ title }}</h1>"))
    changed = code_release(_tree(tmp_path / "c", "<h1 class='x'>{{ title }}</h1>"))
    assert a == same  # the same code in another directory (another machine) agrees
    assert a != changed


def test_every_cache_key_carries_the_release():
    assert CACHES["default"]["KEY_PREFIX"] == RELEASE
    assert cache_settings("redis://127.0.0.1:6379/1", "r1")["KEY_PREFIX"] == "r1"


def test_a_published_page_is_not_reported_unchanged_to_a_reader_after_a_deploy(client, demo):
    set_status(demo, "published")
    url = demo.chapters.get(slug="crime").get_absolute_url()
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    with _deployed("the-next-release"):
        after_deploy = client.get(url, headers={"if-none-match": etag})

    assert after_deploy.status_code == 200
    assert after_deploy["ETag"] != etag


def test_a_reader_asking_if_modified_since_gets_the_new_page_after_a_deploy(client, demo):
    set_status(demo, "published")
    url = demo.chapters.get(slug="crime").get_absolute_url()
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    demo.partnership.__class__.objects.update(cache_changed_at=an_hour_ago)
    Edition.objects.update(published_at=an_hour_ago)
    caches["shared"].set("release-seen:the-release-before", an_hour_ago)
    with _deployed("the-release-before"):
        stamp = client.get(url)["Last-Modified"]
        assert client.get(url, headers={"if-modified-since": stamp}).status_code == 304

    with _deployed("the-release-deployed-now"):
        assert client.get(url, headers={"if-modified-since": stamp}).status_code == 200


def test_what_every_process_must_agree_on_is_kept_whatever_the_release():
    """The rate-limit counts and when a release was first seen are kept without the release:
    processes of two releases run side by side during a deploy, and must count and date alike."""
    assert CACHES["shared"]["KEY_PREFIX"] == ""
    assert RATELIMIT_USE_CACHE == "shared"
    with override_settings(CACHES={**CACHES, "default": {**CACHES["default"], "KEY_PREFIX": "x"}}):
        caches["shared"].set("release-seen:r1", "then")
    assert caches["shared"].get("release-seen:r1") == "then"
