"""The assessment's admin page lists its chapters and links to adding one, on the chapter's own
page with the assessment already chosen."""

import re

import pytest
from django.urls import reverse

from assessments.core.models import User

pytestmark = pytest.mark.django_db


def test_the_assessment_page_links_to_a_new_chapter_of_that_assessment(client, demo):
    client.force_login(User.objects.get(username="analyst"))
    page = client.get(reverse("admin:assessments_assessment_change", args=[demo.pk]))
    link = re.search(r'href="([^"]+)">Add a chapter to this assessment<', page.content.decode())
    assert link is not None
    add_page = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert f'<option value="{demo.pk}" selected>' in add_page


def test_the_assessment_page_lists_its_chapters_without_a_form_for_each(client, demo):
    """Each chapter is edited on its own page: the list links there and to the site, and the
    assessment's form carries no box for any chapter (issue 18: a read-only inline rendered a
    form and hidden boxes per chapter, so the page grew with the chapters)."""
    client.force_login(User.objects.get(username="analyst"))
    page = client.get(reverse("admin:assessments_assessment_change", args=[demo.pk]))
    html = page.content.decode()
    chapters = list(demo.chapters.order_by("order"))
    for chapter in chapters:
        change = reverse("admin:assessments_chapter_change", args=[chapter.pk])
        assert f'<a href="{change}">{chapter.title}</a>' in html
        assert f'<a href="{chapter.get_absolute_url()}">View on site' in html
    assert "chapters-TOTAL_FORMS" not in html
    assert 'name="chapters-0-id"' not in html


def test_the_assessment_page_lists_its_criteria_and_adds_one_on_its_own_page(client, demo):
    """The priority matrix's criteria are listed like the chapters, not as a stacked form each
    (issue 18: five stacked criteria took about half the page's time)."""
    client.force_login(User.objects.get(username="analyst"))
    page = client.get(reverse("admin:assessments_assessment_change", args=[demo.pk]))
    html = page.content.decode()
    criteria = list(demo.priority_criteria.all())
    assert criteria
    for criterion in criteria:
        change = reverse("admin:assessments_criterion_change", args=[criterion.pk])
        assert f'<a href="{change}">{criterion.name}</a>' in html
    assert "priority_criteria-TOTAL_FORMS" not in html
    link = re.search(r'href="([^"]+)">Add a criterion to this matrix<', html)
    add_page = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert f'<option value="{demo.pk}" selected>' in add_page
