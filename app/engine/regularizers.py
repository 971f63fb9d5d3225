"""Weight regularizers, by name, as the (L1, L2) factors applied to the regularization rate.

The penalty is Keras's: ``rate * sum(|w|)`` for L1 and ``rate * sum(w^2)`` for L2, on the kernels
(not the biases), as ``kernel_regularizer=keras.regularizers.L2(rate)`` does. Keeping the kind as two
factors lets a session switch between them, like the rate itself, without recompiling.
"""

from dataclasses import dataclass

from app.engine.registry import Registry


@dataclass(frozen=True)
class Regularizer:
    l1: float
    l2: float
    keras_source: str | None  # with {rate}; None for no regularizer


REGULARIZERS: Registry[Regularizer] = Registry("regularization")
REGULARIZERS.register("none", Regularizer(0.0, 0.0, None), label="None", label_zh="无")
REGULARIZERS.register("l1", Regularizer(1.0, 0.0, "keras.regularizers.L1({rate})"), label="L1",
                      description="rate * sum(|w|): pushes weights to exactly zero")
REGULARIZERS.register("l2", Regularizer(0.0, 1.0, "keras.regularizers.L2({rate})"), label="L2",
                      description="rate * sum(w^2): keeps weights small")
