"""Per-epoch shuffling that gives the same order in graph mode and under XLA.

TensorFlow's stateless random ops draw different numbers once XLA compiles them, so a run would
depend on how it was compiled. Sorting by an integer hash of (seed, epoch, index) — plain integer
arithmetic, identical everywhere — keeps a seeded run the same whichever way it runs and however
its epochs are split into calls.
"""

import tensorflow as tf

_MASK = 0xFFFFFFFF


def _mix(x: tf.Tensor) -> tf.Tensor:
    # A 32-bit avalanche hash (xor-shift-multiply), computed in int64 and masked to 32 bits:
    # wrap-around in the multiplications only touches bits above 32.
    x = tf.bitwise.bitwise_and(x, _MASK)
    x = tf.bitwise.bitwise_xor(x, tf.bitwise.right_shift(x, 16))
    x = tf.bitwise.bitwise_and(x * 0x7FEB352D, _MASK)
    x = tf.bitwise.bitwise_xor(x, tf.bitwise.right_shift(x, 15))
    x = tf.bitwise.bitwise_and(x * 0x846CA68B, _MASK)
    return tf.bitwise.bitwise_xor(x, tf.bitwise.right_shift(x, 16))


def permutation(n: int, seed: tf.Tensor, epoch: tf.Tensor) -> tf.Tensor:
    """A permutation of ``range(n)`` determined by ``seed`` and ``epoch`` (int64 scalars)."""
    key = _mix(_mix(tf.cast(seed, tf.int64)) + tf.cast(epoch, tf.int64) * 0x9E3779B1)
    keys = _mix(tf.range(n, dtype=tf.int64) * 0x85EBCA77 + key)
    # Ties are broken by index (stable sort), so the result is always a permutation.
    return tf.argsort(keys, stable=True)
