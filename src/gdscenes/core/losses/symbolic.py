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
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
import sympy as sp

from gdscenes.core.box import Box, parse_box

__all__ = ["X", "Y", "Minimum", "Loss", "POINT_KINDS"]

#: The horizontal coordinate of every loss expression.
X: sp.Symbol = sp.Symbol("x", real=True)
#: The depth coordinate of every loss expression.
Y: sp.Symbol = sp.Symbol("y", real=True)

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


def _to_xy(expr: sp.Expr) -> sp.Expr:
    """Rewrite ``expr`` in the canonical real symbols :data:`X` and :data:`Y`.

    Symbols named ``x`` or ``y`` without the ``real`` assumption are replaced;
    any other free symbol is an error.
    """
    if isinstance(expr, str):
        raise TypeError("Loss expects a sympy expression; parse strings with parse_expression()")
    expr = sp.sympify(expr, strict=True)  # numbers and sympy objects only, never strings
    replacements = {}
    for symbol in expr.free_symbols:
        if symbol in (X, Y):
            continue
        if getattr(symbol, "name", None) == "x":
            replacements[symbol] = X
        elif getattr(symbol, "name", None) == "y":
            replacements[symbol] = Y
        else:
            raise ValueError(f"loss expressions may use only x and y, found symbol {symbol}")
    return expr.xreplace(replacements) if replacements else expr


def _for_numpy(expr: sp.Expr) -> sp.Expr:
    """Drop distributional terms (``DiracDelta``) that numpy cannot evaluate.

    They appear in second derivatives of ``abs``/``sign`` and are zero almost
    everywhere.
    """
    if expr.has(sp.DiracDelta):
        expr = expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero)
    return expr


def _compile(expr: sp.Expr) -> _NumpyFunction:
    """Compile ``expr`` to a numpy function of ``(x, y)``."""
    fn: _NumpyFunction = sp.lambdify((X, Y), _for_numpy(expr), modules="numpy")
    return fn


def _broadcast_inputs(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """Convert ``x`` and ``y`` to float64 arrays and return their broadcast shape."""
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    return xa, ya, np.broadcast_shapes(xa.shape, ya.shape)


def _as_pair(values: Any, what: str) -> tuple[float, float]:
    """Validate a pair of finite floats."""
    pair = tuple(float(v) for v in values)
    if len(pair) != 2 or not all(np.isfinite(pair)):
        raise ValueError(f"{what} must be two finite numbers, got {values!r}")
    return pair[0], pair[1]


def _as_domain(domain: object) -> Box:
    """Validate ``((xmin, xmax), (ymin, ymax))``."""
    return parse_box(domain, "domain")


class Loss:
    """A two-dimensional loss surface ``f(x, y)`` given by a sympy expression.

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
        domain: Box = ((-3.0, 3.0), (-3.0, 3.0)),
        start: tuple[float, float] = (2.0, 2.0),
        minima: tuple[Minimum, ...] = (),
        saddles: tuple[Minimum, ...] = (),
        description: str = "",
        smooth: bool = True,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a loss needs a non-empty name")
        self.name: str = name
        self.expr: sp.Expr = _to_xy(expr)
        self.latex: str = latex if latex is not None else sp.latex(self.expr)
        self.domain: Box = _as_domain(domain)
        self.start: tuple[float, float] = _as_pair(start, "start")
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

    # ----------------------------------------------------------- symbolic --
    @cached_property
    def grad_expr(self) -> tuple[sp.Expr, sp.Expr]:
        """Symbolic gradient ``(df/dx, df/dy)``."""
        return (sp.diff(self.expr, X), sp.diff(self.expr, Y))

    @cached_property
    def hessian_expr(self) -> sp.Matrix:
        """Symbolic 2x2 Hessian (symmetric)."""
        gx, gy = self.grad_expr
        hxy = sp.diff(gx, Y)
        return sp.Matrix([[sp.diff(gx, X), hxy], [hxy, sp.diff(gy, Y)]])

    # ----------------------------------------------------------- compiled --
    @cached_property
    def _value_fn(self) -> _NumpyFunction:
        return _compile(self.expr)

    @cached_property
    def _grad_fns(self) -> tuple[_NumpyFunction, _NumpyFunction]:
        gx, gy = self.grad_expr
        return (_compile(gx), _compile(gy))

    @cached_property
    def _hessian_fns(self) -> tuple[_NumpyFunction, _NumpyFunction, _NumpyFunction]:
        h = self.hessian_expr
        return (_compile(h[0, 0]), _compile(h[0, 1]), _compile(h[1, 1]))

    # ------------------------------------------------------------ numeric --
    def value(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Loss value.

        Parameters
        ----------
        x, y : array_like
            Coordinates; broadcast against each other.

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``broadcast(x, y)`` (0-d for scalars).
        """
        xa, ya, shape = _broadcast_inputs(x, y)
        out = np.empty(shape, dtype=np.float64)
        with np.errstate(all="ignore"):
            out[...] = self._value_fn(xa, ya)
        return out

    def gradient(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Gradient ``(df/dx, df/dy)``.

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``broadcast(x, y) + (2,)``.
        """
        xa, ya, shape = _broadcast_inputs(x, y)
        out = np.empty(shape + (2,), dtype=np.float64)
        with np.errstate(all="ignore"):
            for i, fn in enumerate(self._grad_fns):
                out[..., i] = fn(xa, ya)  # constants broadcast to the full shape
        return out

    def hessian(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Hessian matrix.

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``broadcast(x, y) + (2, 2)``; symmetric.
        """
        xa, ya, shape = _broadcast_inputs(x, y)
        hxx, hxy, hyy = self._hessian_fns
        out = np.empty(shape + (2, 2), dtype=np.float64)
        with np.errstate(all="ignore"):
            out[..., 0, 0] = hxx(xa, ya)
            out[..., 0, 1] = hxy(xa, ya)
            out[..., 1, 0] = out[..., 0, 1]
            out[..., 1, 1] = hyy(xa, ya)
        return out

    def hessian_eigenvalues(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
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
        h = self.hessian(x, y)
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
        px, py = self._reference_point(x, y)
        h = self.hessian(px, py)
        if not np.all(np.isfinite(h)):
            raise ValueError(
                f"loss {self.name!r} is not twice differentiable at ({px:g}, {py:g}); "
                "pass a different point"
            )
        lam_max = float(np.linalg.eigvalsh(h)[-1])
        if lam_max <= 0.0:
            raise ValueError(
                f"largest Hessian eigenvalue of loss {self.name!r} at ({px:g}, {py:g}) "
                f"is {lam_max:g} <= 0, so no step-size bound exists there"
            )
        return 2.0 / lam_max

    def _reference_point(self, x: float | None, y: float | None) -> tuple[float, float]:
        """Resolve the point for :meth:`max_stable_lr`."""
        if x is None and y is None:
            ranked = [m for m in self.minima if m.kind == "global"] or list(self.minima)
            if not ranked:
                raise ValueError(f"loss {self.name!r} has no known minimum; pass x and y")
            return ranked[0].point
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
