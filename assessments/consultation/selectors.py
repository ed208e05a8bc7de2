"""Reads of the consultation: threads, reads, responses and the analyst's feedback counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Coalesce

from assessments.consultation.models import (
    ChapterRead,
    Comment,
    NotificationPreference,
    RecommendationResponse,
    WorkflowEvent,
)
from assessments.core.models import (
    Assessment,
    Chapter,
    HorizonScanItem,
    Organisation,
    Recommendation,
)
from assessments.core.permissions import MEMBER_ROLES


def last_reads(user, chapter_ids) -> dict[int, datetime]:
    """When the user last read each of these chapters (absent: never), in one query."""
    if not user.is_authenticated:
        return {}
    return dict(
        ChapterRead.objects.filter(user=user, chapter_id__in=list(chapter_ids)).values_list(
            "chapter_id", "read_at"
        )
    )


def changed_since_read(chapter: Chapter, read_at: datetime | None) -> bool:
    """Edited after the user last read it; a chapter never read is new, not changed."""
    return read_at is not None and chapter.updated_at > read_at


# How much of a chapter's discussion its page shows: the rest is a link away, on the chapter's
# comments pages, so that the page costs the same with 3 comments or 3,000.
DISCUSSIONS_ON_CHAPTER_PAGE = 10
REPLIES_ON_CHAPTER_PAGE = 3
DISCUSSIONS_PER_PAGE = 20


def subject_of(comment: Comment) -> str:
    """What a discussion is about, as the comments pages' `about` filter spells it: "chapter",
    a paragraph's anchor or "r-<recommendation id>"."""
    return _subject(comment.recommendation_id, comment.paragraph_anchor)


def _subject(recommendation_id: int | None, paragraph_anchor: str) -> str:
    return f"r-{recommendation_id}" if recommendation_id else paragraph_anchor or "chapter"


@dataclass(frozen=True)
class Overview:
    """What a page says of a chapter's discussions besides showing them: the chapter's counts,
    and how much of each subject's discussion (subject_of) the page shows. Small and free of
    rows, so that it is kept with the chapter page's rendered discussions."""

    count: int
    open_count: int
    resolved_count: int
    # Discussions about each subject, shown or not, and shown.
    discussions_on: dict[str, int]
    shown_on: dict[str, int]
    shown_open: int
    shown_resolved: int
    replies_left_out: bool

    @property
    def shown_count(self) -> int:
        return self.shown_open + self.shown_resolved

    @property
    def hidden_open(self) -> int:
        return self.open_count - self.shown_open

    @property
    def hidden_resolved(self) -> int:
        return self.resolved_count - self.shown_resolved

    @property
    def complete(self) -> bool:
        """Every comment is shown."""
        return not (self.hidden_open or self.hidden_resolved or self.replies_left_out)

    def all_shown_on(self, subject: str) -> bool:
        return self.shown_on.get(subject, 0) == self.discussions_on.get(subject, 0)


@dataclass
class Threads:
    """Some of a chapter's discussions (first comments, each with `thread_replies` and
    `reply_count`), grouped by what they are about, with the whole chapter's counts."""

    on_chapter: list[Comment]
    by_paragraph: dict[str, list[Comment]]
    by_recommendation: dict[int, list[Comment]]
    count: int
    open_count: int
    resolved_count: int = 0
    # Discussions about each subject (subject_of), shown or not.
    discussions_on: dict[str, int] = field(default_factory=dict)

    @property
    def shown(self) -> list[Comment]:
        return [
            *self.on_chapter,
            *(r for roots in self.by_paragraph.values() for r in roots),
            *(r for roots in self.by_recommendation.values() for r in roots),
        ]

    def overview(self) -> Overview:
        shown = self.shown
        return Overview(
            count=self.count,
            open_count=self.open_count,
            resolved_count=self.resolved_count,
            discussions_on=dict(self.discussions_on),
            shown_on=dict(Counter(subject_of(root) for root in shown)),
            shown_open=sum(root.resolved_at is None for root in shown),
            shown_resolved=sum(root.resolved_at is not None for root in shown),
            replies_left_out=any(len(r.thread_replies) < r.reply_count for r in shown),
        )


def _discussions_of(chapter: Chapter) -> QuerySet[Comment]:
    return Comment.objects.filter(chapter=chapter, parent__isnull=True).select_related(
        "author__organisation", "resolved_by", "recommendation"
    )


def _with_replies(roots, latest: int | None = None) -> list[Comment]:
    """The discussions with their replies in `thread_replies` (only the `latest` ones, if
    given), how many there are in `reply_count` and how many are left out in `hidden_replies`;
    two queries, however many there are. (Plain queries: a window per discussion cost the page
    more in building the query than it saved in rows.)"""
    roots = list(roots)
    replies = Comment.objects.filter(parent__in=[root.pk for root in roots]).order_by(
        "created_at", "pk"
    )
    counts = {}
    if latest is not None:
        ids = defaultdict(list)
        for pk, parent_id in replies.values_list("pk", "parent_id"):
            ids[parent_id].append(pk)
        counts = {parent_id: len(pks) for parent_id, pks in ids.items()}
        replies = replies.filter(pk__in=[pk for pks in ids.values() for pk in pks[-latest:]])
    by_root = defaultdict(list)
    for reply in replies.select_related("author__organisation"):
        by_root[reply.parent_id].append(reply)
    for root in roots:
        root.thread_replies = by_root.get(root.pk, [])
        root.reply_count = counts.get(root.pk, len(root.thread_replies))
        root.hidden_replies = root.reply_count - len(root.thread_replies)
    return roots


def horizon_scan_counts(assessment: Assessment) -> dict:
    """How many rows the horizon scan has to comment on, its comments, and its open and resolved
    discussions; one query."""
    roots = Q(comments__parent__isnull=True)
    counts = assessment.horizon_scan.aggregate(
        rows=Count("pk", distinct=True),
        comment_count=Count("comments"),  # named apart from the relation the filters follow
        open=Count("comments", filter=roots & Q(comments__resolved_at__isnull=True)),
        resolved=Count("comments", filter=roots & Q(comments__resolved_at__isnull=False)),
    )
    counts["comments"] = counts.pop("comment_count")
    return counts


def horizon_scan_threads(assessment: Assessment) -> list[tuple[HorizonScanItem, list[Comment]]]:
    """Each row of the horizon scan that has discussions, in the scan's order, with them (each
    whole, in the order they were started); four queries however many."""
    items = {item.pk: item for item in assessment.horizon_scan.all()}
    roots = _with_replies(
        Comment.objects.filter(horizon_item__in=list(items), parent__isnull=True)
        .select_related("author__organisation", "resolved_by")
        .order_by("created_at", "pk")
    )
    by_item = defaultdict(list)
    for root in roots:
        for comment in [root, *root.thread_replies]:
            comment.assessment = assessment  # shared: permission checks need no more queries
        by_item[root.horizon_item_id].append(root)
    return [(item, by_item[pk]) for pk, item in items.items() if by_item.get(pk)]


def _grouped(chapter: Chapter, roots: list[Comment]) -> Threads:
    threads = Threads([], defaultdict(list), defaultdict(list), 0, 0)
    for root in sorted(roots, key=lambda c: (c.created_at, c.pk)):
        for comment in [root, *root.thread_replies]:
            # Shared instances: permission checks need no more queries.
            comment.chapter, comment.assessment = chapter, chapter.assessment
        if root.recommendation_id:
            threads.by_recommendation[root.recommendation_id].append(root)
        elif root.paragraph_anchor:
            threads.by_paragraph[root.paragraph_anchor].append(root)
        else:
            threads.on_chapter.append(root)
    return threads


def _counted(chapter: Chapter, threads: Threads) -> Threads:
    """The threads with the chapter's counts of comments and discussions, in one query."""
    subjects = (
        Comment.objects.filter(chapter=chapter, parent__isnull=True)
        .values_list("recommendation_id", "paragraph_anchor")
        .annotate(
            open=Count("pk", filter=Q(resolved_at__isnull=True), distinct=True),
            resolved=Count("pk", filter=Q(resolved_at__isnull=False), distinct=True),
            replies=Count("replies"),
        )
        .order_by()
    )
    for recommendation_id, anchor, open_count, resolved_count, replies in subjects:
        subject = _subject(recommendation_id, anchor)
        discussions = open_count + resolved_count
        threads.discussions_on[subject] = threads.discussions_on.get(subject, 0) + discussions
        threads.open_count += open_count
        threads.resolved_count += resolved_count
        threads.count += discussions + replies
    return threads


def _chapter_page_discussions(chapter: Chapter) -> list[int]:
    """The ids of the discussions the chapter page shows: open ones first, then the most
    recently active (started or replied to). Grouped by id alone, so the query stays light."""
    latest = Coalesce(Max("replies__created_at"), F("created_at"))
    open_first = Case(When(resolved_at__isnull=True, then=0), default=1)
    ranked = (
        Comment.objects.filter(chapter=chapter, parent__isnull=True)
        .values("pk", "resolved_at", "created_at")
        .annotate(last_activity=latest)
        .order_by(open_first, "-last_activity", "-pk")
    )
    return [row["pk"] for row in ranked[:DISCUSSIONS_ON_CHAPTER_PAGE]]


def comment_threads(chapter: Chapter) -> Threads:
    """What the chapter page shows: its latest discussions, open ones first, each with its
    latest replies; five queries however long the discussion."""
    shown = _discussions_of(chapter).filter(pk__in=_chapter_page_discussions(chapter))
    shown = _with_replies(shown, REPLIES_ON_CHAPTER_PAGE)
    return _counted(chapter, _grouped(chapter, shown))


def _listed(chapter: Chapter, about: str = "") -> QuerySet[Comment]:
    """The comments pages' discussions, in the order they were started."""
    roots = _discussions_of(chapter).order_by("created_at", "pk")
    if about == "chapter":
        return roots.filter(recommendation__isnull=True, paragraph_anchor="")
    if about.startswith("r-") and about[2:].isdigit():
        return roots.filter(recommendation_id=int(about[2:]))
    if about:
        return roots.filter(recommendation__isnull=True, paragraph_anchor=about)
    return roots


def comments_page(
    chapter: Chapter, *, page: int | str | None, about: str = ""
) -> tuple[Threads, Page]:
    """One page of the chapter's discussions (about one subject, if given), each whole; as the
    URL gives it, so a number past the last gives the last page and anything else the first."""
    current = Paginator(_listed(chapter, about), DISCUSSIONS_PER_PAGE).get_page(page)
    current.object_list = _with_replies(current.object_list)
    return _counted(chapter, _grouped(chapter, current.object_list)), current


def comment_page_number(comment: Comment) -> int:
    """The page of the chapter's comments pages that shows the comment (its discussion)."""
    root = comment.parent if comment.parent_id else comment
    before = _listed(comment.chapter).filter(
        Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
    )
    return before.count() // DISCUSSIONS_PER_PAGE + 1


def on_chapter_page(comment: Comment) -> bool:
    """Whether the chapter page shows the comment: its discussion among those shown, and the
    comment the discussion's first or among its latest replies."""
    root_id = comment.parent_id or comment.pk
    if root_id not in _chapter_page_discussions(comment.chapter):
        return False
    if comment.parent_id is None:
        return True
    later = Comment.objects.filter(parent_id=root_id).filter(
        Q(created_at__gt=comment.created_at) | Q(created_at=comment.created_at, pk__gt=comment.pk)
    )
    return later.count() < REPLIES_ON_CHAPTER_PAGE


def organisation_answers(
    chapter: Chapter, organisation_id: int | None
) -> dict[int, tuple[str, str]]:
    """The organisation's answer, with its reason, to each of the chapter's recommendations."""
    if organisation_id is None:
        return {}
    rows = RecommendationResponse.objects.filter(
        recommendation__chapter=chapter, organisation_id=organisation_id
    ).values_list("recommendation_id", "answer", "reason")
    return {pk: (answer, reason) for pk, answer, reason in rows}


def organisation_progress(assessment: Assessment, user, *, chapters_read: int) -> dict | None:
    """How far the user's organisation has got with the consultation, in two queries;
    `chapters_read`: how many of the assessment's chapters the user has read, which the page
    knows already."""
    if not user.is_authenticated or user.organisation_id is None:
        return None
    comments = Comment.objects.filter(
        assessment=assessment, author__organisation_id=user.organisation_id
    ).aggregate(
        comments=Count("pk"),
        chapters_commented=Count("chapter", distinct=True),
        horizon_comments=Count("pk", filter=Q(chapter__isnull=True)),
    )
    ours = Q(responses__organisation_id=user.organisation_id)
    recommendations = Recommendation.objects.filter(chapter__assessment=assessment).aggregate(
        recommendations=Count("pk", distinct=True),
        answered=Count("responses", filter=ours, distinct=True),
    )
    return {
        "organisation": user.organisation,
        **comments,
        **recommendations,
        "chapters_read": chapters_read,
    }


def workflow_history(assessment: Assessment) -> QuerySet[WorkflowEvent]:
    return assessment.workflow_events.select_related("by", "readiness_override")


# The feedback filter's choice of the horizon scan's discussions rather than a chapter's.
HORIZON_SCAN = "horizon-scan"


def feedback_comments(assessment: Assessment, *, chapter=None, organisation=None, state=""):
    """The assessment's discussions (first comments, with their replies), filtered: the
    horizon scan's first (the front matter comes before the chapters), then each chapter's;
    `chapter` a chapter or HORIZON_SCAN."""
    roots = (
        Comment.objects.filter(assessment=assessment, parent__isnull=True)
        .select_related(
            "author__organisation", "chapter", "horizon_item", "recommendation", "resolved_by"
        )
        .prefetch_related(
            Prefetch("replies", queryset=Comment.objects.select_related("author__organisation"))
        )
        .order_by(F("chapter__order").asc(nulls_first=True), "created_at", "pk")
    )
    if chapter == HORIZON_SCAN:
        roots = roots.filter(chapter__isnull=True)
    elif chapter:
        roots = roots.filter(chapter=chapter)
    if organisation:
        roots = roots.filter(author__organisation=organisation)
    if state == "open":
        roots = roots.filter(resolved_at__isnull=True)
    elif state == "resolved":
        roots = roots.filter(resolved_at__isnull=False)
    return roots


def _open_resolved(rows, key: str) -> dict:
    counts = defaultdict(lambda: {"open": 0, "resolved": 0})
    for row in rows:
        counts[row[key]]["resolved" if row["resolved"] else "open"] += row["n"]
    return counts


def _discussions(assessment: Assessment):
    return Comment.objects.filter(assessment=assessment, parent__isnull=True).annotate(
        resolved=Case(When(resolved_at__isnull=False, then=True), default=False)
    )


def discussions_by_chapter(assessment: Assessment) -> dict[int | None, dict]:
    """{chapter id: open and resolved discussions}, in one query (a chapter without any: none);
    the horizon scan's under None."""
    rows = _discussions(assessment).values("chapter_id", "resolved").annotate(n=Count("pk"))
    return _open_resolved(rows, "chapter_id")


def discussions_by_organisation(assessment: Assessment) -> list[tuple[str, dict]]:
    """Open and resolved discussions per organisation of their authors, by name; one query."""
    rows = _discussions(assessment).values("author__organisation__name", "resolved")
    by_org = _open_resolved(rows.annotate(n=Count("pk")), "author__organisation__name")
    return sorted(
        ((name or "No organisation", counts) for name, counts in by_org.items()),
        key=lambda pair: pair[0],
    )


def feedback_counts(assessment: Assessment) -> dict:
    """Open and resolved discussions per chapter (with the chapters) and per organisation."""
    by_chapter = discussions_by_chapter(assessment)
    chapters = [(c, by_chapter[c.pk]) for c in assessment.chapters.order_by("order")]
    return {
        "horizon_scan": by_chapter[None],
        "chapters": chapters,
        "organisations": discussions_by_organisation(assessment),
    }


def answers_by_recommendation(assessment: Assessment) -> list[tuple[Recommendation, list]]:
    """Every recommendation with each organisation's answer."""
    recommendations = (
        Recommendation.objects.filter(chapter__assessment=assessment)
        .select_related("chapter")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=RecommendationResponse.objects.select_related(
                    "organisation", "by"
                ).order_by("organisation__name"),
            )
        )
        .order_by("chapter__order", "order", "pk")
    )
    return [(r, list(r.responses.all())) for r in recommendations]


def responding_organisations(assessment: Assessment) -> list[Organisation]:
    """The partnership's organisations asked to answer: those with an active partner or board
    member (the people can_respond_to_recommendations lets answer), by name."""
    return list(
        Organisation.objects.filter(
            partnerships=assessment.partnership_id,
            users__is_active=True,
            users__memberships__partnership_id=assessment.partnership_id,
            users__memberships__role__in=MEMBER_ROLES,
        )
        .distinct()
        .order_by("name")
    )


@dataclass
class Responses:
    """What the organisations asked to respond (`responding_organisations`) have said: the one
    reading behind the dashboard's organisations table, the approve page's "Not yet answered"
    and its warning before the consultation closes, and the reminders to silent organisations,
    so that they count alike."""

    asked: list[Organisation]
    answers: list[tuple[Recommendation, list]]  # answers_by_recommendation
    commented: set[int]  # the organisations with a comment

    @property
    def recommendation_count(self) -> int:
        return len(self.answers)

    def answered(self, organisation: Organisation) -> int:
        """How many recommendations the organisation has answered."""
        return sum(
            any(r.organisation_id == organisation.pk for r in responses)
            for _, responses in self.answers
        )

    def is_asked(self, organisation: Organisation) -> bool:
        return any(org.pk == organisation.pk for org in self.asked)

    @property
    def unanswered(self) -> list[tuple[Recommendation, list[Organisation]]]:
        """Each recommendation with the organisations asked that have not answered it."""
        rows = []
        for recommendation, responses in self.answers:
            answered = {response.organisation_id for response in responses}
            missing = [org for org in self.asked if org.pk not in answered]
            if missing:
                rows.append((recommendation, missing))
        return rows

    @property
    def not_finished(self) -> list[Organisation]:
        """The organisations asked that have not answered every recommendation."""
        return [org for org in self.asked if self.answered(org) < self.recommendation_count]

    @property
    def silent(self) -> list[Organisation]:
        """The organisations asked that have neither commented nor answered."""
        return [
            org for org in self.asked if org.pk not in self.commented and not self.answered(org)
        ]


def consultation_responses(assessment: Assessment) -> Responses:
    """Who was asked to respond and what each has said, in four queries."""
    commented = Comment.objects.filter(assessment=assessment).values_list(
        "author__organisation", flat=True
    )
    return Responses(
        asked=responding_organisations(assessment),
        answers=answers_by_recommendation(assessment),
        commented=set(commented.distinct()),
    )


def open_discussions_by_chapter(assessment: Assessment) -> list[tuple[Chapter, int]]:
    """The chapters with open discussions, and how many, in chapter order."""
    chapters = feedback_counts(assessment)["chapters"]
    return [(chapter, counts["open"]) for chapter, counts in chapters if counts["open"]]


def notification_preference_of(user) -> NotificationPreference:
    """The user's email choices, as saved or by default (not saved until they choose)."""
    chosen = NotificationPreference.objects.filter(user=user).first()
    return chosen or NotificationPreference(user=user)
