"""Error bodies: small whatever came in, and an unhandled error answered and logged once."""

import json
import logging
import re
import typing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from pydantic_core.core_schema import ErrorType

from app.api.errors import MAX_ERROR_BYTES, AppError
from app.api.i18n import LANGS, catalogue
from app.error_codes import CODES, SAID_BY_DETAIL
from app.schemas.concepts.softmax import SoftmaxRequest
from tests.apps import in_process_app


def post_json(client: TestClient, path: str, text: str):
    return client.post(path, content=text.encode(), headers={"content-type": "application/json"})


def test_a_huge_unknown_key_is_named_not_echoed(client):
    r = post_json(client, "/api/sessions", json.dumps({"A" * 900_000: 1}))
    assert r.status_code == 422 and len(r.content) < MAX_ERROR_BYTES
    assert r.json()["detail"][0]["type"] == "extra_forbidden"
    assert r.json()["detail"][0]["loc"][1].startswith("AAAA")


def test_twenty_large_unknown_keys_stay_under_the_bound(client):
    body = {chr(ord("A") + i) * 45_000: i for i in range(20)}
    r = post_json(client, "/api/sessions", json.dumps(body))
    assert r.status_code == 422 and len(r.content) < MAX_ERROR_BYTES


def test_thousands_of_invalid_numbers_are_summarised(client):
    grid = [["x"] * 64 for _ in range(64)]
    r = post_json(client, "/api/concepts/softmax", json.dumps({"logits": grid}))
    assert r.status_code == 422 and len(r.content) < MAX_ERROR_BYTES
    with pytest.raises(ValidationError) as refused:  # pydantic's own count of what is wrong
        SoftmaxRequest.model_validate({"logits": grid})
    detail = r.json()["detail"]
    shown = len(detail) - 1
    assert detail[-1] == {"loc": [], "msg": f"and {refused.value.error_count() - shown} more errors",
                          "type": "too_many_errors"}


def test_a_huge_integer_is_described_not_printed(client):
    r = post_json(client, "/api/sessions", '{"hidden_layers": [' + "9" * 5000 + "]}")
    assert r.status_code in (400, 422) and len(r.content) < MAX_ERROR_BYTES
    assert "Traceback" not in r.text


def test_an_unhandled_error_is_answered_and_logged_once(caplog):
    app = in_process_app(prewarm=False)

    @app.get("/api/test-only/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    # The test client raises whatever the app lets escape, as the server would log it a second time.
    with caplog.at_level(logging.ERROR), TestClient(app) as client:
        r = client.get("/api/test-only/boom")
    assert r.status_code == 500 and r.json()["detail"] == "Internal server error"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    tracebacks = [rec for rec in caplog.records if rec.exc_info]
    assert len(tracebacks) == 1 and r.json()["request_id"] in tracebacks[0].getMessage()


def test_an_error_of_the_apps_own_carries_its_code_and_params_beside_the_english(client):
    r = client.post("/api/concepts/metrics", json={"problem": "regression", "y_true": [1, 2, 3], "y_pred": [1, 2]})
    assert r.status_code == 422 and len(r.content) < MAX_ERROR_BYTES
    assert r.json() == {"detail": "y_true and y_pred must have the same length; received 3 and 2",
                        "code": "shapes_differ", "params": {"y_true": "[3]", "y_pred": "[2]"}}


def test_a_field_error_keeps_its_type_and_the_parameters_of_its_bound(client):
    r = client.post("/api/sessions", json={"learning_rate": 50})
    (item,) = r.json()["detail"]
    assert (item["loc"], item["type"], item["input"]) == (["body", "learning_rate"], "less_than_equal", 50)
    assert item["ctx"] == {"le": client.get("/api/options").json()["limits"]["learning_rate"]["maximum"]}
    assert "code" not in r.json()  # a field error says itself by its type


def test_an_unknown_error_code_is_refused_where_it_is_raised():
    with pytest.raises(ValueError, match="Unknown error code 'no_such_code'"):
        AppError(404, "Missing", "no_such_code")


@pytest.mark.parametrize("lang", LANGS)
def test_every_error_code_has_a_sentence_in_every_language_using_only_its_params(lang):
    assert not {f"error.{code}" for code in SAID_BY_DETAIL} & set(catalogue(lang))  # those show their detail
    for code, meaning in CODES.items():
        if code in SAID_BY_DETAIL:
            continue
        sentence = catalogue(lang)[f"error.{code}"]
        named = set(re.findall(r"\{(\w+)\}", sentence))
        declared = set(re.findall(r"params: ([\w, ]+)", meaning)[0].replace(" ", "").split(",")) if "params:" in meaning else set()
        assert named <= declared, f"error.{code} in {lang}.json names {named - declared}, not among its params"


def test_the_catalogues_error_sentences_are_for_codes_types_or_the_pages_own_keys():
    """error.<x> is an app code, a pydantic error type (or one of our custom types), or said by a page itself."""
    pydantic_types = set(typing.get_args(ErrorType))
    custom = set(re.findall(r'PydanticCustomError\(\s*"(\w+)"', "".join(p.read_text() for p in Path("app").rglob("*.py"))))
    scripts = "".join(p.read_text() for p in Path("static/js").rglob("*.js"))
    for key in catalogue("en"):
        if key.startswith("error."):
            name = key.removeprefix("error.")
            assert name in CODES or name in pydantic_types | custom or f"'{key}'" in scripts, key


def test_the_error_model_in_openapi_lists_every_code(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ErrorResponse"]
    codes = next(option["enum"] for option in schema["properties"]["code"]["anyOf"] if "enum" in option)
    assert set(codes) == set(CODES)


def test_an_engine_refusal_keeps_its_code_and_params(client):
    r = client.post("/api/concepts/metrics", json={"y_true": [0, 1], "y_pred": [0.2, 1.5], "threshold": 0.5})
    assert r.status_code == 422
    assert r.json() == {"detail": "y_pred must hold probabilities or labels in [0, 1]; received 1.5 "
                                  "(apply a sigmoid to logits first)",
                        "code": "probabilities_expected", "params": {"field": "y_pred", "received": 1.5}}
