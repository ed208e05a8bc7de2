"""Import-export resources of indicator data: indicators, geographies and observations."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from import_export import fields

from assessments.core.models import Partnership
from assessments.core.resources import (
    PartnershipField,
    PartnershipScopedWidget,
    SafeResource,
    number_field,
)
from assessments.indicators.models import Geography, ImportBatch, Indicator, Observation
from assessments.indicators.police_uk import batch_replace


class IndicatorResource(SafeResource):
    partnership = PartnershipField()
    required_columns = ("partnership", "code", "name", "source")

    class Meta:
        model = Indicator
        import_id_fields = ["partnership", "code"]
        fields = [
            "partnership",
            "code",
            "name",
            "unit",
            "source",
            "measure",
            "aggregation",
            "increase_is_bad",
            "licence",
        ]
        skip_unchanged = True


class GeographyResource(SafeResource):
    """Places and the analyst's best-fit lookup: an LSOA's parent_code is its estate or ward."""

    partnership = PartnershipField()
    parent = fields.Field(
        attribute="parent",
        column_name="parent_code",
        widget=PartnershipScopedWidget(Geography, "code"),
    )
    required_columns = ("partnership", "level", "code", "name")

    class Meta:
        model = Geography
        import_id_fields = ["partnership", "level", "code"]
        fields = ["partnership", "level", "code", "name", "parent", "population"]
        skip_unchanged = True


class ObservationResource(SafeResource):
    """Observations of one import: the whole file becomes one new batch."""

    partnership = fields.Field(
        attribute="indicator__partnership__slug", column_name="partnership", readonly=True
    )
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=PartnershipScopedWidget(Indicator, "code"),
    )
    geography = fields.Field(
        attribute="geography",
        column_name="geography",
        widget=PartnershipScopedWidget(Geography, "code"),
    )
    value = number_field("value")
    numerator = number_field("numerator")
    denominator = number_field("denominator")
    required_columns = ("partnership", "indicator", "geography", "period_type", "period_start",
                        "value")  # fmt: skip

    class Meta:
        model = Observation
        import_id_fields = ["indicator", "geography", "period_type", "period_start"]
        fields = [
            "partnership",
            "indicator",
            "geography",
            "period_type",
            "period_start",
            "value",
            "numerator",
            "denominator",
        ]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._batches: dict[str, ImportBatch] = {}
        self._file_name = kwargs.get("file_name") or "admin import"
        self._user = kwargs.get("user")

    def before_save_instance(self, instance, row, **kwargs):
        instance.batch = self._batch_for(instance.indicator.partnership)

    def after_import(self, dataset, result, **kwargs):
        for batch in self._batches.values():
            batch.row_count = batch.observations.count()
            batch.save(update_fields=["row_count"])

    def _batch_for(self, partnership: Partnership) -> ImportBatch:
        if partnership.slug not in self._batches:
            with transaction.atomic():
                self._batches[partnership.slug], _ = batch_replace(
                    partnership=partnership,
                    key=f"admin:{self._file_name}:{timezone.now():%Y%m%dT%H%M%S.%f}",
                    source=ImportBatch.Source.ADMIN,
                    file_name=self._file_name[:255],
                    imported_by=self._user if getattr(self._user, "pk", None) else None,
                )
        return self._batches[partnership.slug]
