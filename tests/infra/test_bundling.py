"""What ships: a layer with the locked runtime dependencies for the Lambda platform, nothing from the
dev or cdk groups; per service, its own code, the shared package, and nothing of other services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infra.settings import LAMBDA_PLATFORM
from services.registry import SERVICES
from services.shared.wiring import ServiceWiring, handler_target
from tests.infra.conftest import SERVICE_IDS, Synthesised
from tests.infra.templates import resources

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]
per_service = pytest.mark.parametrize("wiring", SERVICES, ids=SERVICE_IDS)


def _asset(synthesised: Synthesised, resource: dict[str, Any]) -> Path:
    """The staged directory of a function's code or a layer's content: `asset.<hash>`."""
    location = resource["Properties"].get("Code") or resource["Properties"]["Content"]
    return synthesised.outdir / f"asset.{location['S3Key'].removesuffix('.zip')}"


@per_service
def test_the_layer_holds_the_runtime_dependencies_built_for_lambda(
    synthesised: Synthesised, wiring: ServiceWiring
) -> None:
    (layer,) = resources(synthesised.service_template(wiring), "AWS::Lambda::LayerVersion").values()
    packages = _asset(synthesised, layer) / "python"
    machine = {"arm64": "aarch64", "x86_64": "x86_64"}[LAMBDA_PLATFORM.architecture.name]
    compiled = f"cpython-{LAMBDA_PLATFORM.python_version.replace('.', '')}-{machine}-linux-gnu"

    assert {"aws_lambda_powertools", "pydantic", "pydantic_core", "boto3"} <= {p.name for p in packages.iterdir()}
    assert list((packages / "pydantic_core").glob(f"*.{compiled}.so"))
    for dev_or_cdk in ("aws_cdk", "cdk_nag", "cfnlint", "jsii", "moto", "pytest", "mypy", "hypothesis", "ruff"):
        assert not (packages / dev_or_cdk).exists(), dev_or_cdk
    # a heavy library ships only with the service that needs it
    assert (packages / "icalendar").exists() == (wiring.name == "notifications")
    assert (packages / "pygal").exists() == (wiring.name == "reporting")


@per_service
def test_the_code_is_the_service_and_the_shared_package_only(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    template = synthesised.service_template(wiring)
    code_dirs = {_asset(synthesised, f) for f in resources(template, "AWS::Lambda::Function").values()}
    (code,) = code_dirs  # one code asset per service
    top = {path.relative_to(code / "services").parts[0] for path in (code / "services").iterdir()}

    assert top == {"__init__.py", "shared", wiring.name}
    assert not list(code.rglob("__pycache__"))
    for function in resources(template, "AWS::Lambda::Function").values():
        module, _ = handler_target(function["Properties"]["Handler"])
        assert (code / (module.replace(".", "/") + ".py")).is_file(), module
