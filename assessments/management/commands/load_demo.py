from django.conf import settings

from assessments.demo.load import demo_load
from assessments.management.commands._reliable import ReliableCommand


class Command(ReliableCommand):
    help = "Create or restore the SaferMK demo partnership, its 2017 assessment and demo users."

    def handle(self, *args, **options):
        assessment = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {assessment} ({assessment.chapters.count()} chapters), "
                f"in consultation until {assessment.consultation_closes_on:%-d %B %Y}."
            )
        )
        self.stdout.write(
            "Sign in as analyst, chair, police or fire with the password "
            f"{settings.DEMO_PASSWORD!r} (DEMO_PASSWORD)."
        )
