"""Learning-rate schedules, by name: the formulas of ``keras.optimizers.schedules`` as graph code.

``rate(name, learning_rate, step, params)`` runs inside the compiled training loop with tensor
arguments (so changing a parameter never retraces); ``keras_schedule`` builds the Keras object
that the export script uses and the tests compare against.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import keras
import tensorflow as tf

from app.engine.registry import Registry


MAX_LIST_LENGTH = 32  # items of a list parameter (piecewise boundaries and values)


@dataclass(frozen=True)
class Param:
    default: Any
    kind: str  # "float", "int", "bool", "ints", "floats"
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""
    label_zh: str = ""  # the name as the Chinese page shows it


@dataclass(frozen=True)
class Schedule:
    params: dict[str, Param]
    graph_fn: Callable[[tf.Tensor, tf.Tensor, Mapping[str, tf.Tensor]], tf.Tensor]
    keras_factory: Callable[..., Any]
    keras_source: str
    uses_learning_rate: bool = True
    # A rule across parameters (each parameter's own bounds are in its ``Param``): raises ValueError.
    check: Callable[[Mapping[str, Any]], None] | None = None


def _constant(lr, step, p):
    return lr


def _exponential(lr, step, p):
    progress = step / p["decay_steps"]
    progress = tf.where(p["staircase"] > 0.5, tf.floor(progress), progress)
    return lr * tf.pow(p["decay_rate"], progress)


def _inverse_time(lr, step, p):
    progress = step / p["decay_steps"]
    progress = tf.where(p["staircase"] > 0.5, tf.floor(progress), progress)
    return lr / (1.0 + p["decay_rate"] * progress)


def _piecewise(lr, step, p):
    index = tf.reduce_sum(tf.cast(step > p["boundaries"], tf.int32))
    return tf.gather(p["values"], index)


def _cosine(lr, step, p):
    progress = tf.minimum(step, p["decay_steps"]) / p["decay_steps"]
    cosine = 0.5 * (1.0 + tf.cos(math.pi * progress))
    return lr * ((1.0 - p["alpha"]) * cosine + p["alpha"])


def _piecewise_check(p: Mapping[str, Any]) -> None:
    """values holds one rate more than boundaries, and boundaries increase"""
    b, v = p["boundaries"], p["values"]
    if len(v) != len(b) + 1:
        raise ValueError(f"piecewise_constant needs one more value than boundaries; "
                         f"received {len(b)} boundaries and {len(v)} values")
    if any(x >= y for x, y in zip(b, b[1:])):
        raise ValueError(f"piecewise_constant boundaries must increase; received {b}")


_DECAY_STEPS = Param(100, "int", 1, 1_000_000, "steps (mini-batch updates) per decay period", "衰减步数")
_STAIRCASE = Param(False, "bool", description="decay in whole periods, not continuously", label_zh="阶梯式")

SCHEDULES: Registry[Schedule] = Registry("learning-rate schedule")
SCHEDULES.register("constant", Schedule({}, _constant, lambda lr: lr, "{learning_rate}"),
                   label="Constant", label_zh="恒定", description="lr")
SCHEDULES.register("exponential_decay", Schedule(
    {"decay_steps": _DECAY_STEPS,
     "decay_rate": Param(0.96, "float", 0.0, 1.0, "factor per period", "衰减率"),
     "staircase": _STAIRCASE},
    _exponential,
    lambda lr, decay_steps, decay_rate, staircase: keras.optimizers.schedules.ExponentialDecay(
        lr, decay_steps, decay_rate, staircase=staircase),
    "keras.optimizers.schedules.ExponentialDecay({learning_rate}, decay_steps={decay_steps}, "
    "decay_rate={decay_rate}, staircase={staircase})"),
    label="Exponential decay", label_zh="指数衰减", description="lr * decay_rate ^ (step / decay_steps)")
SCHEDULES.register("inverse_time", Schedule(
    {"decay_steps": _DECAY_STEPS,
     "decay_rate": Param(0.5, "float", 0.0, 1000.0, "how fast it falls", "衰减率"),
     "staircase": _STAIRCASE},
    _inverse_time,
    lambda lr, decay_steps, decay_rate, staircase: keras.optimizers.schedules.InverseTimeDecay(
        lr, decay_steps, decay_rate, staircase=staircase),
    "keras.optimizers.schedules.InverseTimeDecay({learning_rate}, decay_steps={decay_steps}, "
    "decay_rate={decay_rate}, staircase={staircase})"),
    label="Inverse time decay", label_zh="逆时衰减", description="lr / (1 + decay_rate * step / decay_steps)")
SCHEDULES.register("piecewise_constant", Schedule(
    {"boundaries": Param([1000, 5000], "ints", 0, 10_000_000, "steps where the rate changes (increasing)", "分段边界（步）"),
     "values": Param([0.03, 0.01, 0.003], "floats", 0.0, 10.0, "one rate more than boundaries", "各段学习率")},
    _piecewise,
    lambda lr, boundaries, values: keras.optimizers.schedules.PiecewiseConstantDecay(boundaries, values),
    "keras.optimizers.schedules.PiecewiseConstantDecay(boundaries={boundaries}, values={values})",
    uses_learning_rate=False, check=_piecewise_check),
    label="Piecewise constant", label_zh="分段常数",
    description="values[i] between boundaries[i-1] and boundaries[i]")
SCHEDULES.register("cosine_decay", Schedule(
    {"decay_steps": Param(1000, "int", 1, 1_000_000, "steps to reach the floor", "衰减步数"),
     "alpha": Param(0.0, "float", 0.0, 1.0, "floor, as a fraction of lr", "下限比例 (alpha)")},
    _cosine,
    lambda lr, decay_steps, alpha: keras.optimizers.schedules.CosineDecay(lr, decay_steps, alpha=alpha),
    "keras.optimizers.schedules.CosineDecay({learning_rate}, decay_steps={decay_steps}, alpha={alpha})"),
    label="Cosine decay", label_zh="余弦衰减",
    description="lr * ((1 - alpha) * (1 + cos(pi * step / decay_steps)) / 2 + alpha)")


def resolve_params(name: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Fill defaults and check every parameter against its ``Param`` and the schedule's ``check``; raises
    ValueError naming the offending one."""
    if not isinstance(given, Mapping):
        raise ValueError(f"the parameters of schedule {name!r} must be an object; received {given!r}")
    schedule = SCHEDULES.get(name)
    unknown = set(given) - set(schedule.params)
    if unknown:
        allowed = ", ".join(schedule.params) or "none"
        raise ValueError(f"Unknown parameter(s) {', '.join(sorted(unknown))} for schedule {name!r}. "
                         f"Expected: {allowed}")
    out: dict[str, Any] = {}
    for key, spec in schedule.params.items():
        value = given.get(key, spec.default)
        out[key] = _check(name, key, spec, value)
    if schedule.check is not None:
        schedule.check(out)
    return out


def _check(schedule: str, key: str, spec: Param, value: Any) -> Any:
    where = f"{schedule}.{key}"
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{where} must be true or false; received {value!r}")
        return value
    if spec.kind in ("ints", "floats"):
        if not isinstance(value, list | tuple) or not 1 <= len(value) <= MAX_LIST_LENGTH:
            raise ValueError(f"{where} must be a list of 1 to {MAX_LIST_LENGTH} numbers; received {value!r}")
        return [_number(where, spec, x, spec.kind == "ints") for x in value]
    return _number(where, spec, value, spec.kind == "int")


def _number(where: str, spec: Param, value: Any, integral: bool) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where} must be a finite number; received {value!r}")
    if integral and value != int(value):
        raise ValueError(f"{where} must be a whole number; received {value!r}")
    if (spec.minimum is not None and value < spec.minimum) or (spec.maximum is not None and value > spec.maximum):
        raise ValueError(f"{where} must be between {spec.minimum} and {spec.maximum}; received {value!r}")
    return int(value) if integral else float(value)


def graph_params(name: str, params: Mapping[str, Any]) -> dict[str, tf.Tensor]:
    """Tensors for ``rate``: passing tensors (not Python numbers) keeps one trace for all values."""
    return {k: tf.constant(v, tf.float32) for k, v in params.items()}


def rate(name: str, learning_rate: tf.Tensor, step: tf.Tensor, params: Mapping[str, tf.Tensor]) -> tf.Tensor:
    return SCHEDULES.get(name).graph_fn(learning_rate, tf.cast(step, tf.float32), params)


def keras_schedule(name: str, learning_rate: float, params: Mapping[str, Any]) -> Any:
    return SCHEDULES.get(name).keras_factory(learning_rate, **params)


def keras_source(name: str, learning_rate: float, params: Mapping[str, Any]) -> str:
    return SCHEDULES.get(name).keras_source.format(learning_rate=learning_rate, **params)
