"""Every status an operation can answer is in its OpenAPI document, each error with the one body (`ErrorBody`).

The statuses follow from the shared mechanisms a route uses, so no route lists them by hand:

| status | the route...                                       | answered by                                        |
|--------|----------------------------------------------------|----------------------------------------------------|
| 401    | declares an access rule                            | shared/security/fastapi.py: no or bad token        |
| 403    | declares an access rule                            | the same: role, or programme outside the scope     |
| 404    | names a resource in its path, or in a scoped body  | the use case (`DomainRejection`), `Grant.require`  |
| 409    | changes something (POST, PUT, PATCH, DELETE)       | `ConcurrentUpdate` (with Retry-After), conflicts   |
| 400    | takes a body                                       | FastAPI: bytes it cannot parse as the media type   |
| 413    | takes a body                                       | shared/http_body.py, counted while it streams      |
| 415    | takes its body in another media type than JSON     | the route (e.g. text/csv imports)                  |
| 422    | takes parameters or a body                         | FastAPI's validation, the body guard, domain rules |
| 503    | declares an access rule                            | the identity provider cannot be reached            |

A status only one route can answer (410: a survey that closed) is declared on the route with
`responses=rejections(410)`. The fuzzing tier (tests/fuzz) checks every answer against the document.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from shared.http_errors import ErrorBody, ErrorItem
from shared.security.install import access_check_of
from shared.security.policy import Filter

DESCRIPTIONS = {
    400: "The request cannot be read",
    401: "No bearer token, or one that is malformed, expired, not yet valid, for another audience, from another "
         "issuer, badly signed or with an algorithm not accepted (WWW-Authenticate says which, in general terms)",
    403: "The token is valid but none of its roles may do this, or the programme is outside its scope",
    404: "Not found, or outside the caller's scope (whether it exists is not theirs to know)",
    409: "Conflicts with the current state (detail says which field), or changed concurrently by another "
         "request (Retry-After: retry it)",
    410: "No longer possible (detail says since when)",
    413: "The body is larger than the limit (1 MB for JSON, 50 MB for CSV), counted while it streams",
    415: "The body is not in the media type this operation takes",
    422: "A parameter or a field is invalid: loc names it, msg says why",
    503: "A dependency (the database, or the identity provider) cannot be reached; retry after Retry-After",
}
COMMANDS = {"POST", "PUT", "PATCH", "DELETE"}
ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}


def rejections(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """What a route answers beyond its mechanisms' statuses, for `responses=`."""
    return {status: {"model": ErrorBody, "description": DESCRIPTIONS[status]} for status in statuses}


def statuses_of(route: APIRoute, method: str, operation: dict[str, Any]) -> set[int]:
    found: set[int] = set()
    check = access_check_of(route)
    body = operation.get("requestBody", {}).get("content", {})
    if check is not None:
        found |= {401, 403, 503}
        if check.rule.filter is Filter.SCOPED and body:  # a body naming someone outside the scope
            found.add(404)
    if route.param_convertors:
        found |= {404, 422}
    if method in COMMANDS:
        found.add(409)
    if body:
        found |= {400, 413, 422}  # 400: bytes that are not JSON at all (FastAPI cannot parse them)
        if not any("json" in media for media in body):
            found.add(415)
    return found


def document_statuses(app: FastAPI) -> None:
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = plain()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorItem, ErrorBody):
            components[model.__name__] = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for context in iter_route_contexts(app.routes):
            route = context.original_route
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            for method in route.methods:
                operation = schema["paths"][context.path_format or route.path_format][method.lower()]
                responses = operation["responses"]
                declared = {int(s) for s in responses if s.isdigit() and int(s) >= 400}
                for status in sorted(declared | statuses_of(route, method, operation)):
                    entry = responses.setdefault(str(status), {})
                    if entry.get("description") in (None, "Validation Error"):
                        entry["description"] = DESCRIPTIONS[status]
                    # FastAPI's own 422 body is replaced too, and so is the media type FastAPI takes from a
                    # route's response class (text/html, text/csv): every error body is JSON.
                    if status == 422 or "application/json" not in entry.get("content", {}):
                        entry["content"] = ERROR
        for unused in ("HTTPValidationError", "ValidationError"):  # FastAPI's, replaced by ErrorBody
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
