"""Editions: the report frozen at the board's approval, published, replaced by a correction or
withdrawn (reporting/models.py Edition; reading them is reporting/editions.py).

The workflow (consultation/services/workflow.py) is below this package; the app's documents.py
hands it these functions for its steps, so that approving freezes, publishing publishes and
taking down withdraws in the same transaction as the step itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from assessments.consultation.models import WorkflowEvent
from assessments.consultation.services.workflow import StepTaken, WorkflowError
from assessments.core.models import Assessment, User
from assessments.reporting.editions import (
    approved_edition,
    content_sha256,
    latest_edition,
    working_document,
)
from assessments.reporting.exports import report_export_request
from assessments.reporting.models import Edition, EditionAppendix, ReportExport
from assessments.reporting.report_data import parse, report_document


class EditionChanged(Exception):
    """The working copy changed since the approver opened the page."""


def edition_freeze(
    assessment: Assessment,
    *,
    by: User | None,
    change_note: str = "",
    expected_sha256: str | None = None,
    at=None,
    frozen_at_upgrade: bool = False,
) -> Edition:
    """Freeze the working copy as the next edition, approved. With `expected_sha256` (the hash
    the approve page showed), refuse if the document is no longer the one that was read."""
    document = working_document(assessment)
    if expected_sha256 is not None and document.sha256 != expected_sha256:
        raise EditionChanged(
            "The assessment changed since you opened this page: read it again before approving"
        )
    previous = latest_edition(assessment)
    edition = Edition.objects.create(
        assessment=assessment,
        number=previous.number + 1 if previous else 1,
        content=document.content,
        sha256=document.sha256,
        change_note=change_note,
        approved_at=at or timezone.now(),
        approved_by=by,
        frozen_at_upgrade=frozen_at_upgrade,
    )
    EditionAppendix.objects.bulk_create(
        EditionAppendix(edition=edition, appendix_id=pk, content=text, sha256=content_sha256(text))
        for pk, text in document.appendices.items()
    )
    return edition


def edition_publish(assessment: Assessment, *, by: User | None, at=None) -> Edition:
    """Publish the approved edition: the one before it is replaced, and its public PDF is
    rendered now, once, to be kept as long as the edition."""
    edition = approved_edition(assessment)
    if edition is None:
        raise Edition.DoesNotExist("No approved edition to publish")
    at = at or timezone.now()
    assessment.editions.filter(status=Edition.Status.PUBLISHED).update(
        status=Edition.Status.SUPERSEDED
    )
    edition.status, edition.published_at = Edition.Status.PUBLISHED, at
    edition.save(update_fields=["status", "published_at"])
    Assessment.objects.filter(pk=assessment.pk).update(public_edition=edition)
    assessment.public_edition = edition
    if by is not None:
        transaction.on_commit(
            lambda: report_export_request(
                assessment=assessment, user=by, variant=ReportExport.Variant.PUBLIC
            )
        )
    return edition


def edition_withdraw(assessment: Assessment, *, at=None) -> Edition | None:
    """Take the published edition down: from the next request on, no page or PDF of it is
    served to the public, whatever any cache holds."""
    edition = assessment.public_edition
    if edition is None:
        return None
    edition.status, edition.withdrawn_at = Edition.Status.WITHDRAWN, at or timezone.now()
    edition.save(update_fields=["status", "withdrawn_at"])
    Assessment.objects.filter(pk=assessment.pk).update(public_edition=None)
    assessment.public_edition = None
    return edition


def edition_discard_approved(assessment: Assessment) -> None:
    """Going back to consultation discards an approved edition that was never published."""
    assessment.editions.filter(status=Edition.Status.APPROVED).delete()


def editions_freeze_missing() -> int:
    """An edition for every assessment approved or published without one (those approved or
    published before editions existed), frozen from its data as it stands and saying so
    (`frozen_at_upgrade`); returns how many. Run after every migration is applied (the app's
    documents.py), not inside migration 0026 as it first was: freezing reads every table as
    today's code knows it, which a later migration's column would not be in yet."""
    frozen = 0
    shown = (Assessment.Status.APPROVED, Assessment.Status.PUBLISHED)
    for assessment in Assessment.objects.filter(status__in=shown, editions__isnull=True):
        approval = (
            WorkflowEvent.objects.filter(assessment=assessment, action=WorkflowEvent.Action.APPROVE)
            .order_by("-at")
            .first()
        )
        with transaction.atomic():
            edition_freeze(
                assessment,
                by=None,
                at=approval.at if approval else assessment.status_changed_at,
                frozen_at_upgrade=True,
            )
            if assessment.status == Assessment.Status.PUBLISHED:
                edition_publish(assessment, by=None, at=assessment.status_changed_at)
        frozen += 1
    return frozen


# The workflow's steps (registered by the app's documents.py) --------------------------------


def change_note_of(assessment: Assessment) -> str:
    """The public note of a correction: the analyst's latest, since the last edition."""
    previous = latest_edition(assessment)
    if previous is None:
        return ""
    event = (
        WorkflowEvent.objects.filter(
            assessment=assessment, action=WorkflowEvent.Action.CORRECT, at__gt=previous.approved_at
        )
        .order_by("-at", "-pk")
        .first()
    )
    return event.reason if event else ""


def on_approve(step: StepTaken) -> None:
    try:
        edition_freeze(
            step.assessment,
            by=step.by,
            change_note=change_note_of(step.assessment),
            expected_sha256=step.document_sha256 or None,
            at=step.event.at,
        )
    except EditionChanged as changed:
        raise WorkflowError(str(changed), code="changed") from changed


def on_publish(step: StepTaken) -> None:
    edition_publish(step.assessment, by=step.by, at=step.event.at)


def on_take_down(step: StepTaken) -> None:
    edition_withdraw(step.assessment, at=step.event.at)


def on_back_to_consultation(step: StepTaken) -> None:
    edition_discard_approved(step.assessment)


# What changed since an edition -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One thing the working copy now says otherwise than the edition: where, what, old, new."""

    where: str
    what: str
    before: str
    after: str


def _figure_text(figure: dict | None) -> str:
    if figure is None:
        return "not in the report"
    current = figure["current"]
    text = "no data" if current is None else f"{current:,}"
    if figure["change"] is not None:
        text += f" ({'+' if figure['change'] > 0 else ''}{figure['change']}%)"
    return text


def _chapter_changes(old: dict, new: dict) -> list[Change]:
    changes = []
    title = new["chapter"]["title"]
    for field in ("title", "summary"):
        if old["chapter"][field] != new["chapter"][field]:
            changes.append(
                Change(title, field.capitalize(), old["chapter"][field], new["chapter"][field])
            )
    if old["narrative"] != new["narrative"]:
        changes.append(Change(title, "Narrative", "as approved", "edited since"))
    before = {f["indicator"]["name"]: f for f in old["figures"]}
    after = {f["indicator"]["name"]: f for f in new["figures"]}
    for name in dict.fromkeys([*before, *after]):
        if before.get(name) != after.get(name):
            was, now = _figure_text(before.get(name)), _figure_text(after.get(name))
            if was == now:  # what differs is in its comparators or caveat
                was, now = "as approved", "changed since"
            changes.append(Change(title, name, was, now))
    old_charts = {c["chart"]["title"]: c["chart"]["rows"] for c in old["charts"]}
    for printed in new["charts"]:
        chart = printed["chart"]
        if old_charts.get(chart["title"]) not in (None, chart["rows"]):
            changes.append(Change(title, f"Chart: {chart['title']}", "as approved", "new figures"))
    return changes


def _ranking(document: dict) -> dict[str, str]:
    part = document.get("priorities_part") or {"matrix": {"rows": []}}
    return {
        row["theme"]: f"rank {row['rank'] or '–'}, score {row['combined'] or 'not scored'}"
        for row in part["matrix"]["rows"]
    }


def changes_since(edition: Edition) -> list[Change]:
    """Everything the working copy now says otherwise than `edition`: each chapter's words,
    figures and charts, the headlines and the ranking, old against new."""
    old, new = parse(edition.content), report_document(edition.assessment)
    changes = []
    old_chapters = {section["chapter"]["slug"]: section for section in old["chapters"]}
    for section in new["chapters"]:
        before = old_chapters.get(section["chapter"]["slug"])
        if before is None:
            changes.append(
                Change(section["chapter"]["title"], "Chapter", "not in the report", "added")
            )
        elif before != section:
            changes += _chapter_changes(before, section)
    for removed in old["headlines"]:
        if removed not in new["headlines"]:
            changes.append(Change("Headlines", "Headline", removed, "no longer on the cover"))
    for added in new["headlines"]:
        if added not in old["headlines"]:
            changes.append(Change("Headlines", "Headline", "not on the cover", added))
    old_rank, new_rank = _ranking(old), _ranking(new)
    for theme in new_rank:
        if old_rank.get(theme) != new_rank[theme]:
            changes.append(
                Change("Priorities", theme, old_rank.get(theme, "not ranked"), new_rank[theme])
            )
    if old["introduction"] != new["introduction"]:
        changes.append(Change("Introduction", "Introduction", "as approved", "edited since"))
    return changes
