"""Every route that can reveal a restricted appendix, for every role.

Each cell makes the request and checks what the person would get: the appendix (200 with its
text), a page without it (200, no trace of it), or a refusal (404, or a redirect to sign in or to
the admin index) whose body never contains the appendix's text.

`test_every_url_pattern_is_classified` walks the URL resolver: a new route fails it until it is
added to ROUTES below or, with the reason, to the routes that cannot show an appendix.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments.appendices.models import Appendix, AppendixAccess
from assessments.appendices.permissions import grant_appendix
from assessments.appendices.services import appendix_access_record
from assessments.core.models import Chapter
from assessments.indicators.models import ChapterMap, GridCount
from assessments.priorities.services.criteria import criteria_defaults_create
from assessments.reporting.models import ReportExport

from .factories import (
    AppendixFactory,
    AssessmentFactory,
    ChapterFactory,
    ImportBatchFactory,
    IndicatorFactory,
    MembershipFactory,
    UserFactory,
    member,
    set_status,
)
from .url_patterns import url_patterns

pytestmark = pytest.mark.django_db

TITLE = "Appendix Z: Testville estates"
NARRATIVE = "Restricted narrative about Fishermead."

ROLES = [
    "anonymous",
    "police_partner",  # granted through the police organisation
    "police_colleague",  # another member of the police organisation: the same grant
    "fire_partner",  # a partner whose organisation is not granted
    "individual_grantee",  # a board member granted by name
    "chair",
    "analyst",
    "other_analyst",  # the analyst of another partnership
]

SEES = "sees the appendix"
WITHOUT = "200 without the appendix"
REFUSED = "refused"
GOES_TO_APPENDIX = "redirected to the appendix page"

SITE = {
    "anonymous": REFUSED,
    "police_partner": SEES,
    "police_colleague": SEES,
    "fire_partner": REFUSED,
    "individual_grantee": SEES,
    "chair": SEES,
    "analyst": SEES,
    "other_analyst": REFUSED,
}
ASSESSMENT_PAGE = SITE | {"fire_partner": WITHOUT}
ADMIN = {role: REFUSED for role in ROLES} | {"analyst": SEES}
ADMIN_LIST = ADMIN | {"other_analyst": WITHOUT}
VIEW_ON_SITE = ADMIN | {"analyst": GOES_TO_APPENDIX}
# A restricted PDF containing the appendix: its file goes to exactly the people who may see the
# appendix now; its progress page shows no appendix text, to the same people.
EXPORT_FILE = SITE
EXPORT_STATUS = {role: WITHOUT if seen == SEES else seen for role, seen in SITE.items()}
# A personal copy (issue 29, finding 3) names its recipient on every page: it and its progress
# page are the recipient's alone, not their colleague's, the chair's or the analyst's.
PERSONAL_FILE = {role: REFUSED for role in ROLES} | {"police_partner": SEES}
PERSONAL_STATUS = PERSONAL_FILE | {"police_partner": WITHOUT}


@pytest.fixture
def world(partnership, police_org, police_partner, fire_partner, chair, analyst, other_analyst):
    assessment = AssessmentFactory(partnership=partnership, status="consultation")
    appendix = AppendixFactory(
        assessment=assessment, slug="estates", title=TITLE, narrative=NARRATIVE,
        kind=Appendix.Kind.HOTSPOTS,
    )  # fmt: skip
    _hotspot_map(assessment)
    individual = UserFactory(username="individual")
    MembershipFactory(user=individual, partnership=partnership, role="board")
    grant_appendix(appendix, organisation=police_org)
    grant_appendix(appendix, user=individual)
    access = appendix_access_record(
        appendix=appendix, user=police_partner, route=AppendixAccess.Route.PAGE, path="/"
    )
    _log_appendix_added_in_admin(analyst, assessment)
    export = ReportExport.objects.create(
        assessment=assessment,
        variant=ReportExport.Variant.RESTRICTED,
        audience=[appendix.pk],
        status=ReportExport.Status.DONE,
        requested_by=police_partner,
    )
    export.file.save("restricted.pdf", ContentFile(f"%PDF-1.7 {TITLE} {NARRATIVE}".encode()))
    personal_copy = ReportExport.objects.create(
        assessment=assessment,
        variant=ReportExport.Variant.RESTRICTED,
        audience=[appendix.pk],
        status=ReportExport.Status.DONE,
        requested_by=police_partner,
        recipient=police_partner,
        copy_id="c0py1d",
    )
    personal_copy.file.save("copy.pdf", ContentFile(f"%PDF-1.7 {TITLE} {NARRATIVE}".encode()))
    colleague = member(partnership, "partner", username="colleague", organisation=police_org)
    return {
        "assessment": assessment,
        "appendix": appendix,
        "access": access,
        "export": export,
        "personal_copy": personal_copy,
        "police_partner": police_partner,
        "police_colleague": colleague,
        "fire_partner": fire_partner,
        "individual_grantee": individual,
        "chair": chair,
        "analyst": analyst,
        "other_analyst": other_analyst,
        "police_org": police_org,
    }


def _hotspot_map(assessment) -> None:
    """A chapter's hotspot map with one square of the grid: the appendix (of kind "Hotspots by
    neighbourhood") draws it, with a CSV at `…/maps/hotspots-grid.csv`."""
    chapter = ChapterFactory(assessment=assessment, slug="hotspots", title="Burglary")
    ChapterMap.objects.create(
        chapter=chapter, crime_types=["Burglary"],
        first_month=dt.date(2024, 1, 1), last_month=dt.date(2024, 1, 1),
    )  # fmt: skip
    partnership = assessment.partnership
    GridCount.objects.create(
        batch=ImportBatchFactory(partnership=partnership),
        indicator=IndicatorFactory(partnership=partnership, code="police-uk-burglary"),
        month=dt.date(2024, 1, 1), cell_metres=250, easting=485000, northing=238000, count=3,
    )  # fmt: skip


def _log_appendix_added_in_admin(analyst, assessment) -> None:
    """What admin records when the analyst adds the appendix inline on the assessment's page."""
    LogEntry.objects.create(
        user=analyst,
        content_type=ContentType.objects.get_for_model(assessment),
        object_id=str(assessment.pk),
        object_repr=str(assessment),
        action_flag=CHANGE,
        change_message=json.dumps([{"added": {"name": "appendix", "object": TITLE}}]),
    )


def _site(name, *extra):
    def url(w):
        a = w["appendix"]
        args = [a.assessment.partnership.slug, a.assessment.year, a.slug, *extra]
        return reverse(name, args=args)

    return url


def _admin(name, *extra):
    def url(w):
        args = [w["appendix"].pk, *(get(w) for get in extra)]
        return reverse(f"admin:assessments_appendix_{name}", args=args)

    return url


def _admin_of(name, key):
    def url(w):
        return reverse(f"admin:assessments_{name}", args=[w[key].pk])

    return url


def _view_on_site(name):
    def url(w):
        content_type = ContentType.objects.get_for_model(w["appendix"])
        return reverse(name, args=[content_type.pk, w["appendix"].pk])

    return url


def _assessment(w):
    return w["assessment"].get_absolute_url()


def _export(name, export="export"):
    def url(w):
        a = w["assessment"]
        return reverse(name, args=[a.partnership.slug, a.year, w[export].token])

    return url


def _latest_version(w):
    return w["appendix"].history.latest("history_date").history_id


# Route name → (how to build its address for the world above, what each role gets).
ROUTES = {
    "appendix": (_site("appendix"), SITE),
    "appendix_csv": (_site("appendix_csv"), SITE),
    "appendix_xlsx": (_site("appendix_xlsx"), SITE),
    "appendix_map_csv": (_site("appendix_map_csv", "hotspots-grid"), SITE),
    "assessment": (_assessment, ASSESSMENT_PAGE),
    "admin:assessments_appendix_changelist": (
        lambda w: reverse("admin:assessments_appendix_changelist"),
        ADMIN_LIST,
    ),
    "admin:assessments_appendix_change": (_admin("change"), ADMIN),
    "admin:assessments_appendix_delete": (_admin("delete"), ADMIN),
    "admin:assessments_appendix_history": (_admin("history"), ADMIN),
    "admin:assessments_appendix_simple_history": (
        _admin("simple_history", _latest_version),
        ADMIN,
    ),
    "admin:assessments_appendix_permissions": (_admin("permissions"), ADMIN),
    "admin:assessments_appendix_permissions_manage_user": (
        _admin("permissions_manage_user", lambda w: w["police_partner"].pk),
        ADMIN,
    ),
    "admin:assessments_appendix_permissions_manage_group": (
        _admin("permissions_manage_group", lambda w: w["police_org"].group_id),
        ADMIN,
    ),
    # The assessment's admin page lists its appendices inline; its history names them.
    "admin:assessments_assessment_change": (_admin_of("assessment_change", "assessment"), ADMIN),
    "admin:assessments_assessment_history": (_admin_of("assessment_history", "assessment"), ADMIN),
    "admin:assessments_appendixaccess_changelist": (
        lambda w: reverse("admin:assessments_appendixaccess_changelist"),
        ADMIN_LIST,
    ),
    "admin:assessments_appendixaccess_change": (
        _admin_of("appendixaccess_change", "access"),
        ADMIN,
    ),
    "admin:assessments_appendixaccess_history": (
        _admin_of("appendixaccess_history", "access"),
        ADMIN,
    ),
    # Our scoped "view on site" is mounted in front of admin's own: both names reach it.
    "view_on_site_in_scope": (_view_on_site("view_on_site_in_scope"), VIEW_ON_SITE),
    "admin:view_on_site": (_view_on_site("admin:view_on_site"), VIEW_ON_SITE),
    "export_status": (_export("export_status"), EXPORT_STATUS),
    "export_download": (_export("export_download"), EXPORT_FILE),
    "export_status of a personal copy": (
        _export("export_status", "personal_copy"),
        PERSONAL_STATUS,
    ),
    "export_download of a personal copy": (
        _export("export_download", "personal_copy"),
        PERSONAL_FILE,
    ),
}

# Models whose admin pages cannot show an appendix, and why.
ADMIN_MODELS_WITHOUT_APPENDICES = {
    ("auth", "group"): "groups only; analysts have no access to Django's group admin",
    ("assessments", "partnership"): "partnership details",
    ("assessments", "organisation"): "organisations",
    ("assessments", "user"): "people and their roles",
    ("assessments", "theme"): "themes",
    ("assessments", "chapter"): "chapters and their history",
    ("assessments", "recommendation"): "recommendations",
    ("assessments", "geography"): "places; the analyst's own partnership only",
    ("assessments", "indicator"): "indicators",
    ("assessments", "importbatch"): "import batches",
    ("assessments", "observation"): "raw figures; the analyst's own partnership only",
    ("assessments", "lsoaboundaryset"): "LSOA outlines for maps; the analyst's partnership only",
    ("assessments", "headline"): "headlines of the public chapters",
    ("assessments", "comment"): "comments on chapters and the horizon scan: appendix comments "
    "are outside its scope",
    ("assessments", "reportexport"): "export jobs: appendix ids only, files served elsewhere",
    ("assessments", "datarequest"): "data requests and their uploads: indicators and files",
    ("assessments", "boarddecision"): "the board's decisions on chapter recommendations",
    ("assessments", "criterion"): "the questions of the priority matrix",
    ("assessments", "indicatorselection"): "a chapter's indicators, periods and places",
    ("assessments", "statutorycoverage"): "the statutory checklist: requirements and chapters",
    ("axes", "accessattempt"): "sign-in attempts; operators only (Django model permissions)",
    ("axes", "accesslog"): "sign-in log; operators only",
    ("axes", "accessfailurelog"): "failed sign-ins; operators only",
}
# Other routes that cannot show an appendix, and why.
ROUTES_WITHOUT_APPENDICES = {
    "home": "lists assessments, not appendices",
    "chapter": "a chapter page",
    "login": "sign-in form",
    "logout": "sign-out",
    "admin:index": "list of admin sections",
    "admin:app_list": "list of admin sections",
    "admin:login": "sign-in form",
    "admin:logout": "sign-out",
    "admin:password_change": "own password",
    "admin:password_change_done": "own password",
    "admin:jsi18n": "translations",
    "admin:autocomplete": "answers from scoped querysets; no appendix autocomplete field",
    "admin:auth_user_password_change": "a user's password",
    "admin:assessments_assessment_changelist": "assessment titles",
    "admin:assessments_assessment_add": "empty form",
    "admin:assessments_assessment_delete": "lists related objects, like the change page (below)",
    "admin:assessments_appendix_add": "empty form",
    "admin:assessments_appendixaccess_add": "the log is read-only: 403 for everyone",
    "admin:assessments_appendixaccess_delete": "the log is read-only: 403 for everyone",
    "admin/(?P<url>.*)$": "admin's catch-all: redirects to sign in or answers 404",
    "two_factor": "the second sign-in step",
    "keep_alive": "answers 204 with no body",
    "healthz": "ok/unavailable, or health details for analysts",
    "privacy": "the privacy notice",
    "password_reset": "password reset form",
    "password_reset_done": "password reset message",
    "password_reset_confirm": "new password form",
    "password_reset_complete": "password reset message",
    "transition": "workflow form: status and dates only",
    "feedback": "comments on chapters and the horizon scan (the selector filters on the "
    "comment's assessment)",
    "feedback_export": "comments on chapters and the horizon scan, as the feedback page",
    "chapter_comments": "a chapter's comments, and posts one",
    "horizon_comments": "the horizon scan's comments, and posts one (tests/consultation/"
    "test_horizon_comments.py)",
    "comment_link": "redirects to where a comment on a chapter or the horizon scan shows",
    "recommendation_response": "a recommendation of a chapter",
    "comment_edit": "comments on chapters and the horizon scan only",
    "comment_delete": "comments on chapters and the horizon scan only",
    "comment_resolve": "comments on chapters and the horizon scan only",
    "people": "the partnership's members",
    "member_deactivate": "POST only: deactivates a member",
    "invitation_accept": "sets a password",
    "notification_settings": "the user's email preference",
    "accessibility": "the accessibility statement",
    "cover_paper": "counts the appendices and names their kinds, never titles or content",
    "chapter_compare": "a chapter against last year's and its approved version",
    "board_meeting": "links, comment counts and answers to chapter recommendations; posts the "
    "board's decision (the chair and the analyst only: tests/publication/"
    "test_board_meeting_form.py)",
    "chapter_chart_csv": "a chapter chart's figures (small numbers suppressed)",
    "edition": "a published edition's public document: appendices are frozen apart from it",
    "edition_chapter": "a chapter of a published edition's public document",
    "edition_chart_csv": "a chart's figures as a published edition holds them",
    "edition_pdf": "a published edition's public PDF (never an appendix), or that it is coming",
    "export_request": "POST only: asks for a document, delivered by export_download (above)",
    "data_requests": "the organisation's data requests",
    "data_request": "one data request: its indicators, guidance and uploads",
    "data_request_template": "a template of indicator codes and periods",
    "data_return_upload": "POST only: the preview of the organisation's own figures",
    "data_return_confirm": "POST only: stores the figures",
    "data_return_file": "a partner's uploaded figures",
    "data_returns_tracking": "the analyst's matrix of data requests",
    "data_request_send": "POST only: emails a data request",
    "data_return_correction": "a form asking a partner to correct a return",
    "dashboard": "per-chapter counts, consultation and exports (analyst and chair only)",
    "chase_silent": "POST only: emails silent organisations a reminder (analyst only)",
    "chapter_edit": "a chapter's narrative and figures (analyst only)",
    "chapter_preview": "POST only: renders the posted Markdown (analyst only)",
    "assessment_text_edit": "the report's introduction, executive summary or gaps in "
    "knowledge (analyst only)",
    "assessment_text_preview": "POST only: renders the posted Markdown (analyst only)",
    "figure_upload": "POST only: adds a chapter figure (analyst only)",
    "chapter_comparators": "POST only: the places a chapter's figures are compared with "
    "(analyst only)",
    "chapter_pdf_preview": "POST only: a public chapter preview, delivered by export_download",
    "chapter_figure": "a chapter figure's image",
    # The priority matrix (issue 20): themes, criteria and scores, never appendices; who gets
    # each page is PRIORITY_ROUTES below.
    "priorities": "the ranking and the scores of chapters' themes",
    "priorities_score": "an organisation's scores of the chapters' themes",
    "priorities_score_theme": "an organisation's scores of one chapter's theme",
    "priorities_override": "POST only: the analyst's score of a chapter's theme",
    "priorities_chase": "POST only: emails organisations that have not scored (analyst only)",
    "priorities_matrix_csv": "the matrix chart's table of themes",
}
# admin/<model>/<id>/ redirects to the change page with the same id, which the matrix covers.
ADMIN_CHANGE_REDIRECT = re.compile(r"^admin/\w+/\w+/<path:object_id>/$")
ADMIN_NAME = re.compile(r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_\w+$")


def _sign_in(client, world, role):
    if role != "anonymous":
        client.force_login(world[role])


REFUSAL_REDIRECTS = {"/accounts/login/", "/admin/login/", "/admin/"}


def _body(response) -> str:
    """The response's text; a workbook's cells, since an XLSX is a zip."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").endswith("spreadsheetml.sheet"):
        sheet = load_workbook(io.BytesIO(raw)).active
        return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    return raw.decode(errors="replace")


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, role, route):
    build_url, expected = ROUTES[route]
    _sign_in(client, world, role)
    response = client.get(build_url(world))
    body = _body(response)
    outcome = expected[role]
    if outcome == SEES:
        assert response.status_code == 200
        assert TITLE in body or NARRATIVE in body
        return
    assert TITLE not in body and NARRATIVE not in body
    if outcome == WITHOUT:
        assert response.status_code == 200
    elif outcome == GOES_TO_APPENDIX:
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == world["appendix"].get_absolute_url()
    else:
        assert response.status_code in (302, 404), response.status_code
        if response.status_code == 302:
            assert urlsplit(response["Location"]).path in REFUSAL_REDIRECTS


def _classified(name: str | None, route: str) -> bool:
    if name in ROUTES or name in ROUTES_WITHOUT_APPENDICES or route in ROUTES_WITHOUT_APPENDICES:
        return True
    if name is None:
        return bool(ADMIN_CHANGE_REDIRECT.match(route))
    admin_page = ADMIN_NAME.match(name)
    return bool(admin_page) and (admin_page["app"], admin_page["model"]) in (
        ADMIN_MODELS_WITHOUT_APPENDICES
    )


def test_every_url_pattern_is_classified():
    patterns = list(url_patterns())
    unclassified = [(name, route) for name, route in patterns if not _classified(name, route)]
    assert unclassified == [], (
        "Add these routes to the permission matrix (ROUTES), or say why they cannot show an "
        f"appendix: {unclassified}"
    )
    names = {name for name, _ in patterns}
    routes = {route.split(" of ")[0] for route in ROUTES}  # "export_status of a personal copy"
    assert routes <= names, "The matrix lists routes that no longer exist"


def test_admin_view_on_site_is_the_scoped_one(world):
    url = _view_on_site("admin:view_on_site")(world)
    assert url == _view_on_site("view_on_site_in_scope")(world)


def test_the_access_log_cannot_be_edited_or_deleted(client, world):
    client.force_login(world["analyst"])
    access = world["access"]
    delete = reverse("admin:assessments_appendixaccess_delete", args=[access.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:assessments_appendixaccess_add")).status_code == 403
    assert AppendixAccess.objects.filter(pk=access.pk).exists()


# The priority matrix's pages (issue 20), for the same roles, during consultation: the ranking
# is for the partnership's members, the scoring for partners and board members (each for their
# own organisation), overrides and chasing for the analyst. Anyone else: 404, or sign in.
SIGN_IN = 302
MEMBERS_SEE = {role: 200 for role in ROLES} | {"anonymous": SIGN_IN, "other_analyst": 404}
# The board member granted by name belongs to an organisation that is not one of the
# partnership's: it was never asked to score, so its member cannot score for it.
PARTNERS_SCORE = MEMBERS_SEE | {"chair": 404, "analyst": 404, "individual_grantee": 404}
# The ranking's table waits for a scoring organisation to have scored every theme (the results
# page then says why it is not shown); here nobody has scored yet.
RANKING_SEEN = MEMBERS_SEE | {"police_partner": 404, "police_colleague": 404, "fire_partner": 404}
ANALYST_ACTS = {role: 404 for role in ROLES} | {"anonymous": SIGN_IN, "analyst": 302}
PRIORITY_ROUTES = {
    "priorities": ("get", MEMBERS_SEE),
    "priorities_matrix_csv": ("get", RANKING_SEEN),
    "priorities_score": ("get", PARTNERS_SCORE),
    "priorities_score_theme": ("get", PARTNERS_SCORE),
    "priorities_override": ("post", ANALYST_ACTS),
    "priorities_chase": ("post", ANALYST_ACTS),
}


@pytest.mark.parametrize("route", PRIORITY_ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_priorities_matrix(client, world, role, route):
    assessment = world["assessment"]
    criteria_defaults_create(assessment=assessment)
    method, expected = PRIORITY_ROUTES[route]
    _sign_in(client, world, role)
    theme = ChapterFactory(assessment=assessment, kind=Chapter.Kind.THEME)
    args = [assessment.partnership.slug, assessment.year]
    if route == "priorities_score_theme":
        args.append(theme.slug)
    response = getattr(client, method)(reverse(route, args=args))
    assert response.status_code == expected[role], f"{role} {method} {route}"
    if expected[role] == SIGN_IN and role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_the_working_priorities_stay_with_the_members_after_publication(client, world):
    assessment = world["assessment"]
    criteria_defaults_create(assessment=assessment)
    url = reverse("priorities", args=[assessment.partnership.slug, assessment.year])
    assert client.get(url).status_code == SIGN_IN
    set_status(assessment, "published")  # the public read the ranking in the edition
    assert client.get(url).status_code == SIGN_IN
    score_url = reverse("priorities_score", args=[assessment.partnership.slug, assessment.year])
    assert client.get(score_url).status_code == SIGN_IN
