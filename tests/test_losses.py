"""Tests for gdscenes.core.losses: library formulas, derivatives, minima, lookup.

The truths used here are independent of the library code: formulas are
re-implemented in plain numpy, derivatives are checked against finite
differences of ``value``, and the minima against literature constants typed
into this file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal

import numpy as np
import pytest
import sympy as sp

from gdscenes.core.losses import (
    LIBRARY,
    ExpressionError,
    Loss,
    Minimum,
    UnknownLossError,
    X,
    Y,
    get_loss,
)

NAMES = sorted(LIBRARY)

# --------------------------------------------------------------------------
# Independent numpy re-implementations of every library formula.
# --------------------------------------------------------------------------
_pi = np.pi
REFERENCE = {
    "quadratic_bowl": lambda x, y: x**2 + y**2,
    "ill_conditioned": lambda x, y: 0.5 * (x**2 + 10 * y**2),
    "saddle": lambda x, y: x**2 - y**2,
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "himmelblau": lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "beale": lambda x, y: (1.5 - x + x * y) ** 2
    + (2.25 - x + x * y**2) ** 2
    + (2.625 - x + x * y**3) ** 2,
    "booth": lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    "matyas": lambda x, y: 0.26 * (x**2 + y**2) - 0.48 * x * y,
    "three_hump_camel": lambda x, y: 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2,
    "six_hump_camel": lambda x, y: (4 - 2.1 * x**2 + x**4 / 3) * x**2
    + x * y
    + (-4 + 4 * y**2) * y**2,
    "rastrigin": lambda x, y: 20
    + x**2
    - 10 * np.cos(2 * _pi * x)
    + y**2
    - 10 * np.cos(2 * _pi * y),
    "ackley": lambda x, y: -20 * np.exp(-0.2 * np.sqrt(0.5 * (x**2 + y**2)))
    - np.exp(0.5 * (np.cos(2 * _pi * x) + np.cos(2 * _pi * y)))
    + np.e
    + 20,
    "goldstein_price": lambda x, y: (
        1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    )
    * (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)),
    "mccormick": lambda x, y: np.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1,
    "styblinski_tang": lambda x, y: 0.5 * (x**4 - 16 * x**2 + 5 * x + y**4 - 16 * y**2 + 5 * y),
    "levi_n13": lambda x, y: np.sin(3 * _pi * x) ** 2
    + (x - 1) ** 2 * (1 + np.sin(3 * _pi * y) ** 2)
    + (y - 1) ** 2 * (1 + np.sin(2 * _pi * y) ** 2),
}

# --------------------------------------------------------------------------
# Literature minima: (x, y, f, kind), written as decimal strings; each value
# must be matched to within one unit of its last written digit. Sources:
# Surjanovic & Bingham (SFU Virtual Library), Jamil & Yang (2013), Wikipedia
# "Test functions for optimization"; McCormick from its closed form
# (x = 1/2 - pi/3, y = -1/2 - pi/3, f = -sqrt(3)/2 - pi/3 and the 2pi shift).
# --------------------------------------------------------------------------
LITERATURE = {
    "quadratic_bowl": [("0", "0", "0", "global")],
    "ill_conditioned": [("0", "0", "0", "global")],
    "rosenbrock": [("1", "1", "0", "global")],
    "himmelblau": [
        ("3", "2", "0", "global"),
        ("-2.805118", "3.131312", "0", "global"),
        ("-3.779310", "-3.283186", "0", "global"),
        ("3.584428", "-1.848126", "0", "global"),
    ],
    "beale": [("3", "0.50000", "0", "global")],
    "booth": [("1", "3", "0", "global")],
    "matyas": [("0", "0", "0", "global")],
    "three_hump_camel": [
        ("0", "0", "0", "global"),
        ("1.74755", "-0.873776", "0.298638", "local"),
        ("-1.74755", "0.873776", "0.298638", "local"),
    ],
    "six_hump_camel": [
        ("0.089842", "-0.712656", "-1.0316285", "global"),
        ("-0.089842", "0.712656", "-1.0316285", "global"),
        ("1.70361", "-0.796084", "-0.215464", "local"),
        ("-1.70361", "0.796084", "-0.215464", "local"),
        ("1.60710", "0.568651", "2.10425", "local"),
        ("-1.60710", "-0.568651", "2.10425", "local"),
    ],
    "rastrigin": [("0", "0", "0", "global")],
    "ackley": [("0", "0", "0", "global")],
    "goldstein_price": [
        ("0", "-1", "3", "global"),
        # literature: (-0.6, -0.4) f=30, (1.8, 0.2) f=84, (1.2, 0.8) f=840; exact values
        ("-0.60000", "-0.40000", "30", "local"),
        ("1.8000", "0.20000", "84", "local"),
        ("1.2000", "0.80000", "840", "local"),
    ],
    "mccormick": [
        ("-0.547198", "-1.547198", "-1.913223", "global"),
        ("2.594395", "1.594395", "1.228370", "local"),
    ],
    "styblinski_tang": [
        ("-2.903534", "-2.903534", "-78.33233", "global"),
        ("-2.903534", "2.746803", "-64.19561", "local"),
        ("2.746803", "-2.903534", "-64.19561", "local"),
        ("2.746803", "2.746803", "-50.05889", "local"),
    ],
    "levi_n13": [("1", "1", "0", "global")],
    "saddle": [],
}


def _tolerance(text: str) -> float:
    """One unit in the last written digit; exact (1e-9) for integers."""
    exponent = Decimal(text).as_tuple().exponent
    return 1e-9 if exponent >= 0 else 10.0**exponent


def _significant_digits(text: str) -> int:
    """Significant digits written in a decimal string (integers count as exact)."""
    if "." not in text:
        return 99
    return len(text.lstrip("-0.").replace(".", ""))


def _sample(loss: Loss, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random points inside the loss's domain (away from Ackley's cusp)."""
    rng = np.random.default_rng(seed)
    (x0, x1), (y0, y1) = loss.domain
    pts = np.column_stack([rng.uniform(x0, x1, 4 * n), rng.uniform(y0, y1, 4 * n)])
    if not loss.smooth:
        pts = pts[np.hypot(pts[:, 0], pts[:, 1]) > 0.05]
    return pts[:n, 0], pts[:n, 1]


# ------------------------------------------------------------ structure --
def test_library_has_required_landscapes():
    required = {
        "quadratic_bowl", "ill_conditioned", "saddle", "rosenbrock", "himmelblau", "beale",
        "booth", "matyas", "three_hump_camel", "six_hump_camel", "rastrigin", "ackley",
        "goldstein_price", "mccormick", "styblinski_tang", "levi_n13",
    }  # fmt: skip
    assert required <= set(LIBRARY)
    assert len(LIBRARY) >= 16
    assert set(REFERENCE) == set(LIBRARY) == set(LITERATURE)


@pytest.mark.parametrize("name", NAMES)
def test_library_entry_metadata(name):
    loss = LIBRARY[name]
    assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", name)
    assert loss.name == name
    assert isinstance(loss.expr, sp.Expr) and loss.expr.free_symbols <= {X, Y}
    assert loss.latex and "$" not in loss.latex
    assert loss.latex.count("{") == loss.latex.count("}")
    assert loss.latex.count(r"\left") == loss.latex.count(r"\right")
    (x0, x1), (y0, y1) = loss.domain
    assert x0 < x1 and y0 < y1
    sx, sy = loss.start
    assert x0 <= sx <= x1 and y0 <= sy <= y1
    for m in loss.minima + loss.saddles:
        assert x0 <= m.x <= x1 and y0 <= m.y <= y1
        assert np.hypot(m.x - sx, m.y - sy) > 0.1, "start must not sit on a critical point"
    assert np.all(np.isfinite(loss.gradient(sx, sy)))
    assert np.linalg.norm(loss.gradient(sx, sy)) > 1e-3
    if loss.minima:
        assert loss.minima[0].kind == "global"
    assert all(m.kind in ("global", "local") for m in loss.minima)
    assert all(m.kind == "saddle" for m in loss.saddles)


def test_saddle_has_no_minimum_but_a_saddle():
    loss = LIBRARY["saddle"]
    assert loss.minima == ()
    assert loss.saddles == (Minimum(0.0, 0.0, 0.0, "saddle"),)


# --------------------------------------------------------------- values --
@pytest.mark.parametrize("name", NAMES)
def test_value_matches_independent_formula(name):
    loss = LIBRARY[name]
    x, y = _sample(loss, 200, seed=1)
    expected = REFERENCE[name](x, y)
    scale = max(1.0, float(np.max(np.abs(expected))))
    np.testing.assert_allclose(loss.value(x, y), expected, rtol=1e-12, atol=1e-12 * scale)


# ---------------------------------------------------------- derivatives --
_D1 = np.array([1.0, -8.0, 0.0, 8.0, -1.0]) / 12.0  # 4th-order first derivative
_D2 = np.array([-1.0, 16.0, -30.0, 16.0, -1.0]) / 12.0  # 4th-order second derivative
_OFFSETS = np.arange(-2, 3)


def _fd_gradient(loss: Loss, x: np.ndarray, y: np.ndarray, h: float) -> np.ndarray:
    """Central finite-difference gradient of ``loss.value``."""
    dx = sum(c * loss.value(x + k * h, y) for c, k in zip(_D1, _OFFSETS)) / h
    dy = sum(c * loss.value(x, y + k * h) for c, k in zip(_D1, _OFFSETS)) / h
    return np.stack([dx, dy], axis=-1)


def _fd_hessian(loss: Loss, x: np.ndarray, y: np.ndarray, h: float) -> np.ndarray:
    """Central finite-difference Hessian of ``loss.value``."""
    hxx = sum(c * loss.value(x + k * h, y) for c, k in zip(_D2, _OFFSETS)) / h**2
    hyy = sum(c * loss.value(x, y + k * h) for c, k in zip(_D2, _OFFSETS)) / h**2
    hxy = sum(
        ci * cj * loss.value(x + i * h, y + j * h)
        for ci, i in zip(_D1, _OFFSETS)
        for cj, j in zip(_D1, _OFFSETS)
    ) / h**2
    return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_finite_differences(name):
    loss = LIBRARY[name]
    x, y = _sample(loss, 60, seed=2)
    exact = loss.gradient(x, y)
    scale = max(1.0, float(np.max(np.abs(exact))))
    np.testing.assert_allclose(_fd_gradient(loss, x, y, 1e-3), exact, rtol=1e-5, atol=1e-5 * scale)


@pytest.mark.parametrize("name", NAMES)
def test_hessian_matches_finite_differences(name):
    loss = LIBRARY[name]
    x, y = _sample(loss, 60, seed=3)
    exact = loss.hessian(x, y)
    assert np.array_equal(exact[..., 0, 1], exact[..., 1, 0])
    scale = max(1.0, float(np.max(np.abs(exact))))
    np.testing.assert_allclose(_fd_hessian(loss, x, y, 1e-3), exact, rtol=1e-5, atol=1e-5 * scale)


# --------------------------------------------------------------- minima --
def _critical_point_checks(loss: Loss, point: Minimum) -> np.ndarray:
    """Gradient ~ 0 and value == f at a stored point; returns Hessian eigenvalues."""
    h = loss.hessian(point.x, point.y)
    curvature = max(1.0, float(np.max(np.abs(h))))
    grad = loss.gradient(point.x, point.y)
    assert np.linalg.norm(grad) <= 1e-9 * curvature * max(1.0, np.hypot(point.x, point.y))
    assert float(loss.value(point.x, point.y)) == pytest.approx(point.f, rel=1e-12, abs=1e-12)
    rx, ry = loss.refine_critical_point(point.x, point.y)
    assert np.hypot(rx - point.x, ry - point.y) <= 1e-8
    return np.linalg.eigvalsh(h)


@pytest.mark.parametrize("name", [n for n in NAMES if LIBRARY[n].smooth])
def test_stored_minima_are_minima(name):
    loss = LIBRARY[name]
    for m in loss.minima:
        eig = _critical_point_checks(loss, m)
        assert eig[0] > 0, f"Hessian not positive definite at {m}"


@pytest.mark.parametrize("name", [n for n in NAMES if LIBRARY[n].saddles])
def test_stored_saddles_are_saddles(name):
    loss = LIBRARY[name]
    for s in loss.saddles:
        eig = _critical_point_checks(loss, s)
        assert eig[0] < 0 < eig[1], f"not a saddle: {s}"


def test_ackley_minimum_is_a_cusp():
    loss = LIBRARY["ackley"]
    assert not loss.smooth
    assert float(loss.value(0.0, 0.0)) == pytest.approx(0.0, abs=1e-12)
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    for r in (1e-6, 1e-3, 0.1):
        ring = loss.value(r * np.cos(angles), r * np.sin(angles))
        assert np.all(ring > 0)
    # the one-sided slope of the cone is 20 * 0.2 * sqrt(0.5)
    assert float(loss.value(1e-7, 0.0)) / 1e-7 == pytest.approx(4 * np.sqrt(0.5), rel=1e-5)


@pytest.mark.parametrize("name", [n for n in NAMES if LIBRARY[n].minima])
def test_global_minima_are_lowest_on_a_grid(name):
    loss = LIBRARY[name]
    (x0, x1), (y0, y1) = loss.domain
    gx, gy = np.meshgrid(np.linspace(x0, x1, 301), np.linspace(y0, y1, 301))
    grid_min = float(np.min(loss.value(gx, gy)))
    best = min(m.f for m in loss.minima)
    globals_ = [m for m in loss.minima if m.kind == "global"]
    assert all(m.f == pytest.approx(best, abs=1e-9) for m in globals_)
    assert all(m.f > best + 1e-6 for m in loss.minima if m.kind == "local")
    assert grid_min >= best - 1e-9


@pytest.mark.parametrize("name", NAMES)
def test_minima_agree_with_literature(name):
    loss = LIBRARY[name]
    literature = LITERATURE[name]
    assert len(loss.minima) == len(literature)
    for sx, sy, sf, kind in literature:
        assert all(_significant_digits(s) >= 5 for s in (sx, sy, sf)), "need 5 digits"
        matches = [
            m
            for m in loss.minima
            if abs(m.x - float(sx)) <= _tolerance(sx) and abs(m.y - float(sy)) <= _tolerance(sy)
        ]
        assert len(matches) == 1, f"no stored minimum near literature ({sx}, {sy})"
        assert matches[0].f == pytest.approx(float(sf), abs=_tolerance(sf))
        assert matches[0].kind == kind


def test_styblinski_tang_uses_half_factor():
    assert LIBRARY["styblinski_tang"].minima[0].f == pytest.approx(2 * -39.16617, abs=1e-4)


# ------------------------------------------------------- max_stable_lr --
def test_max_stable_lr_of_quadratic_bowl_is_exactly_one():
    assert LIBRARY["quadratic_bowl"].max_stable_lr() == 1.0
    assert LIBRARY["quadratic_bowl"].max_stable_lr(0.7, -1.3) == 1.0


def test_max_stable_lr_of_ill_conditioned():
    # f = (x^2 + 10 y^2) / 2 has Hessian diag(1, 10): lambda_max = 10.
    assert LIBRARY["ill_conditioned"].max_stable_lr() == pytest.approx(2.0 / 10.0, rel=1e-15)


def test_max_stable_lr_of_booth_and_rosenbrock_by_hand():
    # Booth: Hessian [[10, 8], [8, 10]], eigenvalues 2 and 18.
    assert LIBRARY["booth"].max_stable_lr() == pytest.approx(2.0 / 18.0, rel=1e-14)
    # Rosenbrock at (1, 1): Hessian [[802, -400], [-400, 200]].
    lam = (1002 + np.sqrt(1002**2 - 4 * (802 * 200 - 400**2))) / 2
    assert LIBRARY["rosenbrock"].max_stable_lr() == pytest.approx(2.0 / lam, rel=1e-12)


def test_max_stable_lr_errors():
    with pytest.raises(ValueError, match="no known minimum"):
        LIBRARY["saddle"].max_stable_lr()
    assert LIBRARY["saddle"].max_stable_lr(0.0, 0.0) == 1.0
    with pytest.raises(ValueError, match="<= 0"):
        get_loss("-(x^2 + y^2)").max_stable_lr(0.0, 0.0)
    with pytest.raises(ValueError, match="not twice differentiable"):
        LIBRARY["ackley"].max_stable_lr()
    with pytest.raises(ValueError, match="both"):
        LIBRARY["quadratic_bowl"].max_stable_lr(1.0)


def test_hessian_eigenvalues_ascending():
    eig = LIBRARY["ill_conditioned"].hessian_eigenvalues(0.3, -0.2)
    assert eig.shape == (2,)
    np.testing.assert_allclose(eig, [1.0, 10.0])
    eig = LIBRARY["saddle"].hessian_eigenvalues(np.zeros(3), 0.0)
    assert eig.shape == (3, 2)
    np.testing.assert_allclose(eig, [[-2.0, 2.0]] * 3)


# ------------------------------------------------------------ broadcast --
@pytest.mark.parametrize("name", ["quadratic_bowl", "ill_conditioned", "booth", "himmelblau"])
def test_broadcast_shapes_and_dtype(name):
    loss = LIBRARY[name]
    assert loss.value(1, 2).shape == ()
    assert loss.gradient(1, 2).shape == (2,)
    assert loss.hessian(1, 2).shape == (2, 2)
    for out in (loss.value(1, 2), loss.gradient(1, 2), loss.hessian(1, 2)):
        assert isinstance(out, np.ndarray) and out.dtype == np.float64
    x = np.linspace(-1, 1, 12).reshape(3, 4)
    y = np.linspace(0, 2, 12).reshape(3, 4)
    assert loss.value(x, y).shape == (3, 4)
    assert loss.gradient(x, y).shape == (3, 4, 2)
    assert loss.hessian(x, y).shape == (3, 4, 2, 2)
    xs, ys = np.arange(3.0).reshape(3, 1), np.arange(4.0)
    assert loss.gradient(xs, ys).shape == (3, 4, 2)
    assert loss.hessian(xs, 0.5).shape == (3, 1, 2, 2)
    np.testing.assert_array_equal(loss.gradient(x, y)[1, 2], loss.gradient(x[1, 2], y[1, 2]))


def test_constant_components_broadcast():
    h = LIBRARY["quadratic_bowl"].hessian(np.zeros((3, 4)), np.ones((3, 4)))
    np.testing.assert_array_equal(h, np.broadcast_to([[2.0, 0.0], [0.0, 2.0]], (3, 4, 2, 2)))
    g = get_loss("2x + 3y").gradient(np.zeros(5), 0.0)
    np.testing.assert_array_equal(g, np.broadcast_to([2.0, 3.0], (5, 2)))
    assert get_loss("7").value(np.zeros((2, 3)), 1.0).shape == (2, 3)
    assert get_loss("7").hessian(np.zeros((2, 3)), 1.0).shape == (2, 3, 2, 2)


def test_outputs_are_writable_copies():
    loss = LIBRARY["quadratic_bowl"]
    g = loss.gradient(np.zeros(3), 0.0)
    g[...] = 5.0  # must not raise (not a read-only broadcast view)
    assert np.all(loss.gradient(np.zeros(3), 0.0) == 0.0)


def test_undefined_points_give_nan_without_warnings():
    loss = get_loss("log(x) + y")
    with np.errstate(all="raise"):
        assert np.isnan(loss.value(-1.0, 0.0))
        assert np.isinf(loss.gradient(0.0, 0.0)[0])


def test_abs_hessian_is_numeric():
    loss = get_loss("abs(x) + y^2")
    np.testing.assert_array_equal(loss.hessian(1.0, 2.0), [[0.0, 0.0], [0.0, 2.0]])
    np.testing.assert_array_equal(loss.gradient(-1.0, 2.0), [-1.0, 4.0])


# --------------------------------------------------------- construction --
def test_loss_accepts_plain_symbols_and_rejects_others():
    px, py = sp.symbols("x y")
    loss = Loss("plain", px**2 + py)
    assert loss.expr == X**2 + Y
    with pytest.raises(ValueError, match="only x and y"):
        Loss("bad", sp.Symbol("z") + px)
    with pytest.raises(TypeError):
        Loss("bad", "x**2")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Loss("bad", X, domain=((1, 0), (0, 1)))


def test_minimum_validates_kind():
    with pytest.raises(ValueError):
        Minimum(0, 0, 0, "maximum")
    assert Minimum(1, 2, 3, "local").point == (1.0, 2.0)


def test_derivatives_are_lazy():
    loss = Loss("lazy", X**2 + sp.sin(Y))
    assert "_value_fn" not in vars(loss) and "grad_expr" not in vars(loss)
    loss.gradient(0.0, 0.0)
    assert "_grad_fns" in vars(loss) and "_hessian_fns" not in vars(loss)
    assert loss.grad_expr == (2 * X, sp.cos(Y))
    assert loss.hessian_expr == sp.Matrix([[2, 0], [0, -sp.sin(Y)]])


def test_import_is_lazy_and_manim_free():
    code = (
        "import json, sys, time\n"
        "t = time.perf_counter()\n"
        "import gdscenes.core.losses as L\n"
        "dt = time.perf_counter() - t\n"
        "compiled = [n for n, l in L.LIBRARY.items() if set(vars(l)) & "
        "{'_value_fn', '_grad_fns', '_hessian_fns', 'grad_expr'}]\n"
        "print(json.dumps({'manim': 'manim' in sys.modules, 'compiled': compiled, 'dt': dt}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    assert report["manim"] is False
    assert report["compiled"] == []
    assert report["dt"] < 10.0  # generous: typically ~0.3 s, dominated by importing sympy


# --------------------------------------------------------------- lookup --
@pytest.mark.parametrize(
    "text, name",
    [
        ("himmelblau", "himmelblau"),
        ("Himmelblau", "himmelblau"),
        ("  ROSENBROCK ", "rosenbrock"),
        ("six-hump camel", "six_hump_camel"),
        ("Six Hump Camel", "six_hump_camel"),
        ("three-hump-camel", "three_hump_camel"),
        ("levi", "levi_n13"),
        ("sphere", "quadratic_bowl"),
    ],
)
def test_get_loss_by_name(text, name):
    assert get_loss(text) is LIBRARY[name]


def test_get_loss_passes_loss_through():
    loss = LIBRARY["booth"]
    assert get_loss(loss) is loss


def test_get_loss_user_expression():
    loss = get_loss("x^2 + 3*y^2")
    assert isinstance(loss, Loss)
    assert loss.name == "x^2 + 3*y^2"
    assert loss.expr == X**2 + 3 * Y**2
    assert loss.domain == ((-3.0, 3.0), (-3.0, 3.0))
    assert loss.minima == ()
    g = loss.gradient(*loss.start)
    assert np.all(np.isfinite(g)) and np.any(g != 0)
    assert loss.max_stable_lr(0.0, 0.0) == pytest.approx(2.0 / 6.0)


def test_get_loss_user_start_avoids_bad_points():
    loss = get_loss("log(-x) + y^2")  # undefined for x > 0
    sx, sy = loss.start
    assert sx < 0
    assert np.isfinite(loss.value(sx, sy))
    assert get_loss("x").start == (2.0,)  # x alone: a 1D loss
    assert get_loss("y").start == (2.0, 2.0)
    assert get_loss("pi").start == (2.0, 2.0)  # constant: no good start, keep the default


def test_get_loss_unknown_word_suggests_library_name():
    with pytest.raises(UnknownLossError) as info:
        get_loss("himmelbau")
    message = str(info.value)
    assert "'himmelblau'" in message and "did you mean" in message
    assert "\n" not in message
    assert isinstance(info.value, ExpressionError) and isinstance(info.value, ValueError)
    with pytest.raises(UnknownLossError, match="did you mean 'six_hump_camel'"):
        get_loss("six hump camal")


def test_get_loss_word_like_formulas_are_formulas():
    assert get_loss("x y").expr == X * Y
    assert get_loss("pi x").expr == sp.pi * X
    with pytest.raises(UnknownLossError, match="parentheses"):
        get_loss("sin x")  # neither a name nor a formula: say why


def test_get_loss_bad_expression():
    with pytest.raises(ExpressionError, match="unknown name 'z'"):
        get_loss("x + z")
    with pytest.raises(TypeError):
        get_loss(3)  # type: ignore[arg-type]


def test_every_library_landscape_has_a_title_for_the_panel() -> None:
    from gdscenes.core.losses.library import LIBRARY, TITLES
    from gdscenes.scenes.lesson import loss_title

    assert set(TITLES) == set(LIBRARY)
    assert loss_title(LIBRARY["ill_conditioned"]) == "an ill-conditioned quadratic"
