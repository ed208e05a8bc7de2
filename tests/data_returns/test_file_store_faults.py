"""Files written on a full or read-only store: every writer (data-return uploads and
confirmations, chapter figures, police.uk uploads, PDFs) says which, on its own page, with
nothing saved and no file left behind; and a file written in a transaction that does not commit
is removed again (core/storage.py)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assessments.core.models import ChapterFigure
from assessments.core.storage import StorageFault, atomic_with_files, storage_save
from assessments.data_returns import services as data_returns
from assessments.data_returns.models import DataReturn
from assessments.indicators.models import Observation
from assessments.indicators.police_uk import police_uk_upload_store

from ..factories import ChapterFactory, image_bytes
from ..factories import upload as uploaded_file
from ..workspace.test_workspace import post_figure
from .test_data_returns import confirm, filled_csv, template_rows, upload

pytestmark = pytest.mark.django_db

FAULTS = [
    pytest.param("tests.storage_faults.FullStorage", "the file store is full", id="full"),
    pytest.param("tests.storage_faults.ReadOnlyStorage", "the file store is read-only", id="ro"),
]


def use_storage(settings, backend: str) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}


def stored_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize(("backend", "message"), FAULTS)
def test_a_data_return_upload_on_a_store_that_cannot_be_written_says_so(
    fire_client, fire_request, settings, backend, message
):
    data = filled_csv(template_rows(fire_client, fire_request))
    use_storage(settings, backend)
    response = upload(fire_client, fire_request, data)
    assert response.status_code == 503
    assert f"Nothing has been saved: {message}. Try again later." in page_text(response)
    assert 'name="file"' in page_text(response)  # the form, to try again
    assert stored_files(settings) == []  # not even the part written before it failed


@pytest.mark.parametrize(("backend", "message"), FAULTS)
def test_a_data_return_confirmed_on_a_store_that_cannot_be_written_saves_nothing(
    fire_client, fire_request, settings, backend, message
):
    preview = upload(
        fire_client, fire_request, filled_csv(template_rows(fire_client, fire_request))
    )
    waiting = set(stored_files(settings))  # the upload, kept for its confirmation
    use_storage(settings, backend)
    response = confirm(fire_client, fire_request, preview)
    assert response.status_code == 503
    assert f"Nothing has been saved: {message}. Try again later." in page_text(response)
    assert not DataReturn.objects.exists() and not Observation.objects.exists()
    assert set(stored_files(settings)) == waiting
    # Once the store takes files again, the same confirmation stores the return.
    use_storage(settings, "django.core.files.storage.FileSystemStorage")
    assert confirm(fire_client, fire_request, preview).status_code == 302
    assert DataReturn.objects.get().file


def test_a_return_whose_transaction_fails_after_its_file_was_written_leaves_no_file(
    fire_client, fire_request, settings, monkeypatch
):
    preview = upload(
        fire_client, fire_request, filled_csv(template_rows(fire_client, fire_request))
    )
    waiting = set(stored_files(settings))

    def database_gone(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(data_returns, "_stale_headline_ids", _second_call(database_gone))
    with pytest.raises(RuntimeError):
        confirm(fire_client, fire_request, preview)
    assert not DataReturn.objects.exists()
    assert set(stored_files(settings)) == waiting


def _second_call(fail):
    """The real function the first time (before the file is written), `fail` after."""
    real = data_returns._stale_headline_ids
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs) if len(calls) == 1 else fail()

    return wrapper


@pytest.mark.parametrize(("backend", "message"), FAULTS)
def test_a_figure_uploaded_to_a_store_that_cannot_be_written_says_so(
    analyst_client, assessment, settings, backend, message
):
    chapter = ChapterFactory(assessment=assessment, slug="crime")
    use_storage(settings, backend)
    response = post_figure(analyst_client, chapter, image_bytes())
    assert response.status_code == 503
    assert f"Nothing has been saved: {message}. Try again later." in page_text(response)
    assert not ChapterFigure.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(("backend", "message"), FAULTS)
def test_a_police_uk_upload_to_a_store_that_cannot_be_written_leaves_nothing(
    settings, backend, message
):
    use_storage(settings, backend)
    with pytest.raises(StorageFault, match=message):
        police_uk_upload_store([uploaded_file(b"Month,LSOA code\n", "2016-01-street.csv")])
    assert stored_files(settings) == []


def test_files_written_in_a_block_that_fails_are_removed_and_kept_when_it_commits(settings):
    with pytest.raises(ZeroDivisionError), atomic_with_files():
        name = storage_save(default_storage, "figures/lost.png", ContentFile(b"x"))
        with atomic_with_files():  # an inner block hands its files to the outer one
            inner = storage_save(default_storage, "figures/inner.png", ContentFile(b"y"))
        1 / 0  # noqa: B018
    assert not default_storage.exists(name) and not default_storage.exists(inner)
    with atomic_with_files():
        kept = storage_save(default_storage, "figures/kept.png", ContentFile(b"z"))
    assert default_storage.exists(kept)
