"""Helpers the concept-lab API tests share: the documented examples, and posting raw JSON."""

import json


def openapi_examples(client, path):
    """The request examples ``/openapi.json`` documents for ``POST path``."""
    spec = client.get("/openapi.json").json()
    ref = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["examples"]


def post_json(client, url, body):
    """Posts ``body`` as Python's json writes it, NaN and Infinity included (httpx refuses to)."""
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, content=text, headers={"Content-Type": "application/json"})
