"""`make bench`: runs every benchmarks/*.py module's main(), in name order, or only the modules
named on the command line (`python -m benchmarks pdf_export appendices`)."""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

import django


def run(names: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    django.setup()
    folder = Path(__file__).parent
    available = sorted(m.name for m in pkgutil.iter_modules([str(folder)]) if m.name[0] != "_")
    unknown = set(names) - set(available)
    if unknown:
        sys.exit(f"No benchmark named {', '.join(sorted(unknown))}; there are {available}")
    for name in names or available:
        importlib.import_module(f"benchmarks.{name}").main()


if __name__ == "__main__":
    run(sys.argv[1:])
