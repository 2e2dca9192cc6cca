"""Entry point: `python -m infra.app` (make synth) writes cdk.out, offline.

Region: context `region` (cdk.json), else CDK_DEFAULT_REGION, else eu-north-1. The account comes
from the CLI's credentials at deploy (CDK_DEFAULT_ACCOUNT); synth needs none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from aws_cdk import App, Environment, Tags

from infra.components.users import IntegrationSpec
from infra.nag import check_app
from infra.platform_stack import PlatformStack
from infra.service_stack import ServiceStack
from infra.settings import DATA_RESIDENCY, DEFAULT_REGION, PROJECT
from services.registry import SERVICES


@dataclass(frozen=True)
class LedarlyftApp:
    app: App
    platform: PlatformStack
    services: dict[str, ServiceStack]  # by service name


def stack_name(part: str) -> str:
    return f"Ledarlyft-{part.capitalize()}"


def deployment_region(app: App) -> str:
    # Context first: cdk.json pins the region, and the CLI always sets CDK_DEFAULT_REGION from the
    # profile, which must not move data out of the region chosen for it.
    return str(app.node.try_get_context("region") or os.environ.get("CDK_DEFAULT_REGION") or DEFAULT_REGION)


def integrations(app: App) -> tuple[IntegrationSpec, ...]:
    """Context `integrations`: the tenants' systems, each an app client (see docs/integrations.md)."""
    return tuple(IntegrationSpec(**entry) for entry in app.node.try_get_context("integrations") or ())


def build_app(outdir: str | None = None, context: dict[str, Any] | None = None) -> LedarlyftApp:
    app = App(outdir=outdir, context=context)
    env = Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=deployment_region(app))
    platform = PlatformStack(
        app,
        stack_name("platform"),
        env=env,
        alarm_email=app.node.try_get_context("alarm_email"),
        integrations=integrations(app),
        description="Ledarlyft platform: event bus, users, HTTP API, alarms",
    )
    Tags.of(platform).add("service", "platform")
    services = {}
    for wiring in SERVICES:
        stack = ServiceStack(
            app,
            stack_name(wiring.name),
            wiring=wiring,
            platform=platform.platform,
            env=env,
            description=f"Ledarlyft service: {wiring.name}",
        )
        Tags.of(stack).add("service", wiring.name)
        services[wiring.name] = stack
    Tags.of(app).add("project", PROJECT)
    Tags.of(app).add("data-residency", DATA_RESIDENCY)
    check_app(app)
    return LedarlyftApp(app=app, platform=platform, services=services)


def main() -> None:
    # The CLI passes its output directory; run directly (make synth), write where the CLI would.
    build_app(outdir=os.environ.get("CDK_OUTDIR", "cdk.out")).app.synth()


if __name__ == "__main__":
    main()
