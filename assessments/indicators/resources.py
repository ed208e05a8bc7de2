"""Import-export resources of indicator data: indicators, geographies and observations.

Comparator series (Home Office recorded crime for England and Wales, ONS mid-year population
estimates, CSEW estimates, a force's or a district's figures) come in as observations of the same
indicator as the area's, at a named comparator place: a row whose `geography_level` is force,
district or national and whose `geography` code is new creates that place, with
`geography_name`, in the row's partnership (one the importer administers); the partnership's own
places (area, estates, LSOAs) are never created by an observation import."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from import_export import fields

from assessments.core.models import Partnership
from assessments.core.permissions import partnerships_administered_by
from assessments.core.resources import (
    PartnershipField,
    PartnershipScopedWidget,
    SafeResource,
    number_field,
)
from assessments.indicators.models import (
    Geography,
    ImportBatch,
    Indicator,
    Observation,
    default_licence,
    licence_needed,
)
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
            "is_population",
            "is_profile",
        ]
        skip_unchanged = True

    def import_instance(self, instance, row, **kwargs):
        """A source that is not police.uk's, the Home Office's or the ONS's names its licence:
        the row is refused until it does (the report credits every source's licence)."""
        super().import_instance(instance, row, **kwargs)
        instance.licence = (instance.licence or "").strip() or default_licence(instance.source)
        if not instance.licence:
            raise ValidationError({"licence": licence_needed(instance.source)})


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


OWN_LEVELS = {level for level, _ in Geography.OWN_LEVELS}
COMPARATOR_LEVELS = [level for level in Geography.Level.values if level not in OWN_LEVELS]


class GeographyCodeWidget(PartnershipScopedWidget):
    """A place by code within the row's partnership, and at the row's level when it names one
    (a code is unique only within a level)."""

    def get_queryset(self, value, row, *args, **kwargs):
        scoped = super().get_queryset(value, row, *args, **kwargs)
        level = str(row.get("geography_level") or "").strip()
        return scoped.filter(level=level) if level else scoped


class ObservationResource(SafeResource):
    """Observations of one import: the whole file becomes one new batch. A row may name a new
    comparator place (see the module's docstring)."""

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
        widget=GeographyCodeWidget(Geography, "code"),
    )
    # Read from the place on export; on import they only name a new comparator place.
    geography_level = fields.Field(
        attribute="geography__level", column_name="geography_level", readonly=True
    )
    geography_name = fields.Field(
        attribute="geography__name", column_name="geography_name", readonly=True
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
            "geography_level",
            "geography_name",
        ]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._batches: dict[str, ImportBatch] = {}
        self._file_name = kwargs.get("file_name") or "admin import"
        self._user = kwargs.get("user")
        self._places: dict[tuple[str, str, str], Geography] = {}

    def before_import_row(self, row, row_number=None, **kwargs):
        super().before_import_row(row, row_number, **kwargs)
        level = str(row.get("geography_level") or "").strip()
        if level:
            self._comparator_place(row, level)

    def _comparator_place(self, row, level: str) -> None:
        """Create the comparator place a row names, if its partnership does not have it yet."""
        slug, code = str(row.get("partnership") or "").strip(), str(row["geography"]).strip()
        if level not in Geography.Level.values:
            raise ValidationError(
                {
                    "geography_level": f"“{level}” is not a level: use one of "
                    f"{', '.join(Geography.Level.values)}."
                }  # fmt: skip
            )
        if (slug, level, code) in self._places:
            return
        partnerships = Partnership.objects.all()
        if self._user is not None:
            partnerships = partnerships_administered_by(self._user)
        partnership = partnerships.filter(slug=slug).first()
        if partnership is None:  # as the partnership column's own check words it
            raise ValidationError({"partnership": f"You do not administer a partnership “{slug}”."})
        place = Geography.objects.filter(partnership=partnership, level=level, code=code).first()
        if place is None and level in OWN_LEVELS:
            raise ValidationError(
                {"geography": f"No {Geography.Level(level).label.lower()} {code} in your "
                 "partnership: add the partnership's own places under Geographies; an "
                 "observation import creates only force, district and national places."}
            )  # fmt: skip
        if place is None:
            name = str(row.get("geography_name") or "").strip()
            if not name:
                raise ValidationError(
                    {
                        "geography_name": f"Name the new {Geography.Level(level).label.lower()} "
                        f"{code}."
                    }  # fmt: skip
                )
            place = Geography.objects.create(
                partnership=partnership, level=level, code=code, name=name
            )
        self._places[slug, level, code] = place

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
