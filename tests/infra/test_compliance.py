"""cdk-nag (AWS Solutions) finds nothing unacknowledged; cfn-lint finds no error in any template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_sqs as sqs
from cdk_nag import AwsSolutionsChecks
from cfnlint.api import ManualArgs, lint_file

from infra.app import LedarlyftApp
from tests.infra.conftest import SERVICE_IDS, Synthesised

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]


def _findings(scope: App | Stack) -> list[str]:
    report = AwsSolutionsChecks().validate_scope(scope)
    return [
        f"{violation.rule_name} at {[r.construct_path for r in violation.violating_resources]}"
        for violation in report.violations
    ]


def test_cdk_nag_finds_nothing_unacknowledged(built_app: tuple[LedarlyftApp, Path]) -> None:
    built, _ = built_app

    assert _findings(built.app) == []


def test_cdk_nag_would_fail_an_unacceptable_resource() -> None:
    """The check above can fail: a plain queue (no DLQ, TLS not enforced) is reported."""
    stack = Stack(App(), "Bare")
    sqs.Queue(stack, "Plain")

    assert {finding.split(" ")[0] for finding in _findings(stack)} >= {"AwsSolutions-SQS3", "AwsSolutions-SQS4"}


def test_the_synthesised_validation_report_is_clean(synthesised: Synthesised) -> None:
    report = json.loads((synthesised.outdir / "validation-report.json").read_text())

    assert report["pluginReports"] == []


@pytest.mark.parametrize("stack", ["platform", *SERVICE_IDS])
def test_cfn_lint_finds_no_errors(synthesised: Synthesised, stack: str) -> None:
    built = synthesised.built
    deployed = built.platform if stack == "platform" else built.services[stack]
    template = synthesised.outdir / deployed.template_file
    matches = lint_file(template, config=ManualArgs(regions=[deployed.region]))

    assert [f"{m.rule.id} {m.message} ({m.linenumber})" for m in matches if m.rule.id.startswith("E")] == []
