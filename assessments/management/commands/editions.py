import json

from django.utils import timezone

from assessments.management.commands._reliable import AssessmentReadingCommand
from assessments.reporting.models import Edition


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def edition_as_dict(edition: Edition) -> dict:
    return {
        "number": edition.number,
        "status": edition.status,
        "approved_at": _iso(edition.approved_at),
        "published_at": _iso(edition.published_at),
        "change_note": edition.change_note,
        "sha256": edition.sha256,
    }


class Command(AssessmentReadingCommand):
    help = "List the editions of an assessment: each approved, published, replaced or taken down."

    def handle(self, *args, partnership, year, **options):
        editions = self.assessment(partnership, year).editions.order_by("number")
        if options["json"]:
            self.stdout.write(json.dumps([edition_as_dict(e) for e in editions], indent=2))
            return
        for edition in editions:
            note = f": {edition.change_note}" if edition.change_note else ""
            self.stdout.write(
                f"Edition {edition.number}, {edition.get_status_display().lower()}, "
                f"approved {timezone.localtime(edition.approved_at):%-d %B %Y}, "
                f"{edition.short_hash}{note}"
            )
