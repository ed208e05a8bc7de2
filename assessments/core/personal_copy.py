"""Personal copies of restricted material: who a copy was issued to, when, and its copy id.

A restricted PDF, and every CSV or XLSX download of an appendix, names its recipient and carries
a copy id that the appendix access log records too, so that a leaked copy can be traced to the
person it was issued to. The marking is written here once for every kind of copy.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.utils import timezone

from assessments.core.models import User

# The partnership's setting (Partnership.restricted_marking) when a copy is made for one; this is
# its default, a Government Security Classification marking.
RESTRICTED_MARKING = "OFFICIAL-SENSITIVE"


def new_copy_id() -> str:
    """Short enough to read out over the telephone, long enough not to be guessed."""
    return secrets.token_hex(6)


@dataclass(frozen=True)
class PersonalCopy:
    recipient: User
    copy_id: str
    issued_on: dt.date
    restricted_marking: str = RESTRICTED_MARKING

    @property
    def recipient_name(self) -> str:
        return self.recipient.get_full_name() or self.recipient.get_username()

    @property
    def issued_to(self) -> str:
        """ "Issued to Sam Okafor, Thames Valley Police, 27 November 2026"."""
        organisation = self.recipient.organisation
        who = f"{self.recipient_name}, {organisation.name}" if organisation else self.recipient_name
        return f"Issued to {who}, {self.issued_on.day} {self.issued_on:%B %Y}"

    @property
    def marking(self) -> str:
        return f"{self.issued_to} — {self.restricted_marking}"

    @property
    def file_suffix(self) -> str:
        """For file names: the recipient's username and the copy id."""
        return f"{self.recipient.get_username()}-{self.copy_id}"


def personal_copy(
    recipient: User,
    *,
    copy_id: str | None = None,
    issued_at: dt.datetime | None = None,
    marking: str = RESTRICTED_MARKING,
) -> PersonalCopy:
    """The recipient's copy: a new one, or an existing one from its copy id and date, marked
    with its partnership's `marking` (Partnership.restricted_marking)."""
    issued = timezone.localtime(issued_at) if issued_at else timezone.localtime()
    return PersonalCopy(recipient, copy_id or new_copy_id(), issued.date(), marking)
