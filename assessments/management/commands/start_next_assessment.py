"""Start the assessment of YEAR + 1 from the partnership's assessment of YEAR."""

from __future__ import annotations

from django.core.management.base import CommandError

from assessments.core.links import absolute
from assessments.core.selectors import assessment_by_url
from assessments.management.commands._reliable import ReliableCommand
from assessments.publication.services.rollover import assessment_start_next


class Command(ReliableCommand):
    help = (
        "Start next year's assessment from the assessment SLUG YEAR: a draft for YEAR + 1 with "
        "the same chapters, indicators (periods one year on), priorities, appendices and grants, "
        "and the recommendations still open. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The partnership's slug, e.g. safermk")
        parser.add_argument("year", type=int, help="The year to start from, e.g. 2017")

    def handle(self, *args, slug, year, **options):
        source = assessment_by_url(slug, year)
        if source is None:
            raise CommandError(f"No assessment {slug} {year}")
        rollover = assessment_start_next(source=source)
        target = rollover.assessment
        # Where to carry on: the new assessment's page (issue 33).
        link = absolute(target.get_absolute_url())
        if rollover.created:
            self.stdout.write(f"Started {target.title} ({slug} {target.year}) as a draft: {link}")
        else:
            self.stdout.write(
                f"{target.title} ({slug} {target.year}) already exists; unchanged: {link}"
            )
