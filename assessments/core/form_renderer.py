"""The renderer of every form's boxes: Django's own widget templates, drawn with Jinja2.

A box drawn by Django's template language costs about 0.3 ms (its template, then an included
template for its attributes, and one more for each option of a select); admin's change pages
draw over a hundred boxes, so they spent half their time here (issue 18). Django ships the
same widget templates for Jinja2, which draws them faster with the same markup (about a fifth
off admin's change pages: docs/benchmarks.md). Every other template a form uses (admin's
widgets, our own) stays with Django's language."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates, Jinja2
from django.utils.functional import cached_property

JINJA2_WIDGETS = "django/forms/widgets/"


class FastWidgetRenderer(DjangoTemplates):
    @cached_property
    def _jinja2(self) -> Jinja2:
        return Jinja2()

    def get_template(self, template_name: str):
        if template_name.startswith(JINJA2_WIDGETS):
            return self._jinja2.get_template(template_name)
        return super().get_template(template_name)
