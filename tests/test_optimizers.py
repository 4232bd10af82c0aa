"""Optimizer update rules against hand-worked numbers (torch.optim semantics).

Throughout, the landscape is the diagonal quadratic
f(x, y) = (1 * x**2 + 2 * y**2) / 2, so grad f = (x, 2 y), and the start
is theta_0 = (1, 1), so g_0 = (1, 2).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdscenes.core.optimizers import (
    OptState,
    OPTIMIZERS,
    Adagrad,
    Adam,
    GD,
    Momentum,
    Nesterov,
    Optimizer,
    RMSprop,
    make_optimizer,
)

A = np.array([1.0, 2.0])  # diagonal of the Hessian


def grad(p: np.ndarray) -> np.ndarray:
    return A * p


def iterate(opt: Optimizer, n: int, start=(1.0, 1.0)) -> tuple[list[np.ndarray], dict]:
    """theta_0 .. theta_n on the quadratic above."""
    p = np.array(start, dtype=float)
    state = opt.init_state(p)
    out = [p]
    for k in range(n):
        p = opt.step(p, grad(p), state, k)
        out.append(p)
    return out, state


# --------------------------------------------------------------------------- #
# registry, defaults, metadata
# --------------------------------------------------------------------------- #
def test_registry_names():
    assert list(OPTIMIZERS) == ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam",
                                "adamw", "adamax", "nadam", "radam", "adadelta", "lion", "newton"]
    for name, cls in OPTIMIZERS.items():
        assert cls.name == name
        assert isinstance(make_optimizer(name), cls)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("gd", {"lr": 1e-3}),
        ("momentum", {"lr": 1e-3, "momentum": 0.9}),
        ("nesterov", {"lr": 1e-3, "momentum": 0.9}),
        ("adagrad", {"lr": 1e-2, "eps": 1e-10}),
        ("rmsprop", {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8}),
        ("adam", {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8}),
        ("adamw", {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2}),
        ("adamax", {"lr": 2e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0}),
        ("nadam", {"lr": 2e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "momentum_decay": 4e-3}),
        ("radam", {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0}),
        ("adadelta", {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.0}),
        ("lion", {"lr": 1e-4, "betas": (0.9, 0.99), "weight_decay": 0.0}),
        ("newton", {"lr": 1.0, "damping": 0.0}),
    ],
)
def test_defaults_are_torchs(name, expected):
    opt = make_optimizer(name)
    assert opt.hyperparams == expected
    assert OPTIMIZERS[name].default_hyperparams() == expected
    # None means "default" (front ends pass unset options through)
    assert make_optimizer(name, lr=None, **{k: None for k in expected if k != "lr"}) == opt


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_metadata_for_scenes(name):
    cls = OPTIMIZERS[name]
    assert cls.label and cls.rule_latex and cls.rule_latex_lines
    assert r"\theta_{k+1}" in cls.rule_latex
    assert "$" not in cls.rule_latex
    assert all("&" in line for line in cls.rule_latex_lines)
    assert cls.__doc__ and "Defaults" in cls.__doc__ and "theta_{k+1}" in cls.__doc__
    opt = cls()
    assert set(opt.init_state(np.zeros((3, 2)))) == set(cls.state_names)
    assert repr(opt).startswith(cls.__name__ + "(")


def test_state_names():
    assert GD.state_names == ()
    assert Momentum.state_names == Nesterov.state_names == ("velocity",)
    assert Adagrad.state_names == ("sum_sq",)
    assert RMSprop.state_names == ("square_avg",)
    assert Adam.state_names == ("m", "v")


def test_hyperparams_override():
    assert make_optimizer("ADAM ", lr=0.5, betas=(0.8, 0.9), eps=1e-6).hyperparams == {
        "lr": 0.5,
        "betas": (0.8, 0.9),
        "eps": 1e-6,
    }
    assert make_optimizer("adam", beta1=0.5).hyperparams["betas"] == (0.5, 0.999)
    assert make_optimizer("adam", beta2=0.5).hyperparams["betas"] == (0.9, 0.5)
    assert make_optimizer("rmsprop", alpha=0.9).hyperparams["alpha"] == 0.9
    assert make_optimizer("momentum", momentum=0).hyperparams["momentum"] == 0.0
    assert type(make_optimizer("gd", lr=np.float32(0.5)).lr) is float


# --------------------------------------------------------------------------- #
# hand-worked steps
# --------------------------------------------------------------------------- #
def test_gd_hand_steps():
    # theta_{k+1} = theta_k - 0.1 * (x, 2y)
    # k=0: (1, 1) - 0.1*(1, 2)       = (0.9, 0.8)
    # k=1: (0.9, 0.8) - 0.1*(0.9, 1.6) = (0.81, 0.64)
    # k=2: (0.81, 0.64) - 0.1*(0.81, 1.28) = (0.729, 0.512)
    pts, state = iterate(GD(lr=0.1), 3)
    np.testing.assert_allclose(pts[1], [0.9, 0.8], rtol=1e-15)
    np.testing.assert_allclose(pts[2], [0.81, 0.64], rtol=1e-15)
    np.testing.assert_allclose(pts[3], [0.729, 0.512], rtol=1e-15)
    assert state == {}


def test_momentum_hand_steps():
    # torch SGD(momentum=0.9, dampening=0): b_1 = g_1, b_t = 0.9 b_{t-1} + g_t
    # k=0: g=(1, 2);       v=(1, 2);                        theta=(1-0.1, 1-0.2)        = (0.9, 0.8)
    # k=1: g=(0.9, 1.6);   v=0.9*(1, 2)+(0.9, 1.6)=(1.8, 3.4); theta=(0.9-0.18, 0.8-0.34) = (0.72, 0.46)
    # k=2: g=(0.72, 0.92); v=0.9*(1.8, 3.4)+(0.72, 0.92)=(2.34, 3.98);
    #      theta=(0.72-0.234, 0.46-0.398) = (0.486, 0.062)
    opt = Momentum(lr=0.1, momentum=0.9)
    p0 = np.array([1.0, 1.0])
    s = opt.init_state(p0)
    p1 = opt.step(p0, grad(p0), s, 0)
    np.testing.assert_array_equal(s["velocity"], [1.0, 2.0])  # b_1 = g_1 exactly
    np.testing.assert_allclose(p1, [0.9, 0.8], rtol=1e-15)
    p2 = opt.step(p1, grad(p1), s, 1)
    np.testing.assert_allclose(s["velocity"], [1.8, 3.4], rtol=1e-14)
    np.testing.assert_allclose(p2, [0.72, 0.46], rtol=1e-14)
    p3 = opt.step(p2, grad(p2), s, 2)
    np.testing.assert_allclose(s["velocity"], [2.34, 3.98], rtol=1e-14)
    np.testing.assert_allclose(p3, [0.486, 0.062], rtol=1e-12)


def test_nesterov_hand_steps():
    # torch SGD(nesterov=True): b_t = 0.9 b_{t-1} + g_t; d = g_t + 0.9 b_t; theta -= 0.1 d
    # k=0: g=(1, 2);  v=(1, 2);  d=(1+0.9, 2+1.8)=(1.9, 3.8);  theta=(1-0.19, 1-0.38)=(0.81, 0.62)
    # k=1: g=(0.81, 1.24); v=0.9*(1, 2)+(0.81, 1.24)=(1.71, 3.04);
    #      d=(0.81+1.539, 1.24+2.736)=(2.349, 3.976); theta=(0.81-0.2349, 0.62-0.3976)=(0.5751, 0.2224)
    pts, s = iterate(Nesterov(lr=0.1, momentum=0.9), 2)
    np.testing.assert_allclose(pts[1], [0.81, 0.62], rtol=1e-15)
    np.testing.assert_allclose(pts[2], [0.5751, 0.2224], rtol=1e-13)
    np.testing.assert_allclose(s["velocity"], [1.71, 3.04], rtol=1e-14)


def test_adagrad_hand_steps():
    # torch Adagrad(lr=0.1, eps=1e-10): G += g^2; theta -= 0.1 * g / (sqrt(G) + 1e-10)
    # k=0: g=(1, 2); G=(1, 4); theta = (1 - 0.1*1/(1+1e-10), 1 - 0.1*2/(2+1e-10))
    #                                = (0.90000000001, 0.900000000005)
    # k=1: g=(0.9, 1.8); G=(1+0.81, 4+3.24)=(1.81, 7.24);
    #      x: 0.9 - 0.1*0.9/sqrt(1.81) = 0.9 - 0.09/1.3453624047 = 0.9 - 0.0668964732 = 0.8331035268
    #      y: 0.9 - 0.1*1.8/sqrt(7.24) = same (Adagrad ignores diagonal scaling)
    pts, s = iterate(Adagrad(lr=0.1), 2)
    np.testing.assert_allclose(pts[1], [1 - 0.1 / (1 + 1e-10), 1 - 0.2 / (2 + 1e-10)], rtol=1e-15)
    np.testing.assert_allclose(pts[2], [0.8331035268, 0.8331035268], rtol=1e-10)
    # the same step with eps and the exact theta_1 kept, to rounding
    x1, y1 = pts[1]
    np.testing.assert_allclose(
        pts[2],
        [x1 - 0.1 * x1 / (math.sqrt(1 + x1**2) + 1e-10),
         y1 - 0.1 * 2 * y1 / (math.sqrt(4 + 4 * y1**2) + 1e-10)],
        rtol=1e-14,
    )
    np.testing.assert_allclose(s["sum_sq"], [1 + x1**2, 4 + 4 * y1**2], rtol=1e-15)


def test_rmsprop_hand_steps():
    # torch RMSprop(lr=0.01, alpha=0.99, eps=1e-8): v = 0.99 v + 0.01 g^2; theta -= 0.01 g/(sqrt(v)+1e-8)
    # k=0: g=(1, 2); v=(0.01, 0.04); sqrt v=(0.1, 0.2); theta=(1 - 0.01*1/0.1, 1 - 0.01*2/0.2) = (0.9, 0.9)
    #      (first step moves lr/sqrt(1-alpha) = 0.1 per coordinate)
    # k=1: g=(0.9, 1.8); v=(0.99*0.01 + 0.01*0.81, 0.99*0.04 + 0.01*3.24) = (0.018, 0.072)
    #      x: 0.9 - 0.01*0.9/sqrt(0.018) = 0.9 - 0.009/0.1341640786 = 0.9 - 0.0670820393 = 0.8329179607
    #      y: 0.9 - 0.01*1.8/sqrt(0.072) = same
    pts, s = iterate(RMSprop(), 2)
    np.testing.assert_allclose(pts[1], [0.9, 0.9], rtol=1e-6)  # eps shifts it by ~1e-8
    np.testing.assert_allclose(pts[1], [1 - 0.01 / (0.1 + 1e-8), 1 - 0.02 / (0.2 + 1e-8)], rtol=1e-15)
    np.testing.assert_allclose(pts[2], [0.8329179607, 0.8329179607], rtol=1e-6)
    x1, y1 = pts[1]
    v2 = np.array([0.99 * 0.01 + 0.01 * x1**2, 0.99 * 0.04 + 0.01 * (2 * y1) ** 2])
    np.testing.assert_allclose(s["square_avg"], v2, rtol=1e-14)
    np.testing.assert_allclose(s["square_avg"], [0.018, 0.072], rtol=1e-6)
    np.testing.assert_allclose(
        pts[2], [x1 - 0.01 * x1 / (math.sqrt(v2[0]) + 1e-8), y1 - 0.01 * 2 * y1 / (math.sqrt(v2[1]) + 1e-8)],
        rtol=1e-14,
    )


def test_adam_hand_steps():
    # torch Adam(lr=0.1, betas=(0.9, 0.999), eps=1e-8), t = k + 1:
    # k=0: g=(1, 2); m=0.1 g=(0.1, 0.2); v=0.001 g^2=(0.001, 0.004)
    #      step_size = 0.1/(1-0.9) = 1; denom = sqrt(v)/sqrt(1-0.999) + eps = |g| + 1e-8
    #      theta = 1 - 1*0.1*g/(|g|+1e-8)  ~= 1 - 0.1*sign(g) = (0.9, 0.9)
    # k=1: g=(0.9, 1.8); m = 0.9*(0.1, 0.2) + 0.1*(0.9, 1.8) = (0.18, 0.36)
    #      v = 0.999*(0.001, 0.004) + 0.001*(0.81, 3.24) = (0.001809, 0.007236)
    #      bc1 = 1-0.81 = 0.19, bc2 = 1-0.998001 = 0.001999
    #      x: m_hat = 0.18/0.19 = 0.9473684, v_hat = 0.001809/0.001999 = 0.9049525, sqrt = 0.9512899
    #         theta = 0.9 - 0.1*0.9473684/0.9512899 = 0.9 - 0.0995878 = 0.8004122
    #      y: m_hat = 0.36/0.19 = 1.8947368, v_hat = 0.007236/0.001999 = 3.6198099 -> same ratio
    pts, s = iterate(Adam(lr=0.1), 2)
    np.testing.assert_allclose(pts[1], [0.9, 0.9], rtol=1e-8)
    np.testing.assert_allclose(pts[1], [1 - 0.1 * 1 / (1 + 1e-8), 1 - 0.1 * 2 / (2 + 1e-8)], rtol=1e-15)
    np.testing.assert_allclose(pts[2], [0.8004122277, 0.8004122277], rtol=1e-8)
    np.testing.assert_allclose(s["m"], [0.18, 0.36], rtol=1e-8)
    np.testing.assert_allclose(s["v"], [0.001809, 0.007236], rtol=1e-8)
    # exact torch arithmetic with the exact theta_1, to rounding
    x1, y1 = pts[1]
    g1 = np.array([x1, 2 * y1])
    m = 0.9 * np.array([0.1, 0.2]) + 0.1 * g1
    v = 0.999 * np.array([0.001, 0.004]) + 0.001 * g1**2
    expected = pts[1] - (0.1 / (1 - 0.9**2)) * m / (np.sqrt(v) / math.sqrt(1 - 0.999**2) + 1e-8)
    np.testing.assert_allclose(pts[2], expected, rtol=1e-14)
    np.testing.assert_allclose(s["m"], m, rtol=1e-15)
    np.testing.assert_allclose(s["v"], v, rtol=1e-15)


@pytest.mark.parametrize("lr", [1e-3, 0.05, 0.3])
def test_adam_first_step_is_lr_times_sign(lr):
    p = np.array([[3.0, -0.5], [-200.0, 7e-3]])
    g = np.array([[12.0, -0.25], [-1e4, 3e-2]])
    opt = Adam(lr=lr)
    new = opt.step(p, g, opt.init_state(p), 0)
    np.testing.assert_allclose(new - p, -lr * np.sign(g), rtol=1e-6)


def test_rmsprop_first_step_size():
    # |step| = lr * |g| / (sqrt(0.01) |g|) = lr / 0.1 = 10 lr, for any g != 0 (eps aside)
    p = np.array([[0.0, 0.0]])
    g = np.array([[5.0, -0.02]])
    opt = RMSprop(lr=0.003)
    np.testing.assert_allclose(opt.step(p, g, opt.init_state(p), 0), [[-0.03, 0.03]], rtol=1e-5)


# --------------------------------------------------------------------------- #
# vectorisation and state handling
# --------------------------------------------------------------------------- #
FIRST_ORDER = [name for name, cls in OPTIMIZERS.items() if not cls.needs_hessian]


@pytest.mark.parametrize("name", FIRST_ORDER)
def test_batched_step_equals_row_by_row(name):
    rng = np.random.default_rng(0)
    P = rng.normal(size=(5, 2))
    opt = make_optimizer(name, lr=0.05)
    Sb = opt.init_state(P)
    rows = [P[i].copy() for i in range(5)]
    Sr = [opt.init_state(r) for r in rows]
    for k in range(4):
        P = opt.step(P, grad(P), Sb, k)
        rows = [opt.step(r, grad(r), s, k) for r, s in zip(rows, Sr)]
    np.testing.assert_array_equal(P, np.array(rows))
    for key in Sb:
        np.testing.assert_array_equal(Sb[key], np.array([s[key] for s in Sr]))


@pytest.mark.parametrize("name", FIRST_ORDER)
def test_step_does_not_write_into_old_state_or_params(name):
    opt = make_optimizer(name, lr=0.1)
    p = np.array([[1.0, -2.0]])
    s = opt.init_state(p)
    s = {k: v + 0.5 for k, v in s.items()}
    old = {k: v for k, v in s.items()}
    snapshot = {k: v.copy() for k, v in s.items()}
    p_copy = p.copy()
    new = opt.step(p, grad(p), s, 3)
    np.testing.assert_array_equal(p, p_copy)
    assert new is not p
    for k in old:
        np.testing.assert_array_equal(old[k], snapshot[k])  # old arrays untouched
        assert s[k] is not old[k]  # dict entry replaced


@settings(max_examples=50, deadline=None)
@given(
    x=st.floats(-100, 100), y=st.floats(-100, 100),
    lr=st.floats(1e-4, 1.0), mu=st.floats(0.0, 0.99),
)
def test_momentum_zero_is_gd_and_nesterov_matches_definition(x, y, lr, mu):
    p = np.array([x, y])
    g = grad(p)
    gd = GD(lr=lr).step(p, g, {}, 0)
    m0 = Momentum(lr=lr, momentum=0.0)
    np.testing.assert_array_equal(m0.step(p, g, m0.init_state(p), 0), gd)
    nes = Nesterov(lr=lr, momentum=mu)
    s = {"velocity": np.array([0.3, -0.7])}
    v = mu * np.array([0.3, -0.7]) + g
    np.testing.assert_allclose(nes.step(p, g, s, 5), p - lr * (g + mu * v), rtol=1e-12, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    gx=st.floats(-1e3, 1e3).filter(lambda v: abs(v) > 1e-3),
    b1=st.floats(0.0, 0.99), b2=st.floats(0.0, 0.9999), k=st.integers(0, 50),
)
def test_adam_torch_form_equals_textbook_form(gx, b1, b2, k):
    opt = Adam(lr=0.01, betas=(b1, b2), eps=1e-8)
    p = np.array([0.5, -0.5])
    g = np.array([gx, -gx / 3])
    s = {"m": np.array([0.2, 0.1]), "v": np.array([0.3, 0.05])}
    m = b1 * s["m"] + (1 - b1) * g
    v = b2 * s["v"] + (1 - b2) * g**2
    t = k + 1
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    np.testing.assert_allclose(opt.step(p, g, s, k), p - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-10)


# --------------------------------------------------------------------------- #
# validation
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize(
    "name, kwargs, fragments",
    [
        ("gd", {"lr": -0.1}, ["learning rate must be positive", "-0.1"]),
        ("adam", {"lr": 0}, ["learning rate must be positive", "0"]),
        ("gd", {"lr": float("nan")}, ["learning rate", "nan"]),
        ("gd", {"lr": float("inf")}, ["learning rate", "inf"]),
        ("gd", {"lr": "0.1"}, ["learning rate", "'0.1'"]),
        ("gd", {"lr": True}, ["learning rate", "True"]),
        ("momentum", {"momentum": 1.0}, ["momentum", "[0, 1)", "1.0"]),
        ("nesterov", {"momentum": -0.2}, ["momentum", "-0.2"]),
        ("momentum", {"momentum": float("nan")}, ["momentum", "nan"]),
        ("adam", {"betas": (0.9, 1.0)}, ["beta2", "1.0"]),
        ("adam", {"betas": (-0.1, 0.9)}, ["beta1", "-0.1"]),
        ("adam", {"beta1": 1.5}, ["beta1", "1.5"]),
        ("adam", {"betas": 0.9}, ["betas", "0.9"]),
        ("adam", {"betas": (0.9, 0.99), "beta1": 0.5}, ["betas", "beta1"]),
        ("adam", {"eps": 0.0}, ["eps must be positive", "0.0"]),
        ("adagrad", {"eps": -1e-10}, ["eps", "-1e-10"]),
        ("rmsprop", {"eps": float("inf")}, ["eps", "inf"]),
        ("rmsprop", {"alpha": 1.0}, ["alpha", "1.0"]),
        ("rmsprop", {"alpha": -0.5}, ["alpha", "-0.5"]),
    ],
)
def test_invalid_hyperparameters(name, kwargs, fragments):
    with pytest.raises(ValueError) as info:
        make_optimizer(name, **kwargs)
    msg = str(info.value)
    assert "\n" not in msg
    for frag in fragments:
        assert frag in msg


@pytest.mark.parametrize(
    "name, key, allowed",
    [
        ("gd", "momentum", ["lr"]),
        ("adam", "beta", ["lr", "betas", "eps"]),
        ("adagrad", "alpha", ["lr", "eps"]),
        ("rmsprop", "momentum", ["lr", "alpha", "eps"]),
        ("momentum", "nesterov", ["lr", "momentum"]),
    ],
)
def test_unknown_hyperparameter(name, key, allowed):
    with pytest.raises(ValueError) as info:
        make_optimizer(name, **{key: 0.5})
    msg = str(info.value)
    assert "\n" not in msg and repr(key) in msg and name in msg
    for a in allowed:
        assert a in msg


def test_unknown_optimizer_name_suggests():
    with pytest.raises(ValueError) as info:
        make_optimizer("adamm")
    msg = str(info.value)
    assert "'adamm'" in msg and "did you mean 'adam'" in msg and "rmsprop" in msg
    assert "\n" not in msg
    with pytest.raises(ValueError, match="unknown optimizer 'lbfgs'"):
        make_optimizer("lbfgs")
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("k", [-1, 1.5, True])
def test_bad_step_index(k):
    opt = GD(lr=0.1)
    with pytest.raises(ValueError, match="step index"):
        opt.step(np.zeros(2), np.ones(2), {}, k)


# --------------------------------------------------------------------------- #
# the pure interface: init(params) -> state; update(grad, state, params) -> (step, new_state, internals)
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("name", FIRST_ORDER)
def test_update_is_pure_and_agrees_with_step(name):
    opt = make_optimizer(name, lr=0.1)
    p = np.array([[1.0, 1.0], [-0.5, 2.0]])
    state = opt.init(p)
    assert state.count == 0 and set(state.arrays) == set(opt.state_names)
    legacy = opt.init_state(p)
    for k in range(4):
        before = {n: a.copy() for n, a in state.arrays.items()}
        p_before = p.copy()
        step, new, internals = opt.update(grad(p), state, p)
        # nothing given was written to
        np.testing.assert_array_equal(p, p_before)
        for n, a in state.arrays.items():
            np.testing.assert_array_equal(a, before[n])
        assert new.count == k + 1 and set(internals) == set(opt.internal_names)
        # the stateful form gives the same iterate, bit for bit
        np.testing.assert_array_equal(opt.step(p, grad(p), legacy, k), p + step)
        for n in opt.state_names:
            np.testing.assert_array_equal(legacy[n], new.arrays[n])
        np.testing.assert_array_equal(opt.internals(p, legacy, k)["precond"], internals["precond"])
        p, state = p + step, new


def test_pure_update_hand_numbers():
    # momentum 0.9, lr 0.1 on the quadratic from (1, 1): v_1 = g_0 = (1, 2), step = -(0.1, 0.2)
    opt = Momentum(lr=0.1, momentum=0.9)
    p = np.array([1.0, 1.0])
    step, s1, _ = opt.update(grad(p), opt.init(p), p)
    np.testing.assert_array_equal(step, [-0.1, -0.2])
    np.testing.assert_array_equal(s1.arrays["velocity"], [1.0, 2.0])
    # second update from (0.9, 0.8): g = (0.9, 1.6), v = 0.9 (1, 2) + g = (1.8, 3.4)
    step2, s2, _ = opt.update(grad(p + step), s1, p + step)
    np.testing.assert_allclose(s2.arrays["velocity"], [1.8, 3.4], rtol=1e-14)
    np.testing.assert_allclose(step2, [-0.18, -0.34], rtol=1e-14)
    # Adam's count drives its bias correction: from count 0 the step is ~ -lr * sign(g)
    adam = Adam(lr=0.05)
    step, s, internals = adam.update(np.array([3.0, -0.2]), adam.init(np.zeros(2)), np.zeros(2))
    np.testing.assert_allclose(step, [-0.05, 0.05], rtol=1e-6)
    assert s.count == 1
    np.testing.assert_allclose(internals["m_hat"], [3.0, -0.2], rtol=1e-12)


# --------------------------------------------------------------------------- #
# the newer optimizers: first steps worked out by hand on f(x) = x^2 (g = 2x) from x_0 = 1,
# through run() on the 1D loss "x^2" (so the 1D path is exercised too)
# --------------------------------------------------------------------------- #
from gdscenes.core.losses import get_loss  # noqa: E402
from gdscenes.core.optimizers import NEWTON_MAX_CONDITION, nadam_mu, radam_rho  # noqa: E402
from gdscenes.core.runner import run  # noqa: E402


def path_1d(name: str, steps: int = 3, **kw) -> np.ndarray:
    t = run(get_loss("x^2"), name, start=1.0, steps=steps, **kw)
    assert t.params == ("x",) and t.points.shape == (steps + 1, 1, 1)
    return t.points[:, 0, 0]


def test_adamw_hand_steps():
    x = path_1d("adamw", lr=0.1, weight_decay=0.1)
    # t = 1: g = 2, m = 0.2, v = 0.004; step size 0.1 / 0.1 = 1; denom = sqrt(0.004) / sqrt(0.001) + 1e-8 = 2 + 1e-8
    x1 = 1.0 * (1 - 0.1 * 0.1) - 1.0 * 0.2 / (2.0 + 1e-8)
    assert x[1] == pytest.approx(x1, rel=1e-14) and x[1] == pytest.approx(0.89, abs=1e-8)
    # t = 2: g = 2 x1
    g = 2 * x1
    m, v = 0.9 * 0.2 + 0.1 * g, 0.999 * 0.004 + 0.001 * g * g
    x2 = x1 * (1 - 0.01) - (0.1 / (1 - 0.9**2)) * m / (math.sqrt(v) / math.sqrt(1 - 0.999**2) + 1e-8)
    assert x[2] == pytest.approx(x2, rel=1e-14)


def test_adamw_without_weight_decay_is_adam():
    np.testing.assert_array_equal(path_1d("adamw", lr=0.1, weight_decay=0.0), path_1d("adam", lr=0.1))


def test_adamax_hand_steps():
    x = path_1d("adamax", lr=0.1)
    u1 = 2.0 + 1e-8  # max(0.999 * 0, |2| + eps)
    x1 = 1.0 - (0.1 / 0.1) * 0.2 / u1
    assert x[1] == pytest.approx(x1, rel=1e-14)
    g = 2 * x1
    m2 = 0.9 * 0.2 + 0.1 * g
    u2 = max(0.999 * u1, abs(g) + 1e-8)  # the decayed infinity norm wins: 1.998 > 1.8
    assert u2 == 0.999 * u1
    assert x[2] == pytest.approx(x1 - (0.1 / (1 - 0.81)) * m2 / u2, rel=1e-14)


def test_nadam_hand_steps():
    x = path_1d("nadam", lr=0.1)
    mu = [None] + [0.9 * (1 - 0.5 * 0.96 ** (t * 0.004)) for t in (1, 2, 3)]
    assert nadam_mu(2, make_optimizer("nadam").hyperparams) == pytest.approx(mu[2], rel=1e-15)
    d1 = math.sqrt(0.004 / 0.001) + 1e-8
    x1 = 1.0 - 0.1 * (1 - mu[1]) / (1 - mu[1]) * 2.0 / d1 - 0.1 * mu[2] / (1 - mu[1] * mu[2]) * 0.2 / d1
    assert x[1] == pytest.approx(x1, rel=1e-14)
    g = 2 * x1
    m, v = 0.9 * 0.2 + 0.1 * g, 0.999 * 0.004 + 0.001 * g * g
    d2 = math.sqrt(v / (1 - 0.999**2)) + 1e-8
    prod = mu[1] * mu[2]
    x2 = x1 - 0.1 * (1 - mu[2]) / (1 - prod) * g / d2 - 0.1 * mu[3] / (1 - prod * mu[3]) * m / d2
    assert x[2] == pytest.approx(x2, rel=1e-14)


def test_radam_hand_steps_and_the_rectification_threshold():
    x = path_1d("radam", lr=0.1)
    # rho_inf = 2 / 0.001 - 1 = 1999; rho_1 = 1999 - 2 * 0.999 / 0.001 = 1 <= 5: un-adapted, x1 = 1 - 0.1 * m_hat = 0.8
    assert x[1] == pytest.approx(0.8, rel=1e-14)
    g = 1.6
    m = 0.9 * 0.2 + 0.1 * g
    assert x[2] == pytest.approx(0.8 - 0.1 * m / (1 - 0.81), rel=1e-14)
    hyper = make_optimizer("radam").hyperparams
    rhos = [radam_rho(t, hyper)[1] for t in range(1, 8)]
    assert rhos[0] == pytest.approx(1.0, rel=1e-9)
    assert [r > 5 for r in rhos] == [False] * 5 + [True] * 2  # the first five updates are un-adapted
    # update t = 6 (count 5) from a given state: the rectified rule by hand
    opt = make_optimizer("radam", lr=0.1)
    m0, v0, gg = 0.3, 0.02, 1.0
    step, _, _ = opt.update(np.array([gg]), OptState(5, {"m": np.array([m0]), "v": np.array([v0])}), np.array([0.0]))
    t, b1, b2 = 6, 0.9, 0.999
    m6, v6 = b1 * m0 + (1 - b1) * gg, b2 * v0 + (1 - b2) * gg * gg
    rho_inf = 2 / (1 - b2) - 1
    rho_t = rho_inf - 2 * t * b2**t / (1 - b2**t)
    r = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
    expected = -0.1 * (m6 / (1 - b1**t)) * r * math.sqrt(1 - b2**t) / (math.sqrt(v6) + 1e-8)
    assert step[0] == pytest.approx(expected, rel=1e-13)


def test_adadelta_hand_steps():
    x = path_1d("adadelta")  # torch's defaults: lr 1, rho 0.9, eps 1e-6
    v1 = 0.1 * 4.0
    d1 = math.sqrt(0.0 + 1e-6) / math.sqrt(v1 + 1e-6) * 2.0
    u1 = 0.1 * d1 * d1
    x1 = 1.0 - d1
    assert x[1] == pytest.approx(x1, rel=1e-14)
    g = 2 * x1
    v2 = 0.9 * v1 + 0.1 * g * g
    d2 = math.sqrt(u1 + 1e-6) / math.sqrt(v2 + 1e-6) * g
    assert x[2] == pytest.approx(x1 - d2, rel=1e-14)


def test_lion_hand_steps():
    x = path_1d("lion", lr=0.1)
    # c = 0.1 * 2 > 0: x1 = 0.9; m1 = 0.01 * 2 = 0.02; c = 0.9 * 0.02 + 0.1 * 1.8 > 0: x2 = 0.8
    np.testing.assert_allclose(x, [1.0, 0.9, 0.8, 0.7], rtol=1e-14)
    # with weight decay 0.5: x1 = 1 - 0.1 (1 + 0.5) = 0.85; x2 = 0.85 - 0.1 (1 + 0.425) = 0.7075
    x = path_1d("lion", lr=0.1, weight_decay=0.5, steps=2)
    np.testing.assert_allclose(x, [1.0, 0.85, 0.7075], rtol=1e-14)
    # c decides the sign, not g: m = 1 (from earlier gradients), g = -0.5 -> c = 0.9 - 0.05 > 0, the step is -lr
    opt = make_optimizer("lion", lr=0.1)
    step, new, _ = opt.update(np.array([-0.5]), OptState(3, {"m": np.array([1.0])}), np.array([0.0]))
    assert step[0] == pytest.approx(-0.1) and new.arrays["m"][0] == pytest.approx(0.99 * 1.0 + 0.01 * -0.5)


def test_newton_hand_steps():
    # a quadratic with its minimum at (1, -2): one full Newton step lands there from anywhere
    loss = get_loss("(x - 1)^2 + 2*(y + 2)^2 + (x - 1)*(y + 2)")
    t = run(loss, "newton", start=(2.5, 0.5), steps=2)
    np.testing.assert_allclose(t.points[1, 0], [1.0, -2.0], atol=1e-12)
    # 1D, f = x^2 (H = 2): damping 1 gives x1 = x0 - 2 x0 / 3 = x0 / 3; lr 0.5 gives x0 / 2
    np.testing.assert_allclose(path_1d("newton", damping=1.0, steps=2), [1.0, 1 / 3, 1 / 9], rtol=1e-14)
    np.testing.assert_allclose(path_1d("newton", lr=0.5, steps=2), [1.0, 0.5, 0.25], rtol=1e-14)
    # Newton is drawn to a saddle: x^2 - y^2 from (1, 1) lands on (0, 0)
    t = run(get_loss("x^2 - y^2"), "newton", start=(1.0, 1.0), steps=1)
    np.testing.assert_allclose(t.points[1, 0], [0.0, 0.0], atol=1e-15)


def test_newton_singular_hessian_diverges_without_nan():
    # f = x^2 + y^4 at y = 0: H = [[2, 0], [0, 0]] is singular
    t = run(get_loss("x^2 + y^4"), "newton", start=[(1.0, 0.0), (1.0, 1.0)], steps=3)
    assert t.status.tolist() == ["diverged", "max_steps"]
    assert t.stop_step[0] == 1
    assert np.isfinite(t.points).all() and np.isfinite(t.updates).all()
    np.testing.assert_array_equal(t.points[:, 0], [[1.0, 0.0]] * 4)
    # damping makes it solvable: (H + I) = diag(3, 1), step = -(2/3, 0)
    t = run(get_loss("x^2 + y^4"), "newton", start=(1.0, 0.0), steps=1, damping=1.0)
    np.testing.assert_allclose(t.points[1, 0], [1 / 3, 0.0], rtol=1e-14)
    assert NEWTON_MAX_CONDITION >= 1e12


def test_newton_needs_the_hessian():
    with pytest.raises(ValueError, match="Hessian"):
        make_optimizer("newton").update(np.array([1.0]), OptState(0, {}), np.array([0.0]))


@pytest.mark.parametrize(
    "name, kwargs, fragment",
    [
        ("adamw", {"weight_decay": -0.1}, "weight_decay must be >= 0"),
        ("lion", {"betas": (0.9, 1.0)}, "beta2 must be in [0, 1)"),
        ("lion", {"betas": 0.9}, "betas must be a pair"),
        ("adadelta", {"rho": 1.5}, "rho must be in [0, 1)"),
        ("newton", {"damping": float("nan")}, "damping must be finite"),
        ("nadam", {"momentum_decay": -1.0}, "momentum_decay must be >= 0"),
        ("radam", {"eps": 0.0}, "eps must be positive"),
        ("adamw", {"weight_dacay": 0.1}, "did you mean 'weight_decay'?"),
    ],
)
def test_newer_optimizers_refuse_bad_hyperparameters(name, kwargs, fragment):
    with pytest.raises(ValueError) as info:
        make_optimizer(name, **kwargs)
    assert fragment in str(info.value) and "\n" not in str(info.value)
