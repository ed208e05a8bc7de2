"""The demo's priority matrix: the 2017 assessment's criteria, scored by four organisations,
with one override by the analyst. The scores are made up but follow the reference cover
paper: its three priorities (violent incidents; substance misuse; community engagement to
reduce the fear of crime, which the Crime chapter covers) come out at the top."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from assessments.core.models import Assessment, Organisation, User
from assessments.priorities.models import Criterion, OrganisationScore, ScoreOverride
from assessments.priorities.services.criteria import criteria_defaults_create

# Milton Keynes' volumes: the lead figures run from tens (FGM) to over 20,000 (all crime).
VOLUME_BANDS = (Decimal(50), Decimal(500), Decimal(2500))

# (harm to victims, community concern, partnership capacity) as most organisations see them.
SCORES = {
    "crime": (3, 4, 4),
    "violence": (4, 4, 4),
    "reoffending": (3, 2, 3),
    "hate-crime": (3, 2, 2),
    "domestic-abuse": (4, 2, 3),
    "drugs-and-alcohol": (4, 4, 3),
    "fire-service-data": (2, 2, 2),
    "modern-slavery": (4, 1, 2),
    "fgm": (4, 1, 1),
    "cyber-crime": (2, 3, 1),
}
CRITERIA = ("Harm to victims", "Community concern", "Partnership capacity")
ORGANISATIONS = ("TVP", "MK Council", "BFRS", "NHS MK")
# Where an organisation sees it otherwise, with what it said.
DIFFERENT = {
    ("BFRS", "fire-service-data", "Community concern"): (4, "Deliberate fires worry estates."),
    ("NHS MK", "domestic-abuse", "Community concern"): (4, "A&E sees far more than is reported."),
    ("TVP", "modern-slavery", "Partnership capacity"): (4, "Joint operations have worked."),
    ("MK Council", "modern-slavery", "Partnership capacity"): (1, ""),
    ("NHS MK", "drugs-and-alcohol", "Harm to victims"): (4, "Alcohol admissions keep rising."),
    ("TVP", "cyber-crime", "Partnership capacity"): (2, "Action Fraud holds most of it."),
}
OVERRIDE = (
    "domestic-abuse",
    "Trend",
    3,
    "2017 is a baseline year (recording practice changed), so the data proposes no trend; "
    "services report rising demand.",
)


def demo_priorities_load(assessment: Assessment) -> None:
    """Replace the assessment's matrix with the demo's: criteria, scores and the override."""
    assessment.priority_criteria.all().delete()
    criteria_defaults_create(assessment=assessment)
    Criterion.objects.filter(assessment=assessment, name="Volume").update(
        band_2=VOLUME_BANDS[0], band_3=VOLUME_BANDS[1], band_4=VOLUME_BANDS[2]
    )
    criteria = {c.name: c for c in assessment.priority_criteria.all()}
    chapters = {c.slug: c for c in assessment.chapters.all()}
    organisations = {
        o.short_name: o for o in Organisation.objects.filter(short_name__in=ORGANISATIONS)
    }
    scored_at = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(10, 0)))
    OrganisationScore.objects.bulk_create(
        OrganisationScore(
            chapter=chapters[slug],
            criterion=criteria[name],
            organisation=organisations[short_name],
            score=score,
            comment=comment,
            scored_at=scored_at,
        )
        for short_name in ORGANISATIONS
        for slug, scores in SCORES.items()
        for name, base in zip(CRITERIA, scores, strict=True)
        for score, comment in [DIFFERENT.get((short_name, slug, name), (base, ""))]
    )
    slug, name, score, reason = OVERRIDE
    ScoreOverride.objects.create(
        chapter=chapters[slug],
        criterion=criteria[name],
        score=score,
        reason=reason,
        by=User.objects.filter(username="analyst").first(),
    )
