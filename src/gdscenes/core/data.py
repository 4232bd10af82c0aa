r"""Data-driven losses: a model's cost over a data set, with exact gradient and Hessian.

Two models, both with the textbook parameters ``theta0`` (intercept), then
``theta1`` (slope), and ``z_i = theta0 + theta1 x_i``:

* ``linear_regression``: :math:`J(\theta) = \frac{1}{2m} \sum_i (z_i - y_i)^2`;
* ``logistic_regression``: :math:`J(\theta) = \frac1m \sum_i -y_i \log \sigma(z_i) - (1-y_i) \log(1-\sigma(z_i))`,
  written as :math:`\mathrm{softplus}(z_i) - y_i z_i` (the same number, without overflow).

Each model is a per-sample sympy formula :math:`\ell(\theta_0, \theta_1; x, y)`;
sympy derives its gradient and Hessian, :func:`sympy.lambdify` compiles them
to numpy, and a :class:`DataLoss` evaluates them on an ``(points, rows)``
grid and takes the mean over the rows: no Python loop over samples (the
points are taken in chunks so that a grid never exceeds ``CHUNK`` numbers).
``rows=`` restricts every evaluation to a subset of the samples, so the
gradient of a minibatch is that batch's exact mean gradient.

Data come from a CSV file (:func:`read_csv`: two numeric columns, feature
then target, header optional) or a bundled data set made by a seeded
generator (:data:`DATASETS`: ``housing`` for linear regression, ``exam`` for
logistic regression); nothing is downloaded.  Bad data raise a one-line
:class:`DataError` naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from gdscenes.atomic import RefusedFile, read_regular_text
from gdscenes.core.losses.symbolic import THETA0, THETA1, Minimum
from gdscenes.core.model_names import MODEL_NAMES, is_model, model_key
from gdscenes.suggest import PATH_SHOWN, closest, shorten

__all__ = [
    "DataError",
    "Dataset",
    "DataLoss",
    "MODELS",
    "DATASETS",
    "MAX_ROWS",
    "MAX_DATA_BYTES",
    "read_bounded_text",
    "read_csv",
    "load_data",
    "make_model",
    "is_model",
    "sigmoid",
]

#: most data rows accepted
MAX_ROWS: int = 1_000_000
#: largest data file accepted, in bytes
MAX_DATA_BYTES: int = 64 << 20
#: largest (points x rows) grid evaluated at once
CHUNK: int = 1 << 22

Array = NDArray[np.float64]


class DataError(ValueError):
    """Bad data: the message is one line naming the file, the row and the column."""


# --------------------------------------------------------------------------- #
# the sympy functions of the logistic model, compiled to overflow-free numpy
# --------------------------------------------------------------------------- #
class sigmoid(sp.Function):  # noqa: N801 (a sympy function is named like one)
    r""":math:`\sigma(z) = 1 / (1 + e^{-z})`, with :math:`\sigma' = \sigma (1 - \sigma)`."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        s = sigmoid(self.args[0])
        return s * (1 - s)


class softplus(sp.Function):  # noqa: N801
    r""":math:`\log(1 + e^z)`, with derivative :math:`\sigma(z)`."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sigmoid(self.args[0])


def _sigmoid_np(z: ArrayLike) -> Array:
    out: Array = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))
    return out


def _softplus_np(z: ArrayLike) -> Array:
    out: Array = np.logaddexp(0.0, np.asarray(z, dtype=np.float64))
    return out


def sigmoid_value(z: ArrayLike) -> Array:
    """The logistic function in numpy (no overflow)."""
    return _sigmoid_np(z)


_NUMPY = [{"sigmoid": _sigmoid_np, "softplus": _softplus_np}, "numpy"]

#: the per-sample symbols
XS: sp.Symbol = sp.Symbol("x_i", real=True)
YS: sp.Symbol = sp.Symbol("y_i", real=True)
_Z = THETA0 + THETA1 * XS


@dataclass(frozen=True)
class _Model:
    name: str
    label: str
    sample: sp.Expr  # per-sample loss in THETA0, THETA1, XS, YS
    latex: str
    binary_target: bool
    default_data: str
    description: str


MODELS: dict[str, _Model] = {
    "linear_regression": _Model(
        "linear_regression",
        "Linear regression",
        sp.Rational(1, 2) * (_Z - YS) ** 2,
        r"J(\theta_0, \theta_1) = \frac{1}{2m} \sum_{i=1}^{m} \left(\theta_0 + \theta_1 x_i - y_i\right)^2",
        False,
        "housing",
        "Mean squared error of the line theta0 + theta1 x (half of it, the textbook convention).",
    ),
    "logistic_regression": _Model(
        "logistic_regression",
        "Logistic regression",
        softplus(_Z) - YS * _Z,
        r"J(\theta_0, \theta_1) = -\frac{1}{m} \sum_{i=1}^{m} "
        r"\left[y_i \log \sigma(z_i) + (1 - y_i) \log(1 - \sigma(z_i))\right],"
        r"\ z_i = \theta_0 + \theta_1 x_i",
        True,
        "exam",
        "Mean cross-entropy of sigmoid(theta0 + theta1 x) against 0/1 labels.",
    ),
}


def _model(name: str) -> _Model:
    """The model called ``name`` (any case, ``-`` or spaces for ``_``); ``ValueError`` with a suggestion otherwise."""
    key = model_key(name)
    if key not in MODELS:
        close = closest(key, MODELS)
        hint = f" (did you mean {close!r}?)" if close else ""
        raise ValueError(f"unknown model {name!r}{hint}; choose from: {', '.join(MODELS)}")
    return MODELS[key]


if tuple(MODELS) != MODEL_NAMES:  # the command line knows the names without sympy
    raise ImportError(f"gdscenes.core.model_names.MODEL_NAMES is stale: {tuple(MODELS)} != {MODEL_NAMES}")


# --------------------------------------------------------------------------- #
# data
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class Dataset:
    """Feature ``x`` and target ``y`` (``(m,)`` float arrays), with the names of their source and columns."""

    name: str
    x: Array
    y: Array
    columns: tuple[str, str] = ("x", "y")

    @property
    def m(self) -> int:
        """Number of samples."""
        return int(self.x.shape[0])


def _housing() -> Dataset:
    """47 houses: size (1000 sq ft) against price ($100k), a noisy line (seed 0)."""
    rng = np.random.default_rng(0)
    x = np.round(rng.uniform(0.6, 3.6, 47), 2)
    y = np.round(0.9 + 1.4 * x + rng.normal(0.0, 0.35, 47), 2)
    return Dataset("housing", x, y, ("size", "price"))


def _exam() -> Dataset:
    """60 students: hours studied against passed (0/1), Bernoulli(sigmoid(1.3 h - 4)) (seed 1)."""
    rng = np.random.default_rng(1)
    x = np.round(rng.uniform(0.0, 6.0, 60), 2)
    y = (rng.random(60) < _sigmoid_np(1.3 * x - 4.0)).astype(np.float64)
    return Dataset("exam", x, y, ("hours", "passed"))


#: bundled data sets: name -> seeded generator
DATASETS: dict[str, Callable[[], Dataset]] = {"housing": _housing, "exam": _exam}


def _show(name: str) -> str:
    return repr(shorten(name, PATH_SHOWN))


def read_bounded_text(path: str | os.PathLike[str], what: str = "data file", limit: int = MAX_DATA_BYTES) -> str:
    """The UTF-8 text of the regular file ``path``, at most ``limit`` bytes; a one-line :class:`DataError` otherwise.

    A folder, FIFO, socket or device is refused without being read (a FIFO
    would block, ``/dev/zero`` never ends).
    """
    try:
        return read_regular_text(path, limit, encoding="utf-8-sig")
    except RefusedFile as error:
        raise DataError(f"{what} {_show(str(path))} {error}") from None


_COLUMN = ("feature", "target")


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def read_csv(path: str | os.PathLike[str], binary_target: bool = False) -> Dataset:
    """A :class:`Dataset` from a CSV file: two numeric columns, feature then target; a header row is optional.

    Blank lines are skipped.  Rows are numbered as lines of the file (1 =
    the first line), columns from 1 (1 = feature, 2 = target).

    Raises
    ------
    DataError
        Not a readable regular file, too large, no data rows, more than
        :data:`MAX_ROWS` rows, a row without exactly two columns, a field
        that is not a number or not finite, or (``binary_target``) a target
        other than 0 or 1.  One line naming the file, the row and the column.
    """
    name = str(path)
    text = read_bounded_text(name)
    where = f"data file {_show(name)}"
    xs: list[float] = []
    ys: list[float] = []
    columns: tuple[str, str] = ("x", "y")
    first = True
    try:
        rows = csv.reader(text.splitlines())
        for row_no, row in enumerate(rows, start=1):
            if not row or all(not field.strip() for field in row):
                continue
            if len(row) != 2:
                raise DataError(
                    f"{where}: row {row_no}: expected 2 columns (feature, target), found {len(row)}"
                )
            values = [_number(field.strip()) for field in row]
            if first and all(v is None for v in values):
                columns = (row[0].strip()[:40] or "x", row[1].strip()[:40] or "y")
                first = False
                continue
            first = False
            for col, (field, value) in enumerate(zip(row, values), start=1):
                label = f"row {row_no}, column {col} ({_COLUMN[col - 1]})"
                shown = field.strip()[:30]
                if value is None:
                    raise DataError(f"{where}: {label}: {shown!r} is not a number")
                if not math.isfinite(value):
                    raise DataError(f"{where}: {label}: {shown!r} is not finite")
            assert values[0] is not None and values[1] is not None
            if binary_target and values[1] not in (0.0, 1.0):
                raise DataError(
                    f"{where}: row {row_no}, column 2 (target): {row[1].strip()[:30]!r} is not 0 or 1 "
                    "(logistic regression needs 0/1 labels)"
                )
            if len(xs) == MAX_ROWS:
                raise DataError(f"{where}: row {row_no}: more than {MAX_ROWS} data rows; allowed: at most {MAX_ROWS}")
            xs.append(values[0])
            ys.append(values[1])
    except csv.Error as error:
        raise DataError(f"{where}: row {rows.line_num}: not CSV ({error})") from None
    if not xs:
        raise DataError(f"{where}: no data rows (expected two numeric columns, feature then target)")
    return Dataset(name, np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64), columns)


def load_data(source: str | os.PathLike[str] | Dataset, binary_target: bool = False) -> Dataset:
    """A bundled data set by name (:data:`DATASETS`), or else a CSV file (:func:`read_csv`)."""
    if isinstance(source, Dataset):
        data = source
    elif isinstance(source, str) and source.strip().lower() in DATASETS:
        data = DATASETS[source.strip().lower()]()
    else:
        return read_csv(source, binary_target)
    if binary_target:
        bad = np.flatnonzero((data.y != 0.0) & (data.y != 1.0))
        if bad.size:
            i = int(bad[0])
            raise DataError(f"data set {data.name!r}: row {i + 1}, column 2 (target): {data.y[i]!r} is not 0 or 1 "
                            "(logistic regression needs 0/1 labels)")
    return data


# --------------------------------------------------------------------------- #
# the loss
# --------------------------------------------------------------------------- #
_Fn = Callable[..., Any]


class DataLoss:
    """A model's mean cost over a data set, as a loss of ``(theta0, theta1)``.

    Has what :func:`gdscenes.core.runner.run` needs (``name``, ``params``,
    ``dim``, ``domain``, ``start``, ``value``, ``gradient``, ``hessian``),
    each numeric method taking ``rows=`` (sample indices) to restrict the mean
    to a minibatch.

    Attributes
    ----------
    model : str
        ``"linear_regression"`` or ``"logistic_regression"``.
    data : Dataset
        The samples.
    sample_expr : sympy.Expr
        The per-sample loss in ``theta0, theta1, x_i, y_i``.
    minima : tuple of Minimum
        The minimiser (least squares; Newton for logistic regression), when it exists.
    """

    def __init__(self, model: str, data: Dataset) -> None:
        spec = _model(model)
        key = spec.name
        self.model: str = key
        self.name: str = key
        self.label: str = spec.label
        self.data: Dataset = data
        self.params: tuple[sp.Symbol, ...] = (THETA0, THETA1)
        self.sample_expr: sp.Expr = spec.sample
        self.latex: str = spec.latex
        self.description: str = f"{spec.description} Data: {data.name} ({data.m} rows)."
        self.start: tuple[float, float] = (0.0, 0.0)
        self.smooth: bool = True
        self.saddles: tuple[Minimum, ...] = ()
        best = self._minimiser()
        self.minima: tuple[Minimum, ...] = () if best is None else (Minimum(best[0], best[1], float(self.value(*best))),)
        self.domain: tuple[tuple[float, float], tuple[float, float]] = self._domain(best)

    def __repr__(self) -> str:
        return f"DataLoss({self.model!r}, {self.data.name!r}, m={self.data.m})"

    @property
    def dim(self) -> int:
        """2: intercept and slope."""
        return 2

    @property
    def param_names(self) -> tuple[str, ...]:
        """``("theta0", "theta1")``."""
        return ("theta0", "theta1")

    @property
    def m(self) -> int:
        """Number of samples."""
        return self.data.m

    # ----------------------------------------------------------- symbolic --
    @cached_property
    def grad_expr(self) -> tuple[sp.Expr, sp.Expr]:
        """The per-sample gradient ``(dl/dtheta0, dl/dtheta1)``."""
        return (sp.diff(self.sample_expr, THETA0), sp.diff(self.sample_expr, THETA1))

    @cached_property
    def hessian_expr(self) -> sp.Matrix:
        """The per-sample 2x2 Hessian."""
        g = self.grad_expr
        h01 = sp.diff(g[0], THETA1)
        return sp.Matrix([[sp.diff(g[0], THETA0), h01], [h01, sp.diff(g[1], THETA1)]])

    @cached_property
    def _fns(self) -> dict[str, _Fn]:
        args = (THETA0, THETA1, XS, YS)
        h = self.hessian_expr
        exprs = {"f": self.sample_expr, "g0": self.grad_expr[0], "g1": self.grad_expr[1],
                 "h00": h[0, 0], "h01": h[0, 1], "h11": h[1, 1]}
        return {k: sp.lambdify(args, e, modules=_NUMPY) for k, e in exprs.items()}

    # ------------------------------------------------------------ numeric --
    def _mean(self, keys: tuple[str, ...], theta0: ArrayLike, theta1: ArrayLike, rows: ArrayLike | None) -> list[Array]:
        """Means over the samples ``rows`` of the per-sample functions ``keys``, each shaped ``broadcast(theta0, theta1)``."""
        t0, t1 = np.broadcast_arrays(np.asarray(theta0, dtype=np.float64), np.asarray(theta1, dtype=np.float64))
        shape = t0.shape
        x, y = self.data.x, self.data.y
        if rows is not None:
            r = np.asarray(rows, dtype=np.intp).ravel()
            r = r[r >= 0]  # -1 pads a short batch
            x, y = x[r], y[r]
        p0, p1 = t0.reshape(-1, 1), t1.reshape(-1, 1)
        n, mb = p0.shape[0], x.shape[0]
        outs = [np.empty(n) for _ in keys]
        step = max(1, CHUNK // max(mb, 1))
        with np.errstate(all="ignore"):
            for lo in range(0, n, step):
                a, b = p0[lo : lo + step], p1[lo : lo + step]
                for out, key in zip(outs, keys):
                    vals = np.broadcast_to(self._fns[key](a, b, x[None, :], y[None, :]), (a.shape[0], mb))
                    out[lo : lo + step] = vals.mean(axis=1)
        return [o.reshape(shape) for o in outs]

    def value(self, theta0: ArrayLike, theta1: ArrayLike, rows: ArrayLike | None = None) -> Array:
        """J at ``(theta0, theta1)`` (broadcast), over all samples or the samples ``rows``."""
        return self._mean(("f",), theta0, theta1, rows)[0]

    def gradient(self, theta0: ArrayLike, theta1: ArrayLike, rows: ArrayLike | None = None) -> Array:
        """The exact gradient, shape ``broadcast(theta0, theta1) + (2,)``, over all samples or ``rows``."""
        g0, g1 = self._mean(("g0", "g1"), theta0, theta1, rows)
        return np.stack([g0, g1], axis=-1)

    def hessian(self, theta0: ArrayLike, theta1: ArrayLike, rows: ArrayLike | None = None) -> Array:
        """The exact Hessian, shape ``broadcast(theta0, theta1) + (2, 2)``, over all samples or ``rows``."""
        h00, h01, h11 = self._mean(("h00", "h01", "h11"), theta0, theta1, rows)
        return np.stack([np.stack([h00, h01], axis=-1), np.stack([h01, h11], axis=-1)], axis=-2)

    def predict(self, theta0: float, theta1: float, x: ArrayLike) -> Array:
        """The model's output at ``x``: the line ``theta0 + theta1 x``, or its sigmoid."""
        z = theta0 + theta1 * np.asarray(x, dtype=np.float64)
        return _sigmoid_np(z) if self.model == "logistic_regression" else z

    # ------------------------------------------------------------ helpers --
    def _minimiser(self) -> tuple[float, float] | None:
        """Where J is least: the least-squares line, or Newton's iteration for logistic regression (None if it has none)."""
        x, y = self.data.x, self.data.y
        if self.model == "linear_regression":
            a = np.column_stack([np.ones_like(x), x])
            sol, _, rank, _ = np.linalg.lstsq(a, y, rcond=None)
            return (float(sol[0]), float(sol[1])) if rank == 2 else None
        p = np.zeros(2)
        for _ in range(100):
            g, h = self.gradient(p[0], p[1]), self.hessian(p[0], p[1])
            if not (np.isfinite(g).all() and np.isfinite(h).all()) or np.linalg.cond(h) > 1e12:
                return None
            step = np.linalg.solve(h, g)
            p = p - step
            if np.linalg.norm(step) < 1e-12 * (1.0 + np.linalg.norm(p)):
                return (float(p[0]), float(p[1])) if np.linalg.norm(p) < 1e3 else None
        return None

    def _domain(self, best: tuple[float, float] | None) -> tuple[tuple[float, float], tuple[float, float]]:
        """A box holding the start and the minimiser with a margin (half-width at least 1)."""
        pts = np.array([self.start] + ([best] if best is not None else []))
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        centre, half = (lo + hi) / 2.0, np.maximum((hi - lo) / 2.0 * 1.4, 1.0)
        lo, hi = centre - half, centre + half
        return ((float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1])))


def make_model(model: str, data: str | os.PathLike[str] | Dataset | None = None) -> DataLoss:
    """The :class:`DataLoss` of ``model`` on ``data``: a CSV file, a bundled data set's name, or ``None`` (the default set)."""
    spec = _model(model)
    return DataLoss(spec.name, load_data(spec.default_data if data is None else data, spec.binary_target))
