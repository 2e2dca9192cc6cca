"""Settings read once from the function's environment, as a model; nothing else reads os.environ."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    service_name: str
    table_name: str
    event_bus_name: str
    sender_email: str = "no-reply@ledarlyft.se"
    app_url: str = "https://app.ledarlyft.se"  # the web and mobile clients, for links people follow
    public_url: str = "https://api.ledarlyft.se"  # where the API's /public/ routes answer (unsubscribe, feeds)
    ses_configuration_set: str | None = None  # SES reports bounces and complaints of mail sent through it
    # How long a consumer remembers an event id it has handled: longer than any redelivery.
    processed_event_ttl_days: int = 14
    # Integrations (a learning portal): the app client of each, and the tenant it acts for.
    integration_clients: dict[str, str] = {}
    reports_bucket: str | None = None  # reporting's published reports (versioned, object lock)


ENVIRONMENT_NAMES = {
    "service_name": "SERVICE_NAME",
    "table_name": "TABLE_NAME",
    "event_bus_name": "EVENT_BUS_NAME",
    "sender_email": "SENDER_EMAIL",
    "app_url": "APP_URL",
    "reports_bucket": "REPORTS_BUCKET",
    "public_url": "PUBLIC_URL",
    "ses_configuration_set": "SES_CONFIGURATION_SET",
}


INTEGRATION_CLIENTS = "INTEGRATION_CLIENTS"  # JSON: {"<app client id>": "<tenant>"} or [[id, tenant], ...]


_replacements: list[Settings] = []  # innermost last: see `replaced`


def settings() -> Settings:
    return _replacements[-1] if _replacements else _from_environment()


def reread_environment() -> None:
    """The next `settings()` reads the environment again (tests that change it)."""
    _from_environment.cache_clear()


@contextmanager
def replaced(**fields: Any) -> Iterator[Settings]:
    """Inside, `settings()` answers with these fields in place of the environment's: an operator's tool
    running a function's code against another table. The environment is left as it is."""
    _replacements.append(Settings.model_validate(_environment() | fields))
    try:
        yield _replacements[-1]
    finally:
        _replacements.pop()


def _environment() -> dict[str, object]:
    values: dict[str, object] = {
        field: os.environ[name] for field, name in ENVIRONMENT_NAMES.items() if name in os.environ
    }
    values["integration_clients"] = dict(json.loads(os.environ.get(INTEGRATION_CLIENTS) or "{}"))
    return values


@lru_cache(maxsize=1)
def _from_environment() -> Settings:
    return Settings.model_validate(_environment())
