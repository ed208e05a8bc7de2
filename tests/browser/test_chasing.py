"""The analyst chases the silent organisations from the dashboard in real Chromium: each gets
one email; a second click the same day sends none."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from assessments.consultation.models import Comment, RecommendationResponse

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

FIRE = "Buckinghamshire Fire and Rescue Service"
BUTTON = "Email a reminder to the organisations that have not responded"


@pytest.mark.slow(reason="the priorities page in Chromium, chasing twice")
def test_the_analyst_chases_the_silent_organisations_once_a_day(page, demo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Comment.objects.filter(author__organisation__name=FIRE).delete()
    RecommendationResponse.objects.filter(organisation__name=FIRE).delete()
    sign_in(page, "analyst")
    page.goto("/assessments/safermk/2017/dashboard/")
    table = page.locator("#consultation + div table")
    expect(table.get_by_role("rowheader", name=FIRE)).to_be_visible()
    assert_accessible(page)
    mail.outbox.clear()

    page.get_by_role("button", name=BUTTON).click()
    expect(page.get_by_text("A reminder is on its way")).to_be_visible()
    fire_mail = [m for m in mail.outbox if "fire@example.org" in m.to]
    assert len(fire_mail) == 1
    assert all(len([m for m in mail.outbox if m.to == sent.to]) == 1 for sent in mail.outbox)
    expect(page.get_by_text("Reminded ")).not_to_have_count(0)
    sent = len(mail.outbox)

    page.get_by_role("button", name=BUTTON).click()
    expect(page.get_by_text("already been reminded today")).to_be_visible()
    assert len(mail.outbox) == sent
