"""Forms of the analyst's workspace: the chapter editor, figure uploads and the places each
indicator of a chapter is compared with."""

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


class ComparatorsForm(forms.Form):
    """For each indicator selection of a chapter, the places to show beside the area: only
    the partnership's own force, districts and national series are offered or accepted."""

    def __init__(self, *args, selections, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.selections = list(selections)
        choices = [(str(place.pk), place.name) for place in places]
        self.places = {str(place.pk): place for place in places}
        for selection in self.selections:
            self.fields[f"selection-{selection.pk}"] = forms.MultipleChoiceField(
                label=selection.indicator.name,
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[str(place.pk) for place in selection.comparators.all()],
            )

    def chosen(self) -> dict:
        """{selection: [places]} from the valid form."""
        return {
            selection: [self.places[pk] for pk in self.cleaned_data[f"selection-{selection.pk}"]]
            for selection in self.selections
        }
