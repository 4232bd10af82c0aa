"""The library of named loss landscapes and :func:`get_loss`.

Formulas follow the usual optimisation test-function references (Surjanovic &
Bingham's Virtual Library of Simulation Experiments; Jamil & Yang 2013,
"A literature survey of benchmark functions for global optimization
problems"). Every stored minimum and saddle was polished with Newton's method
on the exact gradient and Hessian in 40-digit arithmetic (mpmath), so the
locations and values are exact to double precision.

Domains are plotting windows: the literature search domain where it makes a
readable picture, a narrower window otherwise (noted per loss).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

import numpy as np
import sympy as sp

from gdscenes.suggest import closest

from .parser import ExpressionError, parse_expression
from .symbolic import Loss, Minimum, X, Y, parameters_of

__all__ = ["LIBRARY", "TITLES", "ALIASES", "UnknownLossError", "get_loss", "user_loss", "normalize_name"]

x, y = X, Y
_pi = sp.pi
_half = sp.Rational(1, 2)


def _sym(px: float, py: float, f: float, kind: str) -> tuple[Minimum, Minimum]:
    """A pair of minima symmetric under ``(x, y) -> (-x, -y)``."""
    return (Minimum(px, py, f, kind), Minimum(-px, -py, f, kind))


def _saddle_pair(px: float, py: float, f: float) -> tuple[Minimum, Minimum]:
    """A pair of saddles symmetric under ``(x, y) -> (-x, -y)``."""
    return (Minimum(px, py, f, "saddle"), Minimum(-px, -py, f, "saddle"))


# ------------------------------------------------------------- quadratics --
def _quadratic_bowl() -> Loss:
    """Isotropic bowl ``x^2 + y^2``: Hessian ``2 I``, so ``max_stable_lr`` is 1."""
    return Loss(
        "quadratic_bowl",
        x**2 + y**2,
        latex=r"x^{2} + y^{2}",
        domain=((-2.0, 2.0), (-2.0, 2.0)),
        start=(-1.6, 1.2),
        minima=(Minimum(0.0, 0.0, 0.0, "global"),),
        description="Isotropic quadratic bowl; Hessian 2I, condition number 1.",
    )


def _ill_conditioned() -> Loss:
    """Elongated bowl with Hessian ``diag(1, 10)`` (condition number 10)."""
    return Loss(
        "ill_conditioned",
        _half * (x**2 + 10 * y**2),
        latex=r"\frac{1}{2}\left(x^{2} + 10\,y^{2}\right)",
        domain=((-3.0, 3.0), (-2.0, 2.0)),
        start=(-2.5, 1.2),
        minima=(Minimum(0.0, 0.0, 0.0, "global"),),
        description=(
            "Ill-conditioned quadratic; Hessian diag(1, 10), condition number 10, "
            "max stable learning rate 2/10 = 0.2."
        ),
    )


def _saddle() -> Loss:
    """Hyperbolic paraboloid ``x^2 - y^2``: a saddle at the origin, no minimum."""
    return Loss(
        "saddle",
        x**2 - y**2,
        latex=r"x^{2} - y^{2}",
        domain=((-2.0, 2.0), (-2.0, 2.0)),
        start=(-1.8, 0.05),
        minima=(),
        saddles=(Minimum(0.0, 0.0, 0.0, "saddle"),),
        description="Saddle x^2 - y^2; unbounded below, critical point at the origin.",
    )


# ---------------------------------------------------------- classic tests --
def _rosenbrock() -> Loss:
    """Rosenbrock's banana valley with ``a = 1``, ``b = 100``."""
    return Loss(
        "rosenbrock",
        (1 - x) ** 2 + 100 * (y - x**2) ** 2,
        latex=r"(1 - x)^{2} + 100\,\left(y - x^{2}\right)^{2}",
        domain=((-2.0, 2.0), (-1.0, 3.0)),
        start=(-1.2, 1.0),
        minima=(Minimum(1.0, 1.0, 0.0, "global"),),
        description="Rosenbrock function (a=1, b=100): a curved, flat-bottomed valley.",
    )


def _himmelblau() -> Loss:
    """Himmelblau's function: four global minima, four saddles, one maximum."""
    return Loss(
        "himmelblau",
        (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
        latex=r"\left(x^{2} + y - 11\right)^{2} + \left(x + y^{2} - 7\right)^{2}",
        domain=((-5.0, 5.0), (-5.0, 5.0)),
        start=(-0.5, -4.5),
        minima=(
            Minimum(3.0, 2.0, 0.0, "global"),
            Minimum(-2.8051180869527449, 3.1313125182505730, 0.0, "global"),
            Minimum(-3.7793102533777469, -3.2831859912861694, 0.0, "global"),
            Minimum(3.5844283403304917, -1.8481265269644036, 0.0, "global"),
        ),
        saddles=(
            Minimum(0.086677504555396352, 2.8842547011747761, 67.719150087526140, "saddle"),
            Minimum(-3.0730257507643896, -0.081353044287967512, 104.01516291755811, "saddle"),
            Minimum(3.3851541836070209, 0.073851879837749288, 13.311926270405590, "saddle"),
            Minimum(-0.12796134673068007, -1.9537149802445764, 178.33723920192746, "saddle"),
        ),
        description="Himmelblau's function: four global minima (f = 0) around a local maximum.",
    )


def _beale() -> Loss:
    """Beale's function: flat plateaus and a narrow valley toward (3, 0.5)."""
    a, b, c = sp.Rational(3, 2), sp.Rational(9, 4), sp.Rational(21, 8)
    return Loss(
        "beale",
        (a - x + x * y) ** 2 + (b - x + x * y**2) ** 2 + (c - x + x * y**3) ** 2,
        latex=(
            r"\left(1.5 - x + xy\right)^{2} + \left(2.25 - x + xy^{2}\right)^{2}"
            r" + \left(2.625 - x + xy^{3}\right)^{2}"
        ),
        domain=((-4.5, 4.5), (-4.5, 4.5)),
        start=(1.0, 1.4),
        minima=(Minimum(3.0, 0.5, 0.0, "global"),),
        description="Beale's function; values span many decades, plot in log scale.",
    )


def _booth() -> Loss:
    """Booth's quadratic: Hessian ``[[10, 8], [8, 10]]`` (eigenvalues 2 and 18)."""
    return Loss(
        "booth",
        (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
        latex=r"(x + 2y - 7)^{2} + (2x + y - 5)^{2}",
        domain=((-10.0, 10.0), (-10.0, 10.0)),
        start=(-7.0, -8.0),
        minima=(Minimum(1.0, 3.0, 0.0, "global"),),
        description="Booth's function: a tilted quadratic, condition number 9.",
    )


def _matyas() -> Loss:
    """Matyas' quadratic: Hessian eigenvalues 0.04 and 1 (condition number 25)."""
    return Loss(
        "matyas",
        sp.Rational(13, 50) * (x**2 + y**2) - sp.Rational(12, 25) * x * y,
        latex=r"0.26\,\left(x^{2} + y^{2}\right) - 0.48\,xy",
        domain=((-10.0, 10.0), (-10.0, 10.0)),
        start=(-8.0, -4.0),
        minima=(Minimum(0.0, 0.0, 0.0, "global"),),
        description="Matyas function: a flat diagonal valley, condition number 25.",
    )


def _three_hump_camel() -> Loss:
    """Three-hump camel: one global and two local minima."""
    return Loss(
        "three_hump_camel",
        2 * x**2 - sp.Rational(21, 20) * x**4 + x**6 / 6 + x * y + y**2,
        latex=r"2x^{2} - 1.05\,x^{4} + \frac{x^{6}}{6} + xy + y^{2}",
        domain=((-2.0, 2.0), (-2.0, 2.0)),
        start=(-1.2, -1.6),
        minima=(
            Minimum(0.0, 0.0, 0.0, "global"),
            *_sym(1.7475523458302889, -0.87377617291514445, 0.29863844223685982, "local"),
        ),
        saddles=_saddle_pair(1.0705422918236600, -0.53527114591182999, 0.87736155776314018),
        description=(
            "Three-hump camel; plotted on [-2, 2]^2 (search domain [-5, 5]^2) so the "
            "humps stay visible."
        ),
    )


def _six_hump_camel() -> Loss:
    """Six-hump camel: two global and four local minima."""
    return Loss(
        "six_hump_camel",
        (4 - sp.Rational(21, 10) * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2,
        latex=(
            r"\left(4 - 2.1\,x^{2} + \frac{x^{4}}{3}\right)x^{2} + xy"
            r" + \left(4y^{2} - 4\right)y^{2}"
        ),
        domain=((-2.0, 2.0), (-1.0, 1.0)),
        start=(-1.0, -0.9),
        minima=(
            *_sym(0.089842013100318062, -0.71265640302073963, -1.0316284534898774, "global"),
            *_sym(1.7036067149699808, -0.79608356867262512, -0.21546382438371764, "local"),
            *_sym(1.6071047529201972, 0.56865145488413137, 2.1042503103112583, "local"),
        ),
        description=(
            "Six-hump camel; plotted on [-2, 2] x [-1, 1] (search domain [-3, 3] x [-2, 2])."
        ),
    )


# ------------------------------------------------------ multimodal tests --
def _rastrigin() -> Loss:
    """Rastrigin (``A = 10``): a bowl covered by a regular grid of local minima."""
    return Loss(
        "rastrigin",
        20 + x**2 - 10 * sp.cos(2 * _pi * x) + y**2 - 10 * sp.cos(2 * _pi * y),
        latex=r"20 + x^{2} - 10\cos(2\pi x) + y^{2} - 10\cos(2\pi y)",
        domain=((-5.12, 5.12), (-5.12, 5.12)),
        start=(-2.6, 3.3),
        minima=(Minimum(0.0, 0.0, 0.0, "global"),),
        description=(
            "Rastrigin function (A=10); local minima near every integer point (not listed)."
        ),
    )


def _ackley() -> Loss:
    """Ackley (``a = 20``, ``b = 0.2``, ``c = 2 pi``); its minimum is a cone tip."""
    radial = sp.sqrt((x**2 + y**2) / 2)
    waves = (sp.cos(2 * _pi * x) + sp.cos(2 * _pi * y)) / 2
    return Loss(
        "ackley",
        -20 * sp.exp(-sp.Rational(1, 5) * radial) - sp.exp(waves) + sp.E + 20,
        latex=(
            r"-20\,e^{-0.2\sqrt{0.5\left(x^{2} + y^{2}\right)}}"
            r" - e^{0.5\left(\cos 2\pi x + \cos 2\pi y\right)} + e + 20"
        ),
        domain=((-5.0, 5.0), (-5.0, 5.0)),
        start=(-2.3, 1.8),
        minima=(Minimum(0.0, 0.0, 0.0, "global"),),
        smooth=False,
        description=(
            "Ackley function (a=20, b=0.2, c=2pi); not differentiable at its global "
            "minimum, where gradient and Hessian are nan; countless local minima (not listed)."
        ),
    )


def _goldstein_price() -> Loss:
    """Goldstein-Price: global minimum 3 at (0, -1) and three local minima."""
    first = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    second = 30 + (2 * x - 3 * y) ** 2 * (
        18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2
    )
    return Loss(
        "goldstein_price",
        first * second,
        latex=(
            r"\left[1 + (x + y + 1)^{2}"
            r"\left(19 - 14x + 3x^{2} - 14y + 6xy + 3y^{2}\right)\right]"
            r"\left[30 + (2x - 3y)^{2}"
            r"\left(18 - 32x + 12x^{2} + 48y - 36xy + 27y^{2}\right)\right]"
        ),
        domain=((-2.0, 2.0), (-2.0, 2.0)),
        start=(1.0, 0.0),
        minima=(
            Minimum(0.0, -1.0, 3.0, "global"),
            Minimum(-0.6, -0.4, 30.0, "local"),
            Minimum(1.8, 0.2, 84.0, "local"),
            Minimum(1.2, 0.8, 840.0, "local"),
        ),
        description="Goldstein-Price function; values from 3 to ~1e6, plot in log scale.",
    )


def _mccormick() -> Loss:
    """McCormick: minima where ``x - y = 1`` and ``x + y = -2pi/3 (mod 2pi)``."""
    return Loss(
        "mccormick",
        sp.sin(x + y) + (x - y) ** 2 - sp.Rational(3, 2) * x + sp.Rational(5, 2) * y + 1,
        latex=r"\sin(x + y) + (x - y)^{2} - 1.5\,x + 2.5\,y + 1",
        domain=((-1.5, 4.0), (-3.0, 4.0)),
        start=(-1.0, 3.0),
        minima=(
            # closed forms: x = 1/2 - pi/3, y = -1/2 - pi/3, f = -sqrt(3)/2 - pi/3
            Minimum(-0.54719755119659775, -1.5471975511965977, -1.9132229549810364, "global"),
            # x = 1/2 + 2pi/3, y = -1/2 + 2pi/3, f = -sqrt(3)/2 + 2pi/3
            Minimum(2.5943951023931955, 1.5943951023931955, 1.2283696986087568, "local"),
        ),
        description="McCormick function: a sine ripple on a tilted quadratic valley.",
    )


def _styblinski_tang() -> Loss:
    """Styblinski-Tang in 2D, *with* the conventional factor 1/2."""
    return Loss(
        "styblinski_tang",
        _half * (x**4 - 16 * x**2 + 5 * x + y**4 - 16 * y**2 + 5 * y),
        latex=r"\frac{1}{2}\left(x^{4} - 16x^{2} + 5x + y^{4} - 16y^{2} + 5y\right)",
        domain=((-5.0, 5.0), (-5.0, 5.0)),
        start=(0.0, -4.6),
        minima=(
            Minimum(-2.9035340277711771, -2.9035340277711771, -78.332331407542831, "global"),
            Minimum(-2.9035340277711771, 2.7468027709908370, -64.195612359055358, "local"),
            Minimum(2.7468027709908370, -2.9035340277711771, -64.195612359055358, "local"),
            Minimum(2.7468027709908370, 2.7468027709908370, -50.058893310567885, "local"),
        ),
        description=(
            "Styblinski-Tang (with the 1/2 factor): global minimum -39.16617 per "
            "dimension, i.e. -78.33233 in 2D; three more local minima."
        ),
    )


def _levi_n13() -> Loss:
    """Levi function N.13: global minimum 0 at (1, 1) among many ripples."""
    s = sp.sin
    return Loss(
        "levi_n13",
        s(3 * _pi * x) ** 2
        + (x - 1) ** 2 * (1 + s(3 * _pi * y) ** 2)
        + (y - 1) ** 2 * (1 + s(2 * _pi * y) ** 2),
        latex=(
            r"\sin^{2}(3\pi x) + (x - 1)^{2}\left(1 + \sin^{2}(3\pi y)\right)"
            r" + (y - 1)^{2}\left(1 + \sin^{2}(2\pi y)\right)"
        ),
        domain=((-10.0, 10.0), (-10.0, 10.0)),
        start=(-4.3, 6.2),
        minima=(Minimum(1.0, 1.0, 0.0, "global"),),
        description="Levi function N.13; many local minima (not listed).",
    )


_BUILDERS = (
    _quadratic_bowl,
    _ill_conditioned,
    _saddle,
    _rosenbrock,
    _himmelblau,
    _beale,
    _booth,
    _matyas,
    _three_hump_camel,
    _six_hump_camel,
    _rastrigin,
    _ackley,
    _goldstein_price,
    _mccormick,
    _styblinski_tang,
    _levi_n13,
)

#: Named loss landscapes, keyed by lowercase snake-case name.
LIBRARY: dict[str, Loss] = {loss.name: loss for loss in (build() for build in _BUILDERS)}

#: How the landscapes are named in a sentence ("Gradient descent on ...").
TITLES: dict[str, str] = {
    "quadratic_bowl": "a quadratic bowl",
    "ill_conditioned": "an ill-conditioned quadratic",
    "saddle": "a saddle",
    "rosenbrock": "Rosenbrock",
    "himmelblau": "Himmelblau",
    "beale": "Beale",
    "booth": "Booth",
    "matyas": "Matyas",
    "three_hump_camel": "the three-hump camel",
    "six_hump_camel": "the six-hump camel",
    "rastrigin": "Rastrigin",
    "ackley": "Ackley",
    "goldstein_price": "Goldstein-Price",
    "mccormick": "McCormick",
    "styblinski_tang": "Styblinski-Tang",
    "levi_n13": "Levi N.13",
}

#: Extra accepted spellings -> library name.
ALIASES: dict[str, str] = {
    "sphere": "quadratic_bowl",
    "bowl": "quadratic_bowl",
    "levi": "levi_n13",
    "levy_n13": "levi_n13",
}


# ---------------------------------------------------------------- lookup --
class UnknownLossError(ExpressionError):
    """A bare word that is neither a library name nor a valid expression."""


def normalize_name(name: str) -> str:
    """Lowercase, trim, and map runs of ``-``/spaces to ``_`` (``"Six-Hump Camel"``)."""
    return re.sub(r"[\s\-_]+", "_", name.strip().lower())


_WORD_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_\- ]*")


def get_loss(name_or_expression: str | Loss) -> Loss:
    """Look up a library loss by name, or else build one from a formula.

    Parameters
    ----------
    name_or_expression : str or Loss
        A library name (case-insensitive; ``-`` and spaces count as ``_``;
        see :data:`ALIASES`), or a formula in ``x`` and ``y`` accepted by
        :func:`parse_expression`. A :class:`Loss` is returned unchanged.

    Returns
    -------
    Loss

    Raises
    ------
    UnknownLossError
        For a word (such as ``"himmelbau"``) that is neither a library name
        nor a valid formula; the message suggests the closest library name.
    ExpressionError
        If the text is not a valid formula.
    """
    if isinstance(name_or_expression, Loss):
        return name_or_expression
    if not isinstance(name_or_expression, str):
        raise TypeError(
            f"expected a loss name or expression, got {type(name_or_expression).__name__}"
        )
    key = normalize_name(name_or_expression)
    key = ALIASES.get(key, key)
    if key in LIBRARY:
        return LIBRARY[key]
    try:
        return user_loss(name_or_expression)
    except ExpressionError as exc:
        if _WORD_LIKE.fullmatch(name_or_expression.strip()):
            raise UnknownLossError(_unknown_message(name_or_expression, key, exc)) from None
        raise


def _unknown_message(text: str, key: str, error: ExpressionError) -> str:
    """One-line 'unknown loss' message with a difflib suggestion."""
    shown = " ".join(text.split())[:40]
    candidates = sorted(LIBRARY) + sorted(ALIASES)
    close = closest(key, candidates)
    if close is not None:
        return (
            f"unknown loss '{shown}'; did you mean '{ALIASES.get(close, close)}'? "
            f"(library: {', '.join(LIBRARY)}; or give a formula in x and y such as 'x^2 + 3*y^2')"
        )
    return (
        f"unknown loss '{shown}': not a library name (library: {', '.join(LIBRARY)}) "
        f"and not a valid formula ({error})"
    )


#: Candidate start points for user formulas, tried in order.
_USER_STARTS: tuple[tuple[float, float], ...] = (
    (2.0, 2.0), (-2.0, 2.0), (2.0, -1.5), (-2.0, -1.5), (1.5, 0.5), (-1.0, 2.5),
    (0.5, 1.0), (2.5, 0.0), (0.0, 2.5), (-2.5, -2.5),
)  # fmt: skip


@lru_cache(maxsize=64)
def user_loss(text: str) -> Loss:
    """Build a :class:`Loss` from a user formula.

    The loss is named by the formula (whitespace collapsed), has no known
    minima, and its parameters are those the formula uses
    (:func:`~gdscenes.core.losses.symbolic.parameters_of`): a formula in ``x``
    alone is a 1D loss on ``[-3, 3]``, one in ``x`` and ``y`` a surface on
    ``[-3, 3]^2`` (likewise ``theta0``, ``theta1``).  It starts at the first candidate
    point where the value and gradient are finite and the gradient is nonzero
    (``(2, 2)`` when none qualifies, e.g. for a constant).

    Raises
    ------
    ExpressionError
        If the formula is rejected by :func:`parse_expression`.
    """
    expr = parse_expression(text)
    try:
        params = parameters_of(expr, set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)))
    except ValueError as error:
        raise ExpressionError(f"{error} in {_show(text)!r}") from None
    d = len(params)
    loss = Loss(
        " ".join(text.split()),
        expr,
        latex=sp.latex(expr),
        domain=((-3.0, 3.0), (-3.0, 3.0))[:d],
        start=(2.0, 2.0)[:d],
        minima=(),
        description="User-defined formula.",
        params=params,
    )
    loss.start = _user_start(loss)
    return loss


def _show(text: str) -> str:
    shown = " ".join(text.split())
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _user_start(loss: Loss) -> tuple[float, float]:
    """First candidate start with finite value and finite, nonzero gradient (its first coordinate for a 1D loss)."""
    pts = np.array(_USER_STARTS)[:, : loss.dim]
    values = loss.value(*pts.T)
    grads = loss.gradient(*pts.T)
    ok = np.isfinite(values) & np.all(np.isfinite(grads), axis=-1) & np.any(grads != 0, axis=-1)
    return cast("tuple[float, float]", tuple(float(v) for v in pts[int(np.argmax(ok)) if ok.any() else 0]))  # (x,) in 1D
