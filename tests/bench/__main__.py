"""Run every benchmark and print figures with ratios against floors measured in the same run."""

from __future__ import annotations

import os
import platform
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    """`python -m tests.bench [--readme] [NAME ...]`: every benchmark, or those whose module
    names contain one of the NAMEs (`python -m tests.bench summary billing`). With --readme the
    run's figures replace README.md's performance table (`make bench-readme`)."""
    from tests.bench import bench_clients
    from tests.bench.demos import sizes

    wanted = [arg for arg in sys.argv[1:] if arg != "--readme"]
    print(
        f"Fascia benchmarks on {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs"
    )
    figures = []
    if not wanted or any(name in "bench_clients" for name in wanted):
        figures += bench_clients.run_all()
    for name, extra in _optional_benches():
        if not wanted or any(w in name for w in wanted):
            figures += extra()
    print()
    for figure in figures:
        print(figure.line())
    if "--readme" in sys.argv[1:]:
        from tests.bench import readme

        print(f"performance table rewritten in {readme.write(figures, sizes(), wanted)}")


def _optional_benches():  # type: ignore[no-untyped-def]
    import importlib
    import pkgutil

    import tests.bench as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("bench_") and info.name != "bench_clients":
            module = importlib.import_module(f"tests.bench.{info.name}")
            yield info.name, module.run_all


if __name__ == "__main__":
    main()
