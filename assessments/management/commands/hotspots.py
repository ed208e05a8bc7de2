import datetime as dt
import json

from django.core.management.base import CommandError

from assessments.indicators.hotspots import HotspotQueryError, LsoaRanking, lsoa_ranking
from assessments.management.commands._reliable import ReliableCommand, partnership_by_slug


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise CommandError(f"{value!r} is not a month like 2024-01.") from None


def _rate(value) -> float | None:
    return None if value is None else float(value)


class Command(ReliableCommand):
    help = (
        "List the partnership's LSOAs in rank order of their police.uk counts of the crime types "
        "over the months given (inclusive), every LSOA including those with none."
    )

    def add_arguments(self, parser):
        parser.add_argument("partnership", help="the partnership's slug")
        parser.add_argument("--from", dest="first", required=True, metavar="YYYY-MM")
        parser.add_argument("--to", dest="last", required=True, metavar="YYYY-MM")
        parser.add_argument(
            "--crime-type",
            dest="crime_types",
            action="append",
            required=True,
            metavar="NAME",
            help='a police.uk category, e.g. "Burglary"; give it again for more than one',
        )
        parser.add_argument("--json", action="store_true", help="print the list as JSON")

    def handle(self, *args, partnership, first, last, crime_types, **options):
        found = partnership_by_slug(partnership)
        try:
            ranking = lsoa_ranking(found.pk, _month(first), _month(last), crime_types)
        except HotspotQueryError as error:
            raise CommandError(str(error)) from error
        for month in ranking.months_missing:
            self.stderr.write(f"No police.uk import for {month:%B %Y}: its crimes are not counted.")
        if options["json"]:
            self.stdout.write(json.dumps(self._as_json(ranking), indent=2))
        else:
            self._table(ranking)

    @staticmethod
    def _as_json(ranking: LsoaRanking) -> list[dict]:
        return [
            {
                "code": row.code,
                "name": row.name,
                "count": row.count,
                "rate_per_1000": _rate(row.rate_per_1000),
                "rank": row.rank,
            }
            for row in ranking.rows
        ]

    def _table(self, ranking: LsoaRanking) -> None:
        span = f"{ranking.first_month:%B %Y} to {ranking.last_month:%B %Y}"
        self.stdout.write(
            f"{', '.join(ranking.crime_types)}, {span} (police.uk): {ranking.total:,} in "
            f"{len(ranking.rows)} LSOAs"
        )
        width = max([len(row.name) for row in ranking.rows] + [4])
        self.stdout.write(f"{'Rank':>4}  {'Code':<9}  {'LSOA':<{width}}  {'Count':>6}  Per 1,000")
        for row in ranking.rows:
            rate = "–" if row.rate_per_1000 is None else f"{row.rate_per_1000}"
            self.stdout.write(
                f"{row.rank:>4}  {row.code:<9}  {row.name:<{width}}  {row.count:>6,}  {rate:>9}"
            )
