import numpy as np
import tensorflow as tf

from app.engine.shuffle import permutation


def _perm(n, seed, epoch, jit):
    fn = tf.function(lambda s, e: permutation(n, s, e), jit_compile=jit)
    return fn(tf.constant(seed, tf.int64), tf.constant(epoch, tf.int64)).numpy()


def test_is_a_permutation():
    p = _perm(257, 3, 11, jit=False)
    assert sorted(p.tolist()) == list(range(257))


def test_graph_mode_and_xla_give_the_same_order():
    for seed, epoch in [(1, 0), (1, 1), (99, 12345)]:
        np.testing.assert_array_equal(_perm(100, seed, epoch, jit=False), _perm(100, seed, epoch, jit=True))


def test_each_epoch_and_seed_gets_another_order():
    orders = {tuple(_perm(50, s, e, jit=False)) for s in (1, 2) for e in (0, 1, 2)}
    assert len(orders) == 6
