"""The stable codes of the app's own errors, and the parameters each carries.

An error the app raises (not a field error: those carry pydantic's ``type`` and ``ctx``) answers
``{"detail": <English sentence>, "code": <code>, "params": {...}}``. API users read ``detail``; a page says
``code`` in its own language from its catalogue (``static/i18n/<lang>.json``: ``error.<code>``, with the
params as placeholders). A code keeps its meaning and parameters once published; a new one is added here.
"""

CODES: dict[str, str] = {
    "session_not_found": "No session has this id: it expired or was deleted.",
    "session_lost": "The worker process that hosted the session stopped; its training state is gone.",
    "session_build_failed": "The server could not build the session (its worker stopped); try again.",
    "too_many_sessions": "The server holds its maximum number of sessions. params: max_sessions, retry_after.",
    "too_many_new_sessions": "This client created too many sessions in a minute. params: per_minute, retry_after.",
    "training_budget_exhausted": "The session used its training time for the rolling window. "
                                 "params: seconds, window, retry_after.",
    "diverged": "Training had diverged: nothing was trained; lower the learning rate or reset.",
    "invalid_value": "The engine refused a value; detail says which and why (no params).",
    "shapes_differ": "y_true and y_pred differ in shape. params: y_true, y_pred (their shapes).",
    "probabilities_expected": "A field must hold probabilities in [0, 1]. params: field, received, loss (when a loss asks).",
    "labels_expected": "A field must hold class labels 0 or 1. params: field, received.",
    "dataset_not_found": "No uploaded dataset has this id: it expired or never existed.",
    "too_many_datasets": "The server holds its maximum number of uploaded datasets. params: max_datasets, retry_after.",
    "too_many_uploads": "This client uploaded too many datasets in a minute. params: per_minute, retry_after.",
    "run_not_found": "No saved run has this id.",
    "run_too_large": "The run is larger than a saved run may be.",
    "too_many_runs": "The server, or this owner, holds its maximum number of saved runs.",
    "run_incompatible": "A saved run whose settings this server no longer accepts. params: reason.",
    "runs_unavailable": "The database of saved runs cannot be reached; try again shortly.",
}

# Codes whose detail is the engine's own sentence (it names the field and the value): a page shows the detail,
# so the catalogue has no sentence for them.
SAID_BY_DETAIL = frozenset({"invalid_value"})
