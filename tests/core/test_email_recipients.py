"""Every email's recipients pass, as it goes, the permission of the page its link opens
(issue 29, finding 4).

Each kind of email the site sends is tried with a recipient who has left the partnership since
(still active, a member of another one): they get nothing, and the others still get theirs. A
walk over the code checks that every email to people goes through `send_to_each` with the
check of its page."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from assessments.consultation.models import ChaseReminder, NotificationPreference
from assessments.consultation.services import chasing, notifications
from assessments.data_returns import services as data_returns
from assessments.data_returns.models import DataRequest
from assessments.indicators.models import Headline, IndicatorSelection

from ..factories import (
    ChapterFactory,
    CommentFactory,
    GeographyFactory,
    IndicatorFactory,
    ObservationFactory,
    member,
)

pytestmark = pytest.mark.django_db

APP = Path(__file__).resolve().parents[2] / "assessments"


def leaves(user, partnership, other_partnership) -> None:
    """The person leaves the partnership and stays active, a member of another one."""
    user.memberships.filter(partnership=partnership).delete()
    member_of_other = user.memberships.create(partnership=other_partnership, role="partner")
    assert member_of_other.user.is_active


def addressed() -> set[str]:
    return {address for email in mail.outbox for address in email.to}


@pytest.fixture
def leaver(partnership, other_partnership, police_org):
    """A police partner who stays to the end, and a colleague who has left."""
    colleague = member(
        partnership, "partner", username="leaver", email="leaver@example.org",
        organisation=police_org,
    )  # fmt: skip
    return colleague


# Data requests: the request, its reminders and corrections ---------------------------------


@pytest.fixture
def police_request(assessment, police_org, police_partner, leaver):
    request = DataRequest.objects.create(
        assessment=assessment,
        organisation=police_org,
        title="Domestic abuse by quarter",
        first_period_start=dt.date(2016, 4, 1),
        last_period_start=dt.date(2017, 1, 1),
        due_on=timezone.localdate() + dt.timedelta(days=7),
        sent_at=timezone.now(),
    )
    request.contacts.set([police_partner, leaver])
    return request


@pytest.mark.parametrize("kind", ["request", "correction"])
def test_a_data_request_or_correction_reaches_only_those_still_asked(
    police_request, police_partner, leaver, partnership, other_partnership, kind
):
    leaves(leaver, partnership, other_partnership)
    data_returns.notify_data_request(request_id=police_request.pk, kind=kind)
    assert addressed() == {police_partner.email}


def test_a_reminder_reaches_only_those_still_asked(
    police_request, police_partner, leaver, partnership, other_partnership, settings
):
    leaves(leaver, partnership, other_partnership)
    settings.DATA_RETURN_REMIND_DAYS_BEFORE = 7
    assert data_returns.send_data_return_reminders() == 1
    assert addressed() == {police_partner.email}


def test_next_years_request_does_not_copy_a_contact_who_left(
    police_request, police_partner, leaver, partnership, other_partnership
):
    leaves(leaver, partnership, other_partnership)
    following = police_request.assessment.__class__.objects.create(
        partnership=partnership, year=2018, title="2018"
    )
    [copy] = data_returns.data_requests_copy(requests=[police_request], to_assessment=following)
    assert list(copy.contacts.all()) == [police_partner]


def test_headlines_to_check_reach_only_the_analysts_still_there(
    assessment, analyst, partnership, other_partnership
):
    gone = member(partnership, "analyst", username="gone", email="gone@example.org")
    leaves(gone, partnership, other_partnership)
    indicator = IndicatorFactory(partnership=partnership, code="burglary", name="Burglary")
    area = GeographyFactory(partnership=partnership)
    ObservationFactory(indicator=indicator, geography=area, period_start=dt.date(2016, 4, 1))
    selection = IndicatorSelection.objects.create(
        chapter=ChapterFactory(assessment=assessment),
        indicator=indicator,
        current_period_start=dt.date(2016, 4, 1),
    )
    headline = Headline.objects.create(
        assessment=assessment, selection=selection, text="Burglary rose by 99 per cent."
    )
    data_returns.notify_stale_headlines(assessment_id=assessment.pk, headline_ids=[headline.pk])
    assert gone.email not in addressed()


# The consultation: comments, replies, resolutions, opening, closing, digests, chasing -------


@pytest.fixture
def thread(assessment, police_partner, leaver):
    chapter = ChapterFactory(assessment=assessment)
    opening = CommentFactory(chapter=chapter, author=leaver, body="Is this the right year?")
    reply = CommentFactory(chapter=chapter, author=police_partner, body="Yes.", parent=opening)
    return opening, reply


def test_a_reply_reaches_only_those_still_in_the_partnership(
    thread, police_partner, leaver, partnership, other_partnership
):
    opening, reply = thread
    leaves(leaver, partnership, other_partnership)
    notifications.notify_comment_posted(comment_id=reply.pk)
    assert leaver.email not in addressed()


def test_a_resolution_reaches_only_those_still_in_the_partnership(
    thread, analyst, police_partner, leaver, partnership, other_partnership
):
    opening, _ = thread
    opening.resolved_at, opening.resolved_by = timezone.now(), analyst
    opening.save()
    leaves(leaver, partnership, other_partnership)
    notifications.notify_comment_resolved(comment_id=opening.pk)
    assert addressed() == {police_partner.email}


def test_opening_and_closing_reach_only_the_members(
    assessment, police_partner, leaver, partnership, other_partnership
):
    leaves(leaver, partnership, other_partnership)
    assessment.consultation_closes_on = timezone.localdate() + dt.timedelta(days=2)
    assessment.save()
    notifications.notify_consultation_opened(assessment_id=assessment.pk)
    notifications.send_closing_reminders()
    assert police_partner.email in addressed() and leaver.email not in addressed()


def test_a_digest_reaches_only_an_analyst_still_there(thread, partnership, other_partnership):
    gone = member(partnership, "analyst", username="gone", email="gone@example.org")
    NotificationPreference.objects.create(user=gone, new_comments="daily")
    leaves(gone, partnership, other_partnership)
    notifications.send_comment_digests()
    assert gone.email not in addressed()


def test_chasing_reaches_only_the_organisations_members_still_there(
    assessment, analyst, police_org, police_partner, leaver, partnership, other_partnership
):
    leaves(leaver, partnership, other_partnership)
    reminder = ChaseReminder.objects.create(
        assessment=assessment, organisation=police_org, sent_on=timezone.localdate(), by=analyst
    )
    assert chasing.chase_reminder_send(reminder_id=reminder.pk) == 1
    [email] = mail.outbox
    assert email.to == [police_partner.email]


# Every email to people goes through the one rule ----------------------------------------------


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) == name or getattr(node.func, "attr", None) == name)
    ]


def test_every_email_to_people_asks_the_check_of_its_page():
    senders, unchecked, direct = 0, [], []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text())
        where = path.relative_to(APP.parent)
        for call in _calls(tree, "send_to_each"):
            senders += 1
            if "may_open" not in {keyword.arg for keyword in call.keywords}:
                unchecked.append(f"{where}:{call.lineno}")
        if where.as_posix() != "assessments/core/emails.py":
            for name in ("EmailMessage", "send_mail", "send_mass_mail", "EmailMultiAlternatives"):
                direct += [f"{where}:{call.lineno} {name}" for call in _calls(tree, name)]
    # Seven kinds of email and their reminders; the invitation goes to an address, not a user.
    assert senders >= 8, senders
    assert unchecked == [], unchecked
    assert direct == [], "send emails to people through core/emails.py's send_to_each"
