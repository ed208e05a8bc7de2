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
