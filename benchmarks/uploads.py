"""A 300 MB upload (and a 40 MB one, under the site's limit but over the data return's) to the
data return page, through the whole Django stack (middleware, session,
CSRF, upload handlers, the view), streamed from a generator so that the benchmark itself holds
nothing: how much memory does the web process need to refuse it?

Peak Python allocations during the request are measured with tracemalloc (bytes objects, the
parser's buffers and anything a view would read are all Python allocations); the growth of the
process's resident memory is shown beside it. Runs inside a transaction that is rolled back.

Then a workbook that declares its sheet spans A1:XFD1048576 (a 17-billion-cell claim) around a
few real rows: the time to read it, which the claim no longer decides.
"""

from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import reverse

SIZES = (300 * 2**20, 40 * 2**20)
CHUNK = 1024 * 1024
CSRF = "a" * 32
BOUNDARY = "bench-boundary"


class _RollBack(Exception):
    pass


class _StreamedBody(io.RawIOBase):
    """A multipart body of `SIZE` bytes made on the fly: the CSRF field, then one large file."""

    def __init__(self, size: int):
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{CSRF}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="return.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.parts = [head, size - len(head) - len(tail), tail]
        self.length = size

    def readable(self):
        return True

    def readinto(self, buffer):
        while self.parts:
            part = self.parts[0]
            if isinstance(part, int):
                n = min(part, len(buffer), CHUNK)
                if n == 0:
                    self.parts.pop(0)
                    continue
                buffer[:n] = b"x" * n
                self.parts[0] = part - n
                return n
            n = min(len(part), len(buffer))
            buffer[:n] = part[:n]
            self.parts[0] = part[n:]
            if not self.parts[0]:
                self.parts.pop(0)
            return n
        return 0


def _resident_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


def _post(path: str, session_cookie: str, size: int) -> tuple[int, bytes]:
    body = _StreamedBody(size)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(body, buffer_size=CHUNK),
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session_cookie}; csrftoken={CSRF}",
    }
    status = []
    # As Django's test client does: the request must not close the connection of the
    # transaction the benchmark rolls back.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = WSGIHandler()(environ, lambda s, headers: status.append(s))
        return int(status[0].split()[0]), b"".join(chunks)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _measure(path: str, cookie: str, size: int) -> None:
    before = _resident_kb()
    tracemalloc.start()
    started = time.perf_counter()
    status, page = _post(path, cookie, size)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    grown = (_resident_kb() - before) / 1024
    refused = b"The file is larger than" in page or b"can be imported" in page
    assert status == 400 and refused, (status, page[:3000])
    print(  # noqa: T201
        f"| {size / 2**20:.0f} MiB CSV | {status} | {peak / 2**20:.1f} | {grown:.1f} | "
        f"{seconds:.1f} |"
    )


def _claiming_workbook(rows: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["request", "indicator", "value"])
    for number in range(rows):
        sheet.append(["DR-1", "fires", number])
    plain = io.BytesIO()
    book.save(plain)
    source, claimed = zipfile.ZipFile(plain), io.BytesIO()
    with zipfile.ZipFile(claimed, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', content
                )
            archive.writestr(item, content)
    return claimed.getvalue()


def _declared_dimension() -> None:
    from assessments.data_returns.files import ReturnXLSX

    from ._timing import timed

    print("| workbook | size KB | rows read | median ms |")  # noqa: T201
    print("|---|---|---|---|")  # noqa: T201
    for rows in (100, 5_000):
        data = _claiming_workbook(rows)
        read = len(ReturnXLSX().create_dataset(data))
        ms = timed(lambda data=data: ReturnXLSX().create_dataset(data), 5)[0]
        print(f"| declares A1:XFD1048576 | {len(data) / 1024:.0f} | {read:,} | {ms:.0f} |")  # noqa: T201


def main() -> None:
    from assessments.core.models import User
    from assessments.data_returns.models import DataRequest
    from assessments.demo.load import demo_load

    print("## Uploads: a 300 MB file refused before it is read")  # noqa: T201
    print("| upload | status | peak Python allocations MiB | resident growth MiB | s |")  # noqa: T201
    print("|---|---|---|---|---|")  # noqa: T201
    try:
        with transaction.atomic():
            demo_load()
            client = Client()
            client.force_login(User.objects.get(username="fire"))
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            request = DataRequest.objects.get(organisation__short_name="BFRS")
            path = reverse("data_return_upload", args=[request.pk])
            for size in SIZES:
                _measure(path, cookie, size)
            raise _RollBack
    except _RollBack:
        pass
    _declared_dimension()
