"""Forms of the accounts pages: invitations, accepting one, and the second sign-in step."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from assessments.core.models import Organisation, Role
from assessments.core.permissions import MEMBER_ROLES


class InvitationForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="Email address")
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())
    role = forms.ChoiceField(choices=[(role, Role(role).label) for role in MEMBER_ROLES])

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partnership.organisations.all()


class AcceptInvitationForm(SetPasswordForm):
    """Django's own password pair, with its validators."""


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
