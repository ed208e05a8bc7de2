import json

from assessments.indicators.headlines import headline_figures
from assessments.management.commands._reliable import AssessmentReadingCommand


class Command(AssessmentReadingCommand):
    help = "Print the headline figures of an assessment, computed from its observations."

    def handle(self, *args, partnership, year, **options):
        figures = headline_figures(self.assessment(partnership, year))
        if options["json"]:
            self.stdout.write(json.dumps([figure.as_dict() for figure in figures], indent=2))
            return
        for figure in figures:
            self.stdout.write(f"{figure.selection.chapter.title}: {figure.statement()}")
