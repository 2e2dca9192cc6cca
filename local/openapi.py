"""One OpenAPI 3.1 document for the whole API, merged from every service's resolver.

Each service describes its own routes (powertools generates it from the route decorators and their
models); this adds what API Gateway adds in front of them: a bearer JWT on every path but
`/public/...`, and the 401 its authorizer answers. A component two services name alike but define
differently is renamed with the service's name, and that service's references follow.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Iterable
from typing import Any

from services.shared.wiring import ServiceWiring

OPENAPI_VERSION = "3.1.0"
BEARER = "bearerAuth"
PUBLIC_PREFIX = "/public/"
_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
_UNAUTHORIZED = {
    "description": "No token, or a token that is expired, badly signed or for another audience",
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]}
        }
    },
}


def service_openapi(wiring: ServiceWiring) -> dict[str, Any]:
    """The service's own document, as its `Api` describes it."""
    if wiring.api_module is None:
        return {"paths": {}}
    document: dict[str, Any] = importlib.import_module(wiring.api_module).api.openapi(version="local")
    return document


def merged_openapi(
    wirings: Iterable[ServiceWiring], title: str = "Ledarlyft API", version: str = "local"
) -> dict[str, Any]:
    merged: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version},
        "paths": {},
        "components": {
            "schemas": {},
            "securitySchemes": {BEARER: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
        "security": [{BEARER: []}],
    }
    for wiring in wirings:
        if wiring.api_module is None:
            continue
        document = service_openapi(wiring)
        document = _rename_clashing_components(document, merged["components"], wiring.name)
        _merge_components(merged["components"], document.get("components", {}))
        _merge_paths(merged["paths"], document.get("paths", {}), wiring.name)
        _merge_tags(merged, document.get("tags", []))
    return merged


def _rename_clashing_components(
    document: dict[str, Any], merged_components: dict[str, Any], service: str
) -> dict[str, Any]:
    renames: dict[str, str] = {}
    for section, entries in document.get("components", {}).items():
        taken = merged_components.get(section, {})
        for name, definition in entries.items():
            if name in taken and taken[name] != definition:
                renames[f"#/components/{section}/{name}"] = f"#/components/{section}/{_pascal(service)}{name}"
    if not renames:
        return document
    renamed: dict[str, Any] = _rewrite_refs(copy.deepcopy(document), renames)
    for old, new in renames.items():
        section, old_name, new_name = old.split("/")[2], old.rsplit("/", 1)[1], new.rsplit("/", 1)[1]
        renamed["components"][section][new_name] = renamed["components"][section].pop(old_name)
    return renamed


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _rewrite_ref(key, value, renames) for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _rewrite_ref(key: str, value: Any, renames: dict[str, str]) -> Any:
    if key == "$ref" and isinstance(value, str):
        return renames.get(value, value)
    return _rewrite_refs(value, renames)


def _merge_tags(merged: dict[str, Any], tags: list[dict[str, Any]]) -> None:
    known = {tag["name"] for tag in merged.get("tags", [])}
    merged.setdefault("tags", []).extend(tag for tag in tags if tag["name"] not in known)
    if not merged["tags"]:
        del merged["tags"]


def _merge_components(merged: dict[str, Any], components: dict[str, Any]) -> None:
    for section, entries in components.items():
        merged.setdefault(section, {}).update(entries)


def _merge_paths(merged: dict[str, Any], paths: dict[str, Any], service: str) -> None:
    for path, item in paths.items():
        target = merged.setdefault(path, {})
        for method, operation in item.items():
            if method in _METHODS and method in target:
                raise ValueError(f"{method.upper()} {path} is served by two services (the second: {service})")
            target[method] = _as_behind_gateway(operation, path, service) if method in _METHODS else operation


def _as_behind_gateway(operation: dict[str, Any], path: str, service: str) -> dict[str, Any]:
    operation = {**operation, "tags": operation.get("tags") or [service]}
    if path.startswith(PUBLIC_PREFIX):
        operation["security"] = []  # the route has no authorizer
    else:
        operation["responses"] = {"401": _UNAUTHORIZED, **operation.get("responses", {})}
    return operation


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))
