"""The file store's faults in words a user can read: full, read-only, or otherwise unwritable.

Checked by /healthz and before accepting work that must write a file, and used to explain a
write that failed, so that a PDF export says "the file store is full" instead of failing after
three attempts with nothing to go on."""

from __future__ import annotations

import errno
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

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
