from django.conf import settings

from assessments.demo.editions import demo_editions_load
from assessments.demo.load import demo_load
from assessments.management.commands._reliable import ReliableCommand


class Command(ReliableCommand):
    help = (
        "Create or restore the SaferMK demo partnership, its 2017 assessment and demo users; "
        "2017 is published as edition 1 and corrected as edition 2 (--consultation: left in "
        "consultation, as partners comment on it)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--consultation",
            action="store_true",
            help="Leave 2017 in consultation instead of publishing its two editions.",
        )

    def handle(self, *args, **options):
        assessment = demo_load()
        if options["consultation"]:
            where = f"in consultation until {assessment.consultation_closes_on:%-d %B %Y}"
        else:
            assessment = demo_editions_load(assessment)
            where = f"published as edition {assessment.public_edition.number}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {assessment} ({assessment.chapters.count()} chapters), {where}."
            )
        )
        self.stdout.write(
            "Sign in as analyst, chair, police or fire with the password "
            f"{settings.DEMO_PASSWORD!r} (DEMO_PASSWORD)."
        )
