import json

from assessments.management.commands._reliable import AssessmentReadingCommand
from assessments.priorities.selectors import priority_matrix


def _number(value) -> float | None:
    return None if value is None else float(value)


class Command(AssessmentReadingCommand):
    help = "Print the ranking of an assessment's themes by the priority matrix's combined score."

    def handle(self, *args, partnership, year, **options):
        matrix = priority_matrix(self.assessment(partnership, year))
        if options["json"]:
            ranking = [
                {
                    "theme": row.theme,
                    "rank": row.rank,
                    "combined_score": _number(row.combined),
                    "organisations_scored": len(row.organisations_scored),
                    "criteria": [
                        {
                            "name": cell.criterion.name,
                            "score": _number(cell.result.score),
                            "source": cell.result.source,
                        }
                        for cell in row.cells
                    ],
                }
                for row in matrix.rows
            ]
            self.stdout.write(json.dumps(ranking, indent=2))
            return
        for row in matrix.rows:
            combined = "not scored" if row.combined is None else f"{row.combined}"
            organisations = len(row.organisations_scored)
            self.stdout.write(
                f"{row.rank or '-'}. {row.theme}: {combined} ({organisations} organisations scored)"
            )
