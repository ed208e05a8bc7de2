"""Read tracking: what changed since each person last read a chapter, and their organisation's
progress through the consultation."""

import datetime as dt

import pytest
from django.utils import timezone

from assessments.consultation.services import reading

from ..factories import ChapterFactory, CommentFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def test_changed_since_you_last_read(police_client, police_partner, assessment):
    chapter = ChapterFactory(assessment=assessment, title="Violence")
    police_client.get(chapter.get_absolute_url())
    page = police_client.get(assessment.get_absolute_url()).content.decode()
    assert "Changed since you last read it" not in page
    chapter.narrative = "The analyst rewrote this."
    chapter.save()
    page = police_client.get(assessment.get_absolute_url()).content.decode()
    assert "Changed since you last read it" in page
    chapter_page = police_client.get(chapter.get_absolute_url()).content.decode()
    assert "This chapter has changed since you last read it" in chapter_page
    # Reading it again clears the notice.
    assert (
        "Changed since you last read it"
        not in police_client.get(assessment.get_absolute_url()).content.decode()
    )


def test_reading_is_tracked_per_user(police_partner, fire_partner, assessment):
    chapter = ChapterFactory(assessment=assessment)
    reading.chapter_mark_read(user=police_partner, chapter=chapter)
    assert chapter.reads.get().user == police_partner


def test_progress_of_the_users_organisation(police_client, police_partner, assessment):
    chapter = ChapterFactory(assessment=assessment)
    RecommendationFactory(chapter=chapter)
    CommentFactory(chapter=chapter, author=police_partner)
    page = police_client.get(assessment.get_absolute_url()).content.decode()
    assert "Test Police’s progress" in page
    assert "1 on 1 chapter" in page
    assert "0 of 1" in page


def test_progress_counts_only_the_organisations_own_answers(
    police_client, police_partner, fire_partner, assessment
):
    chapter = ChapterFactory(assessment=assessment)
    first, second, _third = (RecommendationFactory(chapter=chapter) for _ in range(3))
    for recommendation in (first, second):  # both answered by fire, only the first by police
        recommendation.responses.create(organisation=fire_partner.organisation, answer="support")
    first.responses.create(organisation=police_partner.organisation, answer="support")
    CommentFactory(chapter=chapter, author=police_partner)
    CommentFactory(chapter=chapter, author=police_partner)
    CommentFactory(chapter=ChapterFactory(assessment=assessment), author=fire_partner)
    page = police_client.get(assessment.get_absolute_url()).content.decode()
    assert "2 on 1 chapter<" in page
    assert "1 of 3" in page


def test_progress_counts_the_chapters_the_user_has_read(
    police_client, police_partner, fire_partner, assessment
):
    first, second, _third = (ChapterFactory(assessment=assessment) for _ in range(3))
    reading.chapter_mark_read(user=police_partner, chapter=first)
    reading.chapter_mark_read(user=police_partner, chapter=second)
    reading.chapter_mark_read(user=fire_partner, chapter=_third)  # someone else's reading
    reading.chapter_mark_read(user=police_partner, chapter=ChapterFactory())  # another assessment
    page = police_client.get(assessment.get_absolute_url()).content.decode()
    read = page.split("Chapters you have read")[1].split("</dd>")[0]
    assert "2 of 3" in read


def test_reading_on_is_recorded_again_only_when_it_could_change_what_is_shown(
    police_client, police_partner, assessment
):
    """A page view wrote the reading every time; now only when the chapter changed since, or
    some minutes have passed: the "changed since you last read" notice is as before."""
    chapter = ChapterFactory(assessment=assessment)
    police_client.get(chapter.get_absolute_url())
    first = chapter.reads.get(user=police_partner).read_at

    police_client.get(chapter.get_absolute_url())
    assert chapter.reads.get(user=police_partner).read_at == first  # moments later: unchanged

    chapter.narrative = "Rewritten."
    chapter.save()
    police_client.get(chapter.get_absolute_url())
    assert chapter.reads.get(user=police_partner).read_at >= chapter.updated_at

    # Unchanged for an hour, last read ten minutes ago: read again, and recorded.
    now = timezone.now()
    type(chapter).objects.filter(pk=chapter.pk).update(updated_at=now - dt.timedelta(hours=1))
    chapter.reads.filter(user=police_partner).update(read_at=now - dt.timedelta(minutes=10))
    police_client.get(chapter.get_absolute_url())
    assert chapter.reads.get(user=police_partner).read_at >= now
