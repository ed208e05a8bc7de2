"""`make bench`: runs every benchmarks/*.py module's main(), in name order."""

import importlib
import os
import pkgutil
from pathlib import Path

import django


def run_all() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    django.setup()
    folder = Path(__file__).parent
    for module in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        importlib.import_module(f"benchmarks.{module.name}").main()


if __name__ == "__main__":
    run_all()
