"""Admin of people: their accounts and roles, sign-in unlocking and two-factor resets.

An analyst manages the accounts of their own partnership's people only: anyone who also holds a
role in another partnership, or is staff or an operator, is the operator's to change
(`can_manage_account`). For those the analyst sees the person and changes or ends the role in
their own partnership, nothing else."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.accounts.services import lockout, two_factor
from assessments.core.admin_base import (
    ScopedMixin,
    ScopedTabularInline,
)
from assessments.core.models import (
    Membership,
    User,
)
from assessments.core.permissions import can_manage_account, is_operator

# Authenticator devices are managed through the user list's "Reset two-factor sign-in" action:
# django-otp's own screens would show anyone with model permissions a device's secret.
admin.site.unregister(TOTPDevice)

ASK_THE_OPERATOR = (
    "{count} of the people chosen also belong to another partnership or run the site; only the "
    "operator changes their accounts."
)


class MembershipInline(ScopedTabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(ScopedMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "organisation", "is_active"]
    list_filter = ["is_active", "is_staff", "organisation", "memberships__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    inlines = [MembershipInline]
    partner_fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title", "organisation")}),
        ("Access", {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    # A person the analyst may not manage: no password field (even its hash is not theirs to see).
    shared_fieldsets = ((None, {"fields": ("username",)}), *partner_fieldsets[1:])
    shared_row_message = (
        "This person also belongs to another partnership, or runs the site: only the operator "
        "changes their account. You can change or end their role in your partnership below."
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["unlock_sign_in", "reset_two_factor"]

    def owns_wholly(self, request, obj) -> bool:
        return can_manage_account(request.user, obj)

    def _manageable(self, request, queryset) -> list[User]:
        people = list(queryset)
        allowed = [person for person in people if can_manage_account(request.user, person)]
        if len(allowed) < len(people):
            count = len(people) - len(allowed)
            self.message_user(request, ASK_THE_OPERATOR.format(count=count), messages.ERROR)
        return allowed

    @admin.action(description="Unlock sign-in (after too many failed attempts)")
    def unlock_sign_in(self, request, queryset):
        people = self._manageable(request, queryset)
        for user in people:
            lockout.user_unlock(user=user)
        self.message_user(request, f"Sign-in unlocked for {len(people)} people.")

    @admin.action(description="Reset two-factor sign-in (lost authenticator app)")
    def reset_two_factor(self, request, queryset):
        people = self._manageable(request, queryset)
        for user in people:
            two_factor.totp_devices_reset(user=user)
        self.message_user(request, f"{len(people)} people will set up two-factor sign-in again.")

    def user_change_password(self, request, id, form_url=""):
        person = self.get_object(request, unquote(id))
        if person is None:
            raise Http404("No such person")
        if not can_manage_account(request.user, person):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)
        if is_operator(request.user):
            return (*self.partner_fieldsets, ("Operator", {"fields": ("is_superuser",)}))
        if not can_manage_account(request.user, obj):
            return self.shared_fieldsets
        # Analysts manage people, not Django's global permissions or operator accounts.
        return self.partner_fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # Who may use admin at all is the operator's decision.
        if obj is not None and not is_operator(request.user) and "is_staff" not in readonly:
            return [*readonly, "is_staff"]
        return readonly
