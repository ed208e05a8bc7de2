"""The base classes of every admin of the app: tenancy scoping (the one mixin every admin class
and inline uses), safe imports and exports, and the operator-only records.

An analyst is staff, not superuser, and sees only the records of the partnerships they are analyst
of; which rows those are is decided by core's permissions (`administered_rows`), from each model's
`partnership_path`."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import NestedObjects, get_fields_from_path, unquote
from django.contrib.admin.widgets import AdminSplitDateTime, RelatedFieldWidgetWrapper
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import router
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from import_export.admin import ImportExportMixin

from assessments.core.admin_widgets import (
    OneQueryAutocompleteSelect,
    OneQueryAutocompleteSelectMultiple,
)
from assessments.core.permissions import (
    administered_rows,
    administers_row,
    administers_wholly,
    can_use_admin,
    delete_takes_only_administered_rows,
    is_operator,
)
from assessments.core.resources import FORMATS, ImportLimitError


def view_on_site_in_scope(request, content_type_id: str, object_id: str):
    """Admin's "view on site" redirect, for rows in the user's scope only: the address alone
    (partnership, year, slug) would reveal that another partnership's appendix exists.

    Routed in `safermk/urls.py` with exactly the pattern of admin's own, so that no spelling of
    an id ("%20" or "+" before it, leading zeros) can fall through to admin's unscoped one; ids
    are then read strictly and the redirect is built from the row found."""
    if not (content_type_id.isascii() and content_type_id.isdigit()):
        raise Http404("No such record")
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        obj = model._default_manager.get(pk=object_id)
    except (AttributeError, ObjectDoesNotExist, ValueError, ValidationError) as missing:
        raise Http404("No such record") from missing
    if not can_use_admin(request.user) or not administers_row(request.user, obj):
        raise Http404("No such record")
    return shortcut(request, content_type_id, str(obj.pk))


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A filter on a related field that offers only rows of the user's partnerships (for a
    related model that is not scoped, only the values the rows in scope use): Django's own
    would list every partnership's."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        if getattr(related, "partnership_path", None) is None:
            in_scope = model_admin.get_queryset(request).values(f"{self.field_path}__pk")
        else:
            in_scope = administered_rows(related._default_manager.all(), request.user).values("pk")
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"pk__in": in_scope},
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


def keep_links_out_of_sight(form, user) -> None:
    """Before a form's many-to-many fields are saved, add back the links to rows the user may
    not see.

    A choice list narrowed to the user's partnerships would otherwise drop, on every save, the
    links to rows of other partnerships (a police force's other partnerships). Links to the
    user's own rows that a field no longer offers (a checklist's chapters of another year) are
    theirs to drop."""
    if form.instance.pk is None:
        return
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField) and name in form.cleaned_data:
            stored = getattr(form.instance, name).all()
            theirs = administered_rows(stored.model._default_manager.all(), user)
            unseen = stored.exclude(pk__in=theirs.values("pk"))
            form.cleaned_data[name] = [*form.cleaned_data[name], *unseen]


class ScopedMixin:
    """Admin and inline behaviour for analysts: their partnerships' rows and choices only; rows
    shared with other partnerships read-only but for this partnership's own link to them."""

    def get_queryset(self, request):
        return administered_rows(super().get_queryset(request), request.user)

    def _may_use(self, request, obj=None) -> bool:
        if not can_use_admin(request.user):
            return False
        return obj is None or obj.pk is None or administers_row(request.user, obj)

    def owns_wholly(self, request, obj) -> bool:
        """May the user change the row itself (not only their link to it) and delete it?"""
        return administers_wholly(request.user, obj)

    def _is_shared(self, request, obj) -> bool:
        # An inline's checks receive the parent row, whose link the inline may be.
        if isinstance(self, InlineModelAdmin) or obj is None or obj.pk is None:
            return False
        return not self.owns_wholly(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "doesn't exist"; a row of another partnership is
        # answered the way every other refusal of the app is.
        raise Http404("No such record")

    def get_deleted_objects(self, objs, request):
        # The delete page and the delete action both ask this before anything is deleted.
        counted = deleted_objects_of(self, objs, request)
        return counted if counted is not None else super().get_deleted_objects(objs, request)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        if isinstance(self, InlineModelAdmin) and isinstance(widget, RelatedFieldWidgetWrapper):
            # A row of an inline offers to add a related row, not to change, delete or view
            # one: three links fewer to build and show on every row.
            widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        if isinstance(widget, AdminSplitDateTime):
            # Admin writes "Date:" and "Time:" beside the two boxes as text, not as their
            # labels, and the field's label names only the first (axe: label).
            date, time = widget.widgets
            date.attrs.setdefault("aria-label", f"{field.label}: date")
            time.attrs.setdefault("aria-label", f"{field.label}: time")
        return field

    def get_changelist_formset(self, request, **kwargs):
        return boxes_named_by_column(super().get_changelist_formset(request, **kwargs))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = OneQueryAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = administered_rows(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = OneQueryAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = administered_rows(field.queryset, request.user)
        return field

    def get_list_filter(self, request):
        return [self._scoped_filter(entry) for entry in super().get_list_filter(request)]

    def _scoped_filter(self, entry):
        if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:
            return (entry, ScopedRelatedFieldListFilter)
        return entry

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self._is_shared(request, obj):
            return readonly
        link = self.model.partnership_path.split("__")[0]
        excluded = set(self.exclude or ())
        own = [
            f.name
            for f in self.model._meta.get_fields()
            if f.concrete and f.editable and not f.primary_key
        ]
        return readonly + [name for name in own if name not in {link, *excluded, *readonly}]

    def save_related(self, request, form, formsets, change):
        keep_links_out_of_sight(form, request.user)
        for formset in formsets:
            for inline_form in formset.forms:
                if getattr(inline_form, "cleaned_data", None):
                    keep_links_out_of_sight(inline_form, request.user)
        super().save_related(request, form, formsets, change)

    shared_row_message = (
        "This {name} also belongs to other partnerships: only the operator changes it. You can "
        "change your own partnership's link to it."
    )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        shared = obj is not None and self._is_shared(request, obj)
        if shared and request.method == "GET":
            name = self.model._meta.verbose_name
            self.message_user(request, self.shared_row_message.format(name=name), messages.INFO)
        context = {**(extra_context or {}), "history_refused": shared}
        return super().change_view(request, object_id, form_url, context)

    def history_view(self, request, object_id, extra_context=None):
        # A shared row's history records what other partnerships' analysts changed.
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self._is_shared(request, obj):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def has_module_permission(self, request):
        return can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self._may_use(request, obj)

    def has_add_permission(self, request, obj=None):
        return can_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return self._may_use(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_use(request, obj) and not self._is_shared(request, obj)

    def has_import_permission(self, request):
        return can_use_admin(request.user)

    def has_export_permission(self, request):
        return can_use_admin(request.user)


def scrolling_table(label: str, table: str) -> str:
    """On a phone a wide table scrolls inside its own box, which the keyboard can reach and
    which is named for screen readers, so that the page itself never scrolls sideways."""
    return format_html(
        '<div class="app-admin-table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
        label,
        table,
    )


def table_of_rows(label: str, table: str, row: str, parent, cells, *, empty: str = "") -> str:
    """A parent's rows as a read-only table: `row` formatted with each of `cells`, the rows and
    `parent` into `table`, scrolling on a phone; `empty`, if given, when there are no rows."""
    rows = format_html_join("", row, cells)
    if empty and not rows:
        return empty
    return scrolling_table(label, format_html(table, parent, rows))


def add_on_its_own_page(model: str, text: str, **chosen) -> str:
    """A link to adding a row of `model` on its own admin page with `chosen` already filled in
    (admin reads a new row's initial values from the query string)."""
    url = f"{reverse(f'admin:assessments_{model}_add')}?{urlencode(chosen)}"
    return format_html('<a href="{}">{}</a>', url, text)


def admin_change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


class RowOfParentMixin:
    """Rows listed on their parent's page (a chapter's indicators, an assessment's checklist)
    are added and changed on their own page; once saved, the analyst is back on the parent's
    page where they started, not on a list of every such row. A row stays with its parent: moved,
    the old parent's cached list (and its partnership's pages) would not hear of it."""

    parent_field: str

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if obj is None else [*readonly, self.parent_field]

    def response_post_save_add(self, request, obj):
        return redirect(admin_change_url(getattr(obj, self.parent_field)))

    def response_post_save_change(self, request, obj):
        return self.response_post_save_add(request, obj)


# Django's delete confirmation lists every row a delete takes with it, each with its link, its
# name and a permission check: a month of police.uk figures is thousands of observations, and the
# page took over 15 seconds. Past this many rows it counts them by kind instead.
LISTED_DELETIONS = 200


def deleted_objects_of(model_admin, objs, request):
    """What admin's delete page and action list: refused (404, naming nothing) unless every row
    the delete reaches is the user's partnerships'; counted by kind past LISTED_DELETIONS."""
    collector = NestedObjects(using=router.db_for_write(model_admin.model))
    collector.collect(objs)
    if not delete_takes_only_administered_rows(request.user, collector):
        raise Http404("No such record")
    if sum(len(rows) for rows in collector.model_objs.values()) <= LISTED_DELETIONS:
        return None
    model_count = {
        model._meta.verbose_name_plural: len(rows) for model, rows in collector.model_objs.items()
    }
    to_delete = [f"{capfirst(name)}: {count:,}" for name, count in model_count.items()]
    # Every row is the user's partnerships' (checked above): one permission check per kind of
    # row, as admin's own check would answer for each.
    admin_site = model_admin.admin_site
    perms_needed = {
        model._meta.verbose_name
        for model, rows in collector.model_objs.items()
        if admin_site.is_registered(model)
        and not admin_site.get_model_admin(model).has_delete_permission(request, next(iter(rows)))
    }
    protected = [str(obj) for obj in collector.protected]
    return to_delete, model_count, perms_needed, protected


class ScopedAdmin(ScopedMixin, admin.ModelAdmin):
    """A plain model admin for analysts (ScopedMixin)."""


def boxes_named_by_column(formset):
    """The formset with every box named by its column: admin's tables (an inline's, a change
    list's editable columns) label their columns for the eye only, so a screen reader announced
    "edit text" and nothing more (axe: label, select-name)."""

    def add_fields(formset_self, form, index):
        formset.add_fields(formset_self, form, index)
        for name, field in form.fields.items():
            # A related field's box sits inside admin's wrapper, whose copies' attrs are
            # still the original box's: label the box itself.
            box = getattr(field.widget, "widget", field.widget)
            box.attrs.setdefault("aria-label", str(field.label or name))

    return type(formset.__name__, (formset,), {"add_fields": add_fields})


class ScopedTabularInline(ScopedMixin, admin.TabularInline):
    """A table of related rows whose every box is named by its column."""

    def get_formset(self, request, obj=None, **kwargs):
        return boxes_named_by_column(super().get_formset(request, obj, **kwargs))


def _csp_hash(source: str) -> str:
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


# The documented exceptions to the Content Security Policy: django-import-export's export page
# has two inline style attributes and an inline "select all" handler, and simple_history's
# history list one inline style attribute. Only those exact sources are allowed, only on those
# pages.
IMPORT_EXPORT_CSP = {
    "style-src": ["'unsafe-hashes'", _csp_hash("padding: 0;"), _csp_hash("font-weight: bold;")],
    "script-src": ["'unsafe-hashes'", _csp_hash("onSelectToggleChange(event)")],
}
HISTORY_CSP = {"style-src": ["'unsafe-hashes'", _csp_hash("border-top: 0")]}


class ImportExportCspMixin:
    def export_action(self, request):
        response = super().export_action(request)
        response._csp_update = IMPORT_EXPORT_CSP  # read by django-csp's middleware
        return response


class ScopedHistoryMixin(ScopedMixin):
    """simple_history's history pages fall back to the last historical version of a row outside
    the queryset, and answer 403 where the row is refused: both would reveal another
    partnership's records. Rows outside the user's scope answer 404 here, like everywhere."""

    def _404_unless_in_scope(self, request, object_id) -> None:
        # get_object reads the id as admin does, so "abc" or " 5" is no error page either.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such record")

    def history_view(self, request, object_id, extra_context=None):
        self._404_unless_in_scope(request, object_id)
        response = super().history_view(request, object_id, extra_context)
        response._csp_update = HISTORY_CSP  # read by django-csp's middleware
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._404_unless_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class SafeImportExportMixin(ImportExportCspMixin, ImportExportMixin):
    """CSV and XLSX only, through the limited formats of core/resources.py."""

    import_formats = FORMATS
    export_formats = FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportLimitError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result, request):
        # import-export reports success after the confirmation step whatever happened, since
        # the preview had no errors; an error there (the database went away) rolled it all
        # back, and the analyst must be told so.
        if result.has_errors():
            first = (result.base_errors or [e for _, row in result.row_errors() for e in row])[0]
            messages.error(
                request,
                f"The import failed and nothing was saved ({type(first.error).__name__}). "
                "Upload the file again.",
            )
            return redirect(
                reverse(f"admin:{self.get_model_info()[0]}_{self.get_model_info()[1]}_import")
            )
        return super().process_result(result, request)


class OperatorOnlyAddMixin:
    """Records that only an operator (superuser) creates, such as a new partnership."""

    def has_add_permission(self, request, obj=None):
        return is_operator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_operator(request.user)
