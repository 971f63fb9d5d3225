"""Learning-rate schedules: the rate per step from ``keras.optimizers.schedules``, and J(x) = x² under it.

The same start is also descended with the schedule's initial rate held constant, so the page can show
that a rate of 1 bounces between ±x forever while a decaying one from the same start settles.
"""

from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from app.engine.concepts.gradient_descent import Run, run_descent
from app.engine.numeric import to_json
from app.engine.schedules import SCHEDULES, keras_schedule, keras_source, resolve_params

FUNCTION = "square"  # J(x) = x², whose gradient 2x makes every step x ← (1 − 2·lr)·x


@dataclass(frozen=True)
class ScheduleResult:
    """A schedule's rate per step and the two descents of x², JSON-ready. ``scheduled`` and ``constant``
    hold ``trajectory``, ``steps_run``, ``verdict`` and ``overflow`` (``constant`` its ``learning_rate`` too)."""

    schedule: str
    params: dict[str, Any]  # every parameter, defaults filled in
    uses_learning_rate: bool
    learning_rates: list[float | None]
    scheduled: dict[str, Any]
    constant: dict[str, Any]
    keras: str  # the schedule as code
    overflow: bool

    def __repr__(self) -> str:
        return (f"ScheduleResult({self.schedule}, steps={len(self.learning_rates)}, "
                f"scheduled={self.scheduled['verdict']}, constant={self.constant['verdict']})")


def learning_rates(schedule: str, learning_rate: float, params: dict[str, Any], steps: int) -> np.ndarray:
    """The rate of each step 0 … steps − 1, as the Keras schedule object computes it."""
    rate = keras_schedule(schedule, learning_rate, params)
    if not isinstance(rate, keras.optimizers.schedules.LearningRateSchedule):
        return np.full(steps, rate, np.float32)  # "constant" is a plain number in Keras
    return np.asarray(rate(tf.range(steps)), np.float32).reshape(steps)


def _described(run: Run) -> dict[str, Any]:
    return {"trajectory": run.trajectory(), "steps_run": len(run.losses) - 1, "verdict": run.verdict,
            "overflow": run.overflow}


def schedule_descent(*, schedule: str, params: dict[str, Any], learning_rate: float, steps: int,
                     x: float) -> ScheduleResult:
    """Rates per step for a schedule and the descent of x² from ``x`` with them and with ``learning_rate``."""
    SCHEDULES.entry(schedule)
    resolved = resolve_params(schedule, params)
    rates = learning_rates(schedule, learning_rate, resolved, steps)
    scheduled = run_descent(FUNCTION, "sgd", [x], rates)
    constant = run_descent(FUNCTION, "sgd", [x], [learning_rate] * steps)
    rates_json, rates_overflow = to_json(rates)
    return ScheduleResult(
        schedule=schedule,
        params=resolved,
        uses_learning_rate=SCHEDULES.get(schedule).uses_learning_rate,
        learning_rates=rates_json,
        scheduled=_described(scheduled),
        constant={"learning_rate": learning_rate, **_described(constant)},
        keras=keras_source(schedule, learning_rate, resolved),
        overflow=rates_overflow or scheduled.overflow or constant.overflow,
    )
