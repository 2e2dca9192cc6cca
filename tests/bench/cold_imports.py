"""Cold import time of every Lambda entry module (Lambda bills init), as ratios to a bare interpreter.

    make bench-imports          # or: python -m tests.bench.cold_imports [--runs 5]

Each figure is the median wall time of a fresh `python -c "import <module>"` process, measured in the
same run as the baseline (a fresh `python -c pass`).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from services.registry import SERVICES
from services.shared.wiring import handler_target


def entry_modules() -> list[str]:
    modules: list[str] = []
    for wiring in SERVICES:
        handlers = [wiring.api_handler, wiring.consumer_handler, wiring.jobs_handler]
        handlers += [consumer.handler for consumer in wiring.stream_consumers]
        modules += [handler_target(h)[0] for h in handlers if h]
    return list(dict.fromkeys(modules))


def cold_ms(code: str, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    baseline = cold_ms("pass", runs)
    print(f"{'module':45} {'median ms':>10} {'x bare':>8}")
    print(f"{'(bare interpreter)':45} {baseline:10.0f} {1:8.1f}")
    for module in entry_modules():
        ms = cold_ms(f"import {module}", runs)
        print(f"{module:45} {ms:10.0f} {ms / baseline:8.1f}")


if __name__ == "__main__":
    main()
