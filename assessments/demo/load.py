"""Loads the demo partnership. Idempotent: running it again restores the same demo state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments.appendices.models import Appendix
from assessments.appendices.permissions import grant_appendix
from assessments.core.models import (
    Assessment,
    Chapter,
    GlossaryTerm,
    Membership,
    Organisation,
    Partnership,
    PurposeItem,
    Recommendation,
    Theme,
    User,
)
from assessments.core.periods import Period, PeriodType
from assessments.demo import content
from assessments.demo import indicator_data as demo_indicator_data
from assessments.demo.appendices import demo_appendices_load
from assessments.demo.batches import fresh_demo_batch
from assessments.demo.boundaries import demo_boundaries_load
from assessments.demo.comparators import demo_comparators_load
from assessments.demo.consultation import demo_consultation_load
from assessments.demo.data_returns import demo_data_returns_load, demo_data_returns_reset
from assessments.demo.front_matter import demo_front_matter_load
from assessments.demo.priorities import demo_priorities_load
from assessments.demo.publication import demo_publication_load
from assessments.demo.seasons import spread_over_months
from assessments.indicators.models import (
    Geography,
    Headline,
    Indicator,
    IndicatorSelection,
    Observation,
)


@transaction.atomic
def demo_load(*, consultation_closes_on: dt.date | None = None) -> Assessment:
    """Create or restore the SaferMK partnership, its 2017 assessment and its demo users."""
    today = timezone.localdate()
    closes_on = consultation_closes_on or today + dt.timedelta(days=14)

    partnership, _ = Partnership.objects.update_or_create(
        slug=content.PARTNERSHIP["slug"], defaults=content.PARTNERSHIP
    )
    organisations = _load_organisations(partnership)
    _load_users(partnership, organisations)
    _load_glossary(partnership)
    demo_data_returns_reset(partnership)
    area = _load_geography(partnership)
    indicators = _load_indicators(partnership, area)

    assessment, _ = Assessment.objects.update_or_create(
        partnership=partnership,
        year=content.ASSESSMENT["year"],
        defaults={
            **content.ASSESSMENT,
            "status": Assessment.Status.CONSULTATION,
            "consultation_closes_on": closes_on,
            # A day ago: before the demo's comments (six hours old) and every later step.
            "status_changed_at": timezone.now() - dt.timedelta(days=1),
        },
    )
    # Restored to consultation: the editions of an earlier load go (demo/editions.py).
    Assessment.objects.filter(pk=assessment.pk).update(public_edition=None)
    assessment.public_edition = None
    assessment.editions.all().delete()
    _load_purposes(assessment)
    chapters = _load_chapters(assessment, organisations, indicators)
    _load_headlines(assessment, chapters)
    _load_appendices(assessment, organisations)
    demo_appendices_load(assessment)
    demo_consultation_load(assessment)
    demo_boundaries_load(partnership)
    demo_indicator_data.demo_police_uk_load(partnership)
    demo_indicator_data.demo_chapter_maps_load(assessment)
    demo_comparators_load(partnership, area)
    demo_data_returns_load(assessment)
    demo_publication_load(assessment)
    demo_priorities_load(assessment)
    demo_front_matter_load(assessment, area)
    return assessment


def _load_glossary(partnership: Partnership) -> None:
    """The partnership's own terms, exactly the demo's: a term added while trying it goes."""
    partnership.glossary_terms.exclude(term__in=dict(content.GLOSSARY)).delete()
    for term, definition in content.GLOSSARY:
        GlossaryTerm.objects.update_or_create(
            partnership=partnership, term=term, defaults={"definition": definition}
        )


def _load_organisations(partnership: Partnership) -> dict[str, Organisation]:
    organisations = {}
    for name, short_name, kind in content.ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind}
        )
        organisation.partnerships.add(partnership)
        organisations[short_name] = organisation
    return organisations


def _load_users(partnership: Partnership, organisations: dict[str, Organisation]) -> None:
    for username, first, last, organisation, role, job_title, staff in content.USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "organisation": organisations[organisation],
                "job_title": job_title,
                "is_staff": staff,
                "is_active": True,
            },
        )
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            user=user, partnership=partnership, defaults={"role": role}
        )


def _load_geography(partnership: Partnership) -> Geography:
    area, _ = Geography.objects.update_or_create(
        partnership=partnership,
        level=Geography.Level.AREA,
        code=content.AREA["code"],
        defaults={"name": content.AREA["name"], "population": content.AREA["population"]},
    )
    for code, name, population in content.ESTATES:
        Geography.objects.update_or_create(
            partnership=partnership,
            level=Geography.Level.ESTATE,
            code=code,
            defaults={"name": name, "population": population, "parent": area},
        )
    return area


def _load_indicators(partnership: Partnership, area: Geography) -> dict[str, Indicator]:
    """Indicators and their observations, in one demo batch replaced on every run."""
    batch = fresh_demo_batch(partnership, "demo", "demo/content.py")
    indicators, observations = {}, []
    for code, (name, unit, source, measure, bad, kind, values) in content.INDICATORS.items():
        is_rate = measure == Indicator.Measure.RATE
        indicator, _ = Indicator.objects.update_or_create(
            partnership=partnership,
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "source": source,
                "licence": content.LICENCES.get(source, ""),
                "measure": measure,
                "aggregation": Indicator.Aggregation.RATIO
                if is_rate
                else Indicator.Aggregation.SUM,
                "increase_is_bad": bad,
            },
        )
        indicators[code] = indicator
        for year, value in values.items():
            period = Period.financial_year(year) if kind == "fy" else Period.calendar_year(year)
            observations += _observations_for(indicator, batch, area, period, value)
    Observation.objects.bulk_create(observations)
    batch.row_count = len(observations)
    batch.save(update_fields=["row_count"])
    return indicators


def _observations_for(indicator, batch, area, period: Period, value) -> list[Observation]:
    common = {"indicator": indicator, "batch": batch, "geography": area}
    if isinstance(value, tuple):  # a rate: store the parts, the value is derived from them
        numerator, denominator = value
        rate = Decimal(numerator) / Decimal(denominator) * 100
        return [
            Observation(
                **common,
                period_type=period.type,
                period_start=period.start,
                value=rate.quantize(Decimal("0.0001")),
                numerator=numerator,
                denominator=denominator,
            )
        ]
    return [
        Observation(**common, period_type=PeriodType.MONTH, period_start=month, value=count)
        for month, count in spread_over_months(value, period)
    ]


def _load_purposes(assessment: Assessment) -> None:
    for order, (label, ticked) in enumerate(content.PRIORITIES):
        PurposeItem.objects.update_or_create(
            assessment=assessment,
            kind=PurposeItem.Kind.PRIORITY,
            label=label,
            defaults={"addressed": ticked, "order": order},
        )
    for order, (label, ticked, detail) in enumerate(content.STATUTORY):
        PurposeItem.objects.update_or_create(
            assessment=assessment,
            kind=PurposeItem.Kind.STATUTORY,
            label=label,
            defaults={"addressed": ticked, "order": order, "detail": detail},
        )


def _load_chapters(assessment, organisations, indicators) -> dict[str, Chapter]:
    chapters = {}
    # Move existing chapters out of the way first: order is unique within an assessment.
    assessment.chapters.update(order=F("order") + 1000)
    for order, spec in enumerate(content.CHAPTERS, start=1):
        theme, _ = Theme.objects.update_or_create(
            partnership=assessment.partnership,
            slug=spec["slug"],
            defaults={"name": spec["title"]},
        )
        chapter, _ = Chapter.objects.update_or_create(
            assessment=assessment,
            slug=spec["slug"],
            defaults={
                "theme": theme,
                "order": order,
                "title": spec["title"],
                "summary": spec["summary"],
                "narrative": spec["narrative"],
                "lead_organisation": organisations[spec["lead"]],
                "kind": spec.get("kind", Chapter.Kind.THEME),
            },
        )
        chapters[spec["slug"]] = chapter
        _load_selections(chapter, spec["selections"], indicators)
        for rec_order, text in enumerate(spec["recommendations"], start=1):
            Recommendation.objects.update_or_create(
                chapter=chapter, order=rec_order, defaults={"text": text}
            )
        chapter.recommendations.filter(order__gt=len(spec["recommendations"])).delete()
    return chapters


def _load_selections(chapter: Chapter, selections, indicators) -> None:
    for order, (code, compare, share_of, caveat) in enumerate(selections, start=1):
        indicator = indicators[code]
        kind = content.INDICATORS[code][5]
        years = sorted(content.INDICATORS[code][6])
        current = (
            Period.financial_year(years[-1]) if kind == "fy" else Period.calendar_year(years[-1])
        )
        comparison = current.year_before() if compare else None
        IndicatorSelection.objects.update_or_create(
            chapter=chapter,
            indicator=indicator,
            defaults={
                "order": order,
                "period_type": current.type,
                "current_period_start": current.start,
                "comparison_period_start": comparison.start if comparison else None,
                "share_of": indicators[share_of] if share_of else None,
                "caveat": caveat,
            },
        )


def _load_headlines(assessment: Assessment, chapters: dict[str, Chapter]) -> None:
    for order, (chapter_slug, code, text) in enumerate(content.HEADLINES, start=1):
        selection = IndicatorSelection.objects.get(
            chapter=chapters[chapter_slug], indicator__code=code
        )
        Headline.objects.update_or_create(
            assessment=assessment,
            order=order,
            defaults={"selection": selection, "text": text, "on_cover": True},
        )


def _load_appendices(assessment: Assessment, organisations: dict[str, Organisation]) -> None:
    for order, spec in enumerate(content.APPENDICES, start=1):
        appendix, _ = Appendix.objects.update_or_create(
            assessment=assessment,
            slug=spec["slug"],
            defaults={
                "order": order,
                "title": spec["title"],
                "kind": spec["kind"],
                "summary": spec["summary"],
                "narrative": spec["narrative"],
            },
        )
        for short_name in spec["grants"]:
            grant_appendix(appendix, organisation=organisations[short_name])
