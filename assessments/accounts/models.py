"""Invitations: a partnership's analyst asks someone by email to join it in a role."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.core.models import Organisation, Partnership, Role, User


class Invitation(models.Model):
    """An analyst's invitation to a partner: the link in the email lets them set a password."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PARTNER)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["partner", "board"]), name="invitation_partner_or_board"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.partnership}"
