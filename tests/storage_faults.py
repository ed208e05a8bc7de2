"""File stores that fail as a full or read-only disk does, for tests of storage faults."""

from __future__ import annotations

import errno
import os

from django.core.files.storage import FileSystemStorage


class _FailingStorage(FileSystemStorage):
    """Writes the first bytes of a file, then fails as the operating system would."""

    error = errno.EIO

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as partial:
            partial.write(content.read(100))
        raise OSError(self.error, os.strerror(self.error), path)


class FullStorage(_FailingStorage):
    error = errno.ENOSPC


class ReadOnlyStorage(_FailingStorage):
    error = errno.EROFS
