"""cdk-nag 3: the AWS Solutions rules run as a validation plugin at synth; findings fail the synth."""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, Validations
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct


def check_app(app: App) -> None:
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """Accept one cdk-nag finding on `construct` and what it contains, saying why, in code."""
    Validations.of(construct).acknowledge(Acknowledgment(id=rule, reason=reason))
