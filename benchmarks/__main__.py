"""`make bench`: run every benchmark module in this package (each has a main())."""

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if not module.startswith("_"):
            importlib.import_module(f"benchmarks.{module}").main()


if __name__ == "__main__":
    main()
