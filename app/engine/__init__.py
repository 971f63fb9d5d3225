"""Pure TensorFlow/NumPy engine: datasets, models, training, snapshots, concept labs.

Nothing here imports FastAPI or the HTTP schemas, so a network can be trained from a REPL::

    from app.engine.session import TrainingSession
    from app.engine.spec import TrainingSpec
    s = TrainingSession(TrainingSpec(dataset="spiral", hidden_layers=(8, 8, 8)))
    s.train(200)
    print(s.state())
"""

import os

# TensorFlow reads these at import time; the engine package is the first thing to import it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import tensorflow as tf  # noqa: E402

# Small networks run faster on one intra-op thread (measured 17-34 % for one session); sessions run
# side by side in a thread pool instead. These calls fail once an op has run, which only happens
# when the host program already used TensorFlow: keep its choice then.
try:
    tf.config.threading.set_intra_op_parallelism_threads(int(os.environ.get("TP_TF_INTRA_OP_THREADS", "1")))
    tf.config.threading.set_inter_op_parallelism_threads(int(os.environ.get("TP_TF_INTER_OP_THREADS", "2")))
except RuntimeError:
    pass
