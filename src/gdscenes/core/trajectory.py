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

Export formats
--------------
``to_csv``: header ``step,x,y,loss,grad_x,grad_y`` for one start point; for
``N > 1`` a leading ``start`` column (the 0-based start index) is added and
the rows are grouped by start, then step.  Every step ``0..n_steps`` is
written for every start (frozen rows included), so there are
``N * (n_steps + 1)`` data rows.  Floats use Python's shortest round-trip
``repr``.

``to_json``: one object with metadata (``loss_name``, ``optimizer``,
``hyperparams``, ``tol``, ``bound``, ``status``, ``stop_step``) and all
arrays as nested lists; :meth:`Trajectory.from_json` reads it back exactly.

Files are written atomically (temporary file in the same folder, then
``os.replace``), so a failure never destroys an earlier output file.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Trajectory", "STATUSES", "CSV_COLUMNS"]

#: possible entries of ``Trajectory.status``
STATUSES: tuple[str, ...] = ("converged", "max_steps", "diverged")
#: CSV columns for a single start point (``start`` is prepended when N > 1)
CSV_COLUMNS: tuple[str, ...] = ("step", "x", "y", "loss", "grad_x", "grad_y")

_FORMAT = "gdscenes.core.trajectory"
_VERSION = 1

Bound = tuple[tuple[float, float], tuple[float, float]]


def _atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` via a temp file + ``os.replace``."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return target


def _jsonable(value: Any) -> Any:
    """Convert tuples / numpy scalars in metadata to JSON-native values."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _tupled(value: Any) -> Any:
    """Inverse of :func:`_jsonable` for metadata: lists become tuples."""
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    if isinstance(value, dict):
        return {k: _tupled(v) for k, v in value.items()}
    return value


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
        Gradient noise scale and its seed (:func:`gdscenes.core.runner.run`).
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
    bound: Bound | None = None
    internals: dict[str, np.ndarray] = field(default_factory=dict)
    noise: float = 0.0
    seed: int | None = None

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
            (x0, x1), (y0, y1) = self.bound
            self.bound = ((float(x0), float(x1)), (float(y0), float(y1)))

        p = self.points
        if p.ndim != 3 or p.shape[2] != 2 or p.shape[0] < 1 or p.shape[1] < 1:
            raise ValueError(f"points must have shape (steps + 1, N, 2), got {p.shape}")
        s1, n = p.shape[0], p.shape[1]
        expected = {
            "losses": (self.losses, (s1, n)),
            "gradients": (self.gradients, (s1, n, 2)),
            "updates": (self.updates, (s1 - 1, n, 2)),
            "status": (self.status, (n,)),
            "stop_step": (self.stop_step, (n,)),
        }
        expected.update({f"state[{k!r}]": (v, (s1 - 1, n, 2)) for k, v in self.state.items()})
        expected.update({f"internals[{k!r}]": (v, (s1 - 1, n, 2)) for k, v in self.internals.items()})
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
    def n_steps(self) -> int:
        """Number of steps run (``points`` has ``n_steps + 1`` rows)."""
        return int(self.points.shape[0] - 1)

    @property
    def starts(self) -> np.ndarray:
        """Start points, shape ``(N, 2)``."""
        return self.points[0]

    @property
    def final_points(self) -> np.ndarray:
        """Last valid point of each start, shape ``(N, 2)``."""
        return self.points[-1]

    @property
    def final_losses(self) -> np.ndarray:
        """Loss at the last valid point of each start, shape ``(N,)``."""
        return self.losses[-1]

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
                    "start": (float(self.points[0, i, 0]), float(self.points[0, i, 1])),
                    "final_point": (
                        float(self.points[-1, i, 0]),
                        float(self.points[-1, i, 1]),
                    ),
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
        )

    def _index(self, i: int) -> int:
        n = self.n_starts
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool) or not -n <= i < n:
            raise IndexError(f"start index must be an int in [{-n}, {n}), got {i!r}")
        return int(i) % n

    # ------------------------------------------------------------------ #
    # export
    # ------------------------------------------------------------------ #
    def internal_columns(self) -> list[tuple[str, np.ndarray]]:
        """``(column, values (steps, N))`` of the optimizer state and internals, for :meth:`to_csv`."""
        cols = []
        for name, arr in [*self.state.items(), *self.internals.items()]:
            cols += [(f"{name}_x", arr[..., 0]), (f"{name}_y", arr[..., 1])]
        return cols

    def to_csv(self, path: str | os.PathLike[str] | None = None, internals: bool = False) -> str:
        """CSV text of the trajectory; also written (atomically) to ``path``.

        Columns are exactly ``step,x,y,loss,grad_x,grad_y`` when ``N == 1``;
        when ``N > 1`` a leading ``start`` column (0-based start index) is
        added and rows are grouped by start, then step.  All
        ``N * (n_steps + 1)`` rows are written, frozen rows included.

        Parameters
        ----------
        path : path-like, optional
            File to write.  ``None`` only returns the text.
        internals : bool, default False
            Add two columns (``NAME_x``, ``NAME_y``) per optimizer state and
            internal (``velocity``, ``m``, ``v``, ``m_hat``, ``v_hat``,
            ``precond``, ``grad_used``, ...). Row ``k`` holds the values of
            the update that leaves ``theta_k``; the last row of each start,
            which has no update, leaves them empty.

        Returns
        -------
        str
            The CSV text (``\\n`` line endings, header first).
        """
        multi = self.n_starts > 1
        extra = self.internal_columns() if internals else []
        cols = (("start",) if multi else ()) + CSV_COLUMNS + tuple(name for name, _ in extra)
        buf = io.StringIO()
        buf.write(",".join(cols) + "\n")
        pts, f, g = self.points, self.losses, self.gradients
        for i in range(self.n_starts):
            prefix = f"{i}," if multi else ""
            for k in range(self.n_steps + 1):
                tail = "".join(f",{float(v[k, i])!r}" if k < self.n_steps else "," for _, v in extra)
                buf.write(
                    f"{prefix}{k},{float(pts[k, i, 0])!r},{float(pts[k, i, 1])!r},"
                    f"{float(f[k, i])!r},{float(g[k, i, 0])!r},{float(g[k, i, 1])!r}{tail}\n"
                )
        text = buf.getvalue()
        if path is not None:
            _atomic_write_text(path, text)
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (metadata plus arrays as nested lists)."""
        return {
            "format": _FORMAT,
            "version": _VERSION,
            "loss_name": self.loss_name,
            "optimizer": self.optimizer,
            "hyperparams": _jsonable(self.hyperparams),
            "tol": self.tol,
            "bound": _jsonable(self.bound),
            "n_starts": self.n_starts,
            "n_steps": self.n_steps,
            "status": self.status.tolist(),
            "stop_step": self.stop_step.tolist(),
            "points": self.points.tolist(),
            "losses": self.losses.tolist(),
            "gradients": self.gradients.tolist(),
            "updates": self.updates.tolist(),
            "state": {k: v.tolist() for k, v in self.state.items()},
            "internals": {k: v.tolist() for k, v in self.internals.items()},
            "noise": self.noise,
            "seed": self.seed,
        }

    def to_json(self, path: str | os.PathLike[str] | None = None, indent: int | None = None) -> str:
        """JSON text of the trajectory; also written (atomically) to ``path``.

        Parameters
        ----------
        path : path-like, optional
            File to write.  ``None`` only returns the text.
        indent : int, optional
            Passed to :func:`json.dumps`.

        Returns
        -------
        str
            The JSON text.  Floats round-trip exactly; non-finite numbers
            raise ``ValueError`` (they never occur in trajectories from
            :func:`gdscenes.core.runner.run`).
        """
        text = json.dumps(self.to_dict(), indent=indent, allow_nan=False)
        if path is not None:
            _atomic_write_text(path, text)
        return text

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Trajectory:
        """Inverse of :meth:`to_dict`."""
        if data.get("format", _FORMAT) != _FORMAT:
            raise ValueError(f"not a gdscenes trajectory: format is {data.get('format')!r}")
        n = len(data["status"])
        s = len(data["points"]) - 1

        def arr(key: str, tail: tuple[int, ...]) -> np.ndarray:
            a = np.asarray(data[key], dtype=np.float64)
            return a.reshape((-1, n) + tail) if a.size == 0 else a

        bound = data.get("bound")
        return cls(
            points=arr("points", (2,)),
            losses=arr("losses", ()),
            gradients=arr("gradients", (2,)),
            updates=arr("updates", (2,)),
            status=np.asarray(data["status"], dtype=str),
            stop_step=np.asarray(data["stop_step"], dtype=np.int64),
            state={
                k: (np.asarray(v, np.float64) if len(v) else np.zeros((s, n, 2)))
                for k, v in data.get("state", {}).items()
            },
            optimizer=data["optimizer"],
            hyperparams=_tupled(data["hyperparams"]),
            loss_name=data["loss_name"],
            tol=data.get("tol"),
            bound=_tupled(bound) if bound is not None else None,
            internals={
                k: (np.asarray(v, np.float64) if len(v) else np.zeros((s, n, 2)))
                for k, v in data.get("internals", {}).items()
            },
            noise=float(data.get("noise", 0.0)),
            seed=data.get("seed"),
        )

    @classmethod
    def from_json(cls, source: str | os.PathLike[str]) -> Trajectory:
        """Read a trajectory written by :meth:`to_json`.

        Parameters
        ----------
        source : str or path-like
            JSON text (a ``str`` whose first non-blank character is ``{``)
            or the path of a file holding it.

        Returns
        -------
        Trajectory
        """
        if isinstance(source, str) and source.lstrip().startswith("{"):
            text = source
        else:
            text = Path(source).read_text(encoding="utf-8")
        return cls.from_dict(json.loads(text))
