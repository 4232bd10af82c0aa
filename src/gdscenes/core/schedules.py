r"""Learning-rate schedules with ``torch.optim.lr_scheduler``'s rules and parameter names.

A schedule gives the learning rate :math:`\eta_k` of update ``k`` (0-based)
from the optimizer's base rate :math:`\eta` = ``lr``; like torch's
schedulers it is stepped once after every optimizer step, so update 0 uses
``lr`` itself (for ``linear``: ``lr * start_factor``).

=========== ============================ ==============================================================
name        torch class                  :math:`\eta_k`
=========== ============================ ==============================================================
constant    (no scheduler)               :math:`\eta`
step        ``StepLR(step_size, gamma=0.1)``      :math:`\eta \gamma^{\lfloor k / \mathrm{step\_size} \rfloor}`
exponential ``ExponentialLR(gamma)``              :math:`\eta \gamma^k`
cosine      ``CosineAnnealingLR(T_max, eta_min=0)`` :math:`\eta_{min} + (\eta - \eta_{min})(1 + \cos(\pi k / T_{max}))/2`
linear      ``LinearLR(start_factor=1/3, end_factor=1, total_iters=5)`` :math:`\eta (s + (e - s) \min(k, n)/n)`
=========== ============================ ==============================================================

>>> make_schedule("step", step_size=2, gamma=0.5).rates(1.0, 5).tolist()
[1.0, 1.0, 0.5, 0.5, 0.25]
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from gdscenes.core.optimizers import real_number, show_value
from gdscenes.suggest import closest

__all__ = ["Schedule", "SCHEDULES", "make_schedule", "Constant", "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR"]


def _count(label: str, value: object) -> int:
    """A positive int (floats equal to an int, such as 10.0 from a flag, are accepted)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{label} must be a positive int, got {value!r}")
    if isinstance(value, numbers.Integral):
        v = int(value)
    else:
        f = float(value)
        if not math.isfinite(f) or f != int(f):
            raise ValueError(f"{label} must be a positive int, got {show_value(f)}")
        v = int(f)
    if v < 1:
        raise ValueError(f"{label} must be a positive int, got {v}")
    return v


@dataclass(frozen=True)
class Schedule:
    """A learning-rate schedule: ``rate(lr, k)`` is the learning rate of update ``k``."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    defaults: ClassVar[Mapping[str, object]] = MappingProxyType({})
    #: the options that have no default (must be given)
    required: ClassVar[tuple[str, ...]] = ()
    params: dict[str, float | int] = field(default_factory=dict)

    def factors(self, k: NDArray[np.int64], lr: float) -> NDArray[np.float64]:
        """The learning rates of the updates ``k`` (an int array) for base rate ``lr``."""
        return np.full(k.shape, float(lr))

    def rates(self, lr: float, steps: int) -> NDArray[np.float64]:
        """The learning rates of updates ``0 .. steps - 1``, shape ``(steps,)`` (``inf`` where they overflow)."""
        with np.errstate(over="ignore"):
            return np.asarray(self.factors(np.arange(int(steps)), float(lr)), dtype=np.float64)

    def rate(self, lr: float, k: int) -> float:
        """The learning rate of update ``k``."""
        return float(self.factors(np.asarray([int(k)]), float(lr))[0])

    def to_dict(self) -> dict[str, object]:
        """``{"name": ..., **params}``, JSON-ready."""
        return {"name": self.name, **self.params}


class Constant(Schedule):
    """No schedule: every update uses ``lr``."""

    name = "constant"
    label = "constant"


class StepLR(Schedule):
    """``torch.optim.lr_scheduler.StepLR``: multiply by ``gamma`` every ``step_size`` updates."""

    name = "step"
    label = "step decay"
    defaults = MappingProxyType({"gamma": 0.1})
    required = ("step_size",)

    def factors(self, k: NDArray[np.int64], lr: float) -> NDArray[np.float64]:
        gamma, size = float(self.params["gamma"]), int(self.params["step_size"])
        return lr * np.power(gamma, (k // size).astype(np.float64))


class ExponentialLR(Schedule):
    """``torch.optim.lr_scheduler.ExponentialLR``: multiply by ``gamma`` after every update."""

    name = "exponential"
    label = "exponential decay"
    required = ("gamma",)

    def factors(self, k: NDArray[np.int64], lr: float) -> NDArray[np.float64]:
        return lr * np.power(float(self.params["gamma"]), k.astype(np.float64))


class CosineAnnealingLR(Schedule):
    """``torch.optim.lr_scheduler.CosineAnnealingLR`` in its closed form (periodic past ``T_max``)."""

    name = "cosine"
    label = "cosine annealing"
    defaults = MappingProxyType({"eta_min": 0.0})
    required = ("T_max",)

    def factors(self, k: NDArray[np.int64], lr: float) -> NDArray[np.float64]:
        t_max, eta_min = int(self.params["T_max"]), float(self.params["eta_min"])
        return eta_min + (lr - eta_min) * (1.0 + np.cos(np.pi * k / t_max)) / 2.0


class LinearLR(Schedule):
    """``torch.optim.lr_scheduler.LinearLR``: the factor goes linearly from ``start_factor`` to ``end_factor``."""

    name = "linear"
    label = "linear warm-up"
    defaults = MappingProxyType({"start_factor": 1.0 / 3.0, "end_factor": 1.0, "total_iters": 5})

    def factors(self, k: NDArray[np.int64], lr: float) -> NDArray[np.float64]:
        s, e, n = float(self.params["start_factor"]), float(self.params["end_factor"]), int(self.params["total_iters"])
        return lr * (s + (e - s) * np.minimum(k, n) / n)


#: schedules by name
SCHEDULES: dict[str, type[Schedule]] = {c.name: c for c in (Constant, StepLR, ExponentialLR, CosineAnnealingLR, LinearLR)}

_INTS = ("step_size", "T_max", "total_iters")


def _check(name: str, key: str, value: object) -> float | int:
    label = f"schedule {name!r}: {key}"
    if key in _INTS:
        return _count(label, value)
    v = real_number(label, value)
    if key == "gamma" and v <= 0.0:
        raise ValueError(f"{label} must be positive, got {show_value(v)}")
    if key == "eta_min" and v < 0.0:
        raise ValueError(f"{label} must be >= 0, got {show_value(v)}")
    if key == "start_factor" and not 0.0 < v <= 1.0:
        raise ValueError(f"{label} must be in (0, 1], got {show_value(v)}")
    if key == "end_factor" and not 0.0 <= v <= 1.0:
        raise ValueError(f"{label} must be in [0, 1], got {show_value(v)}")
    return v


def make_schedule(name: str | Schedule | None, **options: object) -> Schedule:
    """A schedule by name with its torch keyword options; one-line ``ValueError`` for bad names or values.

    ``None`` (or ``"constant"``) is the constant rate.  A :class:`Schedule`
    is returned unchanged (then no options may be given).
    """
    if isinstance(name, Schedule):
        if options:
            raise ValueError("cannot pass schedule options together with a Schedule instance")
        return name
    key = "constant" if name is None else (name.strip().lower() if isinstance(name, str) else "")
    if key not in SCHEDULES:
        close = closest(key, SCHEDULES)
        hint = f" (did you mean {close!r}?)" if close else ""
        raise ValueError(f"unknown schedule {name!r}{hint}; choose from: {', '.join(SCHEDULES)}")
    cls = SCHEDULES[key]
    allowed = [*cls.required, *cls.defaults]
    given = {k: v for k, v in options.items() if v is not None}
    for k in given:
        if k not in allowed:
            close = closest(k, allowed)
            hint = f" (did you mean {close!r}?)" if close else ""
            choices = ", ".join(allowed) or "none"
            raise ValueError(f"unknown option {k!r} for schedule {key!r}{hint}; allowed: {choices}")
    missing = [k for k in cls.required if k not in given]
    if missing:
        raise ValueError(f"schedule {key!r} needs {', '.join(f'{m}=...' for m in missing)}")
    params = {k: _check(key, k, given.get(k, cls.defaults.get(k))) for k in allowed}
    return cls(params)
