"""Routes bound to one app's request models, so that its validation and its OpenAPI schema show its own limits.

Route modules name the module-level models of ``app.schemas.sessions`` (built without server caps). For each
app, ``bind`` copies a router with every such model replaced by the app's own (``session_schemas(settings)``)
in the handlers' signatures and response models; FastAPI reads both when the router is included. Each
operation's description also lists the rules its request models check beyond their JSON Schema (their
``cross_field_rules``), with this app's figures.
"""

import copy
import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.routing import APIRoute

from app.schemas import sessions
from app.schemas.common import described, rules_of


def substitutions(settings: Any) -> dict[type, type]:
    """Each module-level model → the one with ``settings``' limits."""
    own = sessions.session_schemas(settings)
    return {getattr(sessions, name): getattr(own, name) for name in sessions.SessionSchemas.__dataclass_fields__}


def _swap(annotation: Any, models: Mapping[type, type]) -> Any:
    if isinstance(annotation, type) and annotation in models:
        return models[annotation]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return Annotated[(_swap(args[0], models), *annotation.__metadata__)]
    if origin in (types.UnionType, typing.Union):
        return functools.reduce(lambda a, b: a | b, (_swap(a, models) for a in args))
    return annotation


def _rebound(endpoint: Callable, models: Mapping[type, type]) -> Callable:
    signature = inspect.signature(endpoint, eval_str=True)
    swapped = signature.replace(parameters=[p.replace(annotation=_swap(p.annotation, models))
                                            for p in signature.parameters.values()],
                                return_annotation=_swap(signature.return_annotation, models))
    if swapped == signature:
        return endpoint
    if inspect.iscoroutinefunction(endpoint):
        @functools.wraps(endpoint)
        async def call(*args: Any, **kwargs: Any) -> Any:
            return await endpoint(*args, **kwargs)
    else:
        @functools.wraps(endpoint)
        def call(*args: Any, **kwargs: Any) -> Any:
            return endpoint(*args, **kwargs)
    call.__signature__ = swapped  # type: ignore[attr-defined]  # FastAPI reads the signature from here
    return call


def _models(annotation: Any) -> list[Any]:
    """The classes an annotation names (inside ``Annotated`` and unions)."""
    if isinstance(annotation, type):
        return [annotation]
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Annotated:
        args = args[:1]
    return [m for a in args for m in _models(a)]


def request_rules(endpoint: Callable) -> list[str]:
    """The ``cross_field_rules`` of every model the endpoint takes, each rule once."""
    parameters = inspect.signature(endpoint, eval_str=True).parameters.values()
    return list(dict.fromkeys(r for p in parameters for m in _models(p.annotation) for r in rules_of(m)))


def bind(router: APIRouter, models: Mapping[type, type]) -> APIRouter:
    """A copy of ``router`` whose routes take and answer ``models``' replacements."""
    out = APIRouter()
    for route in router.routes:
        if isinstance(route, APIRoute):
            route = copy.copy(route)
            route.endpoint = _rebound(route.endpoint, models)
            route.response_model = _swap(route.response_model, models)
            route.description = described(route.description, request_rules(route.endpoint))
        out.routes.append(route)
    return out
