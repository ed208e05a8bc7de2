"""Partners comment on the horizon scan during consultation like on a chapter (issue 32): a
comment on one row of the scan, replies, the analyst's resolution, the emails, the feedback
and the counts; and the requests that must be refused: another partnership's member, someone
signed out, a comment after the consultation closed, a row of another assessment, a reply
moved across from a chapter's discussion, a partner resolving."""

import csv
import datetime as dt
import html
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.consultation.models import Comment
from assessments.consultation.services import comments as comment_service
from assessments.core.models import HorizonScanItem
from assessments.reporting.report_data import report_document

from ..factories import AssessmentFactory, ChapterFactory, CommentFactory, set_status
from .conftest import signed_in

pytestmark = pytest.mark.django_db

BODY = "The new Police and Crime Plan is due in March, not in the autumn."


@pytest.fixture
def row(assessment):
    return HorizonScanItem.objects.create(
        assessment=assessment,
        factor=HorizonScanItem.Factor.POLITICAL,
        issue="A new Police and Crime Plan from the Police and Crime Commissioner in 2017.",
        implications="Partnership priorities and funding bids should align with it.",
    )


def url(assessment) -> str:
    return reverse("horizon_comments", args=[assessment.partnership.slug, assessment.year])


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def post(client, assessment, **data):
    return client.post(url(assessment), data)


def test_a_partner_comments_on_a_row_and_the_partnership_reads_it(
    police_client, fire_partner, assessment, row
):
    response = post(police_client, assessment, on=f"h-{row.pk}", body=BODY)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url(assessment)}#comment-{comment.pk}"
    assert (comment.assessment, comment.horizon_item, comment.chapter) == (assessment, row, None)
    assert comment.quoted_text == row.issue
    page = text(signed_in(fire_partner).get(url(assessment)))
    assert "On political: A new Police and Crime Plan" in page and BODY in page
    assert "1 comment on the horizon scan; 1 discussion open, 0 resolved." in page
    # Under the scan on the assessment page, with the way to its discussions.
    front = signed_in(fire_partner).get(assessment.get_absolute_url()).content.decode()
    scan = front[front.index('id="horizon-scanning"') : front.index('id="horizon-scan-comments"')]
    assert "A new Police and Crime Plan" in scan
    below = text(signed_in(fire_partner).get(assessment.get_absolute_url()))
    assert "1 comment on the horizon scan; 1 discussion open. Comment on the horizon scan" in below


def test_a_reply_joins_the_thread_and_the_analyst_resolves_it(
    police_client, fire_partner, analyst, assessment, row, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        post(police_client, assessment, on=f"h-{row.pk}", body=BODY)
    root = Comment.objects.get()
    assert [m.subject for m in mailoutbox] == [
        f"New comment on the horizon scan: {assessment.title}"
    ]
    assert "commented on the horizon scan of" in mailoutbox[0].body
    # The email's link finds the comment on the scan's comments page.
    assert root.get_absolute_url() in mailoutbox[0].body
    where = signed_in(analyst).get(root.get_absolute_url())["Location"]
    assert where == f"{url(assessment)}#comment-{root.pk}"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(signed_in(fire_partner), assessment, parent=root.pk, body="Agreed.")
    assert Comment.objects.get(body="Agreed.").parent == root
    resolve = reverse("comment_resolve", args=[root.pk])
    # A partner cannot resolve; the analyst can, with a response.
    assert police_client.post(resolve, {"note": "x"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(analyst).post(resolve, {"note": "Changed to March."})
    assert response["Location"] == f"{url(assessment)}#comment-{root.pk}"
    root.refresh_from_db()
    assert root.resolved_by == analyst and root.resolution_note == "Changed to March."
    assert "Comment resolved on the horizon scan" in [m.subject for m in mailoutbox]
    page = text(signed_in(fire_partner).get(url(assessment)))
    assert "Resolved by" in page and "Analyst’s response: Changed to March." in page


def test_the_author_changes_their_comment_and_goes_back_to_the_scan(police_client, assessment, row):
    post(police_client, assessment, on=f"h-{row.pk}", body=BODY)
    comment = Comment.objects.get()
    edit = reverse("comment_edit", args=[comment.pk])
    assert "The horizon scan" in text(police_client.get(edit))
    response = police_client.post(edit, {"body": "Due in March."})
    assert response["Location"] == f"{url(assessment)}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body == "Due in March."


# What must be refused ------------------------------------------------------------------------


def test_another_partnerships_member_gets_404_and_posts_nothing(outsider, assessment, row):
    outsider_client = signed_in(outsider)
    assert outsider_client.get(url(assessment)).status_code == 404
    assert post(outsider_client, assessment, on=f"h-{row.pk}", body=BODY).status_code == 404
    assert not Comment.objects.exists()


def test_someone_signed_out_is_sent_to_sign_in_and_posts_nothing(client, assessment, row):
    for response in (client.get(url(assessment)), post(client, assessment, on=f"h-{row.pk}")):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Comment.objects.exists()


def test_the_comments_of_another_partnership_are_not_found(
    police_client, other_partnership, outsider
):
    theirs = AssessmentFactory(partnership=other_partnership, status="consultation")
    their_row = HorizonScanItem.objects.create(assessment=theirs, factor="legal", issue="Theirs")
    comment = Comment.objects.create(author=outsider, horizon_item=their_row, body="Secret.")
    for address in ("comment_link", "comment_edit", "comment_delete"):
        response = police_client.get(reverse(address, args=[comment.pk]))
        assert response.status_code == 404 and "Secret." not in response.content.decode()
    assert police_client.get(url(theirs)).status_code == 404


def test_after_the_consultation_closed_comments_are_read_but_not_added(
    police_client, assessment, row, police_partner
):
    CommentFactory(horizon_item=row, chapter=None, author=police_partner, body="Earlier.")
    assessment.consultation_closes_on = timezone.localdate() - dt.timedelta(days=1)
    assessment.save()
    page = police_client.get(url(assessment))
    assert "Earlier." in text(page)
    assert "comments can be read but not added" in text(page)
    assert 'name="body"' not in page.content.decode()
    assert post(police_client, assessment, on=f"h-{row.pk}", body=BODY).status_code == 404
    root = Comment.objects.get()
    assert post(police_client, assessment, parent=root.pk, body=BODY).status_code == 404
    assert Comment.objects.count() == 1


def test_a_row_of_another_assessment_or_a_chapters_discussion_is_refused(
    police_client, assessment, row, police_partner
):
    last_year = AssessmentFactory(partnership=assessment.partnership, year=2016)
    old_row = HorizonScanItem.objects.create(assessment=last_year, factor="legal", issue="Old")
    response = post(police_client, assessment, on=f"h-{old_row.pk}", body=BODY)
    assert response.status_code == 200
    assert "Choose a row of the horizon scan to comment on" in text(response)
    chapter_thread = CommentFactory(chapter=ChapterFactory(assessment=assessment))
    response = post(police_client, assessment, parent=chapter_thread.pk, body=BODY)
    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_never_on_the_public_pages_or_in_the_report(client, assessment, row, police_partner):
    CommentFactory(horizon_item=row, chapter=None, author=police_partner, body=BODY)
    set_status(assessment, "published")
    public = client.get(assessment.get_absolute_url())
    assert public.status_code == 200 and "A new Police and Crime Plan" in text(public)
    assert BODY not in public.content.decode() and url(assessment) not in text(public)
    assert BODY not in json.dumps(report_document(assessment), default=str)


# The analyst's views of the feedback, and the counts --------------------------------------


def test_the_feedback_lists_and_counts_the_scans_discussions(
    analyst, police_partner, assessment, row
):
    chapter = ChapterFactory(assessment=assessment, title="Violence")
    CommentFactory(chapter=chapter, author=police_partner, body="On violence.")
    comment_service.comment_create(
        author=police_partner, assessment=assessment, on=f"h-{row.pk}", body=BODY
    )
    client = signed_in(analyst)
    feedback = reverse("feedback", args=[assessment.partnership.slug, assessment.year])
    page = text(client.get(feedback))
    assert "Horizon scanning 1 0 Violence 1 0" in page  # the counts, the scan first
    assert "On political: A new Police and Crime Plan" in page and "On violence." in page
    only = text(client.get(f"{feedback}?chapter=horizon-scan"))
    assert BODY in only and "On violence." not in only
    export = client.get(
        reverse("feedback_export", args=[assessment.partnership.slug, assessment.year, "csv"])
    )
    rows = {r["Comment"]: r for r in csv.DictReader(io.StringIO(export.content.decode()))}
    assert (rows[BODY]["Chapter"], rows[BODY]["About"]) == (
        "Horizon scanning",
        "Horizon scan: Political",
    )
    assert rows[BODY]["Quoted text"] == row.issue


def test_the_partners_progress_and_the_approval_count_the_scans_comments(
    police_client, chair, assessment, row, police_partner
):
    post(police_client, assessment, on=f"h-{row.pk}", body=BODY)
    page = text(police_client.get(assessment.get_absolute_url()))
    assert "Comments 1 on 0 chapters and the horizon scan" in page
    transition = reverse("transition", args=[assessment.partnership.slug, assessment.year])
    brief = text(signed_in(chair).get(f"{transition}?action=approve"))
    assert "Open discussions Horizon scanning: 1 open" in brief
    dashboard = reverse("dashboard", args=[assessment.partnership.slug, assessment.year])
    assert "Horizon scan: 1 open, 0 resolved." in text(signed_in(chair).get(dashboard))


def test_another_partnerships_analyst_cannot_open_the_comment_in_admin(
    analyst, other_analyst, police_partner, assessment, row
):
    comment = CommentFactory(horizon_item=row, chapter=None, author=police_partner, body=BODY)
    change = reverse("admin:assessments_comment_change", args=[comment.pk])
    assert signed_in(analyst).get(change).status_code == 200
    response = signed_in(other_analyst).get(change)
    assert response.status_code == 404 and BODY not in response.content.decode()
    listing = signed_in(other_analyst).get(reverse("admin:assessments_comment_changelist"))
    assert BODY not in listing.content.decode()


def test_the_scans_comments_page_costs_the_same_with_more_discussions(
    police_client, fire_partner, assessment, row, django_assert_max_num_queries
):
    def discussion(n):
        root = CommentFactory(horizon_item=row, chapter=None, author=fire_partner, body=f"D{n}")
        CommentFactory(horizon_item=row, chapter=None, author=fire_partner, parent=root)

    discussion(0)
    with CaptureQueriesContext(connection) as few:
        assert police_client.get(url(assessment)).status_code == 200
    for n in range(1, 8):
        discussion(n)
    with django_assert_max_num_queries(len(few)):
        page = police_client.get(url(assessment))
    assert "D7" in page.content.decode()
