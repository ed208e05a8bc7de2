"""Demo data of the report's front matter (issue 32): the executive summary, the area profile's
figures, the horizon scan, gaps in knowledge, the priorities' themes, and each recommendation's
lead, timescale and measure of success."""

from __future__ import annotations

import datetime as dt

from assessments.core.models import Assessment, HorizonScanItem, Organisation, PurposeItem
from assessments.core.periods import Period
from assessments.demo.batches import fresh_demo_batch
from assessments.indicators.models import Geography, Indicator, Observation

EXECUTIVE_SUMMARY = """\
Recorded crime in Milton Keynes rose by 4.8% in 2016/17, in line with the national \
picture; much of the rise in violence and sexual offences reflects better recording and more \
victims coming forward. Robbery, anti-social behaviour, hate crime and drug offences fell. The \
juvenile reoffending rate fell and remains one of the best in the country. Fire and rescue \
incidents, modern slavery referrals and fraud reports rose.

The board chooses the partnership's priorities for 2017/18 from the ranking of the \
priority-setting matrix, whose three highest-ranked themes are listed below with their scores. \
Violence, especially in the night-time economy, and substance misuse, including county lines, \
are the priorities of the current plan; the progress section shows how their figures moved.

The main risks are the county lines drug supply model moving into the estates, the pressure \
of falling budgets on partners' prevention work, and the growth of fraud and cyber crime that \
local figures barely capture."""

GAPS_IN_KNOWLEDGE = """\
- **Domestic abuse**: 2016/17 is the first year recorded on the current definition, so there \
is no comparison yet.
- **Hidden harm**: modern slavery, FGM and cuckooing are under-reported; referrals measure \
awareness as much as prevalence.
- **Fraud and cyber crime**: Action Fraud reports are not broken down below the force area.
- **Alcohol**: hospital admissions and treatment data by estate were not available in time."""

# (PESTELO factor, issue, what it may mean, one of the main risks)
HORIZON_SCAN = [
    ("political", "A new Police and Crime Plan from the Police and Crime Commissioner in 2017.",
     "Partnership priorities and funding bids should align with it.", False),
    ("economic", "Further reductions in council and partner budgets to 2020.",
     "Less prevention work; the partnership must target what it funds.", True),
    ("social", "Rapid population growth and new estates in the east of the borough.",
     "More demand on neighbourhood services; new places to tackle early.", False),
    ("technological", "Fraud and abuse moving online.",
     "Crime that local recorded figures do not capture.", True),
    ("environmental", "Deliberate fires in open spaces during dry summers.",
     "Seasonal joint patrols with the fire service.", False),
    ("legal", "Modern Slavery Act 2015 duties and the new domestic abuse offence.",
     "More referrals and recorded crimes as practice changes.", False),
    ("organisational", "County lines drug supply exploiting young and vulnerable people.",
     "A joint protocol for cuckooing and child exploitation.", True),
]  # fmt: skip

# (chapter slug, recommendation order): (own lead's short name or None for the chapter's,
# timescale, measure of success)
RECOMMENDATION_PLANS = {
    ("crime", 1): (None, dt.date(2018, 3, 31), "Quarterly victim-based crime report to the board"),
    ("crime", 2): ("MK Council", dt.date(2017, 12, 31),
                   "Fewer thefts from vehicles in Central Milton Keynes"),
    ("violence", 1): (None, dt.date(2017, 10, 31), "Violence adopted as a priority"),
    ("violence", 2): ("MK Council", dt.date(2018, 3, 31), "New venues in the scheme"),
    ("violence", 3): ("NHS MK", dt.date(2018, 3, 31), "Support commissioned and used"),
    ("reoffending", 1): (None, dt.date(2018, 3, 31), "Reoffending rate at or below 33%"),
    ("reoffending", 2): ("Probation", dt.date(2017, 12, 31), "Two reports a year"),
    ("hate-crime", 1): ("MKCSVN", dt.date(2018, 3, 31), "More third-party reports"),
    ("domestic-abuse", 1): ("TVP", dt.date(2018, 6, 30), "A comparison in next year's assessment"),
    ("domestic-abuse", 2): (None, dt.date(2017, 12, 31), "Waiting times reviewed"),
    ("drugs-and-alcohol", 1): (None, dt.date(2017, 10, 31), "Substance misuse adopted"),
    ("drugs-and-alcohol", 2): ("TVP", dt.date(2018, 3, 31), "Protocol signed by three partners"),
    ("fire-service-data", 1): (None, dt.date(2017, 9, 30), "Monthly hotspot list shared"),
    ("fire-service-data", 2): ("MK Council", dt.date(2018, 3, 31), "More referrals for visits"),
    ("modern-slavery", 1): ("MK Council", dt.date(2018, 3, 31), "Officers trained"),
    ("fgm", 1): (None, dt.date(2018, 7, 31), "Every secondary school reached"),
    ("cyber-crime", 1): ("MK Council", dt.date(2018, 3, 31), "Campaign reaches 5,000 residents"),
    ("cyber-crime", 2): (None, dt.date(2018, 3, 31), "Four sessions held"),
}  # fmt: skip

# The cover paper's partnership priorities, by the theme whose figures show progress on them.
PRIORITY_THEMES = {
    "Reducing the number of violent incidences": "violence",
    "Tackling and enforcing substance misuse": "drugs-and-alcohol",
}

# The area profile's indicators beside the population: (code, name, unit, year, value).
PROFILE = [
    ("imd-most-deprived-lsoas", "LSOAs among the 20% most deprived in England (2015 index)",
     "LSOAs", 2015, 18),
    ("residents-under-18", "Residents aged under 18", "residents", 2016, 66_300),
    ("residents-65-and-over", "Residents aged 65 and over", "residents", 2016, 33_100),
]  # fmt: skip


def demo_front_matter_load(assessment: Assessment, area: Geography) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        executive_summary=EXECUTIVE_SUMMARY, gaps_in_knowledge=GAPS_IN_KNOWLEDGE
    )
    assessment.refresh_from_db()
    assessment.horizon_scan.all().delete()
    HorizonScanItem.objects.bulk_create(
        HorizonScanItem(
            assessment=assessment, factor=factor, issue=issue, implications=means,
            main_risk=risk, order=order,
        )
        for order, (factor, issue, means, risk) in enumerate(HORIZON_SCAN)
    )  # fmt: skip
    _plans_load(assessment)
    for label, slug in PRIORITY_THEMES.items():
        theme = assessment.partnership.themes.filter(slug=slug).first()
        assessment.purposes.filter(kind=PurposeItem.Kind.PRIORITY, label=label).update(theme=theme)
    _profile_load(assessment, area)


def _plans_load(assessment: Assessment) -> None:
    organisations = {
        o.short_name: o for o in Organisation.objects.filter(partnerships=assessment.partnership_id)
    }
    for chapter in assessment.chapters.all():
        for order, recommendation in enumerate(chapter.recommendations.all(), start=1):
            lead, due_by, measure = RECOMMENDATION_PLANS.get((chapter.slug, order), (None,) * 3)
            recommendation.lead_organisation = organisations.get(lead) if lead else None
            recommendation.due_by = due_by
            recommendation.success_measure = measure or ""
            recommendation.save(update_fields=["lead_organisation", "due_by", "success_measure"])


def _profile_load(assessment: Assessment, area: Geography) -> None:
    partnership = assessment.partnership
    batch = fresh_demo_batch(partnership, "demo-profile", "demo/front_matter.py")
    rows = []
    for code, name, unit, year, value in PROFILE:
        indicator, _ = Indicator.objects.update_or_create(
            partnership=partnership,
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "source": "English indices of deprivation and ONS estimates (demo figures)",
                "increase_is_bad": False,
                "is_profile": True,
            },
        )
        period = Period.calendar_year(year)
        rows.append(
            Observation(
                indicator=indicator, batch=batch, geography=area,
                period_type=period.type, period_start=period.start, value=value,
            )
        )  # fmt: skip
    Observation.objects.bulk_create(rows)
    batch.row_count = len(rows)
    batch.save(update_fields=["row_count"])
