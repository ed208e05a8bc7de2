"""Reading editions: which edition a print or a public page shows, its documents and its HTML.

An edition is frozen by publication/services/editions.py; everything here reads the frozen text
and nothing else, so that approved, published and printed are the same document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import timezone

from assessments.core.models import Assessment, User
from assessments.core.personal_copy import PersonalCopy
from assessments.reporting.documents import (
    DESIGN_TEMPLATES,
    Printing,
    ReportIdentity,
    design_digest,
    document_html,
    recipient_inputs,
)
from assessments.reporting.models import Edition, EditionAppendix, ReportExport
from assessments.reporting.report_data import (
    appendix_document,
    canonical,
    parse,
    report_document,
)

Status = Assessment.Status
Variant = ReportExport.Variant


def content_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def edition_sha256(content: str, appendix_hashes: list[str]) -> str:
    """An edition's identity: its report document and each restricted appendix, by their own
    hashes, so that the public part can be checked without the restricted parts."""
    return content_sha256(
        canonical({"report": content_sha256(content), "appendices": sorted(appendix_hashes)})
    )


def edition_is_intact(edition: Edition) -> bool:
    """Does the stored text still hash to the edition's sha256?"""
    hashes = [content_sha256(a.content) for a in edition.appendices.all()]
    return edition.sha256 == edition_sha256(edition.content, hashes)


@dataclass(frozen=True)
class WorkingDocument:
    """The working copy as an edition would freeze it now."""

    content: str
    appendices: dict[int, str]  # appendix id: its document's canonical text

    @property
    def sha256(self) -> str:
        return edition_sha256(self.content, [content_sha256(t) for t in self.appendices.values()])


def working_document(assessment: Assessment) -> WorkingDocument:
    return WorkingDocument(
        content=canonical(report_document(assessment)),
        appendices={
            appendix.pk: canonical(appendix_document(appendix))
            for appendix in assessment.appendices.order_by("order", "pk")
        },
    )


# Which edition ------------------------------------------------------------------------------


def approved_edition(assessment: Assessment) -> Edition | None:
    """The edition awaiting publication, if the chair has approved one."""
    return assessment.editions.filter(status=Edition.Status.APPROVED).first()


def printed_edition(
    assessment: Assessment, variant: str, kind: str = ReportExport.Kind.FULL_REPORT
) -> Edition | None:
    """The edition a print of the full report or the cover paper shows, or None to print the
    working copy (always, for a chapter's preview).

    Once approved, the assessment prints its approved edition, once published its published
    one; while a correction is written the public still gets the published edition and the
    partnership reads the working copy, marked as a draft."""
    if kind == ReportExport.Kind.CHAPTER_PREVIEW:
        return None
    if assessment.status == Status.APPROVED:
        return approved_edition(assessment)
    if assessment.status == Status.PUBLISHED or (
        assessment.status == Status.CORRECTION and variant == Variant.PUBLIC
    ):
        return assessment.public_edition
    return None


def latest_edition(assessment: Assessment) -> Edition | None:
    return assessment.editions.order_by("-number").first()


def next_edition_number(assessment: Assessment) -> int:
    latest = latest_edition(assessment)
    return latest.number + 1 if latest else 1


# Its prints --------------------------------------------------------------------------------


def edition_printing(edition: Edition) -> Printing:
    approved_on = timezone.localtime(edition.approved_at).date()
    return Printing(
        status_line=f"Edition {edition.number}, approved {approved_on.day} {approved_on:%B %Y}",
        is_draft=False,
        edition={
            "number": edition.number,
            "approved_on": approved_on,
            "sha256": edition.sha256,
            "short_hash": edition.short_hash,
            "change_note": edition.change_note,
            "frozen_at_upgrade": edition.frozen_at_upgrade,
        },
    )


def edition_appendices(edition: Edition, appendix_ids: list[int]) -> list[dict]:
    """The edition's frozen appendices among `appendix_ids` (those the reader may see, decided by
    appendices/permissions.py), in the report's order."""
    rows = EditionAppendix.objects.filter(edition=edition, appendix__in=appendix_ids)
    return [parse(row.content) for row in rows.order_by("appendix__order", "appendix_id")]


def edition_html(
    *,
    edition: Edition,
    variant: str,
    appendix_ids: list[int],
    copy: PersonalCopy | None = None,
    **_,
) -> str:
    """The edition's report as HTML, from its frozen text alone."""
    return document_html(
        parse(edition.content),
        printing=edition_printing(edition),
        variant=variant,
        appendices=edition_appendices(edition, appendix_ids),
        copy=copy,
    )


def edition_identity(
    edition: Edition,
    *,
    variant: str,
    audience: list[int],
    recipient: User | None = None,
    kind: str = ReportExport.Kind.FULL_REPORT,
) -> ReportIdentity:
    """What makes two prints of an edition the same file. The public PDF is the edition's alone:
    rendered once, at publication, and never again, whatever a later release changes in the
    design (a request for it years later gets the file the public got). A restricted copy
    is its recipient's, in the design of the day."""
    audience = sorted(audience) if variant == Variant.RESTRICTED else []
    # Its number too: each edition prints its own number and note on its last page, even where a
    # correction left the document itself as it was.
    parts = [edition.sha256, str(edition.number), kind, variant]
    if variant == Variant.RESTRICTED:
        parts += [
            canonical(audience),
            canonical(recipient_inputs(recipient)),
            design_digest(DESIGN_TEMPLATES),
            edition.assessment.partnership.restricted_marking,
        ]
    return ReportIdentity(content_hash=content_sha256("|".join(parts)), audience=audience)


# The public's editions -------------------------------------------------------------------------

READABLE = Edition.READABLE


def readable_editions(assessment: Assessment) -> list[Edition]:
    """The editions anyone may read: the published one and those it replaced, oldest first."""
    return list(assessment.editions.filter(status__in=READABLE).order_by("number"))


def readable_edition(assessment: Assessment, number: int) -> Edition | None:
    return assessment.editions.filter(status__in=READABLE, number=number).first()


def withdrawn_edition(assessment: Assessment) -> Edition | None:
    """The edition last taken down, while no other is published."""
    if assessment.public_edition_id is not None:
        return None
    return assessment.editions.filter(status=Edition.Status.WITHDRAWN).order_by("-number").first()


def edition_public_pdf(edition: Edition) -> ReportExport | None:
    """The edition's public PDF, rendered at publication and kept as long as the edition."""
    return (
        edition.exports.filter(
            kind=ReportExport.Kind.FULL_REPORT,
            variant=Variant.PUBLIC,
            recipient=None,
            status=ReportExport.Status.DONE,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def edition_document(edition: Edition) -> dict:
    """The edition's public document, read back from its frozen text."""
    return parse(edition.content)
