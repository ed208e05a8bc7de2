"""Seed the load-test database: the demo assessment (in consultation) and partners to sign in.

Run with the load test's environment (`python -m loadtest.seed PLAN_FILE PARTNERS`); writes the
plan the locust users read: who signs in, with which password, and which pages exist.
"""

import json
import os
import sys

import django


def seed(plan_file: str, partners: int) -> dict:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    from assessments.core.models import Membership, Role, User
    from assessments.demo.load import demo_load

    assessment = demo_load()
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
    }
    with open(plan_file, "w") as out:
        json.dump(plan, out, indent=2)
    return plan


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    django.setup()
    seed(sys.argv[1], int(sys.argv[2]))
