"""Admin's autocomplete box at the cost of one query per field, however many inline rows use it.

Admin's own `AutocompleteSelect` renders only the chosen row's name, but reads it with a query
for every form of a formset: a chapter with 64 indicator selections ran 128 of them. Here the
names of the field's choices (already narrowed to the user's partnerships by `ScopedMixin`) are
read once, on the first render, and shared by the copies of the widget that each form makes."""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple


class _Names:
    """Names of the choices by key; one object shared by every copy of a widget."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] | None = None


class _OneQuery:
    """Reads the names of the field's choices once for every form of a formset."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Widgets are copied shallowly for each form (Widget.__deepcopy__), so the copies share
        # this object and the first render fills it for all of them.
        self._names = _Names()

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Shown in an empty box, and so its accessible name: select2's box is named by its text.
        attrs["data-placeholder"] = "None"
        return attrs

    def _name_of(self, key: str) -> str | None:
        if self._names.by_key is None:
            field = self.choices.field
            key_name = field.to_field_name or "pk"
            self._names.by_key = {
                str(getattr(row, key_name)): field.label_from_instance(row)
                for row in self.choices.queryset.using(self.db)
            }
        return self._names.by_key.get(key)

    def optgroups(self, name, value, attr=None):
        """The empty choice where allowed and the chosen rows, as admin's own renders them."""
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        for key in chosen if self.allow_multiple_selected else chosen[:1]:
            label = self._name_of(key)
            if label is not None:
                options.append(self.create_option(name, key, label, True, len(options)))
        return [(None, options, 0)]


class OneQueryAutocompleteSelect(_OneQuery, AutocompleteSelect):
    """One related row (a foreign key)."""


class OneQueryAutocompleteSelectMultiple(_OneQuery, AutocompleteSelectMultiple):
    """Several related rows (a many-to-many field, such as a selection's comparators)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Each chosen row has its own remove button; select2's "clear all" would sit inside
        # the list of chosen rows as a stray element (axe: list).
        attrs["data-allow-clear"] = "false"
        return attrs
