"""Exports: a runnable Keras script that reproduces a session, and the trained model as a ``.keras`` file."""

import json
import tempfile
import zipfile
from pathlib import Path

import keras
import numpy as np

from app.engine import schedules
from app.engine.features import FEATURES
from app.engine.losses import LOSSES, Feed
from app.engine.network import kernel_seed
from app.engine.optimizers import OPTIMIZERS
from app.engine.problems import Problem
from app.engine.regularizers import REGULARIZERS
from app.engine.session import TrainingSession
from app.engine.spec import TrainingSpec

# A session that has not trained yet exports a short run; a long session's export stops at the default cap, since
# plain Keras runs an epoch far slower than the playground's compiled loop (25,000 epochs: over an hour).
UNTRAINED_EPOCHS = 100
DEFAULT_EPOCHS_CAP = 1_000
# The most a script may be asked for. The server only writes the number into the text (the learner's machine
# runs it), so this bounds nonsense, not load.
MAX_EPOCHS = 100_000
PROGRESS_LINES = 20  # the script prints about this many progress lines, however many epochs it runs


def default_epochs(session_epochs: int) -> int:
    """The epochs an export trains unless asked: as many as the session ran, at most ``DEFAULT_EPOCHS_CAP``."""
    return min(session_epochs or UNTRAINED_EPOCHS, DEFAULT_EPOCHS_CAP)


def _array_literal(a: np.ndarray) -> str:
    return json.dumps(np.round(a.astype(np.float64), 6).tolist(), separators=(",", ":"))


def _metric_source(problem: Problem, feed: Feed) -> str:
    """Keras's version of the metric the playground shows beside the loss, for the model's output form."""
    if problem is Problem.REGRESSION:
        return "keras.metrics.MeanAbsoluteError()"
    if problem is Problem.MULTICLASS or feed.two_columns:
        return "keras.metrics.CategoricalAccuracy()"  # argmax: logits and probabilities agree
    # A raw output (logit or score) above 0 is a probability above 0.5.
    return "keras.metrics.BinaryAccuracy(threshold=0.0)" if feed.activation(problem) is None else \
        "keras.metrics.BinaryAccuracy()"


def _epochs_comment(session_epochs: int, epochs: int) -> str:
    if epochs == session_epochs:
        return f"the {epochs:,} epochs the playground session ran"
    if epochs == default_epochs(session_epochs) and session_epochs > epochs:
        return f"the playground session ran {session_epochs:,}; an export stops at {DEFAULT_EPOCHS_CAP:,} unless asked"
    ran = f"the playground session ran {session_epochs:,}" if session_epochs else "the session has not trained yet"
    return f"{ran}; change EPOCHS to train longer or shorter"


def _data_note(s: TrainingSpec) -> str:
    """For custom data, where the points came from and what the class numbers stand for."""
    if not s.custom:
        return ""
    names = (f" Classes: {', '.join(f'{i} = {json.dumps(n, ensure_ascii=False)}' for i, n in enumerate(s.class_names))}."
             if s.class_names else "")
    return f"# Your own data ({s.problem_type}), scaled into the square as the playground trained on it.{names}\n"


def script(session: TrainingSession, epochs: int | None = None) -> str:
    """A self-contained Python script: the same data, features, model, initial weights and training.

    It trains ``epochs`` epochs (default: ``default_epochs``) and prints the playground's numbers: the data
    loss, without the weight penalty Keras adds to its own ``loss``.
    """
    s: TrainingSpec = session.spec
    if epochs is None:
        epochs = default_epochs(session.epoch)
    if not 1 <= epochs <= MAX_EPOCHS:
        raise ValueError(f"epochs must be between 1 and {MAX_EPOCHS}; received {epochs}")
    split = session.split
    problem = s.problem
    loss = LOSSES.get(s.loss or "")
    feed = loss.feed(problem)
    two_classes = feed.two_columns and problem is Problem.BINARY
    reg_entry = REGULARIZERS.entry(s.regularization)
    reg = reg_entry.value
    reg_arg = f", kernel_regularizer={reg.keras_source.format(rate=s.regularization_rate)}" if reg.keras_source else ""
    lr_source = schedules.keras_source(s.lr_schedule, s.learning_rate, s.lr_schedule_params)
    opt_source = OPTIMIZERS.get(s.optimizer).keras_source.format(lr=lr_source)
    feature_lines = ",\n        ".join(FEATURES.entry(n).meta["source"] for n in s.features)
    if problem is Problem.MULTICLASS or two_classes:
        target = f"keras.utils.to_categorical(labels, {s.num_classes})"
    else:
        target = "labels.reshape(-1, 1).astype('float32')"
    layers = [f"    keras.layers.Dense({u}, activation={a!r}, "
              f"kernel_initializer=keras.initializers.GlorotUniform(seed={kernel_seed(s.init_seed, i)}){reg_arg}),"
              for i, (u, a) in enumerate(zip(s.hidden_layers, s.activations))]
    layers.append(f"    keras.layers.Dense({s.layer_sizes[-1]}, activation={feed.activation(problem)!r}, kernel_initializer="
                  f"keras.initializers.GlorotUniform(seed={kernel_seed(s.init_seed, len(s.hidden_layers))}){reg_arg}),")
    if two_classes:
        layers.append('    keras.layers.Lambda(lambda p: keras.ops.concatenate([1 - p, p], axis=-1), '
                      'name="class_probabilities"),')
    metric_name = "mae" if problem is Problem.REGRESSION else "accuracy"
    if reg.keras_source:
        penalty = (f"# Keras adds the weight penalty ({reg.keras_source.format(rate=s.regularization_rate)} of each "
                   f"kernel) to the loss it minimises;\n# the playground shows the data loss alone, and so does "
                   f"this script's progress.\n")
    else:
        penalty = ""
    return f'''"""Tensor Playground export: {s.dataset}, hidden layers {list(s.hidden_layers)}, {s.optimizer}.

Run it with TensorFlow 2.x and Keras 3 (pip install tensorflow). It trains the same network on the
same data from the same initial weights and prints the numbers the playground shows. Mini-batch
order differs from the playground's, so curves agree closely but not bit for bit (with full-batch
training they agree).
"""
import numpy as np
import keras

# The playground's data: {len(split.train_labels)} training and {len(split.test_labels)} test points in [-6, 6]^2.
{_data_note(s)}train_points = np.array({_array_literal(split.train_points)}, dtype="float32")
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


x_train, y_train = features(train_points), targets(train_labels)
x_test, y_test = features(test_points), targets(test_labels)

model = keras.Sequential([
    keras.Input(shape=({len(s.features)},)),
{chr(10).join(layers)}
])
# {s.loss} is fed {feed.description}, as in the playground.
{penalty}model.compile(optimizer={opt_source}, loss={loss.keras_source(problem)})

data_loss = {loss.keras_source(problem, reduction=None)}  # one value per point, no penalty


def measured(x, y):
    """The data loss and {metric_name} over every point: what the playground shows after an epoch."""
    output = model(x)
    metric = {_metric_source(problem, feed)}
    metric.update_state(y, output)
    return float(keras.ops.mean(data_loss(y, output))), float(metric.result())


def report(epoch):
    train_loss, train_metric = measured(x_train, y_train)
    test_loss, test_metric = measured(x_test, y_test)
    print(f"epoch {{epoch:>{{len(str(EPOCHS))}}}}/{{EPOCHS}}  train loss {{train_loss:.4f}}  test loss {{test_loss:.4f}}  "
          f"train {metric_name} {{train_metric:.4f}}  test {metric_name} {{test_metric:.4f}}", flush=True)


class Progress(keras.callbacks.Callback):
    """A line every EVERY epochs and after the last, instead of Keras's line per epoch."""

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % EVERY == 0 or epoch + 1 == EPOCHS:
            report(epoch + 1)


EPOCHS = {epochs}  # {_epochs_comment(session.epoch, epochs)}
EVERY = max(1, EPOCHS // {PROGRESS_LINES})
report(0)
model.fit(x_train, y_train, batch_size={s.batch_size}, epochs=EPOCHS, verbose=0, callbacks=[Progress()])
'''


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


DATA_ENTRY = "assets/playground_data.csv"  # inside the .keras archive, beside what Keras itself writes


def data_csv(session: TrainingSession) -> str:
    """The session's points as it trains on them: ``x1,x2,label,split`` (labels: class index or value)."""
    split = session.split
    lines = ["x1,x2,label,split"]
    for name, points, labels in (("train", split.train_points, split.train_labels),
                                 ("test", split.test_points, split.test_labels)):
        lines += [f"{x1!r},{x2!r},{label!r},{name}" for (x1, x2), label in
                  zip(points.astype(float).tolist(), labels.tolist())]
    return "\n".join(lines) + "\n"


def keras_file(session: TrainingSession) -> bytes:
    """The model as ``.keras``, with the points it was trained on inside (``DATA_ENTRY``): a drawn dataset
    exists nowhere else. ``keras.models.load_model`` reads the archive as usual and passes over the entry."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.keras"
        keras_model(session).save(path)
        with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(DATA_ENTRY, data_csv(session))
        return path.read_bytes()
