"""Second sign-in step: set up an authenticator app, or enter its code."""

from __future__ import annotations

import django_otp
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import two_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code, for example 123456.",
        min_length=6,
        max_length=6,
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "min_length": "The code must be 6 digits",
            "max_length": "The code must be 6 digits",
        },
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("The code must be 6 digits")
        return code


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = two_factor.totp_device_pending(user=user) or two_factor.totp_device_start(
            user=user
        )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        problem = two_factor.totp_verify(device=device, token=form.cleaned_data["code"])
        if problem is None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", problem)
    context = {"form": form, "setting_up": setting_up, "next": _next_url(request)}
    if setting_up:
        context |= {
            "qr_code": two_factor.totp_qr_data_uri(device),
            "secret": two_factor.totp_secret_for_typing(device),
        }
    return render(request, "registration/two_factor.html", context)
