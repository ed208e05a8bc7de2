"""Two partnerships that share an organisation and a person, for the admin's tenancy tests.

Every text that belongs to one partnership only carries its partnership's marker word
(`MARKERS`), so a test can check that a page shown to one analyst holds no trace of the other
partnership: the word itself must not appear. Shared rows use neutral names."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.files.base import ContentFile

from assessments.appendices.models import AppendixAccess
from assessments.appendices.permissions import grant_appendix
from assessments.core.models import Membership, PurposeItem
from assessments.data_returns.models import DataRequest, DataReturn
from assessments.indicators.models import (
    Headline,
    IndicatorSelection,
    LsoaBoundary,
    LsoaBoundarySet,
)
from assessments.priorities.models import Criterion
from assessments.publication.models import BoardDecision, RecommendationOutcome, StatutoryCoverage
from assessments.reporting.models import ReportExport

from .factories import (
    AppendixFactory,
    AssessmentFactory,
    ChapterFactory,
    CommentFactory,
    GeographyFactory,
    ImportBatchFactory,
    IndicatorFactory,
    ObservationFactory,
    OrganisationFactory,
    PartnershipFactory,
    RecommendationFactory,
    ThemeFactory,
    member,
)

# One unusual word per partnership: pages of the other partnership's analyst never contain it.
MARKERS = {"a": "Ambergate", "b": "Bramblewick"}
SHARED_ORGANISATION = "Shared Constabulary"
SHARED_PERSON = "shared-person"


def _side(key: str, partnership, shared_org) -> dict:
    """One partnership's records, one of each kind the admin shows, each named with its marker."""
    word = MARKERS[key]
    own_org = OrganisationFactory(name=f"{word} Council", kind="council")
    own_org.partnerships.add(partnership)
    analyst = member(
        partnership,
        "analyst",
        username=f"{key}-analyst",
        is_staff=True,
        first_name=f"{word}",
        last_name="Analyst",
        organisation=own_org,
    )
    partner = member(
        partnership,
        "partner",
        username=f"{word.lower()}-partner",
        first_name=f"{word}son",
        last_name="Partner",
        organisation=own_org,
        email=f"{word.lower()}@example.org",
    )
    assessment = AssessmentFactory(
        partnership=partnership, title=f"{word} Assessment 2017", status="consultation"
    )
    theme = ThemeFactory(partnership=partnership, name=f"{word} theme", slug=f"{key}-theme")
    chapter = ChapterFactory(
        assessment=assessment,
        theme=theme,
        title=f"{word} chapter",
        slug=f"{key}-chapter",
        narrative=f"{word} narrative.",
        lead_organisation=own_org,
    )
    recommendation = RecommendationFactory(chapter=chapter, text=f"{word} recommendation.")
    appendix = AppendixFactory(
        assessment=assessment,
        title=f"{word} appendix",
        slug=f"{key}-appendix",
        narrative=f"{word} restricted text.",
    )
    grant_appendix(appendix, organisation=own_org)
    grant_appendix(appendix, user=partner)
    access = AppendixAccess.objects.create(
        partnership=partnership,
        appendix=appendix,
        appendix_title=appendix.title,
        user=partner,
        username=partner.username,
        route=AppendixAccess.Route.PAGE,
        path=f"/{word}/",
    )
    comment = CommentFactory(chapter=chapter, author=partner, body=f"{word} comment.")
    indicator = IndicatorFactory(
        partnership=partnership, code=f"{key}-crime", name=f"{word} crime", source=f"{word} police"
    )
    geography = GeographyFactory(partnership=partnership, name=f"{word} town", code=f"E0{key}")
    batch = ImportBatchFactory(
        partnership=partnership, key=f"{word}-batch", file_name=f"{word}.csv"
    )
    observation = ObservationFactory(indicator=indicator, geography=geography, batch=batch)
    boundary_set = LsoaBoundarySet.objects.create(
        partnership=partnership, vintage=2021, name=f"{word} LSOAs", attribution=f"{word} credit"
    )
    LsoaBoundary.objects.create(
        boundary_set=boundary_set,
        code="E01000001",
        name=f"{word} 001A",
        polygons=[[[[0, 0], [0, 10], [10, 10], [0, 0]]]],
        vertices=4,
    )
    selection = IndicatorSelection.objects.create(
        chapter=chapter,
        indicator=indicator,
        current_period_start=dt.date(2016, 4, 1),
        caveat=f"{word} caveat",
    )
    headline = Headline.objects.create(
        assessment=assessment, selection=selection, text=f"{word} headline"
    )
    purpose = PurposeItem.objects.create(
        assessment=assessment, kind="priority", label=f"{word} priority"
    )
    coverage = StatutoryCoverage.objects.create(
        assessment=assessment, requirement="levels", note=f"{word} coverage"
    )
    decision = BoardDecision.objects.create(
        assessment=assessment,
        met_on=dt.date(2017, 6, 4),
        priorities=f"{word} priorities",
        notes=f"{word} notes",
    )
    outcome = RecommendationOutcome.objects.create(
        decision=decision, recommendation=recommendation, outcome="adopted", notes=f"{word} outcome"
    )
    criterion = Criterion.objects.create(
        assessment=assessment,
        name=f"{word} criterion",
        question=f"{word} question?",
        level_1=f"{word} low",
        level_2="Some",
        level_3="Much",
        level_4="Most",
    )
    request = DataRequest.objects.create(
        assessment=assessment,
        organisation=own_org,
        title=f"{word} data request",
        first_period_start=dt.date(2016, 4, 1),
        last_period_start=dt.date(2017, 3, 1),
        due_on=dt.date(2017, 5, 1),
    )
    request.indicators.add(indicator)
    request.contacts.add(partner)
    data_return = DataReturn(
        request=request, original_name=f"{word}-return.csv", uploaded_by=partner
    )
    data_return.file.save(f"{key}.csv", ContentFile(f"{word}\n".encode()))
    export = ReportExport.objects.create(
        assessment=assessment, requested_by=analyst, variant=ReportExport.Variant.RESTRICTED
    )
    sign_in = {"username": partner.username, "ip_address": "192.0.2.1", "user_agent": word,
               "http_accept": "*/*", "path_info": f"/{word}/"}  # fmt: skip
    return {
        "accessattempt": AccessAttempt.objects.create(
            **sign_in, get_data="", post_data="", failures_since_start=1
        ),
        "accesslog": AccessLog.objects.create(**sign_in),
        "accessfailurelog": AccessFailureLog.objects.create(**sign_in),
        "word": word,
        "partnership": partnership,
        "analyst": analyst,
        "organisation": own_org,
        "user": partner,
        "assessment": assessment,
        "theme": theme,
        "chapter": chapter,
        "recommendation": recommendation,
        "appendix": appendix,
        "appendixaccess": access,
        "comment": comment,
        "indicator": indicator,
        "geography": geography,
        "importbatch": batch,
        "observation": observation,
        "lsoaboundaryset": boundary_set,
        "indicatorselection": selection,
        "headline": headline,
        "purposeitem": purpose,
        "statutorycoverage": coverage,
        "boarddecision": decision,
        "recommendationoutcome": outcome,
        "datarequest": request,
        "datareturn": data_return,
        "reportexport": export,
        "criterion": criterion,
        "membership": Membership.objects.get(user=partner, partnership=partnership),
    }


def tenancy_world() -> dict:
    """Partnerships a and b; a police force in both; a person who is a partner of a and chair
    of b; an operator (superuser) who is also a board member of a."""
    alpha = PartnershipFactory(slug="alpha", name="Ambergate Partnership", area_name="Ambergate")
    beta = PartnershipFactory(slug="beta", name="Bramblewick Partnership", area_name="Bramblewick")
    shared_org = OrganisationFactory(name=SHARED_ORGANISATION, kind="police")
    shared_org.partnerships.add(alpha, beta)
    world = {"a": _side("a", alpha, shared_org), "b": _side("b", beta, shared_org)}
    shared = member(
        alpha,
        "partner",
        username=SHARED_PERSON,
        first_name="Sam",
        last_name="Shared",
        email="sam@example.org",
        organisation=shared_org,
    )
    Membership.objects.create(user=shared, partnership=beta, role="chair")
    operator = member(
        alpha,
        "board",
        username="operator",
        first_name="Olive",
        last_name="Operator",
        is_staff=True,
        is_superuser=True,
        organisation=shared_org,
    )
    world.update(shared_organisation=shared_org, shared_person=shared, operator=operator)
    return world
