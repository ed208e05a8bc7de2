"""The demo's import batches: each part of the demo loads its figures into one batch of its own,
replaced on every run, so that loading the demo again restores the same figures."""

from __future__ import annotations

from assessments.core.models import Partnership
from assessments.indicators.models import ImportBatch


def fresh_demo_batch(partnership: Partnership, key: str, file_name: str) -> ImportBatch:
    """A new, empty demo batch under `key`; the old one goes, and its observations with it."""
    ImportBatch.objects.filter(partnership=partnership, key=key).delete()
    return ImportBatch.objects.create(
        partnership=partnership, source=ImportBatch.Source.DEMO, key=key, file_name=file_name
    )
