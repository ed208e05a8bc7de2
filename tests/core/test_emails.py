"""A batch of emails goes over one connection, one message per recipient."""

import pytest
from django.core.mail.backends.locmem import EmailBackend

from assessments.core.emails import send_emails


@pytest.fixture
def connections(monkeypatch, settings):
    """How many backends were made and opened while sending."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    counts = {"made": 0, "opened": 0}
    make, open_ = EmailBackend.__init__, EmailBackend.open

    def counted_init(self, *args, **kwargs):
        counts["made"] += 1
        make(self, *args, **kwargs)

    def counted_open(self):
        counts["opened"] += 1
        return open_(self)

    monkeypatch.setattr(EmailBackend, "__init__", counted_init)
    monkeypatch.setattr(EmailBackend, "open", counted_open)
    return counts


def test_a_batch_is_sent_over_one_connection(connections, mailoutbox):
    batch = [(f"person{n}@example.org", f"Dear person {n}") for n in range(5)]
    assert send_emails("Consultation open", batch) == 5
    assert connections == {"made": 1, "opened": 1}
    assert len(mailoutbox) == 5


def test_each_message_goes_to_one_recipient_with_its_own_body(mailoutbox, settings):
    send_emails("Hello", [("a@example.org", "For a"), ("b@example.org", "For b")])
    # Nobody sees the others' addresses: one address in To, none in Cc or Bcc.
    assert [(m.to, m.cc, m.bcc, m.body) for m in mailoutbox] == [
        (["a@example.org"], [], [], "For a"),
        (["b@example.org"], [], [], "For b"),
    ]
    assert {m.subject for m in mailoutbox} == {"Hello"}
    assert {m.from_email for m in mailoutbox} == {settings.DEFAULT_FROM_EMAIL}


def test_an_empty_batch_opens_no_connection_and_blank_addresses_are_skipped(
    connections, mailoutbox
):
    assert send_emails("Nothing", []) == 0
    assert connections == {"made": 0, "opened": 0}
    assert send_emails("Some", [("", "nobody"), ("c@example.org", "For c")]) == 1
    assert [m.to for m in mailoutbox] == [["c@example.org"]]
