"""`python -m local` (= `make run`): the whole system on this machine, until Ctrl-C."""

# Imports stay inside `main`: every worker process re-imports this module (multiprocessing's spawn
# does that with the main module), and it should cost them nothing.

from __future__ import annotations

import argparse
from pathlib import Path

ADDRESS_FILE = Path(__file__).resolve().parents[1] / ".local" / "url"  # the running stack's address, for make fire


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m local",
        description="Ledarlyft on this machine: an embedded AWS (moto), the functions, the HTTP gateway.",
    )
    parser.add_argument("--port", type=int, default=3000, help="the HTTP gateway's port (0: any free port)")
    parser.add_argument("--aws-port", type=int, default=4566, help="the embedded AWS's port (0: any free port)")
    parser.add_argument("--no-demo", action="store_true", help="start without loading the demo data")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per service")
    return parser.parse_args()


def main() -> None:
    arguments = _arguments()

    import logging
    import signal
    import time

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)-16s %(message)s", datefmt="%H:%M:%S")
    started = time.perf_counter()

    from local.stack import LocalStack

    signals: list[int] = []
    # Both set explicitly: a shell starting us in the background leaves SIGINT ignored. The handler
    # only records: taking a lock in a signal handler can deadlock the main thread holding it.
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda number, _frame: signals.append(number))
    stack = LocalStack(
        port=arguments.port, aws_port=arguments.aws_port, demo=not arguments.no_demo, pool_size=arguments.workers
    )
    try:
        try:
            stack.start()
        except OSError as error:  # a port in use: say so without a traceback
            raise SystemExit(f"cannot start: {error}") from error
        print(_banner(stack.base_url, stack.aws_endpoint, time.perf_counter() - started), flush=True)
        ADDRESS_FILE.parent.mkdir(exist_ok=True)
        ADDRESS_FILE.write_text(stack.base_url + "\n")  # for `make fire`, whatever port was chosen
        while not signals:
            time.sleep(0.2)
    finally:
        ADDRESS_FILE.unlink(missing_ok=True)
        stopping_started = time.perf_counter()
        stack.stop()
        logging.getLogger("local.stack").info("stopped in %.1f s", time.perf_counter() - stopping_started)


def _banner(base_url: str, aws_endpoint: str, seconds: float) -> str:
    return f"""
Ledarlyft runs locally (ready in {seconds:.1f} s). Ctrl-C stops it.

  API        {base_url}
  docs       {base_url}/docs
  OpenAPI    {base_url}/openapi.json
  health     {base_url}/health
  AWS        {aws_endpoint}   (aws --endpoint-url {aws_endpoint} --region eu-north-1 dynamodb list-tables;
                                 credentials: AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing)

  a token    curl -s {base_url}/local/tokens          (the demo people's tokens)
             curl -s -X POST {base_url}/local/token \\
                  -d '{{"sub": "me", "tenant_id": "humana", "roles": ["coordinator"]}}'
  call       curl -H "Authorization: Bearer $TOKEN" {base_url}/...
  schedule   curl -s -X POST {base_url}/local/schedules/<service>.<schedule>   (make fire SCHEDULE=...)
  sent       curl -s {base_url}/local/sent          (the emails and SMS the stack sent, newest first)
"""


if __name__ == "__main__":
    main()
