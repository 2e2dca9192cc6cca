"""Lambda code and dependencies, bundled on this machine (no Docker).

Two assets per service stack:
- a layer with the locked runtime dependencies, installed for the Lambda platform by `uv pip`: the
  project's own, and those of the service's dependency group (pyproject.toml), if it has one;
- the service's code: `services/__init__.py`, `services/shared/` and `services/<name>/`, nothing else.

Both carry a custom asset hash computed from what goes in (the exported requirements, the copied
files), so an unchanged asset is neither rebuilt (CDK skips bundling when `cdk.out/asset.<hash>`
exists) nor redeployed, and one service's change does not redeploy another's code.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

from infra.settings import LAMBDA_PLATFORM, LambdaPlatform

ROOT = Path(__file__).resolve().parents[1]
SERVICES_DIR = ROOT / "services"
_SKIPPED = {"__pycache__", ".mypy_cache", ".pytest_cache"}


def _uv() -> str:
    """The project's uv: the one `make install` puts in the virtualenv, else the one on PATH."""
    beside_python = Path(sys.executable).with_name("uv")
    found = str(beside_python) if beside_python.exists() else shutil.which("uv")
    if found is None:
        raise RuntimeError("uv not found: run `make install`")
    return found


def _dependency_groups() -> set[str]:
    with (ROOT / "pyproject.toml").open("rb") as pyproject:
        return set(tomllib.load(pyproject).get("dependency-groups", {}))


@cache  # one export per service per synth
def locked_requirements(service: str) -> str:
    """The runtime dependencies from uv.lock, with the service's own group: no dev or cdk group, not
    the project itself, nothing another service alone needs."""
    command = [_uv(), "export", "--frozen", "--no-default-groups", "--no-hashes", "--no-emit-project"]
    if service in _dependency_groups():
        command += ["--group", service]
    command += ["--format", "requirements.txt", "--quiet"]
    exported = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    # The lock pins exact versions for Python 3.11 only, so its hashes do not cover the runtime's
    # wheels; the versions are still exact.
    return "\n".join(line for line in exported.splitlines() if line and not line.lstrip().startswith("#"))


def _digest(parts: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))  # length-prefixed, so no two inputs collide
        digest.update(part)
    return digest.hexdigest()


def _bundled_asset(source: Path, asset_hash: str, bundler: ILocalBundling) -> lambda_.Code:
    return lambda_.Code.from_asset(
        str(source),
        asset_hash_type=AssetHashType.CUSTOM,
        asset_hash=asset_hash,
        # The image is never pulled: the local bundlers below succeed or raise, never decline.
        bundling=BundlingOptions(image=LAMBDA_PLATFORM.runtime.bundling_image, local=bundler),
    )


@jsii.implements(ILocalBundling)
class _InstallRequirements:
    def __init__(self, requirements: str, platform: LambdaPlatform) -> None:
        self._requirements = requirements
        self._platform = platform

    def try_bundle(self, output_dir: str, *, image: DockerImage, **_options: object) -> bool:
        with tempfile.TemporaryDirectory() as scratch:
            requirements = Path(scratch) / "requirements.txt"
            requirements.write_text(self._requirements + "\n")
            target = Path(output_dir) / "python"  # a layer's Python packages live under python/
            command = [_uv(), "pip", "install", "--requirement", str(requirements), "--target", str(target)]
            command += ["--python-platform", self._platform.wheel_platform]
            command += ["--python-version", self._platform.python_version]
            command += ["--only-binary", ":all:", "--no-deps", "--quiet"]
            subprocess.run(command, cwd=ROOT, check=True)
        shutil.rmtree(target / "bin", ignore_errors=True)  # console scripts: not importable, not needed
        return True


def dependencies_layer_code(service: str, platform: LambdaPlatform) -> lambda_.Code:
    requirements = locked_requirements(service)
    asset_hash = _digest([requirements.encode(), platform.python_version.encode(), platform.wheel_platform.encode()])
    return _bundled_asset(ROOT, asset_hash, _InstallRequirements(requirements, platform))


def service_files(service: str) -> list[Path]:
    """What a service's functions can import: its own package, the shared one, the namespace root."""
    roots = [SERVICES_DIR / "shared", SERVICES_DIR / service]
    files = [SERVICES_DIR / "__init__.py"]
    for root in roots:
        if not root.is_dir():
            raise FileNotFoundError(f"no package at {root}")
        files += [
            path
            for path in root.rglob("*")
            if path.is_file() and not _SKIPPED.intersection(path.parts) and path.suffix != ".pyc"
        ]
    return sorted(path.relative_to(ROOT) for path in files)


@jsii.implements(ILocalBundling)
class _CopyFiles:
    def __init__(self, files: list[Path]) -> None:
        self._files = files

    def try_bundle(self, output_dir: str, *, image: DockerImage, **_options: object) -> bool:
        for relative in self._files:
            destination = Path(output_dir) / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / relative, destination)
        return True


def service_code(service: str) -> lambda_.Code:
    files = service_files(service)
    asset_hash = _digest(part for path in files for part in (path.as_posix().encode(), (ROOT / path).read_bytes()))
    return _bundled_asset(SERVICES_DIR, asset_hash, _CopyFiles(files))
