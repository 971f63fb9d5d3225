"""``POST /api/concepts/<name>``: the concept labs, each computed with TensorFlow, registered from the catalog."""

from typing import Any

from fastapi import APIRouter

from app.api.errors import AppError
from app.concepts_catalog import CONCEPTS, Concept, Endpoint
from app.schemas.common import ErrorResponse, described, rules_of

router = APIRouter(prefix="/concepts", tags=["concepts"])


def add_endpoint(router: APIRouter, concept: Concept, endpoint: Endpoint) -> None:
    """Registers one lab endpoint: the request model validates the body and gives the engine its arguments,
    the engine's ``ValueError`` becomes a 422 with its message, and the response model is built from the
    engine's result."""
    request, response, compute = endpoint.request, endpoint.response, endpoint.compute

    # A plain def: FastAPI runs it in its thread pool, so a lab's TensorFlow work never blocks the event loop.
    def handler(body: request) -> Any:  # type: ignore[valid-type]
        try:
            result = compute(**body.arguments())
        except ValueError as e:
            # A refusal that names its cause keeps its code, so the lab can say it in the page's language.
            raise AppError(422, str(e), getattr(e, "code", "invalid_value"), getattr(e, "params", None)) from e
        return response.from_result(result)

    path = f"/{concept.name}{endpoint.path}"
    router.add_api_route(
        path, handler, methods=["POST"], response_model=response,
        # The name makes the operation id, kept as it was when each lab had a handler of its own.
        name=path.strip("/").replace("-", "_").replace("/", "_"),
        summary=endpoint.summary or concept.title_en,
        description=described(endpoint.description, rules_of(request)),
        responses={422: {"model": ErrorResponse, "description": endpoint.invalid}},
    )


for _concept in CONCEPTS:
    for _endpoint in _concept.endpoints:
        add_endpoint(router, _concept, _endpoint)
