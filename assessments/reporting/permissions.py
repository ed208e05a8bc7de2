"""Who may ask for and download the PDF of an assessment, a chapter or the cover paper."""

from __future__ import annotations

from assessments.appendices.permissions import appendices_visible_to
from assessments.core.models import Assessment, Role
from assessments.core.permissions import (
    AnyUser,
    can_view_assessment,
    can_view_working_papers,
    role_in,
)
from assessments.reporting.models import Edition, ReportExport

# Report exports (PDF) ---------------------------------------------------------------------


def can_request_public_export(user: AnyUser, assessment: Assessment) -> bool:
    """The analyst prepares the public report; during consultation every member of the
    partnership may print the draft they are asked to comment on (marked DRAFT on every page)."""
    role = role_in(user, assessment.partnership_id)
    if role == Role.ANALYST:
        return True
    return role is not None and assessment.status == Assessment.Status.CONSULTATION


def can_request_restricted_export(
    user: AnyUser, assessment: Assessment, visible_appendices: list | None = None
) -> bool:
    """Anyone who may view at least one appendix; the file holds exactly the ones they may view.
    A page that lists them already passes `appendices_visible_to`'s answer, read once."""
    if visible_appendices is None:
        visible_appendices = appendices_visible_to(user, assessment)
    return bool(visible_appendices)


def can_request_export(
    user: AnyUser, assessment: Assessment, variant: str, kind: str = ReportExport.Kind.FULL_REPORT
) -> bool:
    if kind == ReportExport.Kind.COVER_PAPER:
        return variant == ReportExport.Variant.PUBLIC and can_view_working_papers(user, assessment)
    if kind != ReportExport.Kind.FULL_REPORT:
        return False
    if variant == ReportExport.Variant.PUBLIC:
        return can_request_public_export(user, assessment)
    if variant == ReportExport.Variant.RESTRICTED:
        return can_request_restricted_export(user, assessment)
    return False


def can_download_export(user: AnyUser, export: ReportExport) -> bool:
    """Whoever may read the assessment and every appendix in the file. Asked again on every
    download, so a revoked grant or a change of status closes the file at once.

    A personal copy names its recipient on every page and carries their copy id, so that a leak
    is traced to them: it is theirs alone, not their colleague's, the chair's or the analyst's
    (who find it in the export admin by recipient and copy id, without its address).

    Only the PDF of the report as published is public. Every other public-variant export (a draft
    of the report, a chapter preview) showed wording and markings that were for the partnership's
    members, so it stays with them after publication, as the working papers do."""
    assessment = export.assessment
    if export.recipient_id is not None and export.recipient_id != user.pk:
        return False
    if _is_a_readable_editions_pdf(export):
        return True
    if not can_view_assessment(user, assessment):
        return False
    if export.variant == ReportExport.Variant.RESTRICTED:
        if role_in(user, assessment.partnership_id) is None:
            return False
        visible = {appendix.pk for appendix in appendices_visible_to(user, assessment)}
        return set(export.audience) <= visible
    return can_view_working_papers(user, assessment)


def _is_a_readable_editions_pdf(export: ReportExport) -> bool:
    """The public PDF of an edition anyone may read: the published one and those it replaced."""
    return (
        export.edition_id is not None
        and export.kind == ReportExport.Kind.FULL_REPORT
        and export.variant == ReportExport.Variant.PUBLIC
        and export.recipient_id is None
        and export.edition.status in Edition.READABLE
    )
