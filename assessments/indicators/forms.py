"""Forms of the indicator-data screens in admin."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat


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
