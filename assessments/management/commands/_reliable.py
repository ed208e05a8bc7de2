"""The base of the app's commands: a lost database or broker is one plain line and exit status 1,
not a traceback.

Each command's writes are one transaction (an import, the demo, a roll-over), and background
work goes through the outbox in that transaction, so a failure leaves nothing half done: the
message can say that nothing was changed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

from assessments.core.models import Assessment, Partnership
from assessments.core.selectors import assessment_by_url


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def partnership_by_slug(slug: str) -> Partnership:
    """The partnership a command names, or the command's error saying there is none."""
    found = Partnership.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(f"No partnership with the slug {slug!r}.")
    return found


class ReliableCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except (OperationalError, InterfaceError) as error:
            raise CommandError(
                f"The database could not be reached ({_first_line(error)}): nothing was changed."
            ) from error
        except BrokerOperationalError as error:
            raise CommandError(
                f"The message broker could not be reached ({_first_line(error)}): "
                "nothing was changed."
            ) from error


class AssessmentReadingCommand(ReliableCommand):
    """A command that prints something of one assessment, as text or with --json as JSON."""

    def add_arguments(self, parser):
        parser.add_argument("partnership", help="the partnership's slug")
        parser.add_argument("year", type=int)
        parser.add_argument("--json", action="store_true", help="print it as JSON")

    def assessment(self, partnership: str, year: int) -> Assessment:
        assessment = assessment_by_url(partnership, year)
        if assessment is None:
            raise CommandError(f"No assessment {year} for the partnership {partnership!r}.")
        return assessment
