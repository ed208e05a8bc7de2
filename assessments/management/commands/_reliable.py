"""The base of the app's commands: a lost database or broker is one plain line and exit status 1,
not a traceback.

Each command's writes are one transaction (an import, the demo, a roll-over), and background
work goes through the outbox in that transaction, so a failure leaves nothing half done: the
message can say that nothing was changed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


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
