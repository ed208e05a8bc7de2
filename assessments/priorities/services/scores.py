"""Writing scores: an organisation's scores during consultation, and the analyst's overrides."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.core.models import Assessment, Chapter, User
from assessments.priorities.models import Criterion, OrganisationScore, ScoreOverride
from assessments.priorities.permissions import can_override_scores, can_score_for_organisation


@dataclass(frozen=True)
class Given:
    """One answer of the scoring form: the score (None: left blank) and its comment, and the
    score and comment the form showed when it was opened."""

    chapter_id: int
    criterion_id: int
    score: int | None
    comment: str = ""
    shown_score: int | None = None
    shown_comment: str = ""

    @property
    def changed(self) -> bool:
        """Did the person change this answer? A page opened before a colleague scored still
        shows the answers as they were: sent back untouched, they must change nothing."""
        return (self.score, self.comment.strip()) != (self.shown_score, self.shown_comment.strip())


def organisation_scores_save(*, assessment: Assessment, by: User, given: list[Given]) -> int:
    """Store the answers `by` changed for their own organisation (a blank answer withdraws the
    score it showed); an answer sent back as it was shown changes nothing, so a colleague's
    scores given since the page was opened stay. Returns how many scores the organisation now
    has for the assessment."""
    if not can_score_for_organisation(by, assessment):
        raise PermissionDenied(
            "Partners score for their own organisation while consultation is open"
        )
    chapters = set(assessment.chapters.themes().values_list("pk", flat=True))
    criteria = set(assessment.priority_criteria.values_list("pk", flat=True))
    if any(g.chapter_id not in chapters or g.criterion_id not in criteria for g in given):
        raise ValidationError("Score only the themes and criteria of this assessment.")
    mine = OrganisationScore.objects.filter(
        organisation_id=by.organisation_id, chapter__assessment=assessment
    )
    now = timezone.now()
    with transaction.atomic():
        for answer in given:
            if not answer.changed:
                continue
            key = {"chapter_id": answer.chapter_id, "criterion_id": answer.criterion_id}
            if answer.score is None:
                mine.filter(**key).delete()
                continue
            OrganisationScore.objects.update_or_create(
                organisation_id=by.organisation_id,
                **key,
                defaults={
                    "score": answer.score,
                    "comment": answer.comment.strip(),
                    "scored_by": by,
                    "scored_at": now,
                },
            )
    return mine.count()


def score_override_set(
    *, chapter: Chapter, criterion: Criterion, score: int | None, reason: str, by: User
) -> ScoreOverride | None:
    """Put the analyst's score in place of the others, with the reason (recorded with who and
    when); no score removes the override."""
    if not can_override_scores(by, chapter.assessment):
        raise PermissionDenied("Only the analyst overrides scores")
    if criterion.assessment_id != chapter.assessment_id:
        raise ValidationError({"criterion": "Choose a criterion of this assessment."})
    if score is None:
        ScoreOverride.objects.filter(chapter=chapter, criterion=criterion).delete()
        return None
    if not reason.strip():
        raise ValidationError({"reason": "Say why the score is overridden."})
    override, _created = ScoreOverride.objects.update_or_create(
        chapter=chapter,
        criterion=criterion,
        defaults={"score": score, "reason": reason.strip(), "by": by, "at": timezone.now()},
    )
    return override
