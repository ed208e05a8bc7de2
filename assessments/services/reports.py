"""The assessment as a PDF: the document's HTML, export requests and the rendering job.

An export is identified by what it contains: a hash of every input of the document (rows, import
batches, design files, renderer version) and its audience, the ids of the restricted appendices
in it. An identical request for unchanged content reuses the stored file (or the job already
under way) instead of rendering again. The job runs in a Celery worker: it claims the row with a
lease that every progress update renews, so a row left `running` by a worker that died is
rendered again once its lease has run out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import mimetypes
import time
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache, partial
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from .. import permissions, querysets
from ..context_processors import SERVICE_NAME
from ..markdown import Rendered, render_markdown
from ..models import (
    Appendix,
    Assessment,
    Chapter,
    ChapterFigure,
    Geography,
    ImportBatch,
    IndicatorSelection,
    Recommendation,
    ReportExport,
    User,
)
from .cover_paper import cover_paper_html
from .headlines import HeadlineFigure, figure_for
from .workspace import figure_html, narrative_with_figures

logger = logging.getLogger(__name__)

Variant = ReportExport.Variant
Status = ReportExport.Status

STYLESHEET = "assessments/pdf.css"
RENDERER = f"WeasyPrint {version('weasyprint')}"
# Renewed on every progress update: a live render never loses it, a dead one frees the row soon.
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 3
# What publishing raises when the broker is down (kombu wraps connection errors in this).
BROKER_ERRORS = (BrokerOperationalError, OSError)
PROGRESS_INTERVAL = 0.25
# Until a first render tells us, assume this much HTML fills a page (demo assessment: ~2.6 kB).
HTML_BYTES_PER_PAGE = 2600


# The document ------------------------------------------------------------------------------


@dataclass
class ReportSection:
    """A chapter or an appendix as the PDF shows it."""

    anchor: str
    narrative: Rendered
    chapter: Chapter | None = None
    appendix: Appendix | None = None
    figures: list[HeadlineFigure] = field(default_factory=list)
    recommendations: list = field(default_factory=list)


@dataclass(frozen=True)
class ReportIdentity:
    """What makes two exports the same document."""

    content_hash: str
    audience: list[int]


def report_appendices(*, user: User, assessment: Assessment, variant: str) -> list[Appendix]:
    """The public variant has no appendices; the restricted one exactly those the user may view."""
    if variant == Variant.PUBLIC:
        return []
    return permissions.appendices_visible_to(user, assessment)


# A process renders the same narratives again and again; the key is the Markdown text itself.
_render_markdown = lru_cache(maxsize=512)(render_markdown)


def _narrative(chapter: Chapter) -> Rendered:
    """The chapter's narrative with its figures inlined as data: URIs (the PDF fetches nothing
    from storage)."""
    figures = list(chapter.images.all())
    if not figures:
        return _render_markdown(chapter.narrative)
    return narrative_with_figures(
        chapter.narrative, {f.number: figure_html(f, figure_data_uri(f)) for f in figures}
    )


def figure_data_uri(figure: ChapterFigure) -> str:
    with figure.image.open("rb") as stream:
        return data_uri(stream.read(), figure.image.name)


def _chapter_sections(assessment: Assessment, only: Chapter | None = None) -> list[ReportSection]:
    area = querysets.partnership_area(assessment.partnership_id)
    chapters = querysets.chapters_for_report(assessment).prefetch_related("images")
    if only is not None:
        chapters = chapters.filter(pk=only.pk)
    return [
        ReportSection(
            anchor=f"chapter-{chapter.slug}",
            chapter=chapter,
            narrative=_narrative(chapter),
            figures=[figure_for(selection, area) for selection in chapter.selections.all()],
            recommendations=list(chapter.recommendations.all()),
        )
        for chapter in chapters
    ]


def _appendix_sections(appendices: list[Appendix]) -> list[ReportSection]:
    return [
        ReportSection(
            anchor=f"appendix-{appendix.slug}",
            appendix=appendix,
            narrative=_render_markdown(appendix.narrative),
        )
        for appendix in appendices
    ]


def data_uri(content: bytes, file_name: str) -> str:
    media_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


def _logo(assessment: Assessment) -> str | None:
    """The partnership's logo from storage, inlined: the renderer fetches nothing from storage."""
    logo = assessment.partnership.logo
    if not logo:
        return None
    with logo.open("rb") as stream:
        return data_uri(stream.read(), logo.name)


def report_html(
    *,
    assessment: Assessment,
    variant: str,
    appendices: list[Appendix],
    chapter: Chapter | None = None,
) -> str:
    """The complete, self-contained HTML of the report (stylesheet and images inline), or of
    one chapter alone for the analyst's preview."""
    from .. import pdf  # WeasyPrint loads only where a document is rendered.

    is_restricted = variant == Variant.RESTRICTED
    chapters = _chapter_sections(assessment, chapter)
    context = {
        "is_chapter_preview": chapter is not None,
        "assessment": assessment,
        "partnership": assessment.partnership,
        "document_title": f"{assessment.partnership.name}: {assessment.title}",
        "variant_label": "Restricted" if is_restricted else "Public",
        "is_restricted": is_restricted,
        "is_draft": assessment.status in (Assessment.Status.DRAFT, Assessment.Status.CONSULTATION),
        "service_name": SERVICE_NAME,
        "stylesheet": pdf.static_text(STYLESHEET),
        "logo": _logo(assessment),
        # The headline figures are every chapter's figures, in order (as headline_figures()).
        "figures": [figure for section in chapters for figure in section.figures],
        "chapters": chapters,
        "appendices": _appendix_sections(appendices if is_restricted else []),
    }
    return render_to_string("pdf/report.html", context)


# The HTML of each kind of export. The same job machinery renders them all: the cover paper and
# the chapter preview add their builders here (and their inputs to report_identity).
DOCUMENTS = {
    ReportExport.Kind.FULL_REPORT: report_html,
    ReportExport.Kind.CHAPTER_PREVIEW: report_html,
    ReportExport.Kind.COVER_PAPER: cover_paper_html,
}


def render_report(*, assessment: Assessment, variant: str, appendices: list[Appendix]):
    """HTML and PDF of the report, synchronously (for scripts and benchmarks)."""
    from .. import pdf

    html = report_html(assessment=assessment, variant=variant, appendices=appendices)
    return html, pdf.render_pdf(html)


# What the document is made of ----------------------------------------------------------------
# The content hash covers every input of report_html(): the rows it shows, the import batches
# its figures come from, the design files and the renderer's version. It is computed from the
# rows rather than the finished HTML so that a repeated request answers in a few queries (the
# HTML of a 100-page report takes a quarter of a second to build). Anything new that the PDF
# shows must be added here, or an identical request would reuse an outdated file.

DESIGN_TEMPLATES = (
    "pdf",
    "assessments/includes/figures_table.html",
    "assessments/includes/cover_paper_body.html",
    "assessments/includes/cover_paper_boxes.html",
    "assessments/includes/statutory_checklist.html",
)
SELECTION_FIELDS = (
    "pk", "chapter_id", "order", "period_type", "current_period_start",
    "comparison_period_start", "caveat", "indicator_id", "indicator__name", "indicator__source",
    "indicator__unit", "indicator__measure", "indicator__aggregation", "share_of_id",
    "share_of__name", "share_of__aggregation",
)  # fmt: skip


def _design_digest() -> str:
    """The templates and stylesheet of the PDF, as a hash: a new design renders again."""
    from .. import pdf

    digest = hashlib.sha256(RENDERER.encode())
    templates = Path(settings.BASE_DIR) / "templates"
    for name in DESIGN_TEMPLATES:
        path = templates / name
        for file in sorted(path.rglob("*.html")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    digest.update(pdf.static_text(STYLESHEET).encode())
    return digest.hexdigest()


def report_identity(
    *,
    assessment: Assessment,
    variant: str,
    appendices: list[Appendix],
    kind: str = ReportExport.Kind.FULL_REPORT,
    chapter: Chapter | None = None,
) -> ReportIdentity:
    audience = sorted(a.pk for a in appendices) if variant == Variant.RESTRICTED else []
    in_assessment = {"chapter__assessment": assessment}
    inputs = {
        "design": _design_digest(),
        "kind": kind,
        "chapter": chapter.pk if chapter else None,
        "chapter_figures": list(
            ChapterFigure.objects.filter(**in_assessment)
            .order_by("pk")
            .values_list("pk", "chapter_id", "number", "image", "alt_text", "caption", "source")
        ),
        "variant": variant,
        "assessment": list(
            Assessment.objects.filter(pk=assessment.pk).values_list(
                "title",
                "year",
                "status",
                "status_changed_at",
                "author_name",
                "author_role",
                "author_telephone",
                "background",
                "partnership__name",
                "partnership__logo",
            )  # fmt: skip
        ),
        "chapters": list(
            Chapter.objects.filter(assessment=assessment)
            .order_by("pk")
            .values_list(
                "pk",
                "order",
                "slug",
                "title",
                "summary",
                "narrative",
                "lead_organisation__name",
                "theme__name",
            )
        ),
        "recommendations": list(
            Recommendation.objects.filter(**in_assessment)
            .order_by("pk")
            .values_list("pk", "chapter_id", "order", "text")
        ),
        "selections": list(
            IndicatorSelection.objects.filter(**in_assessment)
            .order_by("pk")
            .values_list(*SELECTION_FIELDS)
        ),
        # Figures change only through import batches: new data is a new batch row.
        "batches": list(
            ImportBatch.objects.filter(partnership=assessment.partnership_id)
            .order_by("pk")
            .values_list("pk", "row_count", "superseded_by_id")
        ),
        "area": list(
            Geography.objects.filter(
                partnership=assessment.partnership_id, level=Geography.Level.AREA
            ).values_list("pk", flat=True)
        ),
        # The cover paper's tick boxes, headline wording and count of appendices by kind.
        "purposes": list(
            assessment.purposes.order_by("pk").values_list(
                "kind", "label", "addressed", "detail", "order"
            )
        ),
        "headlines": list(
            assessment.headlines.order_by("pk").values_list("text", "on_cover", "order")
        ),
        "appendix_kinds": list(assessment.appendices.order_by("pk").values_list("kind")),
        "statutory_coverage": list(
            assessment.statutory_coverage.order_by("pk", "chapters__pk").values_list(
                "requirement", "note", "chapters__pk"
            )
        ),
        "appendices": list(
            Appendix.objects.filter(pk__in=audience)
            .order_by("pk")
            .values_list("pk", "order", "slug", "title", "summary", "narrative")
        ),
    }
    serialised = json.dumps(inputs, default=str, sort_keys=True)
    return ReportIdentity(
        content_hash=hashlib.sha256(serialised.encode()).hexdigest(), audience=audience
    )


# Requests ----------------------------------------------------------------------------------


def _enqueue(export: ReportExport) -> None:
    transaction.on_commit(partial(_publish, export.pk))


def _publish(export_id: int) -> bool:
    """Hand the render to the broker. When the broker is unreachable the request still succeeds:
    the row stays queued, marked, and report_exports_publish_waiting sends it once it is back."""
    from ..tasks import render_report_export_task

    try:
        render_report_export_task.delay(export_id)
    except BROKER_ERRORS:
        logger.warning("Broker unreachable: export %s waits to be published", export_id)
        ReportExport.objects.filter(pk=export_id).update(awaiting_broker=True)
        return False
    ReportExport.objects.filter(pk=export_id, awaiting_broker=True).update(awaiting_broker=False)
    return True


def _is_stale(export: ReportExport, now) -> bool:
    return export.status == Status.RUNNING and (
        export.lease_expires_at is None or export.lease_expires_at < now
    )


def _reusable_export(
    assessment: Assessment,
    kind: str,
    variant: str,
    identity: ReportIdentity,
    chapter: Chapter | None = None,
) -> ReportExport | None:
    """The export of exactly this content and audience, finished ones first."""
    candidates = ReportExport.objects.filter(
        assessment=assessment,
        kind=kind,
        variant=variant,
        chapter=chapter,
        content_hash=identity.content_hash,
    )
    by_preference = sorted(candidates, key=lambda e: (e.status != Status.DONE, -e.pk))
    for export in by_preference:
        if sorted(export.audience) != identity.audience:
            continue
        if export.status == Status.DONE and not export.file.storage.exists(export.file.name):
            continue
        return export
    return None


def report_export_request(
    *,
    assessment: Assessment,
    user: User,
    variant: str,
    kind: str = ReportExport.Kind.FULL_REPORT,
    chapter: Chapter | None = None,
) -> ReportExport:
    """Ask for the report (or, with `chapter`, that chapter's preview) as a PDF: reuse an
    identical export, else queue a new one."""
    if chapter is not None:
        kind = ReportExport.Kind.CHAPTER_PREVIEW
    appendices = report_appendices(user=user, assessment=assessment, variant=variant)
    identity = report_identity(
        assessment=assessment, variant=variant, appendices=appendices, kind=kind, chapter=chapter
    )
    now = timezone.now()
    with transaction.atomic():
        # One request at a time per assessment, so two identical requests make one row.
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        export = _reusable_export(assessment, kind, variant, identity, chapter)
        if export is None:
            export = ReportExport.objects.create(
                assessment=assessment,
                chapter=chapter,
                kind=kind,
                variant=variant,
                audience=identity.audience,
                content_hash=identity.content_hash,
                requested_by=user,
            )
            _enqueue(export)
        elif export.status == Status.FAILED or _is_stale(export, now):
            _requeue(export)
    return export


def _requeue(export: ReportExport) -> None:
    # A failed export gets a fresh set of attempts; a stale one keeps counting its own.
    if export.status == Status.FAILED:
        export.attempts = 0
    export.status = Status.QUEUED
    export.progress = 0
    export.error = ""
    export.lease_expires_at = None
    export.save(update_fields=["status", "progress", "attempts", "error", "lease_expires_at"])
    _enqueue(export)


# The job -----------------------------------------------------------------------------------


def _claim(export_id: int, *, worker_lost: bool) -> ReportExport | None:
    """Take the row for this worker: queued, or left running by a worker whose lease ran out,
    or at once when the broker says the worker that had it died (`worker_lost`)."""
    now = timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, lease_expires_at__lt=now)
    if worker_lost:
        claimable |= Q(status=Status.RUNNING)
    claimed = ReportExport.objects.filter(
        claimable, pk=export_id, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=Status.RUNNING,
        progress=0,
        started_at=now,
        finished_at=None,
        lease_expires_at=now + LEASE,
        attempts=F("attempts") + 1,
        error="",
    )
    if not claimed:
        _fail_if_exhausted(ReportExport.objects.filter(pk=export_id))
        return None
    return ReportExport.objects.select_related("assessment__partnership").get(pk=export_id)


class _ProgressWriter:
    """Writes the per cent done, renewing the lease, at most every PROGRESS_INTERVAL seconds:
    each write is a commit, and a page takes a few milliseconds to lay out."""

    def __init__(self, export_id: int):
        self.export_id = export_id
        self.last_write = 0.0

    def __call__(self, percent: int) -> None:
        now = time.monotonic()
        if now - self.last_write < PROGRESS_INTERVAL:
            return
        self.last_write = now
        ReportExport.objects.filter(pk=self.export_id, status=Status.RUNNING).update(
            progress=min(percent, 99), lease_expires_at=timezone.now() + LEASE
        )


def _expected_pages(export: ReportExport, html: str) -> int:
    previous = (
        ReportExport.objects.filter(
            assessment=export.assessment_id,
            kind=export.kind,
            variant=export.variant,
            status=Status.DONE,
        )
        .exclude(pages=None)
        .values_list("pages", flat=True)
        .first()
    )
    return previous or max(len(html) // HTML_BYTES_PER_PAGE, 1)


def export_file_name(export: ReportExport) -> str:
    assessment = export.assessment
    return f"{assessment.partnership.slug}-{assessment.year}-{export.kind}-{export.variant}.pdf"


def report_export_render(*, export_id: int, worker_lost: bool = False) -> ReportExport | None:
    """Render a queued export and store its file. Safe to run twice: a finished or a live
    running export is left alone.

    `worker_lost`: the broker delivers this message again because the process rendering it died
    (Redis requeues a message only then, or after CELERY_VISIBILITY_TIMEOUT, which is longer than
    PDF_RENDER_TIME_LIMIT), so the row may be taken over without waiting for its lease."""
    from .. import pdf

    export = _claim(export_id, worker_lost=worker_lost)
    if export is None:
        logger.info("Export %s is not waiting to be rendered; nothing to do", export_id)
        return None
    started = timezone.now()
    try:
        appendices = list(
            Appendix.objects.filter(assessment=export.assessment_id, pk__in=export.audience)
        )
        # Identified before it is built: if the content changes meanwhile, the row describes
        # older content than the file holds, and the next request renders again.
        document = {
            "assessment": export.assessment,
            "variant": export.variant,
            "appendices": appendices,
        }
        if export.chapter_id is not None:
            document["chapter"] = export.chapter
        identity = report_identity(**document, kind=export.kind)
        html = DOCUMENTS[export.kind](**document)
        rendered = pdf.render_pdf(
            html,
            on_progress=_ProgressWriter(export.pk),
            expected_pages=_expected_pages(export, html),
        )
    except Exception as error:
        logger.exception("Export %s failed", export.pk)
        _finish(export, status=Status.FAILED, error=f"{type(error).__name__}: {error}")
        return export
    export.file.save(export_file_name(export), ContentFile(rendered.content), save=False)
    _finish(
        export,
        status=Status.DONE,
        # The content may have changed since the request: the row describes what was rendered.
        content_hash=identity.content_hash,
        audience=identity.audience,
        pages=rendered.pages,
        size=len(rendered.content),
        checksum=hashlib.sha256(rendered.content).hexdigest(),
        progress=100,
    )
    logger.info(
        "Export %s: %s pages in %.1f s",
        export.pk,
        rendered.pages,
        (timezone.now() - started).total_seconds(),
    )
    return export


def _finish(export: ReportExport, **fields) -> None:
    fields |= {"finished_at": timezone.now(), "lease_expires_at": None}
    for name, value in fields.items():
        setattr(export, name, value)
    export.save(update_fields=[*fields, "file"])


def _fail_if_exhausted(exports) -> int:
    """A row whose every attempt died (killed at the time limit, worker lost) is failed."""
    return exports.filter(
        status=Status.RUNNING, lease_expires_at__lt=timezone.now(), attempts__gte=MAX_ATTEMPTS
    ).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        lease_expires_at=None,
        error=f"The render did not finish after {MAX_ATTEMPTS} attempts.",
    )


def report_exports_requeue_stale() -> int:
    """Send rows left running past their lease back to a worker (run periodically by beat)."""
    _fail_if_exhausted(ReportExport.objects.all())
    stale = ReportExport.objects.filter(status=Status.RUNNING, lease_expires_at__lt=timezone.now())
    count = 0
    for export in stale:
        _enqueue(export)
        count += 1
    return count


def report_exports_publish_waiting() -> int:
    """Publish the queued rows whose publication failed while the broker was down (run
    periodically by beat, with the stale sweep)."""
    waiting = ReportExport.objects.filter(status=Status.QUEUED, awaiting_broker=True)
    return sum(_publish(pk) for pk in waiting.values_list("pk", flat=True))
