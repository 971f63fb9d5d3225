"""The route factory: every catalog entry is served, documented and answers bad input with 422."""

from dataclasses import dataclass

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import Field

from app.api.routes.concepts import add_endpoint
from app.concepts_catalog import CONCEPTS, Concept, Endpoint
from app.schemas.common import rules_of
from app.schemas.concepts.base import ConceptRequest, ConceptResponse


def test_every_catalog_endpoint_is_documented_with_its_models_and_422(client):
    spec = client.get("/openapi.json").json()
    documented = {path for path in spec["paths"] if path.startswith("/api/concepts/")}
    expected = {f"/api/concepts/{c.name}{e.path}" for c in CONCEPTS for e in c.endpoints}
    assert documented == expected
    for concept in CONCEPTS:
        for endpoint in concept.endpoints:
            operation = spec["paths"][f"/api/concepts/{concept.name}{endpoint.path}"]["post"]
            # what the lab computes, then each rule its request is checked against beyond the schema
            assert operation["description"].startswith(endpoint.description)
            assert all(f"- {rule}" in operation["description"] for rule in rules_of(endpoint.request))
            assert operation["summary"] == (endpoint.summary or concept.title_en)
            assert operation["responses"]["422"]["description"] == endpoint.invalid
            body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            assert body.endswith(f"/{endpoint.request.__name__}")
            assert answer.endswith(f"/{endpoint.response.__name__}")


class DoubleRequest(ConceptRequest):
    value: int = Field(ge=-10, le=10)


@dataclass(frozen=True)
class Doubled:
    value: int
    doubled: int


class DoubleResponse(ConceptResponse):
    value: int
    doubled: int


def double(*, value: int) -> Doubled:
    if value == 0:
        raise ValueError("value must not be 0; received 0")
    return Doubled(value, 2 * value)


def served(concept: Concept) -> TestClient:
    router = APIRouter(prefix="/concepts")
    for endpoint in concept.endpoints:
        add_endpoint(router, concept, endpoint)
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


LAB = Concept("double", "Double", "加倍", "Twice a number.", "一个数的两倍。",
              (Endpoint(DoubleRequest, DoubleResponse, double, "Twice the value."),))


def test_a_new_catalog_entry_is_served_from_its_compute_function_and_result():
    r = served(LAB).post("/concepts/double", json={"value": 3})
    assert r.status_code == 200
    assert r.json() == {"value": 3, "doubled": 6}


def test_the_compute_functions_value_error_is_a_422_with_its_message():
    r = served(LAB).post("/concepts/double", json={"value": 0})
    assert r.status_code == 422
    assert r.json() == {"detail": "value must not be 0; received 0"}


def test_the_request_model_validates_before_compute_runs():
    assert served(LAB).post("/concepts/double", json={"value": 11}).status_code == 422
