"""Forms of the consultation pages: they parse and validate input; services write."""

from __future__ import annotations

from django import forms

from assessments.consultation.models import NotificationPreference, RecommendationResponse
from assessments.consultation.selectors import HORIZON_SCAN
from assessments.consultation.services.comments import MAX_BODY


class CommentForm(forms.Form):
    on = forms.CharField(required=False, label="What is your comment about?")
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    body = forms.CharField(
        label="Comment",
        max_length=MAX_BODY,
        error_messages={"required": "Enter your comment"},
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        # The ids the comments templates use: #comment-on, #comment-body.
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)


class CommentEditForm(forms.Form):
    body = CommentForm.base_fields["body"]


class ResolveForm(forms.Form):
    note = forms.CharField(label="Response (optional)", required=False, max_length=MAX_BODY)


class ResponseForm(forms.Form):
    answer = forms.ChoiceField(
        choices=RecommendationResponse.Answer.choices,
        error_messages={"required": "Choose whether your organisation supports it"},
    )
    reason = forms.CharField(required=False, max_length=2000)


class TransitionForm(forms.Form):
    closes_on = forms.DateField(
        label="Closing date",
        required=False,
        help_text="For example, 4 June 2025 is 2025-06-04",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea)
    # Only when readiness checks fail: why to go ahead anyway (recorded).
    override_reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea)
    # Approving: the fingerprint of the document the page showed, so that the chair approves
    # what they read and nothing that changed since.
    document_sha256 = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    # Approving while partners may still comment: the chair says so knowingly.
    before_closing = forms.BooleanField(
        label="Approve before the consultation closes", required=False
    )

    def __init__(self, *args, confirm_before_closing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirm_before_closing = confirm_before_closing

    def clean(self):
        cleaned = super().clean()
        if self.confirm_before_closing and not cleaned.get("before_closing"):
            self.add_error(
                "before_closing",
                "Tick to confirm that you approve before the consultation closes, or wait "
                "until it closes",
            )
        return cleaned


class NotificationPreferenceForm(forms.Form):
    new_comments = forms.ChoiceField(
        label="Tell me about new comments",
        choices=NotificationPreference.Frequency.choices,
        widget=forms.RadioSelect,
    )
    workflow_emails = forms.TypedChoiceField(
        label="Tell me when the assessment is approved and when it is published",
        choices=[(True, "Yes"), (False, "No")],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        # On unless chosen off: a form from before the choice existed leaves it on.
        required=False,
        empty_value=True,
    )


class FeedbackFilterForm(forms.Form):
    # A chapter's id, or the horizon scan (HORIZON_SCAN); `clean_chapter` gives the chapter.
    chapter = forms.ChoiceField(required=False, label="Chapter")
    organisation = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All organisations"
    )
    state = forms.ChoiceField(
        choices=[("", "Open and resolved"), ("open", "Open"), ("resolved", "Resolved")],
        required=False,
        label="Status",
    )

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self._chapters = {str(c.pk): c for c in assessment.chapters.order_by("order")}
        self.fields["chapter"].choices = [
            ("", "All chapters"),
            (HORIZON_SCAN, "Horizon scanning"),
            *((pk, chapter.title) for pk, chapter in self._chapters.items()),
        ]
        self.fields["organisation"].queryset = assessment.partnership.organisations.all()

    def clean_chapter(self):
        value = self.cleaned_data["chapter"]
        return value if value in ("", HORIZON_SCAN) else self._chapters[value]
