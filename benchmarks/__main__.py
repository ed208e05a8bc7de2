"""Run every benchmarks/*.py module's main(), in name order."""

import importlib
import os
import pkgutil
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    django.setup()
    package = importlib.import_module("benchmarks")
    only = set(sys.argv[1:])
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name.startswith("_") or (only and module.name not in only):
            continue
        importlib.import_module(f"benchmarks.{module.name}").main()


if __name__ == "__main__":
    main()
