"""The analyst's feedback as CSV or XLSX: one row per comment, then one per organisation's
answer to a recommendation (its reason in the Comment column, the answer in Status).

Partners' text is untrusted: a cell that a spreadsheet would read as a formula is prefixed with an
apostrophe so it stays text (the rule is assessments.core.spreadsheet's, shared by every export).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook

from assessments.consultation.models import Comment, RecommendationResponse
from assessments.core.models import Recommendation
from assessments.core.spreadsheet import neutralise

HEADERS = [
    "Discussion",
    "Chapter",
    "About",
    "Quoted text",
    "Author",
    "Organisation",
    "Posted",
    "Comment",
    "Status",
    "Resolved by",
    "Response",
]


def _about(root: Comment) -> str:
    if root.horizon_item_id:
        return f"Horizon scan: {root.horizon_item.get_factor_display()}"
    if root.recommendation_id:
        return "Recommendation"
    return "Paragraph" if root.paragraph_anchor else "Whole chapter"


def _row(root: Comment, comment: Comment) -> list:
    author = comment.author
    return [
        root.pk,
        root.chapter.title if root.chapter_id else "Horizon scanning",
        _about(root),
        root.quoted_text if comment is root else "",
        author.get_full_name() or author.username,
        author.organisation.name if author.organisation else "",
        timezone.localtime(comment.created_at).strftime("%Y-%m-%d %H:%M"),
        comment.body,
        ("Resolved" if root.resolved_at else "Open") if comment is root else "Reply",
        (root.resolved_by.get_full_name() if root.resolved_by else "") if comment is root else "",
        root.resolution_note if comment is root else "",
    ]


def _answer_row(recommendation: Recommendation, response: RecommendationResponse) -> list:
    by = response.by
    return [
        "",
        recommendation.chapter.title,
        "Answer to a recommendation",
        recommendation.text,
        (by.get_full_name() or by.username) if by else "",
        response.organisation.name,
        timezone.localtime(response.updated_at).strftime("%Y-%m-%d %H:%M"),
        response.reason,
        response.get_answer_display(),
        "",
        "",
    ]


Answers = Iterable[tuple[Recommendation, list[RecommendationResponse]]]


def feedback_rows(threads: Iterable[Comment], answers: Answers = ()) -> Iterable[list]:
    for root in threads:
        for comment in [root, *root.replies.all()]:
            yield [neutralise(value) for value in _row(root, comment)]
    for recommendation, responses in answers:
        for response in responses:
            yield [neutralise(value) for value in _answer_row(recommendation, response)]


def feedback_csv(threads: Iterable[Comment], answers: Answers = ()) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(feedback_rows(threads, answers))
    return out.getvalue()


def feedback_xlsx(threads: Iterable[Comment], answers: Answers = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Feedback"
    sheet.append(HEADERS)
    for row in feedback_rows(threads, answers):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
