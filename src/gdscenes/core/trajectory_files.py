"""A :class:`~gdscenes.core.trajectory.Trajectory` as text and files: CSV, JSON and back.

The data class lives in :mod:`gdscenes.core.trajectory`; its ``to_csv``,
``to_json``, ``to_dict``, ``from_dict`` and ``from_json`` methods are thin
delegates to the functions here.  This module never imports the data class at
run time (it takes any object with the trajectory's attributes), so the two
modules do not import each other.

CSV
---
Header ``step,x,y,loss,grad_x,grad_y,status`` for one start point of a
surface (a curve has ``step,x,loss,grad_x,status``, a data model
``step,theta0,theta1,loss,grad_theta0,grad_theta1,status``, and a run with a
learning-rate schedule a trailing ``lr``: :func:`csv_columns`); for
``N > 1`` a leading ``start`` column (the 0-based start index) is added and
the rows are grouped by start, then step.  Every step ``0..n_steps`` is
written for every start (frozen rows included), so there are
``N * (n_steps + 1)`` data rows.  ``status`` is the start's state at that row
(:meth:`Trajectory.row_status`): ``running`` before its stop step, then its
final status (``converged``, ``diverged`` or ``max_steps``).  Floats use
Python's shortest round-trip ``repr``.

JSON
----
One object with metadata (``loss_name``, ``optimizer``, ``hyperparams``,
``tol``, ``bound``, ``status``, ``stop_step``, ``noise``, ``seed``, ``params``,
``lrs``, ``schedule``, ``batch_size``, ``batches``) and all
arrays as nested lists; reading it back gives the same trajectory exactly.

Files are written through :func:`gdscenes.atomic.write_text` (temporary file
in the same folder, then renamed), so a failure never destroys an earlier file.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gdscenes.atomic import write_text

if TYPE_CHECKING:
    from gdscenes.core.trajectory import Trajectory

__all__ = ["CSV_COLUMNS", "csv_columns", "FORMAT", "VERSION", "csv_text", "to_dict", "fields_from_dict", "json_text",
           "read_json_text", "internal_columns", "write_text"]

#: CSV columns for a single start point (``start`` is prepended when N > 1)
CSV_COLUMNS: tuple[str, ...] = ("step", "x", "y", "loss", "grad_x", "grad_y", "status")
#: ``format`` and ``version`` of the JSON object
FORMAT = "gdscenes.core.trajectory"
VERSION = 1

def _params(traj: Trajectory) -> tuple[str, ...]:
    return tuple(getattr(traj, "params", ("x", "y")))


def csv_columns(traj: Trajectory) -> tuple[str, ...]:
    """The columns of one start: ``step``, the parameters, ``loss``, ``grad_<param>`` each, ``status``.

    ``("step", "x", "y", "loss", "grad_x", "grad_y", "status")`` for a
    surface (:data:`CSV_COLUMNS`); ``step,x,loss,grad_x,status`` for a curve;
    ``step,theta0,theta1,loss,grad_theta0,grad_theta1,status`` for a data
    model.  A run with a schedule adds ``lr`` (the rate of the update that
    leaves the row, empty on the last row).
    """
    names = _params(traj)
    lr = ("lr",) if getattr(traj, "schedule", None) is not None and getattr(traj, "lrs", None) is not None else ()
    return ("step", *names, "loss", *(f"grad_{n}" for n in names), "status", *lr)


def internal_columns(traj: Trajectory) -> list[tuple[str, np.ndarray]]:
    """``(column, values (steps, N))`` of the optimizer state and internals: ``NAME_<param>`` for each parameter."""
    names = _params(traj)
    cols = []
    for name, arr in [*traj.state.items(), *traj.internals.items()]:
        cols += [(f"{name}_{p}", arr[..., j]) for j, p in enumerate(names)]
    return cols


def csv_text(traj: Trajectory, internals: bool = False) -> str:
    """The CSV text (``\\n`` line endings, header first); see the module docstring.

    ``internals`` adds two columns per optimizer state and internal
    (:func:`internal_columns`); row ``k`` holds the values of the update that
    leaves ``theta_k``, and the last row of each start, which has no update,
    leaves them empty.
    """
    multi = traj.n_starts > 1
    extra = internal_columns(traj) if internals else []
    base = csv_columns(traj)
    cols = (("start",) if multi else ()) + base + tuple(name for name, _ in extra)
    buf = io.StringIO()
    buf.write(",".join(cols) + "\n")
    pts, f, g, status = traj.points, traj.losses, traj.gradients, traj.row_status()
    lrs = traj.lrs if "lr" in base else None
    for i in range(traj.n_starts):
        prefix = f"{i}," if multi else ""
        for k in range(traj.n_steps + 1):
            last = k == traj.n_steps
            lr = "" if lrs is None else ("," if last else f",{float(lrs[k])!r}")
            tail = "".join(f",{float(v[k, i])!r}" if not last else "," for _, v in extra)
            coords = ",".join(repr(float(c)) for c in pts[k, i])
            grads = ",".join(repr(float(c)) for c in g[k, i])
            buf.write(f"{prefix}{k},{coords},{float(f[k, i])!r},{grads},{status[k, i]}{lr}{tail}\n")
    return buf.getvalue()


def _jsonable(value: object) -> object:
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


def _tupled(value: object) -> object:
    """Inverse of :func:`_jsonable` for metadata: lists become tuples."""
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    if isinstance(value, dict):
        return {k: _tupled(v) for k, v in value.items()}
    return value


def to_dict(traj: Trajectory) -> dict[str, object]:
    """JSON-ready dict (metadata plus arrays as nested lists)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "loss_name": traj.loss_name,
        "optimizer": traj.optimizer,
        "hyperparams": _jsonable(traj.hyperparams),
        "tol": traj.tol,
        "bound": _jsonable(traj.bound),
        "n_starts": traj.n_starts,
        "n_steps": traj.n_steps,
        "status": traj.status.tolist(),
        "stop_step": traj.stop_step.tolist(),
        "points": traj.points.tolist(),
        "losses": traj.losses.tolist(),
        "gradients": traj.gradients.tolist(),
        "updates": traj.updates.tolist(),
        "state": {k: v.tolist() for k, v in traj.state.items()},
        "internals": {k: v.tolist() for k, v in traj.internals.items()},
        "noise": traj.noise,
        "seed": traj.seed,
        "params": list(_params(traj)),
        "lrs": None if traj.lrs is None else traj.lrs.tolist(),
        "schedule": _jsonable(traj.schedule),
        "batch_size": traj.batch_size,
        "batches": None if traj.batches is None else traj.batches.tolist(),
    }


def fields_from_dict(data: Mapping[str, object]) -> dict[str, object]:
    """The :class:`Trajectory` constructor's arguments from a :func:`to_dict` dict (``Trajectory(**fields)``)."""
    if data.get("format", FORMAT) != FORMAT:
        raise ValueError(f"not a gdscenes trajectory: format is {data.get('format')!r}")
    status = np.asarray(data["status"], dtype=str)
    n = len(status)
    s = len(np.asarray(data["points"], dtype=np.float64)) - 1
    params = data.get("params") or ["x", "y"]
    assert isinstance(params, list)
    d = len(params)

    def arr(key: str, tail: tuple[int, ...]) -> np.ndarray:
        a = np.asarray(data[key], dtype=np.float64)
        return a.reshape((-1, n) + tail) if a.size == 0 else a

    def per_step(key: str) -> dict[str, np.ndarray]:
        table = data.get(key, {})
        assert isinstance(table, dict)
        return {k: (np.asarray(v, np.float64) if len(v) else np.zeros((s, n, d))) for k, v in table.items()}

    bound = data.get("bound")
    noise = data.get("noise", 0.0)
    assert isinstance(noise, (int, float))
    return {
        "points": arr("points", (d,)),
        "losses": arr("losses", ()),
        "gradients": arr("gradients", (d,)),
        "updates": arr("updates", (d,)),
        "status": status,
        "stop_step": np.asarray(data["stop_step"], dtype=np.int64),
        "state": per_step("state"),
        "optimizer": data["optimizer"],
        "hyperparams": _tupled(data["hyperparams"]),
        "loss_name": data["loss_name"],
        "tol": data.get("tol"),
        "bound": _tupled(bound) if bound is not None else None,
        "internals": per_step("internals"),
        "noise": float(noise),
        "seed": data.get("seed"),
        "params": tuple(str(p) for p in params),
        "lrs": None if data.get("lrs") is None else np.asarray(data["lrs"], dtype=np.float64).reshape(s),
        "schedule": data.get("schedule"),
        "batch_size": data.get("batch_size"),
        "batches": None if data.get("batches") is None else np.asarray(data["batches"], dtype=np.int64).reshape(s, -1),
    }


def json_text(traj: Trajectory, indent: int | None = None) -> str:
    """JSON text; floats round-trip exactly, non-finite numbers raise ``ValueError``."""
    return json.dumps(to_dict(traj), indent=indent, allow_nan=False)


def read_json_text(source: str | os.PathLike[str]) -> dict[str, object]:
    """The dict in JSON text (a ``str`` whose first non-blank character is ``{``) or in the file ``source``."""
    if isinstance(source, str) and source.lstrip().startswith("{"):
        text = source
    else:
        text = Path(source).read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"not a gdscenes trajectory: the JSON holds a {type(data).__name__}, not an object")
    return data
