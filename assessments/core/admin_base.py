"""The base classes of every admin of the app: tenancy scoping (the one mixin every admin class
and inline uses), safe imports and exports, and the operator-only records.

An analyst is staff, not superuser, and sees only the records of the partnerships they are analyst
of; which rows those are is decided by core's permissions (`administered_rows`), from each model's
`partnership_path`."""

from __future__ import annotations

import base64
import hashlib

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from import_export.admin import ImportExportMixin

from assessments.core.permissions import (
    administered_rows,
    administers_row,
    can_use_admin,
    is_operator,
)
from assessments.core.resources import FORMATS, ImportLimitError


def view_on_site_in_scope(request, content_type_id: int, object_id: str):
    """Admin's "view on site" redirect, for rows in the user's scope only: the address alone
    (partnership, year, slug) would reveal that another partnership's appendix exists."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
        obj = content_type.get_object_for_this_type(pk=object_id)
    except (ObjectDoesNotExist, ValueError, ValidationError) as missing:
        raise Http404("No such record") from missing
    if not can_use_admin(request.user) or not administers_row(request.user, obj):
        raise Http404("No such record")
    return shortcut(request, content_type_id, object_id)


class ScopedMixin:
    """Admin and inline behaviour for analysts: their partnerships' rows and choices only."""

    def get_queryset(self, request):
        return administered_rows(super().get_queryset(request), request.user)

    def _may_use(self, request, obj=None) -> bool:
        if not can_use_admin(request.user):
            return False
        return obj is None or obj.pk is None or administers_row(request.user, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = administered_rows(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = administered_rows(field.queryset, request.user)
        return field

    def has_module_permission(self, request):
        return can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self._may_use(request, obj)

    def has_add_permission(self, request, obj=None):
        return can_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return self._may_use(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_use(request, obj)

    def has_import_permission(self, request):
        return can_use_admin(request.user)

    def has_export_permission(self, request):
        return can_use_admin(request.user)


class ScopedAdmin(ScopedMixin, admin.ModelAdmin):
    pass


def _csp_hash(source: str) -> str:
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


# The one documented exception to the Content Security Policy: django-import-export's export
# page has two inline style attributes and an inline "select all" handler. Only those exact
# sources are allowed, only on that page.
IMPORT_EXPORT_CSP = {
    "style-src": ["'unsafe-hashes'", _csp_hash("padding: 0;"), _csp_hash("font-weight: bold;")],
    "script-src": ["'unsafe-hashes'", _csp_hash("onSelectToggleChange(event)")],
}


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
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404("No such record")

    def history_view(self, request, object_id, extra_context=None):
        self._404_unless_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

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
