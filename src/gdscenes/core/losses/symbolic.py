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

from functools import cached_property

import sympy as sp

from gdscenes.core.box import Box
from gdscenes.core.losses.numeric import POINT_KINDS, Minimum, NumericLoss, NumpyFunction

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


def _compile(expr: sp.Expr, params: tuple[sp.Symbol, ...] = (X, Y)) -> NumpyFunction:
    """Compile ``expr`` to a numpy function of the parameters (``(x, y)`` by default)."""
    fn: NumpyFunction = sp.lambdify(params, _for_numpy(expr), modules="numpy")
    return fn


class Loss(NumericLoss):
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
        self.params: tuple[sp.Symbol, ...] = tuple(params)
        if not 1 <= len(self.params) <= 2 or any(not isinstance(p, sp.Symbol) for p in self.params):
            raise ValueError(f"a loss has one or two parameter symbols, got {params!r}")
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a loss needs a non-empty name")
        self.expr: sp.Expr = _to_xy(expr, self.params)
        self.latex: str = latex if latex is not None else sp.latex(self.expr)
        self._set_metadata(name, domain=domain, start=start, minima=minima, saddles=saddles,
                           description=description, smooth=smooth)

    def __repr__(self) -> str:
        return f"Loss({self.name!r}, {self.expr})"

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
    def _value_fn(self) -> NumpyFunction:
        return _compile(self.expr, self.params)

    @cached_property
    def _grad_fns(self) -> tuple[NumpyFunction, ...]:
        return tuple(_compile(g, self.params) for g in self.grad_expr)

    @cached_property
    def _hessian_fns(self) -> dict[tuple[int, int], NumpyFunction]:
        h, d = self.hessian_expr, self.dim
        return {(i, j): _compile(h[i, j], self.params) for i in range(d) for j in range(i, d)}
