"""The result of a descent run: arrays per step and per start point, plus export.

A :class:`Trajectory` holds ``N`` descents (one per start point) of
``n_steps`` steps each, stored step-major so that ``points[k]`` is the
``(N, 2)`` array of all iterates after ``k`` updates.

Frozen semantics
----------------
A start point *stops* when it converges (gradient norm <= ``tol``) or
diverges.  From its ``stop_step`` on, its rows in ``points``, ``losses``,
``gradients`` and ``state`` repeat its last valid values and its rows in
``updates`` are zero, so every array is finite and drawing code can index
any step of any start point.  ``path(i)`` gives only the meaningful part.

Files
-----
CSV and JSON text and files: :mod:`gdscenes.core.trajectory_files` (the
``to_csv``, ``to_json``, ``to_dict``, ``from_dict`` and ``from_json`` methods
here are thin delegates to it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gdscenes.core import trajectory_files as files
from gdscenes.core.box import Box

__all__ = ["Trajectory", "STATUSES", "CSV_COLUMNS", "ROW_STATUSES"]

#: possible entries of ``Trajectory.status``
STATUSES: tuple[str, ...] = ("converged", "max_steps", "diverged")
#: possible entries of :meth:`Trajectory.row_status` (the CSV's ``status`` column)
ROW_STATUSES: tuple[str, ...] = ("running", *STATUSES)
#: CSV columns for a single start point (``start`` is prepended when N > 1)
CSV_COLUMNS: tuple[str, ...] = files.CSV_COLUMNS


@dataclass(eq=False)
class Trajectory:
    """Iterates of one or more descents, step-major.

    Parameters
    ----------
    points : ndarray, shape (steps + 1, N, 2)
        Iterates; ``points[0]`` are the start points.  Frozen at the last
        valid point after a start point stops.
    losses : ndarray, shape (steps + 1, N)
        Loss value at each point.
    gradients : ndarray, shape (steps + 1, N, 2)
        Gradient at each point.
    updates : ndarray, shape (steps, N, 2)
        ``points[k + 1] - points[k]`` (zero after a point stops).
    status : ndarray of str, shape (N,)
        ``"converged"``, ``"max_steps"`` or ``"diverged"``.
    stop_step : ndarray of int, shape (N,)
        Step at which the point converged (``points[stop_step]`` is the
        converged point) or diverged (the update that would have produced
        ``points[stop_step]`` was invalid, so ``points[stop_step]`` equals
        ``points[stop_step - 1]``); ``steps`` for ``"max_steps"``.
    state : dict[str, ndarray]
        Optimizer state after each step, each ``(steps, N, 2)``; keys are the
        optimizer's ``state_names`` (empty for ``gd``).
    optimizer : str
        Optimizer registry name, e.g. ``"adam"``.
    hyperparams : dict[str, Any]
        Effective hyperparameters, ``lr`` included.
    loss_name : str
        ``loss.name`` of the landscape.
    tol : float or None
        Gradient-norm tolerance used, if any.
    bound : tuple or None
        ``((xmin, xmax), (ymin, ymax))`` divergence box used, if known.
    internals : dict[str, ndarray]
        Derived quantities of each update, each ``(steps, N, 2)`` like
        ``state`` (row ``k`` belongs to the update ``theta_k -> theta_{k+1}``):
        ``precond`` (the effective per-coordinate step, ``lr`` for gd and
        momentum, ``lr / (sqrt(v_hat) + eps)`` for Adam), Adam's ``m_hat`` and
        ``v_hat``, and ``grad_used`` (the noisy gradient) when ``noise > 0``.
        See :meth:`gdscenes.core.optimizers.Optimizer.internals`.
    noise, seed : float, int or None
        Gradient noise scale and its seed (:func:`gdscenes.core.runner.run`);
        the seed also shuffles the minibatches.
    params : tuple of str
        The names of the parameters, one per coordinate (``points.shape[2]``
        of them): ``("x", "y")`` for a surface, ``("x",)`` for a curve,
        ``("theta0", "theta1")`` (intercept, slope) for a data model.
    lrs : ndarray, shape (steps,), or None
        The learning rate used by each update (a schedule's eta_k;
        the constant ``lr`` without one).
    schedule : dict or None
        The schedule's name and options (``{"name": "cosine", "T_max": 50,
        "eta_min": 0.0}``), ``None`` for a constant rate.
    batch_size : int or None
        Minibatch size of a data model's run (``None``: the exact, full gradient).
    batches : ndarray of int, shape (steps, batch_size), or None
        The sample rows of each update's batch; ``-1`` pads the short last
        batch of an epoch.  The gradient used (``internals["grad_used"]``)
        is that batch's exact mean gradient.
    """

    points: np.ndarray
    losses: np.ndarray
    gradients: np.ndarray
    updates: np.ndarray
    status: np.ndarray
    stop_step: np.ndarray
    state: dict[str, np.ndarray]
    optimizer: str
    hyperparams: dict[str, Any]
    loss_name: str
    tol: float | None = None
    bound: Box | None = None
    internals: dict[str, np.ndarray] = field(default_factory=dict)
    noise: float = 0.0
    seed: int | None = None
    params: tuple[str, ...] = ("x", "y")
    lrs: np.ndarray | None = None
    schedule: dict[str, Any] | None = None
    batch_size: int | None = None
    batches: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.points = np.asarray(self.points, dtype=np.float64)
        self.losses = np.asarray(self.losses, dtype=np.float64)
        self.gradients = np.asarray(self.gradients, dtype=np.float64)
        self.updates = np.asarray(self.updates, dtype=np.float64)
        self.status = np.asarray(self.status, dtype=str)
        self.stop_step = np.asarray(self.stop_step, dtype=np.int64)
        self.state = {str(k): np.asarray(v, dtype=np.float64) for k, v in self.state.items()}
        self.internals = {str(k): np.asarray(v, dtype=np.float64) for k, v in self.internals.items()}
        self.hyperparams = dict(self.hyperparams)
        if self.bound is not None:
            self.bound = tuple((float(lo), float(hi)) for lo, hi in self.bound)  # type: ignore[assignment]

        self.params = tuple(str(name) for name in self.params)
        if self.lrs is not None:
            self.lrs = np.asarray(self.lrs, dtype=np.float64)
        if self.batches is not None:
            self.batches = np.asarray(self.batches, dtype=np.int64)
        if self.schedule is not None:
            self.schedule = dict(self.schedule)

        p = self.points
        d = len(self.params)
        if p.ndim != 3 or p.shape[2] != d or p.shape[0] < 1 or p.shape[1] < 1 or d not in (1, 2):
            raise ValueError(f"points must have shape (steps + 1, N, {d}) for the parameters {self.params}, got {p.shape}")
        s1, n = p.shape[0], p.shape[1]
        expected = {
            "losses": (self.losses, (s1, n)),
            "gradients": (self.gradients, (s1, n, d)),
            "updates": (self.updates, (s1 - 1, n, d)),
            "status": (self.status, (n,)),
            "stop_step": (self.stop_step, (n,)),
        }
        expected.update({f"state[{k!r}]": (v, (s1 - 1, n, d)) for k, v in self.state.items()})
        expected.update({f"internals[{k!r}]": (v, (s1 - 1, n, d)) for k, v in self.internals.items()})
        if self.lrs is not None:
            expected["lrs"] = (self.lrs, (s1 - 1,))
        if self.batches is not None:
            expected["batches"] = (self.batches, (s1 - 1, self.batches.shape[1] if self.batches.ndim == 2 else -1))
        for label, (arr, shape) in expected.items():
            if arr.shape != shape:
                raise ValueError(f"{label} must have shape {shape}, got {arr.shape}")
        bad = sorted(set(self.status.tolist()) - set(STATUSES))
        if bad:
            raise ValueError(f"status entries must be one of {STATUSES}, got {bad[0]!r}")

    # ------------------------------------------------------------------ #
    # convenience
    # ------------------------------------------------------------------ #
    @property
    def n_starts(self) -> int:
        """Number of start points ``N``."""
        return int(self.points.shape[1])

    @property
    def dim(self) -> int:
        """Number of parameters per point (1 for a curve, 2 for a surface or a data model)."""
        return int(self.points.shape[2])

    @property
    def n_steps(self) -> int:
        """Number of steps run (``points`` has ``n_steps + 1`` rows)."""
        return int(self.points.shape[0] - 1)

    @property
    def starts(self) -> np.ndarray:
        """Start points, shape ``(N, 2)``."""
        return np.asarray(self.points[0])

    @property
    def final_points(self) -> np.ndarray:
        """Last valid point of each start, shape ``(N, 2)``."""
        return np.asarray(self.points[-1])

    @property
    def final_losses(self) -> np.ndarray:
        """Loss at the last valid point of each start, shape ``(N,)``."""
        return np.asarray(self.losses[-1])

    def path(self, i: int = 0) -> np.ndarray:
        """Meaningful iterates of start ``i``: ``points[:stop_step[i] + 1, i]``.

        For a diverged start the last row repeats the previous one (the
        invalid step was never taken).
        """
        i = self._index(i)
        return self.points[: int(self.stop_step[i]) + 1, i]

    def summary(self) -> list[dict[str, Any]]:
        """One plain-Python dict per start point.

        Returns
        -------
        list of dict
            Keys ``index``, ``start`` (x, y), ``final_point`` (x, y),
            ``final_loss``, ``status``, ``stop_step``.
        """
        out = []
        for i in range(self.n_starts):
            out.append(
                {
                    "index": i,
                    "start": tuple(float(v) for v in self.points[0, i]),
                    "final_point": tuple(float(v) for v in self.points[-1, i]),
                    "final_loss": float(self.losses[-1, i]),
                    "status": str(self.status[i]),
                    "stop_step": int(self.stop_step[i]),
                }
            )
        return out

    def single(self, i: int) -> Trajectory:
        """The trajectory of start ``i`` alone (``N = 1``; arrays are copies)."""
        i = self._index(i)
        sl = slice(i, i + 1)
        return Trajectory(
            points=self.points[:, sl].copy(),
            losses=self.losses[:, sl].copy(),
            gradients=self.gradients[:, sl].copy(),
            updates=self.updates[:, sl].copy(),
            status=self.status[sl].copy(),
            stop_step=self.stop_step[sl].copy(),
            state={k: v[:, sl].copy() for k, v in self.state.items()},
            optimizer=self.optimizer,
            hyperparams=dict(self.hyperparams),
            loss_name=self.loss_name,
            tol=self.tol,
            bound=self.bound,
            internals={k: v[:, sl].copy() for k, v in self.internals.items()},
            noise=self.noise,
            seed=self.seed,
            params=self.params,
            lrs=None if self.lrs is None else self.lrs.copy(),
            schedule=self.schedule,
            batch_size=self.batch_size,
            batches=None if self.batches is None else self.batches.copy(),
        )

    def _index(self, i: int) -> int:
        n = self.n_starts
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool) or not -n <= i < n:
            raise IndexError(f"start index must be an int in [{-n}, {n}), got {i!r}")
        return int(i) % n

    def row_status(self) -> np.ndarray:
        """Status of every start at every step, shape ``(n_steps + 1, N)``.

        ``"running"`` before the start's ``stop_step``, its final ``status``
        from then on (``max_steps`` only on the last row).
        """
        k = np.arange(self.n_steps + 1)[:, None]
        return np.where(k < self.stop_step[None, :], "running", self.status[None, :]).astype("<U9")

    # ------------------------------------------------------------------ #
    # text and files (gdscenes.core.trajectory_files)
    # ------------------------------------------------------------------ #
    def internal_columns(self) -> list[tuple[str, np.ndarray]]:
        """``(column, values (steps, N))`` of the optimizer state and internals, for :meth:`to_csv`."""
        return files.internal_columns(self)

    def to_csv(self, path: str | os.PathLike[str] | None = None, internals: bool = False) -> str:
        """CSV text of the trajectory (:func:`~gdscenes.core.trajectory_files.csv_text`); also written to ``path``.

        Columns ``step,x,y,loss,grad_x,grad_y,status`` (a leading ``start``
        when ``N > 1``); ``internals=True`` adds the optimizer state and
        internals.  ``path=None`` only returns the text; a file is written
        whole or not at all.
        """
        text = files.csv_text(self, internals=internals)
        if path is not None:
            files.write_text(path, text)
        return text

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict (metadata plus arrays as nested lists)."""
        return files.to_dict(self)

    def to_json(self, path: str | os.PathLike[str] | None = None, indent: int | None = None) -> str:
        """JSON text of the trajectory; also written (whole or not at all) to ``path``.

        Floats round-trip exactly; non-finite numbers raise ``ValueError``
        (they never occur in trajectories from :func:`gdscenes.core.runner.run`).
        """
        text = files.json_text(self, indent=indent)
        if path is not None:
            files.write_text(path, text)
        return text

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Trajectory:
        """Inverse of :meth:`to_dict`."""
        return cls(**files.fields_from_dict(data))  # type: ignore[arg-type]

    @classmethod
    def from_json(cls, source: str | os.PathLike[str]) -> Trajectory:
        """Read a trajectory written by :meth:`to_json` from JSON text (starting with ``{``) or a file."""
        return cls.from_dict(files.read_json_text(source))
