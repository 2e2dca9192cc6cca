"""The CDK app, synthesised once per session (a cold synth takes seconds): every infra test reads it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")

from aws_cdk.assertions import Template

from infra.app import LedarlyftApp, build_app
from services.registry import SERVICES
from services.shared.wiring import ServiceWiring

INTEGRATION = {"tenant": "humana", "name": "learning-portal"}  # as an operator adds one in cdk.json


@dataclass(frozen=True)
class Synthesised:
    built: LedarlyftApp
    outdir: Path

    def template(self, stack_name: str) -> Template:
        return Template.from_json(self.template_json(stack_name))

    def template_json(self, stack_name: str) -> dict[str, Any]:
        template: dict[str, Any] = json.loads((self.outdir / f"{stack_name}.template.json").read_text())
        return template

    def service_template(self, wiring: ServiceWiring) -> dict[str, Any]:
        return self.template_json(self.built.services[wiring.name].stack_name)

    def platform_template(self) -> dict[str, Any]:
        return self.template_json(self.built.platform.stack_name)


@pytest.fixture(scope="session")
def built_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LedarlyftApp, Path]]:
    outdir = tmp_path_factory.mktemp("cdk.out")
    yield build_app(outdir=str(outdir), context={"integrations": [INTEGRATION]}), outdir


@pytest.fixture(scope="session")
def synthesised(built_app: tuple[LedarlyftApp, Path]) -> Synthesised:
    built, outdir = built_app
    built.app.synth()  # runs cdk-nag as a validation plugin: a finding fails here, with its report
    return Synthesised(built=built, outdir=outdir)


SERVICE_IDS = [wiring.name for wiring in SERVICES]
