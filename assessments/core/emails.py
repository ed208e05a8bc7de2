"""Sending a batch of emails: one message per recipient, all over one connection.

One message each, so that nobody sees the others' addresses (and each body can greet its reader);
one connection for the batch, so that notifying a partnership is one SMTP session, not one per
person.

Every email to people of the site goes through `send_to_each`, which asks, as the email goes, the
permission check of the page its link opens: someone who left the partnership, lost a grant or
was deactivated since the work was asked for gets nothing (issue 29, finding 4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

from assessments.core.jobs import running_job
from assessments.core.models import OutboxDelivery


def send_emails(subject: str, messages: Iterable[tuple[str, str]]) -> int:
    """Send each (address, body) as its own email; return how many were sent.

    Inside an outbox job each email is recorded as soon as it is sent, and an address already
    recorded for the job is skipped: a job delivered again after its worker died part-way sends
    only what it had not sent (each email once per recipient)."""
    job = running_job()
    sent_before = (
        set(OutboxDelivery.objects.filter(job_id=job).values_list("address", flat=True))
        if job
        else set()
    )
    # A blank address cannot be delivered; skipping it keeps one bad row from failing the batch.
    emails = [
        EmailMessage(subject, body, to=[address])
        for address, body in messages
        if address and address not in sent_before
    ]
    if not emails:
        return 0  # nothing to send: do not open a connection
    sent = 0
    with get_connection() as connection:
        for email in emails:
            sent += connection.send_messages([email]) or 0
            if job:
                OutboxDelivery.objects.get_or_create(job_id=job, address=email.to[0])
    return sent


def send_to_each(
    users: Iterable,
    subject: str,
    template: str,
    context: dict,
    *,
    may_open: Callable,
    personal: Callable[..., dict] = lambda user: {},
) -> int:
    """The template rendered for each user (as `recipient`, with what `personal(user)` adds:
    a further link only some of them may follow), sent in one batch to those who are active
    and pass `may_open(user)`: the check of the page the email links to, asked now."""
    messages = [
        (user.email, render_to_string(template, {**context, **personal(user), "recipient": user}))
        for user in users
        if user.is_active and may_open(user)
    ]
    return send_emails(subject, messages)
