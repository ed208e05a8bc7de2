import json

from django.core.management.base import CommandError

from assessments.core.selectors import assessment_by_url
from assessments.indicators.headlines import headline_figures
from assessments.management.commands._reliable import ReliableCommand


class Command(ReliableCommand):
    help = "Print the headline figures of an assessment, computed from its observations."

    def add_arguments(self, parser):
        parser.add_argument("partnership", help="the partnership's slug")
        parser.add_argument("year", type=int)
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args, partnership, year, **options):
        assessment = assessment_by_url(partnership, year)
        if assessment is None:
            raise CommandError(f"No assessment {year} for the partnership {partnership!r}.")
        figures = headline_figures(assessment)
        if options["json"]:
            self.stdout.write(json.dumps([figure.as_dict() for figure in figures], indent=2))
            return
        for figure in figures:
            self.stdout.write(f"{figure.selection.chapter.title}: {figure.statement()}")
