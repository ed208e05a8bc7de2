"""Pages of the site. Each view parses, asks permissions.py and the selectors, and renders.

A page the user may not see answers 404 to a logged-in user, so that a restricted object's
existence is not revealed, and sends a logged-out user to sign in.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import permissions, querysets
from .consultation_context import assessment_consultation_context, chapter_consultation_context
from .markdown import render_markdown
from .models import AppendixAccess, Assessment
from .publication_context import assessment_publication_context, chapter_publication_context
from .services.appendices import appendix_access_record, appendix_content
from .services.chapter_charts import chapter_charts
from .services.headlines import cover_headlines, figure_for
from .services.workspace import site_narrative


def refuse(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404("No such page")


def home(request: HttpRequest) -> HttpResponse:
    assessments = querysets.assessments_for_home(request.user)
    context = {"assessments": assessments, "nav": "home"}
    context["data_requests"] = permissions.data_requests_for(request.user).exists()
    return render(request, "assessments/home.html", context)


def visible_assessment(request: HttpRequest, slug: str, year: int) -> Assessment | None:
    assessment = querysets.assessment_by_url(slug, year)
    if assessment is None or not permissions.can_view_assessment(request.user, assessment):
        return None
    return assessment


def _assessment_context(request: HttpRequest, assessment: Assessment) -> dict:
    return {
        "assessment": assessment,
        "partnership": assessment.partnership,
        "role": permissions.role_in(request.user, assessment.partnership_id),
        "can_edit": permissions.can_edit_assessment(request.user, assessment),
        "can_comment": permissions.can_comment_on_assessment(request.user, assessment),
    }


def assessment_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    if assessment is None:
        return refuse(request)
    context = _assessment_context(request, assessment)
    chapters = list(querysets.chapters_for_contents(assessment))
    context |= {
        "chapters": chapters,
        "appendices": permissions.appendices_visible_to(request.user, assessment),
        "purposes": assessment.purposes.all(),
        "cover_headlines": cover_headlines(assessment),
        "can_request_public_pdf": permissions.can_request_public_export(request.user, assessment),
        "can_request_restricted_pdf": permissions.can_request_restricted_export(
            request.user, assessment
        ),
        "data_requests": permissions.data_requests_for(request.user)
        .filter(assessment=assessment)
        .exists(),
        "can_track_returns": permissions.can_manage_data_requests(request.user, assessment),
    }
    context |= assessment_consultation_context(request, assessment, chapters)
    context |= assessment_publication_context(request, assessment)
    return render(request, "assessments/assessment.html", context)


def chapter_detail(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    assessment = visible_assessment(request, slug, year)
    chapter = assessment and querysets.chapter_for_page(assessment, chapter_slug)
    if not chapter:
        return refuse(request)
    area = querysets.partnership_area(assessment.partnership_id)
    context = _assessment_context(request, assessment)
    if request.GET.get("as") == "partner" and context["can_edit"]:
        # The analyst's "view as partner": the page without the analyst's controls.
        context |= {"role": "partner", "can_edit": False, "viewing_as_partner": True}
    context |= {
        "chapter": chapter,
        "narrative": site_narrative(chapter),
        "figures": [figure_for(selection, area) for selection in chapter.selections.all()],
        "charts": chapter_charts(chapter, area),
        "recommendations": chapter.recommendations.all(),
    }
    context |= chapter_consultation_context(request, chapter, context["narrative"])
    context |= chapter_publication_context(request, chapter)
    return render(request, "assessments/chapter.html", context)


@never_cache
def appendix_detail(request: HttpRequest, slug: str, year: int, appendix_slug: str) -> HttpResponse:
    appendix = querysets.appendix_by_url(slug, year, appendix_slug)
    if not appendix or not permissions.can_view_appendix(request.user, appendix):
        return refuse(request)
    appendix_access_record(
        appendix=appendix, user=request.user, route=AppendixAccess.Route.PAGE, path=request.path
    )
    context = _assessment_context(request, appendix.assessment)
    context |= {
        "appendix": appendix,
        "narrative": render_markdown(appendix.narrative),
        "content": appendix_content(appendix),
    }
    return render(request, "assessments/appendix.html", context)
