"""Uploads are measured while they arrive, never read whole first.

`SizeLimitedUploadHandler` comes first in FILE_UPLOAD_HANDLERS: it stops an upload as soon as the
declared length or the bytes received pass UPLOAD_MAX_BYTES, and the rest of the request is
read in chunks and dropped, so memory does not grow with the file. (Django's own draining after
StopUpload iterates the body by lines, so a body without line breaks would be held whole: the
handler drains it itself and tells Django not to.) Below that limit Django keeps
files up to FILE_UPLOAD_MAX_MEMORY_SIZE in memory and streams larger ones to a temporary file;
each feature then checks its own, lower limit on `upload.size` before it reads anything.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat

REFUSED = "_upload_refused"


DRAIN_CHUNK = 64 * 1024


class SizeLimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.input_data = input_data
        self.limit = settings.UPLOAD_MAX_BYTES
        self.too_large = content_length > self.limit

    def new_file(self, *args, **kwargs):
        if self.too_large:
            self._refuse()
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        # A request may understate its length (or be chunked): count what actually arrives.
        if start + len(raw_data) > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file

    def _refuse(self):
        if self.request is not None:
            setattr(self.request, REFUSED, True)
        while self.input_data.read(DRAIN_CHUNK):
            pass
        raise StopUpload(connection_reset=True)  # already drained: Django must not


def upload_refusal(request: HttpRequest) -> str | None:
    """Why the request's file was not accepted, once its form data has been parsed."""
    if not getattr(request, REFUSED, False):
        return None
    limit = filesizeformat(settings.UPLOAD_MAX_BYTES).replace("\xa0", " ")
    return f"The file is larger than {limit}, the largest file this site accepts. Nothing was read."


def upload_form_is_valid(form, request: HttpRequest, field: str) -> bool:
    """form.is_valid(), with the refusal of a too-large file on its field instead of "choose a
    file", which is all the form itself can tell."""
    valid = form.is_valid()
    refusal = upload_refusal(request)
    if refusal:
        form.errors[field] = form.error_class([refusal])
        return False
    return valid
