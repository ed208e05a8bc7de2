"""Sending a batch of emails: one message per recipient, all over one connection.

One message each, so that nobody sees the others' addresses (and each body can greet its reader);
one connection for the batch, so that notifying a partnership is one SMTP session, not one per
person.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string


def send_emails(subject: str, messages: Iterable[tuple[str, str]]) -> int:
    """Send each (address, body) as its own email; return how many were sent."""
    # A blank address cannot be delivered; skipping it keeps one bad row from failing the batch.
    emails = [EmailMessage(subject, body, to=[address]) for address, body in messages if address]
    if not emails:
        return 0  # nothing to send: do not open a connection
    with get_connection() as connection:
        return connection.send_messages(emails) or 0


def send_to_each(users: Iterable, subject: str, template: str, context: dict) -> int:
    """The template rendered for each user (as `recipient`), sent to them in one batch."""
    messages = [
        (user.email, render_to_string(template, {**context, "recipient": user})) for user in users
    ]
    return send_emails(subject, messages)
