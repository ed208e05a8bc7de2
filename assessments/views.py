"""Pages of the site. Each view parses, asks permissions.py and the selectors, and renders.

A page the user may not see answers 404 to a logged-in user, so that a restricted object's
existence is not revealed, and sends a logged-out user to sign in.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import permissions, querysets
from .markdown import render_markdown
from .models import Assessment
from .services.headlines import figure_for, headline_figures


def refuse(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404("No such page")


def home(request: HttpRequest) -> HttpResponse:
    assessments = querysets.assessments_for_home(request.user)
    return render(request, "assessments/home.html", {"assessments": assessments, "nav": "home"})


def _visible_assessment(request: HttpRequest, slug: str, year: int) -> Assessment | None:
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
    assessment = _visible_assessment(request, slug, year)
    if assessment is None:
        return refuse(request)
    context = _assessment_context(request, assessment)
    context |= {
        "chapters": querysets.chapters_for_contents(assessment),
        "appendices": permissions.appendices_visible_to(request.user, assessment),
        "purposes": assessment.purposes.all(),
        "figures": headline_figures(assessment),
        "can_request_public_pdf": permissions.can_request_public_export(request.user, assessment),
        "can_request_restricted_pdf": permissions.can_request_restricted_export(
            request.user, assessment
        ),
    }
    return render(request, "assessments/assessment.html", context)


def chapter_detail(request: HttpRequest, slug: str, year: int, chapter_slug: str) -> HttpResponse:
    assessment = _visible_assessment(request, slug, year)
    chapter = assessment and querysets.chapter_for_page(assessment, chapter_slug)
    if not chapter:
        return refuse(request)
    area = querysets.partnership_area(assessment.partnership_id)
    context = _assessment_context(request, assessment)
    context |= {
        "chapter": chapter,
        "narrative": render_markdown(chapter.narrative),
        "figures": [figure_for(selection, area) for selection in chapter.selections.all()],
        "recommendations": chapter.recommendations.all(),
    }
    return render(request, "assessments/chapter.html", context)


def appendix_detail(request: HttpRequest, slug: str, year: int, appendix_slug: str) -> HttpResponse:
    assessment = querysets.assessment_by_url(slug, year)
    appendix = assessment and assessment.appendices.filter(slug=appendix_slug).first()
    if not appendix or not permissions.can_view_appendix(request.user, appendix):
        return refuse(request)
    context = _assessment_context(request, assessment)
    context |= {"appendix": appendix, "narrative": render_markdown(appendix.narrative)}
    return render(request, "assessments/appendix.html", context)
