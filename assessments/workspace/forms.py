"""Forms of the analyst's workspace: the chapter editor and figure uploads."""

from __future__ import annotations

from django import forms


class NarrativeForm(forms.Form):
    narrative = forms.CharField(label="Narrative", required=False, widget=forms.Textarea)
    # The chapter's last save when this editor loaded it: a later save by someone else wins
    # nothing silently (workspace/services.py).
    token = forms.CharField(widget=forms.HiddenInput)


class FigureForm(forms.Form):
    image = forms.FileField(
        label="Image",
        help_text="A PNG or JPEG file, smaller than 10 MB.",
        error_messages={"required": "Choose an image to upload"},
    )
    alt_text = forms.CharField(
        label="Alternative text",
        max_length=500,
        help_text="What the image shows, for people who cannot see it.",
        error_messages={"required": "Enter alternative text that describes the image"},
    )
    caption = forms.CharField(
        label="Caption", max_length=300, error_messages={"required": "Enter a caption"}
    )
    source = forms.CharField(label="Source (optional)", max_length=300, required=False)
