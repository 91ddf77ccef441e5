"""Run every benchmark and print figures with ratios against floors measured in the same run."""

from __future__ import annotations

import os
import platform

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from tests.bench import bench_clients

    print(
        f"Fascia benchmarks on {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs"
    )
    folder = bench_clients.prepare()
    figures = bench_clients.run(folder)
    for extra in _optional_benches():
        figures += extra()
    print()
    for figure in figures:
        print(figure.line())


def _optional_benches():  # type: ignore[no-untyped-def]
    import importlib
    import pkgutil

    import tests.bench as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("bench_") and info.name != "bench_clients":
            module = importlib.import_module(f"tests.bench.{info.name}")
            yield module.run_all


if __name__ == "__main__":
    main()
