import json
from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import CommandError

from assessments.indicators.grid import DEFAULT_CELL_METRES
from assessments.indicators.police_uk import PoliceUkFileError, police_uk_import, police_uk_summary
from assessments.management.commands._reliable import ReliableCommand, partnership_by_slug


class Command(ReliableCommand):
    help = (
        "Import police.uk street-level crime CSVs (one per force per month): counts per crime "
        "type, month and LSOA of the partnership's area, and for the whole force and each "
        "district in the files, as comparators; the area's rows also on a grid of square cells "
        "in British National Grid metres. Re-importing a month replaces it."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument(
            "--lsoa-prefix",
            help="LSOA names of the area start with this (default: the partnership's area name)",
        )
        parser.add_argument(
            "--cell-metres",
            type=int,
            default=DEFAULT_CELL_METRES,
            help=f"width of the grid's square cells in metres (default {DEFAULT_CELL_METRES})",
        )
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, files, partnership, lsoa_prefix, cell_metres, **options):
        if cell_metres < 1:
            raise CommandError("--cell-metres must be a whole number of metres, 1 or more.")
        found = partnership_by_slug(partnership)
        with ExitStack() as stack:
            try:
                streams = [(p.name, stack.enter_context(p.open("rb"))) for p in files]
                batches = police_uk_import(
                    partnership=found,
                    files=streams,
                    lsoa_prefix=lsoa_prefix,
                    cell_metres=cell_metres,
                )
            except (OSError, PoliceUkFileError) as error:
                raise CommandError(f"Nothing imported: {error}") from error
        self._report(police_uk_summary(batches), as_json=options["json"])

    def _report(self, summary: dict, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        for month, figures in summary.items():
            self.stdout.write(
                f"{month}: {figures['rows_read']} rows read, {figures['imported']} imported, "
                f"{figures['outside_area']} outside the area, "
                f"{figures['without_lsoa']} without an LSOA"
            )
            if figures["grid"]:
                grid = figures["grid"]
                self.stdout.write(
                    f"    on the grid of {grid['cell_metres']} m cells: {grid['placed']} in "
                    f"{grid['cells']} cells; {figures['without_coordinates']} without coordinates "
                    "count for their LSOA but not on the grid"
                )
            for crime_type, count in figures["crime_types"].items():
                self.stdout.write(f"    {crime_type}: {count}")
            for block in ("force", "districts"):
                for name, counts in figures[block].items():
                    total = sum(counts["crime_types"].values())
                    kind = block.removesuffix("s")
                    self.stdout.write(f"    {name} ({kind}): {total} crimes and incidents")
