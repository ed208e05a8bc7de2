"""Run every benchmarks/<feature>.py module's main(), in name order."""

import importlib
import os
import pkgutil
from pathlib import Path

import django


def run_all() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    django.setup()
    here = Path(__file__).parent
    for module in sorted(m.name for m in pkgutil.iter_modules([str(here)])):
        if module.startswith("_"):
            continue
        importlib.import_module(f"benchmarks.{module}").main()


if __name__ == "__main__":
    run_all()
