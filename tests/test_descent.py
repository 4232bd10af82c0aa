"""gdscenes.core.runner.run: closed forms, stability threshold, batching, stopping rules."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdscenes.core.runner import HARD_LIMIT, resolve_bound, run
from gdscenes.core.optimizers import OPTIMIZERS, Adam, make_optimizer
from gdscenes.core.trajectory import Trajectory


class Quadratic:
    """Stand-in loss f = x^T A x / 2 with A = diag(a, b) (no gdscenes.core.losses needed)."""

    def __init__(self, a=1.0, b=4.0, domain=((-3.0, 3.0), (-3.0, 3.0)), start=(2.0, -1.5), name="quad"):
        self.a, self.b = float(a), float(b)
        self.domain = domain
        self.start = start
        self.name = name

    def value(self, x, y):
        x, y = np.asarray(x, float), np.asarray(y, float)
        return 0.5 * (self.a * x * x + self.b * y * y)

    def gradient(self, x, y):
        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        return np.stack([self.a * x, self.b * y], axis=-1)

    def hessian(self, x, y):
        shape = np.broadcast_shapes(np.shape(x), np.shape(y))
        return np.broadcast_to(np.diag([self.a, self.b]), shape + (2, 2))


class Ramp:
    """f = -x (gradient (-1, 0)); value is +inf (or the gradient NaN) for x > 2."""

    name = "ramp"
    domain = ((-3.0, 3.0), (-3.0, 3.0))
    start = (0.0, 0.0)

    def __init__(self, broken="value"):
        self.broken = broken

    def value(self, x, y):
        x = np.asarray(x, float)
        v = -x + 0.0 * np.asarray(y, float)
        if self.broken == "value":
            v = np.where(x > 2, np.inf, v)
        return v

    def gradient(self, x, y):
        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        g = np.stack([-np.ones_like(x), np.zeros_like(y)], axis=-1)
        if self.broken == "gradient":
            g[x > 2] = np.nan
        return g


class Huge:
    """Gradient 1e308 everywhere: lr * g overflows to inf on the first step."""

    name = "huge"
    domain = ((-3.0, 3.0), (-3.0, 3.0))
    start = (0.0, 0.0)

    def value(self, x, y):
        return np.zeros(np.broadcast(x, y).shape)

    def gradient(self, x, y):
        return np.full(np.broadcast(x, y).shape + (2,), 1e308)


def assert_all_finite(t: Trajectory):
    for arr in (t.points, t.losses, t.gradients, t.updates, *t.state.values()):
        assert np.isfinite(arr).all()


# --------------------------------------------------------------------------- #
# closed forms
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize(
    "a, b, eta",
    [(1.0, 4.0, 0.1), (1.0, 4.0, 0.4), (0.5, 3.0, 0.6), (2.0, 2.0, 0.25)],
)
def test_gd_matches_closed_form(a, b, eta):
    loss = Quadratic(a, b)
    steps = 60
    t = run(loss, "gd", start=(2.0, -1.5), lr=eta, steps=steps)
    k = np.arange(steps + 1)
    expected = np.stack([(1 - eta * a) ** k * 2.0, (1 - eta * b) ** k * -1.5], axis=1)
    # theta_k = (1 - eta*lambda_i)^k theta_0 per eigendirection, to 1e-12 relative
    np.testing.assert_allclose(t.points[:, 0, :], expected, rtol=1e-12, atol=0)
    np.testing.assert_allclose(t.gradients[:, 0, :], expected * [a, b], rtol=1e-12, atol=0)
    np.testing.assert_allclose(
        t.losses[:, 0], 0.5 * (a * expected[:, 0] ** 2 + b * expected[:, 1] ** 2), rtol=1e-12, atol=0
    )
    assert t.status.tolist() == ["max_steps"] and t.stop_step.tolist() == [steps]


def test_stability_threshold_two_over_lambda_max():
    loss = Quadratic(a=0.5, b=4.0)
    lam_max = 4.0
    box = ((-10.0, 10.0), (-10.0, 10.0))
    start = (0.5, 1.0)

    stable = run(loss, "gd", start=start, lr=0.99 * 2 / lam_max, steps=2000, bound=box)
    assert stable.status.tolist() == ["max_steps"]
    assert np.linalg.norm(stable.final_points[0]) < 1e-10  # |1 - 1.98| = 0.98 < 1
    assert np.all(np.abs(stable.points[:, 0, 1]) <= 1.0)

    eta = 1.01 * 2 / lam_max
    unstable = run(loss, "gd", start=start, lr=eta, steps=2000, bound=box)
    assert unstable.status.tolist() == ["diverged"]
    # |y_k| = |1 - 4 eta|^k * 1 = 1.02^k first exceeds 10 at k = floor(log 10 / log 1.02) + 1 = 117
    factor = abs(1 - eta * lam_max)
    k_star = math.floor(math.log(10.0) / math.log(factor)) + 1
    assert k_star == 117
    assert unstable.stop_step.tolist() == [k_star]
    assert np.all(unstable.points[k_star:, 0] == unstable.points[k_star - 1, 0])
    assert_all_finite(unstable)


@pytest.mark.parametrize("name", ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_run_reproduces_hand_steps(name):
    # f = (x^2 + 2 y^2)/2 from (1, 1), lr 0.1 (rmsprop: its default 0.01); values from
    # the hand computations in test_optimizers.py
    expected = {
        "gd": [[0.9, 0.8], [0.81, 0.64]],
        "momentum": [[0.9, 0.8], [0.72, 0.46]],
        "nesterov": [[0.81, 0.62], [0.5751, 0.2224]],
        "adagrad": [[0.9, 0.9], [0.8331035268, 0.8331035268]],
        "rmsprop": [[0.9, 0.9], [0.8329179607, 0.8329179607]],
        "adam": [[0.9, 0.9], [0.8004122277, 0.8004122277]],
    }[name]
    loss = Quadratic(1.0, 2.0)
    t = run(loss, name, start=(1.0, 1.0), lr=None if name == "rmsprop" else 0.1, steps=2)
    np.testing.assert_allclose(t.points[1:, 0], expected, rtol=1e-6)
    np.testing.assert_allclose(t.updates[:, 0], np.diff(t.points[:, 0], axis=0), rtol=0, atol=0)
    assert set(t.state) == set(OPTIMIZERS[name].state_names)


# --------------------------------------------------------------------------- #
# batching
# --------------------------------------------------------------------------- #
STARTS = np.array([[2.0, -1.5], [0.0, 0.0], [-2.9, 2.9], [1e-3, 2.0], [2.5, 0.1]])


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("lr", [0.05, 0.45, 0.6])
def test_batched_equals_separate_runs(name, lr):
    loss = Quadratic(1.0, 4.0)
    kw = dict(lr=lr, steps=80, tol=1e-4, bound=((-6.0, 6.0), (-6.0, 6.0)))
    batch = run(loss, name, start=STARTS, **kw)
    assert batch.n_starts == len(STARTS)
    for i, s in enumerate(STARTS):
        one = run(loss, name, start=s, **kw)
        np.testing.assert_array_equal(batch.points[:, i], one.points[:, 0])
        np.testing.assert_array_equal(batch.losses[:, i], one.losses[:, 0])
        np.testing.assert_array_equal(batch.gradients[:, i], one.gradients[:, 0])
        np.testing.assert_array_equal(batch.updates[:, i], one.updates[:, 0])
        assert batch.status[i] == one.status[0]
        assert batch.stop_step[i] == one.stop_step[0]
        for key in batch.state:
            np.testing.assert_array_equal(batch.state[key][:, i], one.state[key][:, 0])
    assert_all_finite(batch)


def test_batch_mixes_statuses():
    loss = Quadratic(1.0, 4.0)
    # lr 0.45: y-factor 1 - 1.8 = -0.8 (converges), start at the minimum converges at step 0
    t = run(loss, "gd", start=[[0.0, 0.0], [2.0, 2.0], [2.0, 2.0]], lr=0.45, steps=5, tol=1e-12)
    assert t.status.tolist() == ["converged", "max_steps", "max_steps"]
    assert t.stop_step.tolist() == [0, 5, 5]
    assert np.all(t.points[:, 0] == 0.0) and np.all(t.updates[:, 0] == 0.0)


# --------------------------------------------------------------------------- #
# divergence
# --------------------------------------------------------------------------- #
def test_exploding_run_is_frozen_with_no_nan():
    loss = Quadratic(1.0, 4.0)
    # lr 10: x-factor 1 - 10 = -9, y-factor 1 - 40 = -39.
    # y: 1 -> -39 -> 1521 -> -59319 (> 1e4 at step 3); x: 0.5 -> -4.5 -> 40.5 -> -364.5
    box = ((-1e4, 1e4), (-1e4, 1e4))
    t = run(loss, "gd", start=(0.5, 1.0), lr=10.0, steps=50, bound=box)
    assert t.status.tolist() == ["diverged"] and t.stop_step.tolist() == [3]
    np.testing.assert_array_equal(t.points[:3, 0], [[0.5, 1.0], [-4.5, -39.0], [40.5, 1521.0]])
    assert np.all(t.points[3:, 0] == [40.5, 1521.0])
    assert np.all(t.losses[3:, 0] == 0.5 * (40.5**2 + 4 * 1521.0**2))
    assert np.all(t.gradients[3:, 0] == [40.5, 4 * 1521.0])
    assert np.all(t.updates[2:] == 0.0)
    assert_all_finite(t)

    # default bound: domain +-3 expanded 10x -> +-30; |-39| > 30 at step 1
    t = run(loss, "gd", start=(0.5, 1.0), lr=10.0, steps=50)
    assert t.status.tolist() == ["diverged"] and t.stop_step.tolist() == [1]
    assert np.all(t.points == [0.5, 1.0])
    assert_all_finite(t)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_freezes_state_on_divergence(name):
    loss = Quadratic(1.0, 4.0)
    lr = 2000.0 if name == "adadelta" else 50.0  # Adadelta's steps start near sqrt(eps) * lr and grow slowly
    t = run(loss, name, start=[[2.0, 2.0], [0.0, 0.0]], lr=lr, steps=40, bound=((-5, 5), (-5, 5)), tol=0.0)
    assert t.status.tolist() == ["diverged", "converged"]
    k = int(t.stop_step[0])
    assert 1 <= k < 40 and t.stop_step[1] == 0
    assert np.all(t.points[k:, 0] == t.points[k - 1, 0])
    for h in t.state.values():
        assert np.all(h[k - 1 :, 0] == (h[k - 2, 0] if k >= 2 else 0.0))
        assert np.all(h[:, 1] == 0.0)
    assert_all_finite(t)


@pytest.mark.parametrize("broken", ["value", "gradient"])
def test_non_finite_loss_is_divergence(broken):
    # GD lr 0.3 on f = -x from 0: x_k = 0.3 k; x_7 = 2.1 > 2 where the loss is broken
    t = run(Ramp(broken), "gd", lr=0.3, steps=20)
    assert t.status.tolist() == ["diverged"] and t.stop_step.tolist() == [7]
    np.testing.assert_allclose(t.points[6:, 0, 0], 1.8, rtol=1e-12)
    assert np.all(t.points[7:] == t.points[6])
    assert_all_finite(t)


@pytest.mark.filterwarnings("error")
def test_overflowing_params_are_divergence_without_warnings():
    t = run(Huge(), "gd", lr=10.0, steps=5, bound=((-1e300, 1e300), (-1e300, 1e300)))
    assert t.status.tolist() == ["diverged"] and t.stop_step.tolist() == [1]
    assert np.all(t.points == 0.0)
    assert t.bound == ((-HARD_LIMIT, HARD_LIMIT), (-HARD_LIMIT, HARD_LIMIT))
    assert_all_finite(t)


# --------------------------------------------------------------------------- #
# tolerance
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("eta", [0.1, 0.9, 0.3])
def test_tol_step_count_matches_analytic(eta):
    lam = 2.0
    loss = Quadratic(a=lam, b=5.0)
    x0, tol = 1.5, 1e-6
    g0 = lam * x0
    ratio = math.log(tol / g0) / math.log(abs(1 - eta * lam))
    assert abs(ratio - round(ratio)) > 1e-6  # not on a rounding knife-edge
    k_expected = math.ceil(ratio)  # 0.1, 0.9 -> |0.8|: 67;  0.3 -> 0.4: 17
    t = run(loss, "gd", start=(x0, 0.0), lr=eta, steps=500, tol=tol)
    assert t.status.tolist() == ["converged"]
    assert t.stop_step.tolist() == [k_expected]
    k = k_expected
    assert np.linalg.norm(t.gradients[k, 0]) <= tol < np.linalg.norm(t.gradients[k - 1, 0])
    assert np.all(t.points[k:, 0] == t.points[k, 0]) and np.all(t.updates[k:] == 0.0)


def test_tol_is_inclusive():
    # GD lr 0.5 on f = x^2/2 from (1, 0): x_1 = 0.5 exactly, |grad| = 0.5 = tol -> converged at 1
    t = run(Quadratic(1.0, 4.0), "gd", start=(1.0, 0.0), lr=0.5, steps=10, tol=0.5)
    assert t.status.tolist() == ["converged"] and t.stop_step.tolist() == [1]
    assert np.all(t.points[1:, 0] == [0.5, 0.0])


def test_tol_at_start_and_all_stopped_early():
    t = run(Quadratic(), "adam", start=[[0.0, 0.0], [0.0, 0.0]], steps=30, tol=0.0, lr=0.1)
    assert t.status.tolist() == ["converged", "converged"] and t.stop_step.tolist() == [0, 0]
    assert t.points.shape == (31, 2, 2) and np.all(t.points == 0.0)
    assert t.state["m"].shape == (30, 2, 2) and np.all(t.state["m"] == 0.0)


# --------------------------------------------------------------------------- #
# arguments
# --------------------------------------------------------------------------- #
def test_shapes_metadata_and_defaults():
    loss = Quadratic()
    t = run(loss, "adam", steps=7, beta1=0.8)
    assert t.points.shape == (8, 1, 2) and t.losses.shape == (8, 1)
    assert t.gradients.shape == (8, 1, 2) and t.updates.shape == (7, 1, 2)
    assert t.status.shape == (1,) and t.stop_step.shape == (1,)
    assert {k: v.shape for k, v in t.state.items()} == {"m": (7, 1, 2), "v": (7, 1, 2)}
    np.testing.assert_array_equal(t.points[0, 0], loss.start)  # start=None -> loss.start
    assert t.optimizer == "adam" and t.loss_name == "quad"
    assert t.hyperparams == {"lr": 1e-3, "betas": (0.8, 0.999), "eps": 1e-8}
    assert t.bound == ((-30.0, 30.0), (-30.0, 30.0)) and t.tol is None
    assert run(loss, steps=1).hyperparams == {"lr": 1e-3}  # default optimizer gd


def test_optimizer_instance_and_class():
    loss = Quadratic()
    by_name = run(loss, "adam", lr=0.05, steps=10)
    by_inst = run(loss, Adam(lr=0.05), steps=10)
    by_cls = run(loss, Adam, lr=0.05, steps=10)
    np.testing.assert_array_equal(by_name.points, by_inst.points)
    np.testing.assert_array_equal(by_name.points, by_cls.points)
    with pytest.raises(ValueError, match="optimizer instance"):
        run(loss, Adam(), lr=0.1)
    with pytest.raises(ValueError, match="optimizer instance"):
        run(loss, make_optimizer("momentum"), momentum=0.5)
    with pytest.raises(ValueError, match="did you mean 'adam'"):
        run(loss, "adamm")
    with pytest.raises(ValueError, match="optimizer must be"):
        run(loss, 3)


def test_resolve_bound():
    assert resolve_bound(((-3, 3), (-1, 5))) == ((-30.0, 30.0), (-28.0, 32.0))
    b = resolve_bound(((0, 2e5), (-1, 1)))  # centre 1e5, half 1e5 -> [-9e5, 1.1e6] -> clipped
    assert b == ((-9e5, 1e6), (-10.0, 10.0))
    assert resolve_bound(((-3, 3), (-3, 3)), ((-1, 2), (0, 5))) == ((-1.0, 2.0), (0.0, 5.0))
    assert resolve_bound(None, ((-1e9, 1e9), (-1, 1))) == ((-1e6, 1e6), (-1.0, 1.0))
    for bad in [((1, 0), (0, 1)), ((0, 1),), "box", ((0, np.nan), (0, 1)), ((2e6, 3e6), (0, 1))]:
        with pytest.raises(ValueError, match="bound"):
            resolve_bound(((-3, 3), (-3, 3)), bad)


@pytest.mark.parametrize(
    "kwargs, fragments",
    [
        ({"steps": -5}, ["steps", "-5"]),
        ({"steps": 2.5}, ["steps", "2.5"]),
        ({"steps": True}, ["steps", "True"]),
        ({"steps": 2_000_000}, ["steps", "2000000"]),
        ({"tol": -1e-3}, ["tol", "-0.001"]),
        ({"tol": float("nan")}, ["tol", "nan"]),
        ({"start": (40.0, 0.0)}, ["start (40.0, 0.0) is outside the domain"]),
        ({"start": [[0.0, 0.0], [1.0, -31.0]]}, ["start (1.0, -31.0) is outside the domain"]),
        ({"start": (float("nan"), 0.0)}, ["start (nan, 0.0)", "not finite"]),
        ({"start": (1.0, 2.0, 3.0)}, ["start", "(3,)"]),
        ({"start": "here"}, ["start", "'here'"]),
        ({"start": (2.0, 2.0), "bound": ((-1, 1), (-1, 1))}, ["start (2.0, 2.0) is outside"]),
        ({"lr": -0.1}, ["learning rate must be positive, got -0.1"]),
        ({"momentum": 0.5}, ["unknown hyperparameter 'momentum'"]),
        ({"bound": ((1, -1), (0, 1))}, ["bound", "min < max"]),
    ],
)
def test_validation_errors(kwargs, fragments):
    with pytest.raises(ValueError) as info:
        run(Quadratic(), "gd", **kwargs)
    msg = str(info.value)
    assert "\n" not in msg
    for frag in fragments:
        assert frag in msg


def test_loss_not_finite_at_start_and_missing_start():
    with pytest.raises(ValueError, match=r"not finite at start \(2.5, 0.0\)"):
        run(Ramp("value"), start=(2.5, 0.0))
    loss = Quadratic()
    loss.start = None
    with pytest.raises(ValueError, match="start"):
        run(loss)


# --------------------------------------------------------------------------- #
# properties
# --------------------------------------------------------------------------- #
@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(list(OPTIMIZERS)),
    lr=st.floats(1e-3, 20.0),
    starts=st.lists(st.tuples(st.floats(-3, 3), st.floats(-3, 3)), min_size=1, max_size=6),
    tol=st.one_of(st.none(), st.floats(0.0, 1e-2)),
)
def test_invariants(name, lr, starts, tol):
    t = run(Quadratic(1.0, 4.0), name, start=np.array(starts), lr=lr, steps=30, tol=tol)
    assert_all_finite(t)
    np.testing.assert_array_equal(t.updates, np.diff(t.points, axis=0))
    (x0, x1), (y0, y1) = t.bound
    assert np.all((t.points[..., 0] >= x0) & (t.points[..., 0] <= x1))
    assert np.all((t.points[..., 1] >= y0) & (t.points[..., 1] <= y1))
    for i in range(t.n_starts):
        k = int(t.stop_step[i])
        assert t.status[i] in ("converged", "max_steps", "diverged")
        if t.status[i] == "max_steps":
            assert k == 30
        else:
            frozen_from = k if t.status[i] == "converged" else k - 1
            assert np.all(t.points[frozen_from:, i] == t.points[frozen_from, i])
            assert np.all(t.updates[frozen_from:, i] == 0.0)
        if t.status[i] == "converged":
            assert np.linalg.norm(t.gradients[k, i]) <= tol


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_zero_steps_is_the_start_alone(name):
    # steps=0 means no update at all: one row (the start), nothing stopped early
    t = run(Quadratic(), name, start=[[2.0, -1.5], [0.5, 0.5]], lr=0.1, steps=0, tol=1e-9)
    assert t.n_steps == 0 and t.points.shape == (1, 2, 2)
    np.testing.assert_array_equal(t.points[0], [[2.0, -1.5], [0.5, 0.5]])
    np.testing.assert_array_equal(t.losses[0], [0.5 * (4.0 + 4.0 * 2.25), 0.5 * (0.25 + 4.0 * 0.25)])
    assert t.updates.shape == (0, 2, 2)
    assert t.status.tolist() == ["max_steps", "max_steps"] and t.stop_step.tolist() == [0, 0]
    assert all(v.shape == (0, 2, 2) for v in [*t.state.values(), *t.internals.values()])
    assert Trajectory.from_json(t.to_json()).points.shape == (1, 2, 2)


def test_run_does_not_change_the_optimizer_state_it_was_given():
    # the optimizers are pure: an instance can be reused and gives the same run twice
    opt = Adam(lr=0.05)
    a = run(Quadratic(), opt, steps=25)
    b = run(Quadratic(), opt, steps=25)
    np.testing.assert_array_equal(a.points, b.points)
    np.testing.assert_array_equal(a.state["m"], b.state["m"])


def test_every_constant_of_a_rule_is_given_its_value_on_the_line_that_names_it() -> None:
    """Momentum's mu, Adam's beta_1, beta_2 and epsilon: the values the run used (torch's defaults filled in),
    after the first line of the rule that names each; a longer name (mu_t) is not the constant."""
    from gdscenes.core.losses import get_loss
    from gdscenes.core.optimizers import OPTIMIZERS
    from gdscenes.core.runner import run
    from gdscenes.scenes.descent import with_constants

    loss = get_loss("himmelblau")
    momentum = run(loss, "momentum", start=(0.5, 0.5), lr=0.01, steps=1, momentum=0.8)
    lines = with_constants(OPTIMIZERS["momentum"].rule_latex_lines, momentum.hyperparams)
    assert lines[0].endswith(r",\quad \mu = 0.8") and lines[1] == OPTIMIZERS["momentum"].rule_latex_lines[1]
    adam = run(loss, "adam", start=(0.5, 0.5), lr=0.01, steps=1)
    lines = with_constants(OPTIMIZERS["adam"].rule_latex_lines, adam.hyperparams)
    assert lines[1].endswith(r"\beta_1 = 0.9") and lines[2].endswith(r"\beta_2 = 0.999")
    assert lines[-1].endswith(r"\epsilon = 10^{-8}") and r"\beta_1 =" not in lines[3]  # (named first on line 1)
    nadam = run(loss, "nadam", start=(0.5, 0.5), lr=0.01, steps=1)
    assert r"\mu_t" in OPTIMIZERS["nadam"].rule_latex_lines[0]
    assert r"\mu =" not in " ".join(with_constants(OPTIMIZERS["nadam"].rule_latex_lines, nadam.hyperparams))
    assert with_constants(OPTIMIZERS["gd"].rule_latex_lines, {"lr": 0.1}) == list(OPTIMIZERS["gd"].rule_latex_lines)
