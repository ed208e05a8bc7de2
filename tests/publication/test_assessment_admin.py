"""The assessment's admin page lists its chapters and links to adding one, on the chapter's own
page with the assessment already chosen."""

import re

import pytest
from django.urls import reverse

from assessments.core.models import User
from assessments.publication.models import StatutoryCoverage, StatutoryRequirement

from ..factories import ChapterFactory

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


def test_the_assessment_page_lists_the_statutory_checklist_without_a_form_for_each(client, demo):
    """Each requirement of the regulations is listed with the chapters that cover it, the
    uncovered ones said so; each is edited on its own page (issue 18: the inline's horizontal
    filters listed every chapter in every row, a third of the page's time)."""
    client.force_login(User.objects.get(username="analyst"))
    html = client.get(reverse("admin:assessments_assessment_change", args=[demo.pk])).content
    html = html.decode()
    assert "statutory_coverage-TOTAL_FORMS" not in html
    covered = {c.requirement: c for c in StatutoryCoverage.objects.filter(assessment=demo)}
    assert covered, "the demo maps some requirements"
    for requirement in StatutoryRequirement:
        if requirement in covered:
            coverage = covered[requirement]
            change = reverse("admin:assessments_statutorycoverage_change", args=[coverage.pk])
            assert f'<a href="{change}">{requirement.label}</a>' in html
            for chapter in coverage.chapters.all():
                assert chapter.title in html
        else:
            assert f"{requirement.label}</th><td>No chapter yet" in html


def test_a_requirement_is_edited_on_its_own_page_with_this_assessments_chapters_only(client, demo):
    """The chapters offered and accepted are the assessment's own: a partnership's other years'
    chapters (here next year's) were offered too, and accepted."""
    next_year = ChapterFactory(
        assessment__partnership=demo.partnership, assessment__year=demo.year + 1, title="Later"
    )
    coverage = StatutoryCoverage.objects.filter(assessment=demo).order_by("requirement").first()
    client.force_login(User.objects.get(username="analyst"))
    url = reverse("admin:assessments_statutorycoverage_change", args=[coverage.pk])
    page = client.get(url).content.decode()
    chapters_box = page.split('<select name="chapters"')[1].split("</select>")[0]
    offered = set(re.findall(r'<option value="(\d+)"', chapters_box))
    assert offered == {str(pk) for pk in demo.chapters.values_list("pk", flat=True)}

    data = {"assessment": demo.pk, "requirement": coverage.requirement, "note": ""}
    refused = client.post(url, {**data, "chapters": [next_year.pk]})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not coverage.chapters.filter(pk=next_year.pk).exists()

    crime = demo.chapters.get(slug="crime")
    saved = client.post(url, {**data, "chapters": [crime.pk]})
    # Saved, the analyst is back on the assessment's page where the checklist is listed.
    assert saved.status_code == 302
    assert saved["Location"] == reverse("admin:assessments_assessment_change", args=[demo.pk])
    assert list(coverage.chapters.all()) == [crime]


def test_an_uncovered_requirement_is_added_on_its_own_page_for_this_assessment(client, demo):
    client.force_login(User.objects.get(username="analyst"))
    StatutoryCoverage.objects.filter(assessment=demo, requirement="progress").delete()
    html = client.get(reverse("admin:assessments_assessment_change", args=[demo.pk])).content
    links = re.findall(r'href="([^"]+)">Add the chapters that cover it<', html.decode())
    (progress,) = [link for link in links if "requirement=progress" in link]
    add_page = client.get(progress.replace("&amp;", "&")).content.decode()
    assert f'<option value="{demo.pk}" selected>' in add_page
    assert '<option value="progress" selected>' in add_page


def test_a_requirement_cannot_be_changed_into_one_already_covered(client, demo):
    """Its assessment and requirement are fixed once it exists: changing the requirement into
    another already covered answered 500 (the uniqueness check needs both in the form)."""
    first, second = StatutoryCoverage.objects.filter(assessment=demo).order_by("requirement")[:2]
    client.force_login(User.objects.get(username="analyst"))
    url = reverse("admin:assessments_statutorycoverage_change", args=[first.pk])
    response = client.post(url, {"requirement": second.requirement, "note": "", "chapters": []})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.requirement != second.requirement


def test_saving_a_requirement_drops_chapters_of_other_years_linked_before(client, demo):
    """Links the old inline accepted to another year's chapters are not offered any more; a
    save must not keep them out of sight (links to other partnerships' rows are kept)."""
    next_year = ChapterFactory(
        assessment__partnership=demo.partnership, assessment__year=demo.year + 1
    )
    coverage = StatutoryCoverage.objects.filter(assessment=demo).order_by("requirement").first()
    coverage.chapters.add(next_year)
    crime = demo.chapters.get(slug="crime")
    client.force_login(User.objects.get(username="analyst"))
    url = reverse("admin:assessments_statutorycoverage_change", args=[coverage.pk])
    assert client.post(url, {"note": "", "chapters": [crime.pk]}).status_code == 302
    assert list(coverage.chapters.all()) == [crime]
