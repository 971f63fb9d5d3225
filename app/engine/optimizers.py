"""Optimizers, by name, as pure functions over tensors.

The compiled training loop is shared by every session with the same architecture, so optimizer
state cannot live inside a Keras optimizer object bound to one model. Each optimizer here is the
update rule of its Keras namesake written as ``(params, grads, slots, lr, step) -> (params, slots)``,
with Keras's defaults; ``tests/engine/test_optimizers.py`` checks every step against Keras itself.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import keras
import tensorflow as tf

from app.engine.registry import Registry

Tensors = list[tf.Tensor]


@dataclass(frozen=True)
class Optimizer:
    # Initial value of each state slot a variable carries (e.g. Adam: m = 0, v = 0).
    slot_inits: tuple[float, ...]
    update: Callable[[tf.Tensor, tf.Tensor, list[tf.Tensor], tf.Tensor, tf.Tensor], tuple[tf.Tensor, list[tf.Tensor]]]
    # The same optimizer in Keras, for the export script and the reference tests.
    keras_factory: Callable[[float], keras.optimizers.Optimizer]
    keras_source: str

    def init_slots(self, params: Sequence[tf.Tensor]) -> Tensors:
        return [tf.fill(tf.shape(p), tf.constant(v, p.dtype)) for p in params for v in self.slot_inits]

    def apply(self, params: Sequence[tf.Tensor], grads: Sequence[tf.Tensor], slots: Sequence[tf.Tensor],
              lr: tf.Tensor, step: tf.Tensor) -> tuple[Tensors, Tensors]:
        """One update of every variable; ``step`` counts updates made before this one."""
        k = len(self.slot_inits)
        new_params: Tensors = []
        new_slots: Tensors = []
        for i, (p, g) in enumerate(zip(params, grads, strict=True)):
            p2, s2 = self.update(p, g, list(slots[i * k:(i + 1) * k]), lr, step)
            new_params.append(p2)
            new_slots.extend(s2)
        return new_params, new_slots


MOMENTUM = 0.9
BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7
RHO = 0.9
ADAGRAD_INITIAL_ACCUMULATOR = 0.1


def _sgd(p, g, s, lr, step):
    return p - lr * g, []


def _momentum(p, g, s, lr, step):
    m = MOMENTUM * s[0] - lr * g
    return p + m, [m]


def _nesterov(p, g, s, lr, step):
    m = MOMENTUM * s[0] - lr * g
    return p + MOMENTUM * m - lr * g, [m]


def _adam(p, g, s, lr, step):
    t = tf.cast(step + 1, p.dtype)
    alpha = lr * tf.sqrt(1.0 - tf.pow(BETA_2, t)) / (1.0 - tf.pow(BETA_1, t))
    m = s[0] + (g - s[0]) * (1.0 - BETA_1)
    v = s[1] + (tf.square(g) - s[1]) * (1.0 - BETA_2)
    return p - m * alpha / (tf.sqrt(v) + EPSILON), [m, v]


def _rmsprop(p, g, s, lr, step):
    v = RHO * s[0] + (1.0 - RHO) * tf.square(g)
    return p - lr * g / tf.sqrt(v + EPSILON), [v]


def _adagrad(p, g, s, lr, step):
    acc = s[0] + tf.square(g)
    return p - lr * g / tf.sqrt(acc + EPSILON), [acc]


OPTIMIZERS: Registry[Optimizer] = Registry("optimizer")
OPTIMIZERS.register("sgd", Optimizer((), _sgd, lambda lr: keras.optimizers.SGD(lr),
                                     "keras.optimizers.SGD(learning_rate={lr})"),
                    label="SGD", label_zh="随机梯度下降 (SGD)", description="w -= lr * g")
OPTIMIZERS.register("momentum", Optimizer((0.0,), _momentum, lambda lr: keras.optimizers.SGD(lr, momentum=MOMENTUM),
                                          "keras.optimizers.SGD(learning_rate={lr}, momentum=0.9)"),
                    label="Momentum", label_zh="动量", description="SGD with momentum 0.9")
OPTIMIZERS.register("nesterov", Optimizer((0.0,), _nesterov,
                                          lambda lr: keras.optimizers.SGD(lr, momentum=MOMENTUM, nesterov=True),
                                          "keras.optimizers.SGD(learning_rate={lr}, momentum=0.9, nesterov=True)"),
                    label="Nesterov", label_zh="Nesterov 动量", description="SGD with Nesterov momentum 0.9")
OPTIMIZERS.register("adam", Optimizer((0.0, 0.0), _adam, lambda lr: keras.optimizers.Adam(lr),
                                      "keras.optimizers.Adam(learning_rate={lr})"),
                    label="Adam", description="adaptive moments, beta_1 0.9, beta_2 0.999")
OPTIMIZERS.register("rmsprop", Optimizer((0.0,), _rmsprop, lambda lr: keras.optimizers.RMSprop(lr),
                                         "keras.optimizers.RMSprop(learning_rate={lr})"),
                    label="RMSprop", description="divides by a running RMS of gradients, rho 0.9")
OPTIMIZERS.register("adagrad", Optimizer((ADAGRAD_INITIAL_ACCUMULATOR,), _adagrad,
                                         lambda lr: keras.optimizers.Adagrad(lr),
                                         "keras.optimizers.Adagrad(learning_rate={lr})"),
                    label="Adagrad", description="divides by the root of summed squared gradients")
