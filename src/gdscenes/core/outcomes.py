"""Outcomes of several runs, for the lessons that compare them (numpy only).

* :func:`nearest_minimum` names the known minimum each end point reached;
* :func:`basin_map` runs a grid of thousands of starts in one batched
  :func:`~gdscenes.core.runner.run` call and classifies each by its minimum;
* :func:`exit_step` finds where a run leaves the drawn domain;
* :func:`finish_order` ranks runs by the step at which they converged;
* :func:`learning_rate_ladder` picks learning rates as fractions of the
  exact stability threshold ``2 / lambda_max``.

Every number a lesson shows about outcomes comes from here, computed from
the trajectory: drawing code only looks it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gdscenes.core.runner import run
from gdscenes.core.trajectory import Trajectory
from gdscenes.core.box import Box, grid
from gdscenes.core.losses.symbolic import Loss

#: A run "reached" a minimum when it ends within this fraction of the domain's diagonal.
REACH_FRACTION = 0.02


def nearest_minimum(minima: np.ndarray, points: np.ndarray, radius: float) -> np.ndarray:
    """Index of the minimum (rows of ``minima``, ``(M, 2)``) within ``radius`` of each point; -1 if none.

    ``points`` has shape ``(..., 2)``; the result has shape ``points.shape[:-1]``.
    """
    points = np.asarray(points, dtype=float)
    minima = np.asarray(minima, dtype=float).reshape(-1, 2)
    if len(minima) == 0:
        return np.full(points.shape[:-1], -1, dtype=int)
    d = np.linalg.norm(points[..., None, :] - minima, axis=-1)
    index = np.argmin(d, axis=-1)
    return np.where(np.min(d, axis=-1) <= radius, index, -1)


def reach_radius(domain: Box) -> float:
    """Distance counted as "at the minimum" in ``domain`` (:data:`REACH_FRACTION` of its diagonal)."""
    (x0, x1), (y0, y1) = domain
    return REACH_FRACTION * float(np.hypot(x1 - x0, y1 - y0))


def minima_array(loss: Loss, kinds: tuple[str, ...] = ("global", "local")) -> np.ndarray:
    """Known minima of ``loss`` as an ``(M, 2)`` array (empty for a user expression)."""
    return np.array([[m.x, m.y] for m in loss.minima if m.kind in kinds], dtype=float).reshape(-1, 2)


def reached_minima(loss: Loss, trajectory: Trajectory, domain: Box | None = None) -> np.ndarray:
    """For each start of ``trajectory``, the index into :func:`minima_array` it ended at (-1: none)."""
    last = trajectory.points[trajectory.stop_step, np.arange(trajectory.n_starts)]
    return nearest_minimum(minima_array(loss), last, reach_radius(domain or loss.domain))


@dataclass(frozen=True)
class BasinMap:
    """Which minimum each start of a grid descends to.

    ``labels[i, j]`` is the minimum reached from ``(xs[i, j], ys[i, j])``
    (indexing ``xy``: rows are y), -1 where none was reached in ``steps``.
    """

    xs: np.ndarray
    ys: np.ndarray
    labels: np.ndarray
    minima: np.ndarray


def basin_map(
    loss: Loss,
    optimizer: str = "gd",
    lr: float | None = None,
    samples: int = 64,
    steps: int = 400,
    domain: Box | None = None,
    tol: float | None = 1e-4,
    **hyperparams: Any,
) -> BasinMap:
    """Basins of attraction on a ``samples x samples`` grid: one batched run of all starts."""
    domain = domain or loss.domain
    xs, ys = grid(domain, samples)
    starts = np.column_stack([xs.ravel(), ys.ravel()])
    trajectory = run(loss, optimizer, start=starts, lr=lr, steps=steps, tol=tol, **hyperparams)
    labels = reached_minima(loss, trajectory, domain).reshape(xs.shape)
    return BasinMap(xs, ys, labels, minima_array(loss))


def exit_step(trajectory: Trajectory, domain: Box, index: int = 0) -> int | None:
    """First step whose iterate lies outside ``domain`` (the drawn plot), or ``None``.

    A run that the optimizer loop stops as diverged before leaving the plot
    exits at its ``stop_step`` + 1 (the discarded update).
    """
    (x0, x1), (y0, y1) = domain
    last = int(trajectory.stop_step[index])
    pts = trajectory.points[: last + 1, index]
    outside = (pts[:, 0] < x0) | (pts[:, 0] > x1) | (pts[:, 1] < y0) | (pts[:, 1] > y1)
    if outside.any():
        return int(np.argmax(outside))
    return None


def finish_order(trajectories: list[Trajectory]) -> list[int]:
    """Order of finish of one-start runs (e.g. of different optimizers): indices, first finisher first.

    Converged runs rank by ``stop_step`` (ties keep their order); the others
    follow, ranked by their final loss.
    """

    def key(i: int) -> tuple[bool, float, int]:
        t = trajectories[i]
        step = int(t.stop_step[0])
        done = str(t.status[0]) == "converged"
        return (not done, step if done else float(t.losses[step, 0]), i)

    return sorted(range(len(trajectories)), key=key)


#: Fractions of ``2 / lambda_max`` for the learning-rate lesson, with what each does.
LADDER = (
    (0.01, "crawls"),
    (0.45, "about right"),
    (0.93, "oscillates"),
    (1.05, "beyond 2/λmax"),
)
LADDER_FRACTIONS: tuple[float, ...] = tuple(fraction for fraction, _ in LADDER)


def learning_rate_ladder(
    loss: Loss, fractions: tuple[float, ...] = LADDER_FRACTIONS, at: tuple[float, float] | None = None
) -> tuple[float, list[float]]:
    """``(2 / lambda_max, [fraction * 2 / lambda_max, ...])`` from the exact Hessian.

    The Hessian is taken at the loss's first global minimum, or at ``at``
    when no minimum is known (a user expression).
    """
    point = at if at is not None and not any(m.kind == "global" for m in loss.minima) else (None, None)
    threshold = float(loss.max_stable_lr(*point))
    return threshold, [f * threshold for f in fractions]
