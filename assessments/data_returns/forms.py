"""Forms of the data return pages: they parse input; data_returns/files.py checks files."""

from __future__ import annotations

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the completed template",
        help_text="CSV or Excel workbook (.xlsx), as downloaded from this page.",
        error_messages={"required": "Choose the completed template to upload"},
    )


class ConfirmForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)


class CorrectionForm(forms.Form):
    message = forms.CharField(
        label="What needs correcting",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Say what needs correcting"},
    )
