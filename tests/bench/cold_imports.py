"""Cold import time of every Lambda entry module (Lambda bills init), as ratios to a baseline.

    make bench-imports          # or: python -m tests.bench.cold_imports [--runs 5]

Each figure is the median wall time of a fresh `python -c "import <module>"` process. The baseline,
measured in the same run, is what any function here would pay without our code: boto3 with two
clients made, a pydantic model and powertools' logger, metrics and HTTP resolver. An entry module
slower than that (ratio above 1.0) fails the run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from services.registry import SERVICES
from services.shared.wiring import handler_target

BASELINE = """
import boto3
from pydantic import BaseModel
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
boto3.client("dynamodb", region_name="eu-north-1")
boto3.client("events", region_name="eu-north-1")
class Model(BaseModel):
    name: str
Logger(); Metrics(namespace="bench"); APIGatewayHttpResolver()
"""
LIMIT = 1.0


def entry_modules() -> list[str]:
    modules: list[str] = []
    for wiring in SERVICES:
        handlers = [wiring.api_handler, wiring.consumer_handler, wiring.jobs_handler]
        handlers += [consumer.handler for consumer in wiring.stream_consumers]
        modules += [handler_target(h)[0] for h in handlers if h]
    return list(dict.fromkeys(modules))


def cold_ms(code: str, runs: int) -> float:
    environment = os.environ | {"AWS_DEFAULT_REGION": "eu-north-1", "POWERTOOLS_METRICS_DISABLED": "true"}
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=environment)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    bare = cold_ms("pass", runs)
    baseline = cold_ms(BASELINE, runs)
    print(f"{'module':45} {'median ms':>10} {'x baseline':>11}")
    print(f"{'(bare interpreter)':45} {bare:10.0f} {bare / baseline:11.2f}")
    print(f"{'(baseline: boto3, 2 clients, pydantic, powertools)':45} {baseline:10.0f} {1:11.2f}")
    slow = []
    for module in entry_modules():
        ms = cold_ms(f"import {module}", runs)
        print(f"{module:45} {ms:10.0f} {ms / baseline:11.2f}")
        if ms / baseline > LIMIT:
            slow.append(module)
    if slow:
        raise SystemExit(f"slower to import than the baseline: {', '.join(slow)}")


if __name__ == "__main__":
    main()
