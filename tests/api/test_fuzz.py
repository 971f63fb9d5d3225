"""Schema fuzzing: generated requests for every operation; no 500s and every response as documented.

Where an operation's JSON Schema says everything its request is checked against, a second test also runs
``positive_data_acceptance``: every request the schema admits must be accepted (a 404 for an id nobody
created counts as accepted). The other operations have rules across fields, or against state the request
cannot see, that JSON Schema cannot write; they are listed once below with the reason, and their 422s are
rightly answered with a message.

The app is built without prewarming: loading the schema runs its lifespan at collection time, and a
background compile has no place there.
"""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from app.schemas.common import RULES_HEADING
from tests.apps import in_process_app

app = in_process_app(prewarm=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)

SHAPES = "its arrays must agree in shape"
SAVED = "a saved run may exceed this server's current limits (its 422 is documented)"
# Operations whose requests can be refused although the schema admits them, and why.
INCOMPLETE = {
    "POST /api/sessions": "layer_activations per hidden layer, batch_size within the training points, "
                          "the network's parameters, piecewise_constant's lists",
    "PATCH /api/sessions/{session_id}": "batch_size within the session's training points, piecewise_constant's lists",
    "PUT /api/sessions/{session_id}/weights": "layer and index must lie within the session's network",
    "GET /api/sessions/{session_id}/boundary": "the cells of all maps depend on the session's network",
    "POST /api/runs/{run_id}/sessions": SAVED,
    "GET /api/runs/{run_id}/export/script.py": SAVED,
    "GET /api/runs/{run_id}/export/model.keras": SAVED,
    "POST /api/concepts/activations": "maxout's two lists agree in length; start < stop; x increases",
    "POST /api/concepts/backprop": SHAPES,
    "POST /api/concepts/cross-entropy": SHAPES,
    "POST /api/concepts/dense": SHAPES,
    "POST /api/concepts/forward": "x agrees with input_size, one activation per layer, the network's parameters",
    "POST /api/concepts/gradient-descent/batch": "batch_size within samples",
    "POST /api/concepts/learning-rate": "piecewise_constant's lists",
    "POST /api/concepts/losses": SHAPES + "; probabilities unless from_logits; curve start < stop",
    "POST /api/concepts/metrics": SHAPES + "; binary labels",
    "POST /api/concepts/softmax": "a matrix's rows must all be as long",
    "POST /api/datasets": "CSV text and JSON rows are checked cell by cell (row and column of the first problem)",
    "POST /api/datasets/preview": "custom points are checked row by row; labels agree with problem_type",
}
EXAMPLES = settings(max_examples=25, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@schema.parametrize()
@EXAMPLES
def test_every_operation_answers_as_documented(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@schema.exclude(name=list(INCOMPLETE)).parametrize()
@EXAMPLES
def test_what_a_complete_schema_admits_is_accepted(case):
    case.call_and_validate(additional_checks=[positive_data_acceptance])


def _operations() -> dict[str, dict]:
    return {f"{method.upper()} {path}": op for path, ops in schema.raw_schema["paths"].items()
            for method, op in ops.items()}


def test_every_excluded_operation_exists():
    assert set(INCOMPLETE) <= set(_operations())


def test_an_operation_that_lists_rules_beyond_its_schema_is_excluded():
    listing = {name for name, op in _operations().items() if RULES_HEADING in op.get("description", "")}
    assert listing <= set(INCOMPLETE)
    assert listing  # the descriptions do list rules: the check above cannot pass on nothing
