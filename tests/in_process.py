"""The local gateway as a WSGI app whose functions run in this process, against moto: the same front door
(routes, authorizer, payload 2.0 events) as `make run`, for tests that send thousands of requests."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from local.apigw import Request, RouteTable
from local.auth import TokenAuthority
from local.gateway import FrontDoor
from local.openapi import merged_openapi
from services.registry import SERVICES
from services.shared.wiring import ServiceWiring, handler_target
from tests.support import as_service

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class InProcessBackend:
    """What the front door needs of a stack: each service's API handler, called here in its environment."""

    def __init__(self, wirings: Iterable[ServiceWiring] = SERVICES) -> None:
        self.wirings = {wiring.name: wiring for wiring in wirings}

    def invoke_api(self, service: str, event: dict[str, Any]) -> Any:
        wiring = self.wirings[service]
        assert wiring.api_handler is not None
        module, attribute = handler_target(wiring.api_handler)
        with as_service(wiring):
            return getattr(importlib.import_module(module), attribute)(event, None)

    def health(self) -> dict[str, Any]:
        return {"status": "ok"}

    def openapi(self) -> dict[str, Any]:
        return merged_openapi(self.wirings.values())

    def fire(self, name: str) -> Any:
        raise KeyError(name)

    def demo_tokens(self) -> list[dict[str, Any]]:
        return []

    def sent(self, to: str | None) -> dict[str, Any]:
        return {"emails": [], "sms": []}


class GatewayApp:
    """WSGI in, the front door's answer out."""

    def __init__(self, authority: TokenAuthority | None = None) -> None:
        backend = InProcessBackend()
        routes = RouteTable((name, route) for name, wiring in backend.wirings.items() for route in wiring.routes())
        self.authority = authority or TokenAuthority()
        self.front_door = FrontDoor(routes, backend, self.authority)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        headers = [
            (name[5:].replace("_", "-").lower(), str(value))
            for name, value in environ.items()
            if name.startswith("HTTP_")
        ]
        if environ.get("CONTENT_TYPE"):
            headers.append(("content-type", environ["CONTENT_TYPE"]))
        request = Request(
            method=environ["REQUEST_METHOD"],
            raw_path=environ.get("PATH_INFO", "/"),
            raw_query=environ.get("QUERY_STRING", ""),
            headers=headers,
            body=environ["wsgi.input"].read(length) if length else b"",
            source_ip="127.0.0.1",
        )
        response = self.front_door.handle(request)
        start_response(f"{response.status} {HTTPStatus(response.status).phrase}", response.headers)
        return [response.body]
