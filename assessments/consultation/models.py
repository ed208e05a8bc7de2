"""The consultation: comments and responses, reads, the workflow's events and state, people's
notification preferences and the analyst's readiness overrides."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.core.models import (
    Assessment,
    Chapter,
    HorizonScanItem,
    Organisation,
    Recommendation,
    User,
)


class Comment(models.Model):
    """A partner's comment, or a reply in its discussion, on one of an assessment's chapters
    (the whole chapter, a paragraph or a recommendation) or on one row of its horizon scan
    (issue 32: partners comment on the horizon scan during consultation like on a chapter).
    Exactly one of `chapter` and `horizon_item` is set; `assessment` is theirs, kept on the
    row so that who may read, and every count, asks one column whatever the comment is on."""

    partnership_path = "assessment__partnership"
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="comments")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    horizon_item = models.ForeignKey(
        HorizonScanItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name="horizon scan row",
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    paragraph_anchor = models.CharField(max_length=40, blank=True)
    # The text the comment was made on, so it still reads when the paragraph is rewritten.
    quoted_text = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chapter__isnull=False, horizon_item__isnull=True)
                | Q(chapter__isnull=True, horizon_item__isnull=False),
                name="comment_on_chapter_or_horizon_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"

    def save(self, *args, **kwargs):
        if self.assessment_id is None:
            host = self.chapter if self.chapter_id else self.horizon_item
            self.assessment_id = host.assessment_id if host is not None else None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The comment's link, for emails and other pages: it finds the comment when followed,
        on the chapter page or on the page of the chapter's comments it has moved to since (a
        horizon scan's comment: on the scan's comments page)."""
        return reverse("comment_link", args=[self.pk])

    @property
    def is_on_horizon_scan(self) -> bool:
        return self.chapter_id is None

    @property
    def subject_title(self) -> str:
        """What it is on, as emails' subjects and the feedback name it: the chapter's title, or
        "the horizon scan"."""
        return "the horizon scan" if self.is_on_horizon_scan else self.chapter.title

    @property
    def subject_in_words(self) -> str:
        """ "the chapter “Crime”", or "the horizon scan", as an email's sentence says it."""
        if self.is_on_horizon_scan:
            return "the horizon scan"
        return f"the chapter “{self.chapter.title}”"


class WorkflowEvent(models.Model):
    """One step of an assessment's workflow: who did it, when, and why (for a move back)."""

    class Action(models.TextChoices):
        OPEN = "open", "Opened for consultation"
        EXTEND = "extend", "Consultation extended"
        CLOSE = "close", "Consultation closed"
        APPROVE = "approve", "Approved by the chair"
        PUBLISH = "publish", "Published"
        UNPUBLISH = "unpublish", "Taken down"
        CORRECT = "correct", "Correction started"
        BACK_TO_DRAFT = "back_to_draft", "Moved back to draft"
        BACK_TO_CONSULTATION = "back_to_consultation", "Moved back to consultation"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="workflow_events"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    from_status = models.CharField(max_length=12, choices=Assessment.Status.choices)
    to_status = models.CharField(max_length=12, choices=Assessment.Status.choices)
    # Empty when the consultation closed by itself at its closing date.
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    closes_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["back_to_draft", "back_to_consultation", "unpublish"])
                | ~Q(reason=""),
                name="moving_back_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.assessment})"


class ConsultationState(models.Model):
    """Whether an assessment's consultation has been closed and which reminder went out."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="consultation_state"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # The closing date the "closes in 2 days" reminder was sent for: an extension sends another.
    reminded_for = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Consultation of {self.assessment}"


class ChapterRead(models.Model):
    """When a user last read a chapter, so that later edits show as "changed since you read"."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="chapter_reads")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "chapter"], name="one_read_per_user_chapter"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.chapter}"


class RecommendationResponse(models.Model):
    """An organisation's quick answer to a recommendation."""

    class Answer(models.TextChoices):
        SUPPORT = "support", "Support"
        SUPPORT_WITH_CHANGES = "changes", "Support with changes"
        DO_NOT_SUPPORT = "oppose", "Do not support"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="recommendation_responses"
    )
    answer = models.CharField(max_length=8, choices=Answer.choices)
    # Which changes, or why not: asked with "Support with changes" and "Do not support".
    reason = models.TextField(blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organisation"], name="one_response_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(answer__in=["support", "changes", "oppose"]),
                name="recommendation_answer_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_answer_display()}"


class NotificationPreference(models.Model):
    """How a user hears of new comments (each one at once, or one email a day), and whether of
    the assessment's approval and publication."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Each comment as it is posted"
        DAILY = "daily", "One email a day"

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_preference"
    )
    new_comments = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    workflow_emails = models.BooleanField(
        "Tell me when the assessment is approved and when it is published", default=True
    )
    digest_sent_up_to = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_new_comments_display()}"


class ReadinessOverride(models.Model):
    """A workflow step taken although readiness checks failed: who, when, why, and what failed."""

    event = models.OneToOneField(
        WorkflowEvent, on_delete=models.CASCADE, related_name="readiness_override"
    )
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    failures = models.JSONField(default=list)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Readiness overridden by {self.by} ({self.event})"


class ChaseReminder(models.Model):
    """The analyst's reminder to an organisation that has not responded to the consultation, or
    not scored the priorities: one a day of each at most, so that a second click the same day
    sends nothing."""

    partnership_path = "assessment__partnership"

    class About(models.TextChoices):
        COMMENTS = "comments", "Comments and answers to the recommendations"
        SCORES = "scores", "Scores for the priority-setting matrix"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="chase_reminders"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    about = models.CharField(max_length=8, choices=About.choices, default=About.COMMENTS)
    sent_on = models.DateField(help_text="The day (Europe/London) the reminder was asked for.")
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "organisation", "about", "sent_on"],
                name="one_chase_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} reminded on {self.sent_on}"
