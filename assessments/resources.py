"""Import-export resources: the tables an analyst moves in and out of admin as CSV or XLSX.

Natural keys (partnership slug, indicator code, geography code) make re-imports update rows
instead of duplicating them.
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import Chapter, Geography, Indicator, Observation, Partnership, Recommendation


class PartnershipField(fields.Field):
    def __init__(self, **kwargs):
        super().__init__(
            attribute="partnership",
            column_name="partnership",
            widget=ForeignKeyWidget(Partnership, "slug"),
            **kwargs,
        )


class IndicatorResource(resources.ModelResource):
    partnership = PartnershipField()

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


class GeographyResource(resources.ModelResource):
    partnership = PartnershipField()
    parent = fields.Field(
        attribute="parent", column_name="parent_code", widget=ForeignKeyWidget(Geography, "code")
    )

    class Meta:
        model = Geography
        import_id_fields = ["partnership", "level", "code"]
        fields = ["partnership", "level", "code", "name", "parent", "population"]
        skip_unchanged = True


class RecommendationResource(resources.ModelResource):
    chapter = fields.Field(
        attribute="chapter", column_name="chapter_id", widget=ForeignKeyWidget(Chapter)
    )

    class Meta:
        model = Recommendation
        fields = ["id", "chapter", "order", "text", "status"]


class ObservationResource(resources.ModelResource):
    indicator = fields.Field(
        attribute="indicator", column_name="indicator", widget=ForeignKeyWidget(Indicator, "code")
    )
    geography = fields.Field(
        attribute="geography", column_name="geography", widget=ForeignKeyWidget(Geography, "code")
    )

    class Meta:
        model = Observation
        fields = [
            "indicator",
            "geography",
            "period_type",
            "period_start",
            "value",
            "numerator",
            "denominator",
        ]
