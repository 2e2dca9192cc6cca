"""A new user's first steps: the README's commands run as written against the local stack with its demo
data, and a copy of the repository in an empty folder (no workspace around it) loads the demo and
passes its tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from local.demo import load_demo

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]

ROOT = Path(__file__).resolve().parents[2]
README_URL = "http://127.0.0.1:3000"
RUNNABLE = re.compile(r"<!-- runnable -->\s*```sh\n(.*?)```", re.DOTALL)
# Every curl of the README reports its status on stderr, for this test to read; its output is untouched.
# Not those with -sf: with them the README waits for what is asynchronous, and their failures are expected.
STATUS_PROBE = (
    'curl() { case " $* " in *" -sf "*) command curl "$@";; '
    '*) command curl -w "%{stderr}STATUS %{http_code}\\n" "$@";; esac; }\n'
)


def readme_script(base_url: str) -> str:
    blocks = RUNNABLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 3, "the README's runnable blocks are marked <!-- runnable -->"
    return STATUS_PROBE + "\n".join(blocks).replace(README_URL, base_url)


def test_the_readme_walkthrough_runs_as_written(stack: Any) -> None:
    load_demo(stack.base_url, lambda person: stack.token(person.sub, person.tenant_id, person.roles, person.email))

    try:
        run = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", readme_script(stack.base_url)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired as stuck:  # what it printed says which step it waited on
        pytest.fail(f"the walk-through did not finish in 120 s:\n{stuck.stderr!s}\n{stuck.stdout!s}")

    assert run.returncode == 0, run.stderr + run.stdout
    statuses = [int(code) for code in re.findall(r"^STATUS (\d{3})$", run.stderr, re.MULTILINE)]
    assert len(statuses) >= 10
    assert all(200 <= code < 300 for code in statuses), run.stderr + run.stdout
    assert '"kind":"registration_confirmed"' in run.stdout  # anna's inbox
    assert '"to": "anna@example.se"' in run.stdout  # and her email, read at /local/sent


def _copy_of_the_repository(into: Path) -> Path:
    """What a clone holds: the tracked files and those not ignored, and nothing around them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    clone = into / "ledarlyft"
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file():
            (clone / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / relative)
    return clone


def test_a_copy_in_an_empty_folder_loads_the_demo_and_passes_its_tests(tmp_path: Path) -> None:
    clone = _copy_of_the_repository(tmp_path)
    assert not (clone.parent / "shared").exists()
    environment = {**os.environ, "PYTHONPATH": str(clone)}
    # the product never reads outside itself
    outside = "../" + "shared"
    for path in [*clone.glob("services/**/*.py"), *clone.glob("local/**/*.py"), *clone.glob("infra/**/*.py")]:
        assert outside not in path.read_text(encoding="utf-8"), path

    tests = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            "tests/unit",
            "tests/integration/test_learning.py",
            "tests/integration/test_directory.py",
        ],
        cwd=clone,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]

    stack = subprocess.Popen(
        [sys.executable, "-m", "local", "--port", "0", "--aws-port", "0", "--workers", "1"],
        cwd=clone,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base_url = _wait_for_banner(stack)
        tokens = requests.get(f"{base_url}/local/tokens", timeout=10).json()["tokens"]
        coordinator = next(t["token"] for t in tokens if t["sub"] == "humana-coordinator")
        programmes = requests.get(
            f"{base_url}/programmes", headers={"Authorization": f"Bearer {coordinator}"}, timeout=10
        ).json()["items"]
        assert {p["programme_id"] for p in programmes} == {"arbetsledarprogrammet", "arbetsledarforum"}
    finally:
        stack.terminate()
        stack.wait(timeout=30)


def _wait_for_banner(process: subprocess.Popen[str], timeout_s: float = 420) -> str:
    """The API's address once `python -m local` says it runs with its demo loaded (minutes on a busy CI)."""
    deadline, seen, base_url, loaded = time.monotonic() + timeout_s, [], None, False
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        found = re.search(r"API\s+(http://127\.0\.0\.1:\d+)", line)
        base_url = found.group(1) if found else base_url
        if "loading the demo data failed" in line:
            pytest.fail("".join(seen[-40:]))
        loaded = loaded or "demo data loaded" in line
        if base_url and loaded:
            return base_url
        if time.monotonic() > deadline:
            break
    pytest.fail("the stack did not come up with its demo:\n" + "".join(seen[-40:]))
