import numpy as np
import pytest
import tensorflow as tf

from app.engine.optimizers import OPTIMIZERS


@pytest.mark.parametrize("name", OPTIMIZERS.names())
def test_updates_match_keras_step_for_step(name):
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (4,)]
    start = [rng.normal(size=s).astype(np.float32) for s in shapes]
    grads_per_step = [[rng.normal(size=s).astype(np.float32) for s in shapes] for _ in range(5)]
    optimizer = OPTIMIZERS.get(name)
    lr = 0.05

    reference = [tf.Variable(p) for p in start]
    keras_opt = optimizer.keras_factory(lr)
    params = [tf.constant(p) for p in start]
    slots = optimizer.init_slots(params)
    for step, grads in enumerate(grads_per_step):
        keras_opt.apply_gradients(zip([tf.constant(g) for g in grads], reference))
        params, slots = optimizer.apply(params, [tf.constant(g) for g in grads], slots,
                                        tf.constant(lr), tf.constant(step, tf.int64))
        for ours, theirs in zip(params, reference):
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)
