"""Partner data returns: checking and storing the filled fire template, for the area and by LSOA.

Runs against the development database inside a transaction that is rolled back, so the demo
data is left as it was.
"""

from __future__ import annotations

import csv
import io

from django.db import transaction

from assessments.data_returns.files import read_return_file, template_csv
from assessments.data_returns.services import data_return_confirm, pending_store

from ._timing import timed

RUNS = 5


class _RollBack(Exception):
    pass


def _filled(template: bytes) -> bytes:
    rows = list(csv.DictReader(io.StringIO(template.decode("utf-8-sig"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for number, row in enumerate(rows):
        writer.writerow({**row, "value": 100 + number % 7})
    return out.getvalue().encode()


def _median_ms(action) -> float:
    return timed(action, RUNS)[0]


def _measure(request, user) -> tuple[int, float, float]:

    data = _filled(template_csv(request))
    rows = len(read_return_file(request, "return.csv", data))
    check = _median_ms(lambda: read_return_file(request, "return.csv", data))

    def store():
        token = pending_store(request=request, user=user, name="r.csv", data=data)
        data_return_confirm(request=request, user=user, token=token)

    return rows, check, _median_ms(store)


def main() -> None:
    from assessments.core.models import User
    from assessments.data_returns.models import DataRequest
    from assessments.demo.load import demo_load

    print("## Partner data returns: check and store a filled template")  # noqa: T201
    print("| rows | check (read + validate) median ms | confirm (store) median ms |")  # noqa: T201
    print("|---|---|---|")  # noqa: T201
    try:
        with transaction.atomic():
            demo_load()
            user = User.objects.get(username="fire")
            request = DataRequest.objects.get(organisation__short_name="BFRS")
            for level in ("area", "lsoa"):
                request.geography_level = level
                request.save(update_fields=["geography_level"])
                rows, check, store = _measure(request, user)
                print(f"| {rows:,} | {check:.0f} | {store:.0f} |")  # noqa: T201
            raise _RollBack
    except _RollBack:
        pass
