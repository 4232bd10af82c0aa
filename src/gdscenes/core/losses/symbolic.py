"""Symbolic loss surfaces with numpy-compiled derivatives.

A :class:`Loss` wraps a sympy expression in the two real symbols :data:`X`
and :data:`Y`. Its gradient and Hessian are derived symbolically and compiled
to numpy with :func:`sympy.lambdify` the first time they are needed (compiling
costs roughly 20 ms per component, so doing it for every library loss at
import time would make ``import gdscenes.core.losses`` slow).

Every numeric method broadcasts its inputs like a numpy ufunc and returns
``float64`` arrays. Points where the formula is undefined (``log`` of a
negative number, overflow during a diverging descent, ...) come back as
``nan`` or ``inf``; numpy floating-point warnings are silenced for them.

This module is part of the math layer and must not import manim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike
import sympy as sp

from gdscenes.core.box import Box, parse_box

__all__ = ["X", "Y", "THETA0", "THETA1", "PARAMETERS", "Minimum", "Loss", "POINT_KINDS", "parameters_of"]

#: The horizontal coordinate of every loss expression.
X: sp.Symbol = sp.Symbol("x", real=True)
#: The depth coordinate of every loss expression.
Y: sp.Symbol = sp.Symbol("y", real=True)
#: A data model's intercept.
THETA0: sp.Symbol = sp.Symbol("theta0", real=True)
#: A data model's slope.
THETA1: sp.Symbol = sp.Symbol("theta1", real=True)
#: Every parameter name a loss may use, by name.
PARAMETERS: dict[str, sp.Symbol] = {"x": X, "y": Y, "theta0": THETA0, "theta1": THETA1}
#: The parameter pairs: a loss's parameters are one pair, or the first of one alone (a 1D loss).
_FAMILIES: tuple[tuple[sp.Symbol, sp.Symbol], ...] = ((X, Y), (THETA0, THETA1))

#: Allowed values of :attr:`Minimum.kind`. ``"saddle"`` is used only in
#: :attr:`Loss.saddles`; :attr:`Loss.minima` holds true minima only.
POINT_KINDS: tuple[str, ...] = ("global", "local", "saddle")

_NumpyFunction = Callable[[np.ndarray, np.ndarray], Any]


@dataclass(frozen=True)
class Minimum:
    """A known critical point of a loss.

    Attributes
    ----------
    x, y : float
        Location of the point.
    f : float
        Loss value at the point.
    kind : str
        ``"global"`` or ``"local"`` for minima; ``"saddle"`` for the entries
        of :attr:`Loss.saddles`.
    """

    x: float
    y: float
    f: float
    kind: str = "global"

    def __post_init__(self) -> None:
        if self.kind not in POINT_KINDS:
            raise ValueError(f"kind must be one of {POINT_KINDS}, got {self.kind!r}")
        for field in ("x", "y", "f"):
            object.__setattr__(self, field, float(getattr(self, field)))

    @property
    def point(self) -> tuple[float, float]:
        """The location ``(x, y)`` as a tuple."""
        return (self.x, self.y)


def _to_xy(expr: sp.Expr, params: tuple[sp.Symbol, ...] = (X, Y)) -> sp.Expr:
    """Rewrite ``expr`` in the canonical real symbols ``params`` (:data:`X` and :data:`Y` by default).

    Symbols with a parameter's name but without the ``real`` assumption are
    replaced; any other free symbol is an error.
    """
    if isinstance(expr, str):
        raise TypeError("Loss expects a sympy expression; parse strings with parse_expression()")
    expr = sp.sympify(expr, strict=True)  # numbers and sympy objects only, never strings
    by_name = {p.name: p for p in params}
    replacements = {}
    for symbol in expr.free_symbols:
        if symbol in params:
            continue
        name = getattr(symbol, "name", None)
        if name in by_name:
            replacements[symbol] = by_name[name]
        else:
            allowed = " and ".join(by_name)
            raise ValueError(f"loss expressions may use only {allowed}, found symbol {symbol}")
    return expr.xreplace(replacements) if replacements else expr


def parameters_of(expr: sp.Expr, names_used: set[str] | None = None) -> tuple[sp.Symbol, ...]:
    """The parameters of a user formula: ``(X,)`` for one in ``x`` alone, ``(X, Y)`` with ``y``; likewise theta0/theta1.

    ``names_used`` (the names written in the formula's text) counts too, so
    ``"x^2 + 0*y"``, whose ``y`` sympy drops, is still a surface.  A formula
    with no parameter at all is a surface in ``x`` and ``y``.  Mixing the
    pairs (``x`` with ``theta1``) or unknown symbols raise a one-line ``ValueError``.
    """
    names = {getattr(sym, "name", str(sym)) for sym in sp.sympify(expr, strict=True).free_symbols}
    names |= set(names_used or ()) & set(PARAMETERS)
    for first, second in _FAMILIES:
        if names <= {first.name, second.name}:
            if not names:
                return (X, Y)
            return (first,) if names == {first.name} else (first, second)
    unknown = sorted(names - set(PARAMETERS))
    if unknown:
        raise ValueError(f"loss expressions may use only x, y, theta0 and theta1, found symbol {unknown[0]}")
    raise ValueError(f"a loss uses x (and y) or theta0 (and theta1), not both; found {', '.join(sorted(names))}")


def _for_numpy(expr: sp.Expr) -> sp.Expr:
    """Drop distributional terms (``DiracDelta``) that numpy cannot evaluate.

    They appear in second derivatives of ``abs``/``sign`` and are zero almost
    everywhere.
    """
    if expr.has(sp.DiracDelta):
        expr = expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero)
    return expr


def _compile(expr: sp.Expr, params: tuple[sp.Symbol, ...] = (X, Y)) -> _NumpyFunction:
    """Compile ``expr`` to a numpy function of the parameters (``(x, y)`` by default)."""
    fn: _NumpyFunction = sp.lambdify(params, _for_numpy(expr), modules="numpy")
    return fn


def _broadcast_inputs(*coords: ArrayLike) -> tuple[list[np.ndarray], tuple[int, ...]]:
    """Convert the coordinates to float64 arrays and return their broadcast shape."""
    arrays = [np.asarray(c, dtype=np.float64) for c in coords]
    return arrays, np.broadcast_shapes(*(a.shape for a in arrays))


def _as_pair(values: Any, what: str, dim: int = 2) -> tuple[float, ...]:
    """Validate ``dim`` finite floats (a bare number is accepted for ``dim == 1``)."""
    if dim == 1 and np.ndim(values) == 0:
        values = (values,)
    pair = tuple(float(v) for v in values)
    if len(pair) != dim or not all(np.isfinite(pair)):
        word = "two finite numbers" if dim == 2 else f"{dim} finite number(s)"
        raise ValueError(f"{what} must be {word}, got {values!r}")
    return pair


def _as_domain(domain: object, dim: int = 2) -> Box:
    """Validate ``((xmin, xmax), (ymin, ymax))`` (``((xmin, xmax),)`` for a 1D loss)."""
    if dim == 2:
        return parse_box(domain, "domain")
    b = np.asarray(domain, dtype=np.float64)
    if b.shape != (dim, 2) or not np.isfinite(b).all() or not (b[:, 0] < b[:, 1]).all():
        raise ValueError(f"domain must be {dim} finite (min, max) pair(s) with min < max, got {domain!r}")
    return tuple((float(lo), float(hi)) for lo, hi in b)  # type: ignore[return-value]


class Loss:
    """A loss given by a sympy expression in one or two named parameters: a surface ``f(x, y)`` or a curve ``f(x)``.

    Parameters
    ----------
    name : str
        Identifier of the loss (library key or the user's expression text).
    expr : sympy.Expr
        Formula in :data:`X` and :data:`Y` (plain symbols named ``x``/``y``
        are accepted and replaced by the real ones).
    latex : str, optional
        LaTeX of the formula without ``$``; defaults to ``sympy.latex(expr)``.
    domain : ((float, float), (float, float))
        ``((xmin, xmax), (ymin, ymax))`` used for plotting.
    start : (float, float)
        A good default starting point for a descent.
    minima : tuple of Minimum
        Known minima, global ones first.
    saddles : tuple of Minimum
        Known saddle points (``kind="saddle"``); empty by default.
    description : str
        One-sentence human description (conventions, condition number, ...).
    smooth : bool
        ``False`` when the loss is not twice differentiable everywhere (for
        example Ackley at its cone-shaped minimum), so derivatives may be
        ``nan`` at isolated points.
    params : tuple of sympy.Symbol
        The parameters, in coordinate order: ``(X, Y)`` (the default),
        ``(X,)`` for a 1D loss, ``(THETA0, THETA1)`` for a model's intercept
        and slope.  ``domain`` then has one ``(min, max)`` pair and ``start``
        one number per parameter, and the numeric methods take one
        coordinate array per parameter (``value(x)`` for a 1D loss).

    Attributes
    ----------
    grad_expr : (sympy.Expr, sympy.Expr)
        ``(df/dx, df/dy)``, derived lazily.
    hessian_expr : sympy.Matrix
        2x2 matrix of second derivatives, derived lazily.
    """

    def __init__(
        self,
        name: str,
        expr: sp.Expr,
        *,
        latex: str | None = None,
        domain: Box | tuple[tuple[float, float], ...] = ((-3.0, 3.0), (-3.0, 3.0)),
        start: tuple[float, ...] = (2.0, 2.0),
        minima: tuple[Minimum, ...] = (),
        saddles: tuple[Minimum, ...] = (),
        description: str = "",
        smooth: bool = True,
        params: tuple[sp.Symbol, ...] = (X, Y),
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a loss needs a non-empty name")
        self.params: tuple[sp.Symbol, ...] = tuple(params)
        if not 1 <= len(self.params) <= 2 or any(not isinstance(p, sp.Symbol) for p in self.params):
            raise ValueError(f"a loss has one or two parameter symbols, got {params!r}")
        self.name: str = name
        self.expr: sp.Expr = _to_xy(expr, self.params)
        self.latex: str = latex if latex is not None else sp.latex(self.expr)
        # typed as a surface's for the 2D callers; a 1D loss has ((xmin, xmax),) and (x,)
        self.domain: Box = _as_domain(domain, self.dim)
        self.start: tuple[float, float] = cast("tuple[float, float]", _as_pair(start, "start", self.dim))
        self.minima: tuple[Minimum, ...] = self._check_points(minima, ("global", "local"))
        self.saddles: tuple[Minimum, ...] = self._check_points(saddles, ("saddle",))
        self.description: str = description
        self.smooth: bool = bool(smooth)

    @staticmethod
    def _check_points(points: Any, kinds: tuple[str, ...]) -> tuple[Minimum, ...]:
        """Validate a tuple of :class:`Minimum` with the allowed ``kinds``."""
        checked: list[Minimum] = []
        for p in points:
            if not isinstance(p, Minimum) or p.kind not in kinds:
                raise ValueError(f"expected Minimum entries of kind {kinds}, got {p!r}")
            checked.append(p)
        return tuple(checked)

    def __repr__(self) -> str:
        return f"Loss({self.name!r}, {self.expr})"

    @property
    def dim(self) -> int:
        """Number of parameters: 1 (a curve) or 2 (a surface)."""
        return len(self.params)

    @property
    def param_names(self) -> tuple[str, ...]:
        """The parameters' names, e.g. ``("x", "y")``, ``("x",)``, ``("theta0", "theta1")``."""
        return tuple(p.name for p in self.params)

    # ----------------------------------------------------------- symbolic --
    @cached_property
    def grad_expr(self) -> tuple[sp.Expr, ...]:
        """Symbolic gradient ``(df/dx, df/dy)`` (one entry per parameter)."""
        return tuple(sp.diff(self.expr, p) for p in self.params)

    @cached_property
    def hessian_expr(self) -> sp.Matrix:
        """Symbolic ``dim x dim`` Hessian (symmetric: entry ``(i, j)`` is ``d/dp_max(i,j) of df/dp_min(i,j)``)."""
        g, p, d = self.grad_expr, self.params, self.dim
        upper = {(i, j): sp.diff(g[i], p[j]) for i in range(d) for j in range(i, d)}
        return sp.Matrix(d, d, lambda i, j: upper[(min(i, j), max(i, j))])

    # ----------------------------------------------------------- compiled --
    @cached_property
    def _value_fn(self) -> _NumpyFunction:
        return _compile(self.expr, self.params)

    @cached_property
    def _grad_fns(self) -> tuple[_NumpyFunction, ...]:
        return tuple(_compile(g, self.params) for g in self.grad_expr)

    @cached_property
    def _hessian_fns(self) -> dict[tuple[int, int], _NumpyFunction]:
        h, d = self.hessian_expr, self.dim
        return {(i, j): _compile(h[i, j], self.params) for i in range(d) for j in range(i, d)}

    def _coords(self, coords: tuple[ArrayLike, ...]) -> tuple[list[np.ndarray], tuple[int, ...]]:
        if len(coords) != self.dim:
            names = ", ".join(self.param_names)
            raise TypeError(f"loss {self.name!r} takes {self.dim} coordinate(s) ({names}), got {len(coords)}")
        return _broadcast_inputs(*coords)

    # ------------------------------------------------------------ numeric --
    def value(self, *coords: ArrayLike) -> np.ndarray:
        """Loss value.

        Parameters
        ----------
        *coords : array_like
            One coordinate per parameter (``x, y``; ``x`` for a 1D loss);
            broadcast against each other.

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``broadcast(x, y)`` (0-d for scalars).
        """
        arrays, shape = self._coords(coords)
        out = np.empty(shape, dtype=np.float64)
        with np.errstate(all="ignore"):
            out[...] = self._value_fn(*arrays)
        return out

    def gradient(self, *coords: ArrayLike) -> np.ndarray:
        """Gradient ``(df/dx, df/dy)``.

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``broadcast(x, y) + (dim,)``.
        """
        arrays, shape = self._coords(coords)
        out = np.empty(shape + (self.dim,), dtype=np.float64)
        with np.errstate(all="ignore"):
            for i, fn in enumerate(self._grad_fns):
                out[..., i] = fn(*arrays)  # constants broadcast to the full shape
        return out

    def hessian(self, *coords: ArrayLike) -> np.ndarray:
        """Hessian matrix.

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``broadcast(x, y) + (dim, dim)``; symmetric.
        """
        arrays, shape = self._coords(coords)
        out = np.empty(shape + (self.dim, self.dim), dtype=np.float64)
        with np.errstate(all="ignore"):
            for (i, j), fn in self._hessian_fns.items():
                out[..., i, j] = fn(*arrays)
                out[..., j, i] = out[..., i, j]
        return out

    def hessian_eigenvalues(self, *coords: ArrayLike) -> np.ndarray:
        """Eigenvalues of the Hessian in ascending order.

        Returns
        -------
        numpy.ndarray
            Shape ``(2,)`` for a scalar point, ``broadcast(x, y) + (2,)`` in
            general.

        Raises
        ------
        ValueError
            If the Hessian is not finite at the point(s).
        """
        h = self.hessian(*coords)
        if not np.all(np.isfinite(h)):
            raise ValueError(
                f"the Hessian of loss {self.name!r} is not finite at the given point(s)"
            )
        return np.linalg.eigvalsh(h)

    def max_stable_lr(self, x: float | None = None, y: float | None = None) -> float:
        """Largest stable gradient-descent learning rate near a point.

        Gradient descent on the local quadratic model converges only if
        ``lr < 2 / lambda_max`` where ``lambda_max`` is the largest Hessian
        eigenvalue.

        Parameters
        ----------
        x, y : float, optional
            The point; both or neither. Default: the first global minimum.

        Returns
        -------
        float
            ``2 / lambda_max``.

        Raises
        ------
        ValueError
            If no point is given and no minimum is known, if the Hessian is not
            finite there, or if ``lambda_max <= 0`` (no curvature bound).
        """
        point = self._reference_point(x, y)
        where = ", ".join(f"{v:g}" for v in point)
        h = self.hessian(*point)
        if not np.all(np.isfinite(h)):
            raise ValueError(
                f"loss {self.name!r} is not twice differentiable at ({where}); "
                "pass a different point"
            )
        lam_max = float(np.linalg.eigvalsh(h)[-1])
        if lam_max <= 0.0:
            raise ValueError(
                f"largest Hessian eigenvalue of loss {self.name!r} at ({where}) "
                f"is {lam_max:g} <= 0, so no step-size bound exists there"
            )
        return 2.0 / lam_max

    def _reference_point(self, x: float | None, y: float | None) -> tuple[float, ...]:
        """Resolve the point for :meth:`max_stable_lr` (``(x,)`` for a 1D loss)."""
        if x is None and y is None:
            ranked = [m for m in self.minima if m.kind == "global"] or list(self.minima)
            if not ranked:
                raise ValueError(f"loss {self.name!r} has no known minimum; pass x and y")
            return ranked[0].point[: self.dim]
        if self.dim == 1:
            if x is None or y is not None:
                raise ValueError("a 1D loss takes x alone")
            return (float(x),)
        if x is None or y is None:
            raise ValueError("pass both x and y, or neither")
        return float(x), float(y)

    def refine_critical_point(
        self, x: float, y: float, *, tol: float = 1e-13, max_iter: int = 100
    ) -> tuple[float, float]:
        """Polish an approximate critical point with Newton's method.

        Parameters
        ----------
        x, y : float
            Starting guess close to a critical point (minimum or saddle).
        tol : float
            Stop when the Newton step is below ``tol * (1 + |p|)``.
        max_iter : int
            Iteration cap.

        Returns
        -------
        (float, float)
            The refined point.

        Raises
        ------
        ValueError
            If the Hessian is singular/non-finite or Newton does not converge.
        """
        p = np.array([x, y], dtype=np.float64)
        for _ in range(max_iter):
            h, g = self.hessian(p[0], p[1]), self.gradient(p[0], p[1])
            if not (np.all(np.isfinite(h)) and np.all(np.isfinite(g))):
                raise ValueError(f"derivatives of {self.name!r} not finite at {tuple(p)}")
            try:
                step = np.linalg.solve(h, g)
            except np.linalg.LinAlgError as exc:
                raise ValueError(f"singular Hessian of {self.name!r} at {tuple(p)}") from exc
            p = p - step
            if np.linalg.norm(step) <= tol * (1.0 + np.linalg.norm(p)):
                return float(p[0]), float(p[1])
        raise ValueError(f"Newton did not converge for {self.name!r} from ({x}, {y})")
