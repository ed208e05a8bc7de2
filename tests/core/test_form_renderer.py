"""Form boxes are drawn from Django's Jinja2 widget templates (issue 18: Django's template
language spent most of admin's change pages on them); what people get is the same markup."""

import html
import re

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from assessments.core.form_renderer import FastWidgetRenderer


class EveryKindOfBox(forms.Form):
    title = forms.CharField(initial='Children\'s services & "youth" <work>', max_length=80)
    count = forms.IntegerField(initial=3, min_value=0)
    kind = forms.ChoiceField(choices=[("a", "Crime"), ("b", "Fire & rescue")], initial="b")
    kinds = forms.MultipleChoiceField(
        choices=[("a", "One"), ("b", "Two"), ("c", "Three")], initial=["a", "c"]
    )
    addressed = forms.BooleanField(initial=True, required=False)
    detail = forms.CharField(widget=forms.Textarea, initial="Line one\nIt's line two")
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    token = forms.CharField(widget=forms.HiddenInput, initial="abc")
    colour = forms.ChoiceField(widget=forms.RadioSelect, choices=[("r", "Red"), ("g", "Green")])


def _as_read(markup: str) -> str:
    """The markup as a browser reads it: entities decoded, runs of spaces as one."""
    return re.sub(r"\s+", " ", html.unescape(str(markup))).replace("> <", "><").strip()


def test_the_site_draws_boxes_with_the_fast_renderer():
    assert isinstance(get_default_renderer(), FastWidgetRenderer)


def test_every_kind_of_box_reads_as_django_draws_it():
    form = EveryKindOfBox()
    for name in form.fields:
        fast = form[name].as_widget()
        form.renderer = DjangoTemplates()
        django = form[name].as_widget()
        form.renderer = FastWidgetRenderer()
        assert _as_read(fast) == _as_read(django), name
    # The boxes escape what they show.
    assert "&lt;work&gt;" in form["title"].as_widget()
    assert "<work>" not in form["title"].as_widget()
