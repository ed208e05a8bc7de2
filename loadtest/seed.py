"""Seed the load-test database: the demo assessment (in consultation) and partners to sign in.

Run with the load test's environment (`python -m loadtest.seed PLAN_FILE PARTNERS [READERS]`);
writes the plan the locust users read: who signs in, with which password, and which pages exist.
With READERS (the publication-day scenario) the 2017 assessment is published for them to read,
and the partners work on the next year's, rolled over and in consultation.
"""

import json
import os
import sys

import django


def seed(plan_file: str, partners: int, readers: int = 0) -> dict:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    from assessments.core.models import Membership, Role, User
    from assessments.demo.load import demo_load

    assessment = demo_load()
    published = _publication_day(assessment) if readers else None
    if published is not None:
        assessment, published = published, assessment
    organisation = User.objects.get(username="fire").organisation  # sees no appendix
    password = make_password(settings.DEMO_PASSWORD)
    usernames = [f"load-partner-{n:03d}" for n in range(1, partners + 1)]
    for username in usernames:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"organisation": organisation, "password": password, "is_active": True},
        )
        Membership.objects.update_or_create(
            user=user, partnership=assessment.partnership, defaults={"role": Role.PARTNER}
        )
    plan = {
        "password": settings.DEMO_PASSWORD,
        "analyst": "analyst",
        "partners": usernames,
        "assessment": assessment.get_absolute_url(),
        "chapters": [chapter.get_absolute_url() for chapter in assessment.chapters.all()],
        "readers": readers,
        "public_pages": _pages(published) if published else [],
    }
    with open(plan_file, "w") as out:
        json.dump(plan, out, indent=2)
    return plan


def _publication_day(assessment):
    """Publish the demo assessment and open the next year's for consultation; the next one."""
    import datetime as dt

    from django.utils import timezone

    from assessments.core.models import Assessment
    from assessments.demo.editions import demo_publish
    from assessments.publication.services.rollover import assessment_start_next

    following = assessment_start_next(source=assessment).assessment
    following.status = Assessment.Status.CONSULTATION
    following.consultation_closes_on = timezone.localdate() + dt.timedelta(days=14)
    following.save()
    demo_publish(assessment)
    return following


def _pages(assessment) -> list[str]:
    chapters = [chapter.get_absolute_url() for chapter in assessment.chapters.all()]
    return [assessment.get_absolute_url(), *chapters]


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    django.setup()
    seed(sys.argv[1], *(int(number) for number in sys.argv[2:]))
