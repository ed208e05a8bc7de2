"""A chapter's discussions as its pages show them: rendered once, kept, and finished per reader;
and the horizon scan's, rendered the same way on its own page, afresh on each view.

The chapter page keeps its discussions rendered (issue 18: a chapter with hundreds of comments
cost the page eight times the floor in reading and rendering them). What it keeps is keyed by
`Chapter.discussions_changed_at`, which every change to a comment on the chapter, or to a name
one shows, moves (`watch`); by the partnership's cache version, for the paragraphs and
recommendations the discussions are grouped under; and by what the reader may do (comment,
resolve), which decides the forms. What differs from one reader to another is put in on each
view: every form's CSRF token, each reply form's idempotency key, and the edit links of the
reader's own comments, which last fifteen minutes. The chapter's comments pages render the same
way without keeping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Q, QuerySet, signals
from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from assessments.consultation.models import Comment
from assessments.consultation.permissions import can_change_comment
from assessments.consultation.selectors import (
    Overview,
    Threads,
    comment_threads,
    horizon_scan_threads,
)
from assessments.core.cache_version import cached
from assessments.core.idempotency import key_field
from assessments.core.markdown import Rendered
from assessments.core.models import Assessment, Chapter, Organisation, User

# Where the kept HTML wants what differs by reader: the templates write these, and no comment
# can (its text is escaped, so "<!--" never reaches the page from it).
CSRF_FIELD = "<!--csrf-token-->"
KEY_FIELD = "<!--idempotency-key-->"  # a new key in each reply form (core/idempotency.py)
_CHANGE_LINKS = re.compile(r"<!--change-links (\d+)-->")


@dataclass(frozen=True)
class Discussions:
    overview: Overview | None  # None: the horizon scan's, which counts its own
    html: str  # comments_groups.html (or horizon_comments_groups.html) with the markers above
    # (pk, author id, created at) of each comment shown: whose edit links to put in.
    authored: tuple[tuple[int, int, datetime], ...]
    # The chapter page's links under each paragraph (by anchor): to comment on it and to its
    # discussions.
    paragraph_links: dict[str, str] = field(default_factory=dict)


def all_comments_url(chapter: Chapter, about: str = "") -> str:
    """The chapter's comments pages: every discussion, or those about one subject (subject_of)."""
    url = reverse("chapter_comments", args=chapter.url_args)
    return f"{url}?{urlencode({'about': about})}" if about else url


def discussions_link(chapter: Chapter, overview: Overview, subject: str, here: str) -> str:
    """Where a subject's discussions are: `here` on this page when it shows them all, else the
    comments pages."""
    return here if overview.all_shown_on(subject) else all_comments_url(chapter, subject)


def for_chapter_page(
    chapter: Chapter, narrative: Rendered, recommendations, *, can_comment: bool, can_resolve: bool
) -> Discussions:
    """The chapter page's discussions (its latest, see comment_threads), kept until they change."""

    def build() -> Discussions:
        discussions = rendered(
            chapter,
            narrative,
            recommendations,
            comment_threads(chapter),
            can_comment=can_comment,
            can_resolve=can_resolve,
        )
        overview = discussions.overview
        links = {
            anchor: _paragraph_links(chapter, overview, anchor, number, can_comment=can_comment)
            for number, (anchor, _) in enumerate(narrative.paragraphs, start=1)
        }
        return replace(discussions, paragraph_links=links)

    return cached(
        chapter.assessment.partnership,
        build,
        "chapter-discussions",
        chapter.pk,
        chapter.discussions_changed_at and chapter.discussions_changed_at.timestamp(),
        can_comment,
        can_resolve,
    )


def rendered(
    chapter: Chapter,
    narrative: Rendered,
    recommendations,
    threads: Threads,
    *,
    can_comment: bool,
    can_resolve: bool,
    about: str | None = None,
) -> Discussions:
    """The discussions rendered for any reader who may do what the flags say; `about`: for the
    chapter's comments pages (about one subject, or "" for all), rather than the chapter page."""
    overview = threads.overview()
    authored = _named(threads.shown)
    listing = about is not None
    context = {
        "threads": threads,
        "listing": listing,
        "about": about,
        "chapter_url": chapter.get_absolute_url() if listing else "",
        "comments_url": reverse("chapter_comments", args=chapter.url_args),
        "on_chapter_more": _more(chapter, overview, "chapter"),
        "paragraph_groups": _paragraph_groups(chapter, narrative, threads, overview),
        "recommendation_groups": _recommendation_groups(
            chapter, recommendations, threads, overview
        ),
        "can_comment": can_comment,
        "can_resolve": can_resolve,
    }
    html = render_to_string("assessments/includes/comments_groups.html", context)
    return Discussions(overview, html, authored)


def _named(roots: list[Comment]) -> tuple[tuple[int, int, datetime], ...]:
    """Each comment's author and organisation as the templates name them, worked out once (they
    name each author several times); and (pk, author id, created at) of every comment."""
    authored = []
    for root in roots:
        for comment in [root, *root.thread_replies]:
            author = comment.author
            comment.author_name = author.get_full_name() or author.username
            comment.organisation_name = author.organisation.name if author.organisation else ""
            authored.append((comment.pk, comment.author_id, comment.created_at))
    return tuple(authored)


def horizon_scan_discussions(
    assessment: Assessment, comments_url: str, *, can_comment: bool, can_resolve: bool
) -> Discussions:
    """Every discussion on the horizon scan, each whole, under the row it is about, with the
    chapter's thread template and its forms (plain posts: `listing`)."""
    groups = horizon_scan_threads(assessment)
    authored = _named([root for _, roots in groups for root in roots])
    context = {
        "groups": groups,
        "listing": True,
        "comments_url": comments_url,
        "can_comment": can_comment,
        "can_resolve": can_resolve,
    }
    html = render_to_string("assessments/includes/horizon_comments_groups.html", context)
    return Discussions(None, html, authored)


def finished_for(
    request: HttpRequest, assessment: Assessment, discussions: Discussions
) -> SafeString:
    """The discussions' HTML with the reader's CSRF token and new idempotency keys in its
    forms, and edit links under the reader's own comments while they may still change them."""
    user, html = request.user, discussions.html
    if CSRF_FIELD in html:
        html = html.replace(CSRF_FIELD, csrf_input(request))
    html = re.sub(KEY_FIELD, lambda _marker: key_field(), html)
    links = {}
    for pk, author_id, created_at in discussions.authored:
        if author_id == user.pk:
            comment = Comment(
                pk=pk, author_id=author_id, created_at=created_at, assessment=assessment
            )
            if can_change_comment(user, comment):
                links[pk] = render_to_string(
                    "assessments/includes/comments_change_links.html", {"comment": comment}
                )
    return mark_safe(_CHANGE_LINKS.sub(lambda marker: links.get(int(marker[1]), ""), html))  # noqa: S308 (rendered by our templates, the text escaped)


def _more(chapter: Chapter, overview: Overview, subject: str) -> dict | None:
    """A link to a subject's other discussions, when this page shows only some of them."""
    if overview.all_shown_on(subject):
        return None
    return {"url": all_comments_url(chapter, subject), "count": overview.discussions_on[subject]}


def _paragraph_groups(
    chapter: Chapter, narrative: Rendered, threads: Threads, overview: Overview
) -> list[dict]:
    """Paragraph discussions in reading order; those on a paragraph since rewritten come last."""
    groups = []
    numbers = {anchor: n for n, (anchor, _) in enumerate(narrative.paragraphs, start=1)}
    for anchor, roots in threads.by_paragraph.items():
        number, more = numbers.get(anchor), _more(chapter, overview, anchor)
        groups.append({"anchor": anchor, "number": number, "threads": roots, "more": more})
    return sorted(groups, key=lambda g: (g["number"] is None, g["number"] or 0))


def _recommendation_groups(
    chapter: Chapter, recommendations, threads: Threads, overview: Overview
) -> list[dict]:
    return [
        {
            "recommendation": r,
            "number": n,
            "threads": threads.by_recommendation[r.pk],
            "more": _more(chapter, overview, f"r-{r.pk}"),
        }
        for n, r in enumerate(recommendations, start=1)
        if threads.by_recommendation.get(r.pk)
    ]


def _paragraph_links(
    chapter: Chapter, overview: Overview, anchor: str, number: int, *, can_comment: bool
) -> str:
    """The links to go under a paragraph: to comment on it and to its comments. Commenting on a
    paragraph starts where the reader is."""
    context = {
        "anchor": anchor,
        "number": number,
        "count": overview.discussions_on.get(anchor, 0),
        "href": discussions_link(chapter, overview, anchor, f"#{anchor}-comments"),
        "can_comment": can_comment,
    }
    return render_to_string("assessments/includes/comments_paragraph_links.html", context).strip()


# --- The key: when a chapter's discussions last changed ----------------------------------------


def touch(chapters: Q) -> datetime:
    """Mark the chapters' discussions changed, and say when. An update, not a save: it moves
    neither the chapter's `updated_at` (what readers see as "changed since you last read") nor
    the partnership's cache version."""
    now = timezone.now()
    Chapter.objects.filter(chapters).update(discussions_changed_at=now)
    return now


def _comment_changed(sender, instance: Comment, raw: bool = False, origin=None, **kwargs) -> None:
    if raw:
        return
    started_at = origin.model if isinstance(origin, QuerySet) else type(origin)
    if origin is not None and started_at is not Comment:
        # Deleted with its chapter (or the chapter's assessment or partnership): nothing is left
        # to show it, and a chapter's hundreds of comments would each update the row going.
        return
    if instance.chapter_id is None:
        return  # on the horizon scan, whose discussions are read afresh on each view
    now = touch(Q(pk=instance.chapter_id))
    if Comment.chapter.is_cached(instance):
        # The request that made the change often shows the discussions next, with this chapter.
        instance.chapter.discussions_changed_at = now


# What the discussions show of a person, on each of their comments and resolutions.
_SHOWN_OF_A_PERSON = {"first_name", "last_name", "username", "organisation", "organisation_id"}


def _person_changed(sender, instance: User, created=False, raw=False, update_fields=None, **kw):
    """A save that may change what the discussions show of the person (not a sign-in's
    `last_login` or a new password), or the person's deletion (their resolutions then name
    "the analyst"), marks the discussions they took part in changed."""
    if created or raw or (update_fields is not None and not _SHOWN_OF_A_PERSON & update_fields):
        return
    theirs = Comment.objects.filter(Q(author=instance) | Q(resolved_by=instance))
    touch(Q(pk__in=theirs.values("chapter_id")))


def _organisation_changed(sender, instance: Organisation, created=False, raw=False, **kwargs):
    """An organisation's name shows on its people's comments, in every partnership they
    comment in: not only those it is linked to, whose versions its save moves."""
    if not (created or raw):
        theirs = Comment.objects.filter(author__organisation=instance)
        touch(Q(pk__in=theirs.values("chapter_id")))


def watch() -> None:
    """Connect the signals (called from AppConfig.ready())."""
    signals.post_save.connect(_comment_changed, sender=Comment, dispatch_uid="discussions-save")
    signals.post_delete.connect(_comment_changed, sender=Comment, dispatch_uid="discussions-del")
    signals.post_save.connect(_person_changed, sender=User, dispatch_uid="discussions-person")
    # Before the delete, while their resolutions still lead to them.
    signals.pre_delete.connect(_person_changed, sender=User, dispatch_uid="discussions-gone")
    signals.post_save.connect(
        _organisation_changed, sender=Organisation, dispatch_uid="discussions-organisation"
    )
