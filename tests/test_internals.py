"""Optimizer internals in the trajectory, SGD noise, curvature and preconditioner ellipses, the derivation.

Each is compared with an independent truth: closed-form Hessians, hand
recurrences of the update rules, the statistics of the noise.
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pytest

from gdscenes.core.worked_step import derive, gradient_lines
from gdscenes.core.runner import gradient_noise, run
from gdscenes.core.curvature import curvature, ellipse_axes, ellipse_points, level_for, preconditioner_axes
from gdscenes.core.losses import get_loss
from gdscenes.core.trajectory import Trajectory


def same_axis(a: np.ndarray, b: np.ndarray) -> bool:
    """Vectors equal up to sign."""
    return bool(np.allclose(a, b, atol=1e-9) or np.allclose(a, -b, atol=1e-9))


# --------------------------------------------------------------------------- curvature
def test_quadratic_ellipse_axes_are_the_coordinate_axes_scaled_by_the_curvature() -> None:
    a, b = 1.5, 12.0
    loss = get_loss(f"{a}*x^2 + {b}*y^2")
    pts = np.array([[0.3, -0.7], [1.0, 2.0]])
    c = curvature(loss, pts)
    level = 0.8
    axes = ellipse_axes(c, level)
    # closed form: H = diag(2a, 2b); the level set (1/2) d^T H d = c has semi-axes sqrt(2c / (2a)), sqrt(2c / (2b))
    for k in range(2):
        np.testing.assert_allclose(c.eigenvalues[k], [2 * a, 2 * b])
        assert same_axis(axes[k, 0], np.array([np.sqrt(2 * level / (2 * a)), 0.0]))
        assert same_axis(axes[k, 1], np.array([0.0, np.sqrt(2 * level / (2 * b))]))
    np.testing.assert_allclose(c.condition, b / a)
    # every point of the drawn outline lies on the level set of the quadratic model
    d = ellipse_points(pts[0], axes[0]) - pts[0]
    np.testing.assert_allclose(0.5 * (2 * a * d[:, 0] ** 2 + 2 * b * d[:, 1] ** 2), level)


def rosenbrock_hessian(x: float, y: float) -> np.ndarray:
    return np.array([[2 - 400 * (y - x**2) + 800 * x**2, -400 * x], [-400 * x, 200.0]])


def test_rosenbrock_ellipse_follows_the_analytic_hessian_at_each_step() -> None:
    loss = get_loss("rosenbrock")
    t = run(loss, "gd", start=(-1.2, 1.0), lr=0.001, steps=5)
    c = curvature(loss, t.points[:, 0])
    level = level_for(c.eigenvalues[0], 0.4)
    axes = ellipse_axes(c, level)
    for k, (x, y) in enumerate(t.points[:, 0]):
        values, vectors = np.linalg.eigh(rosenbrock_hessian(x, y))
        for i in range(2):
            length = np.sqrt(2 * level / abs(values[i]))
            assert same_axis(axes[k, i], length * vectors[:, i])
    # the level is chosen so that the longer semi-axis at the start is 0.4
    assert np.isclose(np.linalg.norm(axes[0], axis=1).max(), 0.4)


def test_saddle_marks_the_negative_direction_and_caps_flat_ones() -> None:
    c = curvature(get_loss("x^2 - y^2"), np.array([[0.5, 0.5]]))
    np.testing.assert_allclose(c.eigenvalues[0], [-2.0, 2.0])
    assert c.negative[0].tolist() == [True, False]
    axes = ellipse_axes(c, 1.0)
    assert same_axis(axes[0, 0], np.array([0.0, 1.0]))  # the falling direction is y, length sqrt(2/2)
    flat = curvature(get_loss("x^2 + 0*y"), np.array([[0.0, 0.0]]))
    assert np.isinf(flat.condition[0])
    assert np.isclose(np.linalg.norm(ellipse_axes(flat, 1.0, max_length=2.5)[0], axis=1).max(), 2.5)


# --------------------------------------------------------------------------- state in the trajectory
def test_momentum_velocity_is_the_hand_recurrence() -> None:
    loss = get_loss("x^2 + 10*y^2")
    lr, mu = 0.02, 0.8
    t = run(loss, "momentum", start=(1.0, 1.0), lr=lr, steps=4, momentum=mu)
    theta, v = np.array([1.0, 1.0]), np.zeros(2)
    for k in range(4):
        g = np.array([2 * theta[0], 20 * theta[1]])
        v = mu * v + g
        theta = theta - lr * v
        np.testing.assert_allclose(t.state["velocity"][k, 0], v, rtol=1e-12)
        np.testing.assert_allclose(t.points[k + 1, 0], theta, rtol=1e-12)
        np.testing.assert_allclose(t.internals["precond"][k, 0], [lr, lr])


def test_adam_preconditioner_is_lr_over_sqrt_v_hat_plus_eps_by_hand() -> None:
    loss = get_loss("x^2 + 10*y^2")
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    t = run(loss, "adam", start=(1.0, 1.0), lr=lr, steps=3)
    theta, m, v = np.array([1.0, 1.0]), np.zeros(2), np.zeros(2)
    reference = 3.0
    axes = preconditioner_axes(t.internals["precond"][:, 0], reference)
    for k in range(3):
        g = np.array([2 * theta[0], 20 * theta[1]])
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** (k + 1)), v / (1 - b2 ** (k + 1))
        precond = lr / (np.sqrt(v_hat) + eps)
        theta = theta - precond * m_hat
        np.testing.assert_allclose(t.state["m"][k, 0], m, rtol=1e-12)
        np.testing.assert_allclose(t.state["v"][k, 0], v, rtol=1e-12)
        np.testing.assert_allclose(t.internals["m_hat"][k, 0], m_hat, rtol=1e-12)
        np.testing.assert_allclose(t.internals["v_hat"][k, 0], v_hat, rtol=1e-12)
        np.testing.assert_allclose(t.internals["precond"][k, 0], precond, rtol=1e-12)
        # the ellipse is axis-aligned with semi-axes precond * reference
        np.testing.assert_allclose(axes[k], np.diag(precond * reference), rtol=1e-12)
        np.testing.assert_allclose(t.points[k + 1, 0], theta, rtol=1e-9)
    # first step: v_hat = g0^2, so the effective step is lr / |g0| per coordinate
    np.testing.assert_allclose(t.internals["precond"][0, 0], lr / np.array([2.0, 20.0]), rtol=1e-6)


def test_rmsprop_and_adagrad_record_their_effective_step() -> None:
    loss = get_loss("x^2 + 10*y^2")
    r = run(loss, "rmsprop", start=(1.0, 1.0), lr=0.01, steps=1)
    np.testing.assert_allclose(r.internals["precond"][0, 0], 0.01 / (np.sqrt(0.01 * np.array([4.0, 400.0])) + 1e-8))
    a = run(loss, "adagrad", start=(1.0, 1.0), lr=0.1, steps=1)
    np.testing.assert_allclose(a.internals["precond"][0, 0], 0.1 / (np.array([2.0, 20.0]) + 1e-10))


def test_internals_are_exported_to_csv_and_json() -> None:
    t = run(get_loss("x^2 + 10*y^2"), "adam", start=[(1.0, 1.0), (-1.0, 0.5)], lr=0.1, steps=3, noise=0.5, seed=3)
    back = Trajectory.from_json(t.to_json())
    assert set(back.internals) == {"m_hat", "v_hat", "precond", "grad_used"}
    for name in t.internals:
        np.testing.assert_array_equal(back.internals[name], t.internals[name])
    assert (back.noise, back.seed) == (0.5, 3)
    assert t.to_csv().splitlines()[0] == "start,step,x,y,loss,grad_x,grad_y,status"  # no internals by default
    rows = list(csv.DictReader(io.StringIO(t.to_csv(internals=True))))
    assert float(rows[1]["v_hat_y"]) == t.internals["v_hat"][1, 0, 1]
    assert float(rows[4 + 2]["grad_used_x"]) == t.internals["grad_used"][2, 1, 0]  # start 1, step 2
    assert rows[3]["precond_x"] == ""  # the last row has no update
    assert float(t.single(1).internals["m_hat"][0, 0, 1]) == t.internals["m_hat"][0, 1, 1]


# --------------------------------------------------------------------------- SGD noise
def test_sgd_noise_is_reproducible_and_zero_noise_is_exact_gd() -> None:
    loss = get_loss("himmelblau")
    kw = dict(start=(-0.5, -4.5), lr=0.01, steps=30)
    a = run(loss, "gd", noise=2.0, seed=11, **kw)
    b = run(loss, "gd", noise=2.0, seed=11, **kw)
    c = run(loss, "gd", noise=2.0, seed=12, **kw)
    exact = run(loss, "gd", **kw)
    zero = run(loss, "gd", noise=0.0, seed=11, **kw)
    np.testing.assert_array_equal(a.points, b.points)
    assert not np.allclose(a.points[1:], c.points[1:])
    np.testing.assert_array_equal(zero.points, exact.points)
    assert "grad_used" not in zero.internals
    # the noisy gradient is the exact one plus the seeded stream
    np.testing.assert_allclose(a.internals["grad_used"][:, 0], a.gradients[:-1, 0] + gradient_noise(2.0, 11, 30, 1)[:, 0],
                               rtol=0, atol=0)
    assert not np.allclose(a.points[-1], exact.points[-1])


def test_noise_has_zero_mean_and_the_given_standard_deviation() -> None:
    sigma, n, steps = 0.7, 2000, 50
    loss = get_loss("x + 2*y")  # constant gradient (1, 2): the noise is what varies
    starts = np.zeros((n, 2))
    t = run(loss, "gd", start=starts, lr=1e-6, steps=steps, noise=sigma, seed=5, bound=((-10, 10), (-10, 10)))
    xi = (t.internals["grad_used"] - np.array([1.0, 2.0])).reshape(-1, 2)
    count = xi.shape[0]
    assert np.all(np.abs(xi.mean(axis=0)) < 5 * sigma / np.sqrt(count))
    np.testing.assert_allclose(xi.std(axis=0), sigma, rtol=0.02)
    assert abs(np.corrcoef(xi.T)[0, 1]) < 0.02  # independent coordinates


@pytest.mark.parametrize("noise", [-0.5, float("nan"), "big"])
def test_bad_noise_is_a_one_line_error_naming_the_value(noise: object) -> None:
    with pytest.raises(ValueError) as err:
        run(get_loss("himmelblau"), "gd", lr=0.01, steps=2, noise=noise)
    message = str(err.value)
    assert "noise" in message and "\n" not in message
    assert str(noise) in message or repr(noise) in message


def test_bad_seed_is_an_error() -> None:
    with pytest.raises(ValueError, match="seed must be a non-negative int, got -1"):
        run(get_loss("himmelblau"), "gd", lr=0.01, steps=2, noise=1.0, seed=-1)


# --------------------------------------------------------------------------- derivation
NUMBER = r"-?\d+\.\d+"


def test_derivation_lines_show_the_trajectory_numbers() -> None:
    loss = get_loss("booth")
    t = run(loss, "gd", start=(-4.0, -3.0), lr=0.03, steps=5)
    assert gradient_lines(loss)[1].endswith("10 x + 8 y - 34")
    for k in range(5):
        d = derive(loss, t, k)
        x, y = t.points[k, 0]
        assert re.findall(NUMBER, d.lines[0]) == [f"{x:.3f}", f"{y:.3f}"]
        # the substituted expression, evaluated, gives the trajectory's gradient (booth's closed form)
        gx_line = d.lines[1].split("&=")[1]
        shown = [float(v) for v in re.findall(NUMBER, gx_line)]
        assert shown[:2] == [round(x, 3), round(y, 3)]
        assert np.isclose(10 * shown[0] + 8 * shown[1] - 34, t.gradients[k, 0, 0], atol=0.02)
        assert shown[-1] == round(t.gradients[k, 0, 0], 3)
        assert float(re.findall(NUMBER, d.lines[2])[-1]) == round(t.gradients[k, 0, 1], 3)
        # the update line and its result are the trajectory's next iterate
        for line, coordinate, theta, g in ((d.lines[4], 0, x, t.gradients[k, 0, 0]), (d.lines[5], 1, y, t.gradients[k, 0, 1])):
            shown = [float(v) for v in re.findall(NUMBER, line)]
            assert shown == [round(theta, 3), 0.03, round(g, 3), round(t.points[k + 1, 0, coordinate], 3)]
        assert d.theta_next == tuple(t.points[k + 1, 0])
    assert len(derive(loss, t, 5).lines) == 3  # the last step has no update


def test_derivation_refuses_other_optimizers() -> None:
    t = run(get_loss("booth"), "adam", start=(-4.0, -3.0), lr=0.1, steps=2)
    with pytest.raises(ValueError, match="plain gradient descent, got optimizer 'adam'"):
        derive(get_loss("booth"), t, 0)


# --------------------------------------------------------------------------- command line
def test_trajectory_command_writes_internals_and_noise(capsys: pytest.CaptureFixture[str]) -> None:
    from gdscenes.cli.main import main

    code = main(["trajectory", "x^2 + 10*y^2", "--optimizer", "adam", "--lr", "0.1", "--start", "1,1", "--steps", "2",
                 "--internals", "--noise", "0.5", "--seed", "4"])
    out = capsys.readouterr().out
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    t = run(get_loss("x^2 + 10*y^2"), "adam", start=(1.0, 1.0), lr=0.1, steps=2, noise=0.5, seed=4)
    assert float(rows[0]["precond_y"]) == t.internals["precond"][0, 0, 1]
    assert float(rows[1]["grad_used_x"]) == t.internals["grad_used"][1, 0, 0]
    with pytest.raises(SystemExit) as exit_:
        main(["trajectory", "himmelblau", "--noise", "-0.5"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.strip() == "gdscenes: error: noise scale must be a finite number >= 0, got -0.5"


def test_every_worked_step_of_the_derivation_fits_its_card_once_aligned() -> None:
    """A line short enough alone can still run over the card once aligned after a long left-hand side
    (x_2 = ... under \\partial_x f(theta_1)); the panel breaks lines until the aligned block fits."""
    from gdscenes.core.worked_step import derive, gradient_lines
    from gdscenes.display.palette import DARK
    from gdscenes.drawing.derivation_panel import DerivationPanel
    from gdscenes.scenes.registry import SCENES

    cls = SCENES["derivation"]
    loss = cls.get_loss()
    trajectory = cls.descend(loss)
    panel = DerivationPanel("t", gradient_lines(loss), derive(loss, trajectory, 0).lines, DARK, width=5.0)
    for k in range(3):
        shown = panel.show_lines(derive(loss, trajectory, k).lines)
        assert shown.width <= panel.inner + 1e-6, k
