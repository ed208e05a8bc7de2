"""Writing files, and the file store's faults in words a user can read: full, read-only, or
otherwise unwritable.

Every file the app writes goes through `storage_save` (or `field_file_save` for a model's file):
a write that fails removes what it had written and raises StorageFault saying what happened, so
that a PDF export says "the file store is full" instead of failing after three attempts with
nothing to go on, and a data return or a figure is refused on its own page
(`storage_refusal`) instead of the generic error page. A file that a row will name is written
inside `atomic_with_files()`, the transaction that saves the row: if it does not commit, the
file is removed again, so that no file is left that no row names. The store is also checked by
/healthz and before accepting work that must write a file (`storage_problem`).
"""

from __future__ import annotations

import errno
import logging
import shutil
import threading
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)

FULL = (errno.ENOSPC, errno.EDQUOT)
READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


class StorageFault(Exception):
    """A write to the file store failed in a way that trying again will not mend."""


def storage_fault_message(error: OSError) -> str:
    """What went wrong, as the end of a sentence."""
    if error.errno in FULL:
        return "the file store is full"
    if error.errno in READ_ONLY:
        return "the file store is read-only"
    return f"the file store could not be written ({error.strerror or error})"


def storage_refusal(fault: StorageFault) -> str:
    """What a form says when the file it sent could not be stored."""
    return f"Nothing has been saved: {fault}. Try again later."


# Writing -------------------------------------------------------------------------------------

# The files written in each open atomic_with_files() block of this thread, innermost last.
_blocks = threading.local()


def _open_blocks() -> list[list[tuple[Storage, str]]]:
    if not hasattr(_blocks, "stack"):
        _blocks.stack = []
    return _blocks.stack


def storage_save(storage: Storage, name: str, content) -> str:
    """Write a file and return the name it was stored under. A failed write removes what it
    wrote and raises StorageFault; inside atomic_with_files() the file is removed again if the
    block does not commit."""
    name = storage.get_available_name(name)
    try:
        name = storage.save(name, content)
    except OSError as error:
        with suppress(OSError):  # a read-only store refuses this too, having nothing to remove
            storage.delete(name)
        raise StorageFault(storage_fault_message(error)) from error
    if blocks := _open_blocks():
        blocks[-1].append((storage, name))
    return name


def field_file_save(field_file: FieldFile, name: str, content) -> None:
    """A model's FileField.save(name, content, save=False), through storage_save."""
    name = field_file.field.generate_filename(field_file.instance, name)
    field_file.name = storage_save(field_file.storage, name, content)
    setattr(field_file.instance, field_file.field.attname, field_file.name)
    field_file._committed = True


@contextmanager
def atomic_with_files():
    """transaction.atomic() that removes the files written in it (storage_save) when it does
    not commit: when it raises, its commit included. Inside another, its files become the
    outer block's, which removes them if it fails in turn."""
    written: list[tuple[Storage, str]] = []
    committed = []
    blocks = _open_blocks()
    blocks.append(written)
    try:
        with transaction.atomic():
            # The first hook of an outermost block: it runs only once the commit is done, so an
            # error raised by a later hook does not remove files the committed rows name.
            transaction.on_commit(lambda: committed.append(True))
            yield
    except BaseException:
        if not committed:
            _remove(written)
        raise
    finally:
        blocks.pop()
    if blocks:
        blocks[-1].extend(written)


def _remove(written: list[tuple[Storage, str]]) -> None:
    for storage, name in written:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("%s was written by a transaction that failed; remove it", name)


# Checking ------------------------------------------------------------------------------------


def _free_bytes(location: str) -> int:
    """Free space on the disk that holds (or will hold, once created) the folder."""
    folder = Path(location).resolve()
    while not folder.exists():
        folder = folder.parent
    return shutil.disk_usage(folder).free


def storage_problem() -> str | None:
    """Why the file store cannot take a file now (free space under STORAGE_FREE_FLOOR_MB, or a
    write that fails), or None when it can."""
    location = getattr(default_storage, "location", None)  # only the file system has a disk
    try:
        free = _free_bytes(location) if location else None
    except OSError as error:
        return storage_fault_message(error)
    floor = settings.STORAGE_FREE_FLOOR_MB * 1024 * 1024
    if free is not None and free < floor:
        return f"the file store is full ({free // (1024 * 1024)} MB free)"
    try:
        name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        default_storage.delete(name)
    except OSError as error:
        return storage_fault_message(error)
    return None
