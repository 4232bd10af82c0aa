"""The axis-aligned box ``((xmin, xmax), (ymin, ymax))``: a loss's domain, a run's bound, a lesson's view.

One type and one validator for every layer: :class:`~gdscenes.core.losses.Loss`
stores its ``domain`` as a :data:`Box`, :func:`~gdscenes.core.runner.run` its
divergence ``bound``, and display and scene code the part of the plane drawn.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

__all__ = ["Box", "parse_box", "grid"]

#: ``((xmin, xmax), (ymin, ymax))`` with ``xmin < xmax`` and ``ymin < ymax``, finite floats
Box: TypeAlias = tuple[tuple[float, float], tuple[float, float]]


def parse_box(value: object, label: str = "box") -> Box:
    """``value`` as a :data:`Box` of Python floats, or a one-line ``ValueError`` naming ``label`` and the value.

    Accepts any nested sequence or array of shape ``(2, 2)``, finite, with
    ``min < max`` on each axis.
    """
    try:
        b = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{label} must be ((xmin, xmax), (ymin, ymax)), got {value!r}") from None
    if b.shape != (2, 2):
        raise ValueError(f"{label} must be ((xmin, xmax), (ymin, ymax)), got {value!r}")
    if not np.isfinite(b).all():
        raise ValueError(f"{label} must be finite, got {value!r}")
    if not (b[:, 0] < b[:, 1]).all():
        raise ValueError(f"{label} must have min < max on each axis, got {value!r}")
    return ((float(b[0, 0]), float(b[0, 1])), (float(b[1, 0]), float(b[1, 1])))


def grid(box: Box, samples: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A ``samples x samples`` meshgrid over ``box`` (indexing ``xy``)."""
    (x0, x1), (y0, y1) = box
    xs, ys = np.meshgrid(np.linspace(x0, x1, samples), np.linspace(y0, y1, samples))
    return xs, ys
