"""Accounts pages: the second sign-in step, staying signed in, a partnership's people and
invitations to join it."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessments.accounts.forms import AcceptInvitationForm, CodeForm, InvitationForm
from assessments.accounts.permissions import can_manage_people
from assessments.accounts.selectors import invitations_pending
from assessments.accounts.services import people, two_factor
from assessments.core.idempotency import idempotent
from assessments.core.models import Partnership, User
from assessments.core.selectors import partnership_members
from assessments.core.views import form_errors

# People: invitations and leavers ------------------------------------------------------------


def _managed_partnership(request, slug: str) -> Partnership:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not can_manage_people(request.user, partnership):
        raise Http404("No such page")
    return partnership


@login_required
@idempotent
def people_page(request, slug: str) -> HttpResponse:
    partnership = _managed_partnership(request, slug)
    form = InvitationForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = people.invitation_create(
                partnership=partnership, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(error, form)
        else:
            messages.success(request, f"An invitation has been sent to {invitation.email}")
            return redirect("people", slug=slug)
    context = {
        "partnership": partnership,
        "form": form,
        "members": partnership_members(partnership),
        "invitations": invitations_pending(partnership),
    }
    return render(request, "assessments/people.html", context)


@login_required
@require_POST
def member_deactivate(request, slug: str, user_id: int) -> HttpResponse:
    partnership = _managed_partnership(request, slug)
    member = get_object_or_404(User, pk=user_id, memberships__partnership=partnership)
    try:
        people.member_deactivate(partnership=partnership, user=member, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{member} can no longer sign in to {partnership.name}")
    return redirect("people", slug=slug)


def invitation_accept(request, token: str) -> HttpResponse:
    invitation = people.invitation_open(token)
    if invitation is None:
        return render(request, "registration/invitation_invalid.html", status=404)
    candidate = User(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    form = AcceptInvitationForm(candidate, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = people.invitation_accept(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            # The invitation's own problems are the form's; the rest are about the password.
            form.add_error(None if hasattr(error, "error_dict") else "new_password1", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, f"Welcome, {user.first_name}. Your username is {user.username}"
            )
            return redirect("home")
    return render(
        request, "registration/invitation_accept.html", {"form": form, "invitation": invitation}
    )


# Signing in ---------------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = two_factor.totp_device_confirmed(user=user)
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


@require_POST
@login_required
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": any request restarts the session's clock (SESSION_SAVE_EVERY_REQUEST)."""
    return HttpResponse(status=204)
