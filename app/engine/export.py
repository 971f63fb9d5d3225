"""Exports: a runnable Keras script that reproduces a session, and the trained model as a ``.keras`` file."""

import io
import json
import tempfile
from pathlib import Path

import keras
import numpy as np

from app.engine import schedules
from app.engine.features import FEATURES
from app.engine.network import kernel_seed
from app.engine.optimizers import OPTIMIZERS
from app.engine.problems import Problem
from app.engine.regularizers import REGULARIZERS
from app.engine.session import TrainingSession
from app.engine.spec import TrainingSpec

_KERAS_LOSS = {
    "mse": "keras.losses.MeanSquaredError()",
    "mae": "keras.losses.MeanAbsoluteError()",
    "huber": "keras.losses.Huber()",
    "hinge": "keras.losses.Hinge()",
    "squared_hinge": "keras.losses.SquaredHinge()",
    "kl_divergence": "keras.losses.KLDivergence()",
    "binary_crossentropy": "keras.losses.BinaryCrossentropy(from_logits=True)",
    "categorical_crossentropy": "keras.losses.CategoricalCrossentropy(from_logits=True)",
}


def keras_head(problem: Problem, loss: str) -> tuple[str | None, str, str]:
    """The output layer's activation, the Keras loss and a note, matching how the engine trains.

    The engine's network emits logits and each loss sees what ``app.engine.losses.training_loss``
    feeds it; in plain Keras that is an output activation plus the loss object.
    """
    if problem is Problem.REGRESSION:
        return None, _KERAS_LOSS[loss], ""
    if loss in ("binary_crossentropy", "hinge", "squared_hinge") or (
            loss == "categorical_crossentropy" and problem is Problem.MULTICLASS):
        return None, _KERAS_LOSS[loss], "the output layer emits logits"
    if problem is Problem.BINARY and loss in ("categorical_crossentropy", "kl_divergence"):
        return "sigmoid", "keras.losses.BinaryCrossentropy()", (
            f"{loss} over the two classes [1 - p, p] equals binary cross entropy on p")
    return ("sigmoid" if problem is Problem.BINARY else "softmax"), _KERAS_LOSS[loss], ""


def _array_literal(a: np.ndarray) -> str:
    return json.dumps(np.round(a.astype(np.float64), 6).tolist(), separators=(",", ":"))


def script(session: TrainingSession) -> str:
    """A self-contained Python script: the same data, features, model, initial weights and training."""
    s: TrainingSpec = session.spec
    split = session.split
    problem = s.problem
    activation, loss_source, note = keras_head(problem, s.loss or "")
    reg = REGULARIZERS.get(s.regularization)
    reg_arg = f", kernel_regularizer={reg.keras_source.format(rate=s.regularization_rate)}" if reg.keras_source else ""
    lr_source = schedules.keras_source(s.lr_schedule, s.learning_rate, s.lr_schedule_params)
    opt_source = OPTIMIZERS.get(s.optimizer).keras_source.format(lr=lr_source)
    epochs = max(session.epoch, 100)
    feature_lines = ",\n        ".join(FEATURES.entry(n).meta["source"] for n in s.features)
    if problem is Problem.MULTICLASS:
        target = f"keras.utils.to_categorical(labels, {s.num_classes})"
    else:
        target = "labels.reshape(-1, 1).astype('float32')"
    layers = [f"    keras.layers.Dense({u}, activation={a!r}, "
              f"kernel_initializer=keras.initializers.GlorotUniform(seed={kernel_seed(s.init_seed, i)}){reg_arg}),"
              for i, (u, a) in enumerate(zip(s.hidden_layers, s.activations))]
    out_units = s.layer_sizes[-1]
    out_layer = (f"    keras.layers.Dense({out_units}, activation={activation!r}, kernel_initializer="
                 f"keras.initializers.GlorotUniform(seed={kernel_seed(s.init_seed, len(s.hidden_layers))}){reg_arg}),")
    metric = "keras.metrics.MeanAbsoluteError()" if problem is Problem.REGRESSION else (
        "keras.metrics.BinaryAccuracy(threshold=0.0)" if problem is Problem.BINARY and activation is None else
        "keras.metrics.BinaryAccuracy()" if problem is Problem.BINARY else "keras.metrics.CategoricalAccuracy()")
    out = io.StringIO()
    out.write(f'''"""Tensor Playground export: {s.dataset}, hidden layers {list(s.hidden_layers)}, {s.optimizer}.

Run it with TensorFlow 2.x and Keras 3 (pip install tensorflow). It trains the same network on the
same data from the same initial weights. Mini-batch order differs from the playground's, so curves
agree closely but not bit for bit.
"""
import numpy as np
import keras

# The playground's data: {len(split.train_labels)} training and {len(split.test_labels)} test points in [-6, 6]^2.
train_points = np.array({_array_literal(split.train_points)}, dtype="float32")
train_labels = np.array({_array_literal(split.train_labels)})
test_points = np.array({_array_literal(split.test_points)}, dtype="float32")
test_labels = np.array({_array_literal(split.test_labels)})


def features(points):
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([
        {feature_lines},
    ], axis=1).astype("float32")


def targets(labels):
    return {target}


model = keras.Sequential([
    keras.Input(shape=({len(s.features)},)),
{chr(10).join(layers)}
{out_layer}
])
''')
    if note:
        out.write(f"# Loss: {note}.\n")
    out.write(f'''model.compile(
    optimizer={opt_source},
    loss={loss_source},
    metrics=[{metric}],
)
history = model.fit(
    features(train_points), targets(train_labels),
    batch_size={s.batch_size}, epochs={epochs},
    validation_data=(features(test_points), targets(test_labels)),
    verbose=2,
)
print("test loss and metric:", model.evaluate(features(test_points), targets(test_labels), verbose=0))
''')
    return out.getvalue()


def keras_model(session: TrainingSession) -> keras.Model:
    """The trained network as a Keras model whose output is the prediction (probabilities or values)."""
    s = session.spec
    final = {Problem.BINARY: "sigmoid", Problem.MULTICLASS: "softmax", Problem.REGRESSION: None}[s.problem]
    model = keras.Sequential(
        [keras.Input(shape=(len(s.features),))]
        + [keras.layers.Dense(u, activation=a) for u, a in zip(s.hidden_layers, s.activations)]
        + [keras.layers.Dense(s.layer_sizes[-1], activation=final)],
        name=f"tensor_playground_{s.dataset}",
    )
    model.set_weights(session.parameters())
    return model


def keras_file(session: TrainingSession) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.keras"
        keras_model(session).save(path)
        return path.read_bytes()
