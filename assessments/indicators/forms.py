"""Forms of the indicator-data screens in admin, and of an indicator selection."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from assessments.core.models import Chapter
from assessments.indicators.boundaries import Boundaries, BoundaryFileError, read_boundaries
from assessments.indicators.models import (
    ChapterMap,
    Geography,
    IndicatorSelection,
    LsoaBoundarySet,
)
from assessments.indicators.police_uk import CRIME_TYPES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class PoliceUkUploadForm(forms.Form):
    partnership = forms.ModelChoiceField(queryset=None)
    files = MultipleFileField(
        label="police.uk street-level CSV files",
        help_text="One file per force per month, as downloaded from data.police.uk.",
    )
    lsoa_prefix = forms.CharField(
        label="LSOA names start with",
        required=False,
        help_text="Leave empty for the partnership's area name, e.g. “Milton Keynes”.",
    )

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.POLICE_UK_UPLOAD_MAX_BYTES
        if sum(f.size for f in files) > limit:
            raise forms.ValidationError(
                f"The files add up to more than {filesizeformat(limit)}; upload fewer at a time."
            )
        for upload in files:
            if not upload.name.lower().endswith(".csv"):
                raise forms.ValidationError(f"{upload.name} is not a CSV file.")
        return files


class PoliceUkConfirmForm(forms.Form):
    partnership = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    lsoa_prefix = forms.CharField(required=False, widget=forms.HiddenInput)
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships


class BoundarySetForm(forms.ModelForm):
    """A set of LSOA boundaries and, to add or replace its LSOAs, the GeoJSON file: read, checked
    and simplified when the form is cleaned, so that a refused file saves nothing."""

    geojson = forms.FileField(
        label="GeoJSON file of the LSOA boundaries",
        required=False,
        help_text="A FeatureCollection of Polygon or MultiPolygon features, each with its LSOA "
        "code (LSOA21CD or LSOA11CD, as the ONS names it), in longitude and latitude or in "
        "British National Grid. On a set already saved, a new file replaces all its LSOAs.",
    )

    class Meta:
        model = LsoaBoundarySet
        fields = ["partnership", "vintage", "name", "source", "licence", "attribution"]

    boundaries: Boundaries | None = None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("geojson")
        if upload is None:
            if self.instance.pk is None:
                self.add_error("geojson", "Choose the GeoJSON file of the LSOA boundaries.")
            elif "vintage" in self.changed_data:
                self.add_error("geojson", "Upload the boundaries of the vintage now chosen.")
            return cleaned
        limit = settings.BOUNDARY_UPLOAD_MAX_BYTES
        if upload.size > limit:
            self.add_error(
                "geojson",
                f"The file is {filesizeformat(upload.size)}; boundary files of at most "
                f"{filesizeformat(limit)} are taken. Keep only the partnership's LSOAs, or "
                "use a generalised (BGC) file rather than a full-resolution one.",
            )
            return cleaned
        if cleaned.get("vintage") is None:
            return cleaned  # the vintage's own error says what to do
        try:
            self.boundaries = read_boundaries(upload.read(), vintage=cleaned["vintage"])
        except BoundaryFileError as error:
            self.add_error("geojson", error.problems)
        return cleaned


def comparator_places_refused(chapter_partnership_id: int, places) -> list[str]:
    """The chosen comparators that are not the chapter's partnership's force, district or
    national places (another partnership's place is refused as if it did not exist)."""
    return [
        place.name
        for place in places
        if place.partnership_id != chapter_partnership_id
        or place.level not in Geography.COMPARATOR_LEVELS
    ]


class SelectionForm(forms.ModelForm):
    """An indicator selection of a chapter; its comparators only among the chapter's
    partnership's places (the chapter is the form's, or the row's when the form has none)."""

    class Meta:
        model = IndicatorSelection
        fields = [
            "chapter",
            "order",
            "indicator",
            "period_type",
            "current_period_start",
            "comparison_period_start",
            "share_of",
            "comparators",
            "caveat",
        ]

    def clean(self):
        cleaned = super().clean()
        chapter = cleaned.get("chapter") or (
            self.instance.chapter if self.instance.chapter_id else None
        )
        if chapter is None:
            return cleaned
        # Someone who administers several partnerships is offered all their indicators.
        partnership_id = chapter.assessment.partnership_id
        for name in ("indicator", "share_of"):
            indicator = cleaned.get(name)
            if indicator is not None and indicator.partnership_id != partnership_id:
                self.add_error(name, "Choose one of the chapter's partnership's indicators.")
        return cleaned

    def clean_comparators(self):
        places = self.cleaned_data.get("comparators") or []
        chapter = self.cleaned_data.get("chapter")
        chapter_id = chapter.pk if chapter is not None else self.instance.chapter_id
        chapters = Chapter.objects.filter(pk=chapter_id)
        partnership_id = chapters.values_list("assessment__partnership_id", flat=True).first()
        if places and comparator_places_refused(partnership_id, places):
            raise forms.ValidationError(
                "Choose the partnership's own police force area, districts or national series.",
                code="invalid_choice",
            )
        return places


class ChapterMapForm(forms.ModelForm):
    """A chapter's hotspot map: police.uk's crime types as ticks, months as any day of them."""

    crime_types = forms.MultipleChoiceField(
        choices=[(name, name) for name in CRIME_TYPES],
        widget=forms.CheckboxSelectMultiple,
        help_text="The police.uk crime types the map counts together.",
    )

    class Meta:
        model = ChapterMap
        fields = ["crime_types", "first_month", "last_month"]
