"""Admin of people: their accounts and roles, sign-in unlocking and two-factor resets."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.accounts.services import lockout, two_factor
from assessments.core.admin_base import ScopedMixin
from assessments.core.models import (
    Membership,
    User,
)
from assessments.core.permissions import is_operator

# Authenticator devices are managed through the user list's "Reset two-factor sign-in" action:
# django-otp's own screens would show anyone with model permissions a device's secret.
admin.site.unregister(TOTPDevice)


class MembershipInline(ScopedMixin, admin.TabularInline):
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
    readonly_fields = ["last_login", "date_joined"]
    actions = ["unlock_sign_in", "reset_two_factor"]

    @admin.action(description="Unlock sign-in (after too many failed attempts)")
    def unlock_sign_in(self, request, queryset):
        for user in queryset:
            lockout.user_unlock(user=user)
        self.message_user(request, f"Sign-in unlocked for {queryset.count()} people.")

    @admin.action(description="Reset two-factor sign-in (lost authenticator app)")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            two_factor.totp_devices_reset(user=user)
        self.message_user(
            request, f"{queryset.count()} people will set up two-factor sign-in again."
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)
        if is_operator(request.user):
            return (*self.partner_fieldsets, ("Operator", {"fields": ("is_superuser",)}))
        # Analysts manage people, not Django's global permissions or operator accounts.
        return self.partner_fieldsets
