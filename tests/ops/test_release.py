"""Cached pages and fragments are built from the data and from the code. Keys carried the data's
version only, so after a deploy that changed a template the old pages were served, and readers'
browsers were told "304 Not Modified", until the data next changed. Every cache key now carries
the release (a digest of the code and templates, or SAFERMK_RELEASE), and so do public ETags."""

import pytest
from django.test import override_settings

from safermk.settings import CACHES, RELEASE, cache_settings, code_release

pytestmark = pytest.mark.django_db


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
    demo.status = "published"
    demo.save()
    url = demo.chapters.get(slug="crime").get_absolute_url()
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    with override_settings(RELEASE="the next release"):
        after_deploy = client.get(url, headers={"if-none-match": etag})

    assert after_deploy.status_code == 200
    assert after_deploy["ETag"] != etag
