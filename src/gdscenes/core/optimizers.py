r"""First-order optimizers on 2-D parameters, vectorised over many points, as pure functions.

Every optimizer follows the update rule and the default hyperparameters
documented for the matching ``torch.optim`` class, restricted to the
options this project uses (no weight decay, no dampening, no ``maximize``,
no AMSGrad, no centred RMSprop, no Adagrad learning-rate decay):

========== ======================================= ==================================
name       torch equivalent                        state (``state_names``)
========== ======================================= ==================================
gd         ``SGD(lr)``                             none
momentum   ``SGD(lr, momentum=0.9)``               ``velocity``
nesterov   ``SGD(lr, momentum=0.9, nesterov=True)`` ``velocity``
adagrad    ``Adagrad(lr=1e-2, eps=1e-10)``         ``sum_sq``
rmsprop    ``RMSprop(lr=1e-2, alpha=0.99)``        ``square_avg``
adam       ``Adam(lr=1e-3, betas=(0.9, 0.999))``   ``m``, ``v``
========== ======================================= ==================================

Pure functions (the shape optax uses)
-------------------------------------
Each optimizer is a pair of pure functions, nothing changed in place::

    state = opt.init(params)                                   # OptState
    step, state, internals = opt.update(grad, state, params)   # theta_{k+1} = params + step

``opt.update`` calls the module-level rule (``gd_update``, ``adam_update``, ...)
with the optimizer's hyperparameters: ``rule(grad, state, params, hyper)``.
An :class:`OptState` holds the step count ``k`` (torch's ``t = k + 1``, used by
Adam's bias correction) and one array per name in ``state_names``; an update
returns a new one and never writes into the arrays it was given.

The older stateful form ``opt.step(params, grad, state_dict, k)`` (returns
:math:`\theta_{k+1}` and replaces the entries of ``state_dict``) is kept for
callers; it runs the same rule.

Step-index convention
---------------------
``k`` is **0-based**: ``k = 0`` is the first update, from :math:`\theta_0`
with :math:`g_0 = \nabla f(\theta_0)` to :math:`\theta_1`.  The ``rule_latex``
strings use the same indexing.

All arithmetic is element-wise, so ``params`` may be ``(2,)`` or ``(N, 2)``
(or any shape, as long as ``grad`` and the state arrays have the same shape).
No Python loop over points is ever made.

Examples
--------
>>> import numpy as np
>>> opt = make_optimizer("adam", lr=0.1)
>>> opt.hyperparams
{'lr': 0.1, 'betas': (0.9, 0.999), 'eps': 1e-08}
>>> p = np.array([[1.0, -1.0]])
>>> step, state, internals = opt.update(np.array([[2.0, -3.0]]), opt.init(p), p)
>>> (p + step).round(6), state.count
(array([[ 0.9, -0.9]]), 1)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdscenes.suggest import closest

__all__ = [
    "Optimizer",
    "GD",
    "Momentum",
    "Nesterov",
    "Adagrad",
    "RMSprop",
    "Adam",
    "OPTIMIZERS",
    "make_optimizer",
    "OptState",
    "Hyper",
    "Update",
    "init_state",
    "gd_update",
    "momentum_update",
    "nesterov_update",
    "adagrad_update",
    "rmsprop_update",
    "adam_update",
    "AdamW",
    "Adamax",
    "NAdam",
    "RAdam",
    "Adadelta",
    "Lion",
    "Newton",
    "adamw_update",
    "adamax_update",
    "nadam_update",
    "radam_update",
    "adadelta_update",
    "lion_update",
    "newton_update",
    "nadam_mu",
    "nadam_mu_product",
    "radam_rho",
]

Array: TypeAlias = NDArray[np.float64]
#: a hyperparameter value: a number, or Adam's pair of betas
HyperValue: TypeAlias = "float | tuple[float, float]"
#: effective hyperparameters of an optimizer, ``lr`` included (:attr:`Optimizer.hyperparams`)
Hyper: TypeAlias = Mapping[str, HyperValue]


@dataclass(frozen=True)
class OptState:
    """Optimizer state: updates taken so far and one array per state name.

    Attributes
    ----------
    count : int
        Number of updates already taken, i.e. the 0-based index ``k`` of the
        next update (torch's step counter is ``count + 1`` during it).
    arrays : Mapping[str, ndarray]
        One array shaped like the parameters per name in the optimizer's
        ``state_names`` (empty for gd).  Never written to.
    """

    count: int
    arrays: Mapping[str, Array]


#: what an update returns: (step to add to the parameters, new state, internals)
Update: TypeAlias = tuple[Array, OptState, dict[str, Array]]
#: the signature of a pure update rule
Rule: TypeAlias = Callable[[Array, OptState, Array, Hyper], Update]


def init_state(names: tuple[str, ...], params: ArrayLike) -> OptState:
    """Zero state for the names ``names``, shaped like ``params``, count 0."""
    p = np.asarray(params, dtype=np.float64)
    return OptState(0, {n: np.zeros_like(p) for n in names})


def _num(hyper: Hyper, key: str) -> float:
    value = hyper[key]
    if isinstance(value, tuple):
        raise TypeError(f"hyperparameter {key} must be a number, got {value!r}")
    return value


def _pair(hyper: Hyper, key: str) -> tuple[float, float]:
    value = hyper[key]
    if not isinstance(value, tuple):
        raise TypeError(f"hyperparameter {key} must be a pair, got {value!r}")
    return value


# --------------------------------------------------------------------------- #
# the update rules (pure; ``state.arrays`` and the inputs are never written to)
# --------------------------------------------------------------------------- #
def gd_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""Gradient descent: step :math:`-\eta g_k`."""
    lr = _num(hyper, "lr")
    step = -(lr * grad)
    return step, OptState(state.count + 1, {}), {"precond": np.full(np.shape(params), lr)}


def _velocity(grad: Array, state: OptState, hyper: Hyper) -> Array:
    # torch: b_1 = g_1, then b_t = mu * b_{t-1} + g_t (dampening = 0).
    # With a zero-initialised buffer mu * 0 + g_1 == g_1 exactly, so one
    # formula covers both cases.
    v: Array = _num(hyper, "momentum") * state.arrays["velocity"] + grad
    return v


def momentum_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""Heavy ball: :math:`v_{k+1} = \mu v_k + g_k`, step :math:`-\eta v_{k+1}`."""
    lr = _num(hyper, "lr")
    v = _velocity(grad, state, hyper)
    return -(lr * v), OptState(state.count + 1, {"velocity": v}), {"precond": np.full(np.shape(params), lr)}


def nesterov_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""Nesterov (torch's form): step :math:`-\eta (g_k + \mu v_{k+1})`."""
    lr = _num(hyper, "lr")
    v = _velocity(grad, state, hyper)
    step = -(lr * (grad + _num(hyper, "momentum") * v))
    return step, OptState(state.count + 1, {"velocity": v}), {"precond": np.full(np.shape(params), lr)}


def adagrad_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""Adagrad: :math:`G_{k+1} = G_k + g_k^2`, step :math:`-\eta g_k / (\sqrt{G_{k+1}} + \epsilon)`."""
    lr, eps = _num(hyper, "lr"), _num(hyper, "eps")
    s = state.arrays["sum_sq"] + grad * grad
    std = np.sqrt(s) + eps
    # torch: clr = lr / (1 + (t - 1) * lr_decay) = lr with lr_decay = 0
    return -(lr * (grad / std)), OptState(state.count + 1, {"sum_sq": s}), _adagrad_internals(s, hyper)


def _adagrad_internals(sum_sq: Array, hyper: Hyper) -> dict[str, Array]:
    return {"precond": _num(hyper, "lr") / (np.sqrt(sum_sq) + _num(hyper, "eps"))}


def rmsprop_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""RMSprop: :math:`v_{k+1} = \alpha v_k + (1-\alpha) g_k^2`, step :math:`-\eta g_k / (\sqrt{v_{k+1}} + \epsilon)`."""
    lr, alpha, eps = _num(hyper, "lr"), _num(hyper, "alpha"), _num(hyper, "eps")
    sa = alpha * state.arrays["square_avg"] + (1.0 - alpha) * (grad * grad)
    avg = np.sqrt(sa) + eps
    return -(lr * (grad / avg)), OptState(state.count + 1, {"square_avg": sa}), _rmsprop_internals(sa, hyper)


def _rmsprop_internals(square_avg: Array, hyper: Hyper) -> dict[str, Array]:
    return {"precond": _num(hyper, "lr") / (np.sqrt(square_avg) + _num(hyper, "eps"))}


def adam_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""Adam in torch's arithmetic (bias corrections folded into the step size and the denominator)."""
    lr, eps = _num(hyper, "lr"), _num(hyper, "eps")
    beta1, beta2 = _pair(hyper, "betas")
    t = state.count + 1
    m = beta1 * state.arrays["m"] + (1.0 - beta1) * grad
    v = beta2 * state.arrays["v"] + (1.0 - beta2) * (grad * grad)
    bias_correction1 = 1.0 - beta1**t
    bias_correction2 = 1.0 - beta2**t
    step_size = lr / bias_correction1
    denom = np.sqrt(v) / math.sqrt(bias_correction2) + eps
    return -(step_size * (m / denom)), OptState(t, {"m": m, "v": v}), _adam_internals(m, v, t, hyper)


def _adam_internals(m: Array, v: Array, t: int, hyper: Hyper) -> dict[str, Array]:
    """Bias-corrected moments and the effective step ``lr / (sqrt(v_hat) + eps)`` (textbook form)."""
    beta1, beta2 = _pair(hyper, "betas")
    m_hat = m / (1.0 - beta1**t)
    v_hat = v / (1.0 - beta2**t)
    return {"m_hat": m_hat, "v_hat": v_hat, "precond": _num(hyper, "lr") / (np.sqrt(v_hat) + _num(hyper, "eps"))}


# --------------------------------------------------------------------------- #
# the newer rules (torch.optim's arithmetic; every hyperparameter by its torch keyword)
# --------------------------------------------------------------------------- #
def _l2(grad: Array, params: Array, hyper: Hyper) -> Array:
    """torch's coupled weight decay: ``g + weight_decay * theta`` (``g`` itself, untouched, when it is 0)."""
    wd = _num(hyper, "weight_decay")
    return grad + wd * params if wd != 0.0 else grad


def _lr_full(params: Array, hyper: Hyper) -> dict[str, Array]:
    return {"precond": np.full(np.shape(params), _num(hyper, "lr"))}


def adamw_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""AdamW (torch): :math:`\theta \leftarrow \theta (1 - \eta\lambda)`, then Adam's step (decoupled weight decay)."""
    lr, wd = _num(hyper, "lr"), _num(hyper, "weight_decay")
    step, new, internals = adam_update(grad, state, params, hyper)
    return step - (lr * wd) * params, new, internals


def _adamax_internals(exp_inf: Array, t: int, hyper: Hyper) -> dict[str, Array]:
    beta1, _ = _pair(hyper, "betas")
    return {"precond": (_num(hyper, "lr") / (1.0 - beta1**t)) / exp_inf}


def adamax_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""Adamax (torch): :math:`u_{k+1} = \max(\beta_2 u_k, |g_k| + \epsilon)`.

    The step is :math:`-\eta m_{k+1} / ((1-\beta_1^t) u_{k+1})`.
    """
    lr, eps = _num(hyper, "lr"), _num(hyper, "eps")
    beta1, beta2 = _pair(hyper, "betas")
    t = state.count + 1
    g = _l2(grad, params, hyper)
    m = beta1 * state.arrays["m"] + (1.0 - beta1) * g
    u = np.maximum(beta2 * state.arrays["u"], np.abs(g) + eps)
    clr = lr / (1.0 - beta1**t)
    return -(clr * (m / u)), OptState(t, {"m": m, "u": u}), _adamax_internals(u, t, hyper)


def nadam_mu(t: int, hyper: Hyper) -> float:
    r"""NAdam's momentum coefficient :math:`\mu_t = \beta_1 (1 - \tfrac12 \, 0.96^{t \psi})` (``psi = momentum_decay``)."""
    beta1, _ = _pair(hyper, "betas")
    return float(beta1 * (1.0 - 0.5 * 0.96 ** (t * _num(hyper, "momentum_decay"))))


def nadam_mu_product(t: int, hyper: Hyper) -> float:
    r""":math:`\prod_{i=1}^{t} \mu_i` (torch keeps it as the state ``mu_product``; here it is a function of ``t``)."""
    prod = 1.0
    for i in range(1, t + 1):
        prod *= nadam_mu(i, hyper)
    return prod


def _nadam_denom(v: Array, t: int, hyper: Hyper) -> Array:
    _, beta2 = _pair(hyper, "betas")
    d: Array = np.sqrt(v / (1.0 - beta2**t)) + _num(hyper, "eps")
    return d


def nadam_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""NAdam (torch): Nesterov-style Adam with the momentum schedule :math:`\mu_t`."""
    lr = _num(hyper, "lr")
    beta1, beta2 = _pair(hyper, "betas")
    t = state.count + 1
    g = _l2(grad, params, hyper)
    mu, mu_next = nadam_mu(t, hyper), nadam_mu(t + 1, hyper)
    mu_product = nadam_mu_product(t, hyper)
    m = beta1 * state.arrays["m"] + (1.0 - beta1) * g
    v = beta2 * state.arrays["v"] + (1.0 - beta2) * (g * g)
    denom = _nadam_denom(v, t, hyper)
    step = -(lr * (1.0 - mu) / (1.0 - mu_product)) * (g / denom)
    step = step - (lr * mu_next / (1.0 - mu_product * mu_next)) * (m / denom)
    return step, OptState(t, {"m": m, "v": v}), {"precond": lr / denom}


def radam_rho(t: int, hyper: Hyper) -> tuple[float, float]:
    r"""RAdam's :math:`(\rho_\infty, \rho_t)`.

    :math:`\rho_\infty = 2/(1-\beta_2) - 1`, :math:`\rho_t = \rho_\infty - 2 t \beta_2^t / (1 - \beta_2^t)`.
    """
    _, beta2 = _pair(hyper, "betas")
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    return rho_inf, rho_inf - 2.0 * t * (beta2**t) / (1.0 - beta2**t)


def _radam_precond(v: Array, t: int, hyper: Hyper) -> Array:
    """The factor RAdam multiplies the bias-corrected momentum by (``lr`` alone while ``rho_t <= 5``)."""
    lr, eps = _num(hyper, "lr"), _num(hyper, "eps")
    _, beta2 = _pair(hyper, "betas")
    rho_inf, rho_t = radam_rho(t, hyper)
    if rho_t > 5.0:
        rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        adaptive = math.sqrt(1.0 - beta2**t) / (np.sqrt(v) + eps)
        p: Array = lr * rect * adaptive
        return p
    return np.full(np.shape(v), lr)


def radam_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""RAdam (torch): Adam with the variance rectification, plain momentum SGD while :math:`\rho_t \le 5`."""
    beta1, beta2 = _pair(hyper, "betas")
    t = state.count + 1
    g = _l2(grad, params, hyper)
    m = beta1 * state.arrays["m"] + (1.0 - beta1) * g
    v = beta2 * state.arrays["v"] + (1.0 - beta2) * (g * g)
    m_hat = m / (1.0 - beta1**t)
    precond = _radam_precond(v, t, hyper)
    return -(m_hat * precond), OptState(t, {"m": m, "v": v}), {"precond": precond}


def adadelta_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""Adadelta (torch): :math:`v \leftarrow \rho v + (1-\rho) g^2`, :math:`\Delta = \sqrt{u + \epsilon}/\sqrt{v + \epsilon}\,g`.

    Then :math:`u \leftarrow \rho u + (1-\rho)\Delta^2`, and the step is :math:`-\eta \Delta`.
    """
    lr, rho, eps = _num(hyper, "lr"), _num(hyper, "rho"), _num(hyper, "eps")
    g = _l2(grad, params, hyper)
    v = rho * state.arrays["square_avg"] + (1.0 - rho) * (g * g)
    std = np.sqrt(v + eps)
    ratio = np.sqrt(state.arrays["acc_delta"] + eps) / std
    delta = ratio * g
    u = rho * state.arrays["acc_delta"] + (1.0 - rho) * (delta * delta)
    return -(lr * delta), OptState(state.count + 1, {"square_avg": v, "acc_delta": u}), _lr_full(params, hyper)


def lion_update(grad: Array, state: OptState, params: Array, hyper: Hyper) -> Update:
    r"""Lion (Chen et al. 2023): :math:`c = \beta_1 m + (1-\beta_1) g`, step :math:`-\eta(\mathrm{sign}(c) + \lambda\theta)`.

    Then :math:`m \leftarrow \beta_2 m + (1-\beta_2) g`.
    """
    lr, wd = _num(hyper, "lr"), _num(hyper, "weight_decay")
    beta1, beta2 = _pair(hyper, "betas")
    m = state.arrays["m"]
    c = beta1 * m + (1.0 - beta1) * grad
    direction = np.sign(c) + wd * params if wd != 0.0 else np.sign(c)
    new_m = beta2 * m + (1.0 - beta2) * grad
    return -(lr * direction), OptState(state.count + 1, {"m": new_m}), _lr_full(params, hyper)


#: a damped Hessian whose condition number exceeds this is singular for Newton's method
NEWTON_MAX_CONDITION: float = 1e14


def newton_update(grad: Array, state: OptState, params: Array, hyper: Hyper, hessian: Array | None = None) -> Update:
    r"""Newton's method: step :math:`-\eta (H + \lambda I)^{-1} \nabla f` with the exact Hessian ``hessian`` (``(..., d, d)``).

    Where :math:`H + \lambda I` is singular (condition number above
    :data:`NEWTON_MAX_CONDITION`, or not finite) the step is NaN, which the
    runner reads as a diverged point (the step is never taken).
    """
    if hessian is None:
        raise ValueError("newton needs the Hessian of the loss (the runner passes it)")
    lr, damping = _num(hyper, "lr"), _num(hyper, "damping")
    g = np.asarray(grad, dtype=np.float64)
    d = g.shape[-1]
    a = np.asarray(hessian, dtype=np.float64) + damping * np.eye(d)
    a = np.broadcast_to(a, g.shape + (d,))
    flat_a, flat_g = a.reshape(-1, d, d), g.reshape(-1, d)
    step = np.full(flat_g.shape, np.nan)
    with np.errstate(all="ignore"):
        finite = np.isfinite(flat_a).all(axis=(1, 2)) & np.isfinite(flat_g).all(axis=1)
        cond = np.full(flat_g.shape[0], np.inf)
        if finite.any():
            cond[finite] = np.linalg.cond(flat_a[finite])
        ok = finite & (cond <= NEWTON_MAX_CONDITION)
        if ok.any():
            step[ok] = -lr * np.linalg.solve(flat_a[ok], flat_g[ok][..., None])[..., 0]
    return step.reshape(g.shape), OptState(state.count + 1, {}), _lr_full(params, hyper)

# --------------------------------------------------------------------------- #
# validation helpers (one-line ValueError messages naming parameter and value)
# --------------------------------------------------------------------------- #
def show_value(value: object) -> str:
    """Short, exact text for a value in an error message."""
    return repr(value) if isinstance(value, (float, str)) else str(value)


def real_number(label: str, value: object) -> float:
    """Return ``value`` as a finite Python float or raise ``ValueError``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{label} must be a real number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{label} must be finite, got {show_value(v)}")
    return v


def _positive(label: str, value: object) -> float:
    v = real_number(label, value)
    if v <= 0.0:
        raise ValueError(f"{label} must be positive, got {show_value(v)}")
    return v


def _unit_interval(label: str, value: object) -> float:
    """A value in the half-open interval [0, 1)."""
    v = real_number(label, value)
    if not 0.0 <= v < 1.0:
        raise ValueError(f"{label} must be in [0, 1), got {show_value(v)}")
    return v


def _check_k(k: object) -> int:
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral) or k < 0:
        raise ValueError(f"step index k must be a non-negative int, got {k!r}")
    return int(k)


# --------------------------------------------------------------------------- #
# base class
# --------------------------------------------------------------------------- #
class Optimizer:
    r"""An optimizer: validated hyperparameters bound to a pure update rule.

    Subclasses set the class attributes below (``rule`` is the pure update
    function) and, when they take hyperparameters besides ``lr``,
    ``_set_hyper`` and ``hyperparams``.

    Parameters
    ----------
    lr : float, optional
        Learning rate :math:`\eta` (> 0, finite).  ``None`` uses the class
        default (torch's default).
    **hyper
        Optimizer-specific hyperparameters (see ``defaults``); a value of
        ``None`` means "use the default".  Unknown names raise ``ValueError``
        listing the allowed ones.

    Attributes
    ----------
    name : str
        Registry key, e.g. ``"adam"`` (what :class:`~gdscenes.core.trajectory.Trajectory`
        stores in ``optimizer``).
    label : str
        Human name for titles, e.g. ``"Adam"``.
    rule_latex : str
        The update rule as one line of LaTeX (no ``$``), usable inside any
        math environment; made from ``rule_latex_lines``.
    rule_latex_lines : tuple of str
        The same rule split into lines aligned with ``&`` for an ``align*``
        environment (manim's ``MathTex`` default); join with ``r" \\ "``.
    state_names : tuple of str
        Keys of the state arrays (:attr:`OptState.arrays`).
    internal_names : tuple of str
        Keys of the internals an update returns (derived, per-coordinate quantities).
    defaults : Mapping[str, HyperValue]
        Default hyperparameters, ``lr`` included.
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    rule_latex: ClassVar[str] = ""
    rule_latex_lines: ClassVar[tuple[str, ...]] = ()
    state_names: ClassVar[tuple[str, ...]] = ()
    internal_names: ClassVar[tuple[str, ...]] = ("precond",)
    defaults: ClassVar[Mapping[str, HyperValue]] = MappingProxyType({"lr": 1e-3})
    #: the pure update rule, ``rule(grad, state, params, hyper)``
    rule: ClassVar[Rule]
    #: whether the rule takes the exact Hessian (newton)
    needs_hessian: ClassVar[bool] = False
    #: accepted alternative spellings -> handled in ``_set_hyper``
    _aliases: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.rule_latex_lines:
            cls.rule_latex = r", \quad ".join(line.replace("&", "") for line in cls.rule_latex_lines)

    def __init__(self, lr: float | None = None, **hyper: object) -> None:
        self.lr: float = _positive("learning rate", self.defaults["lr"] if lr is None else lr)
        allowed = [k for k in self.defaults if k != "lr"] + list(self._aliases)
        # ``None`` means "use the default", so front ends can pass unset options
        given = {k: v for k, v in hyper.items() if v is not None}
        for key in given:
            if key not in allowed:
                choices = ", ".join(["lr", *allowed])
                close = closest(key, ["lr", *allowed])
                hint = f" (did you mean {close!r}?)" if close else ""
                raise ValueError(f"unknown hyperparameter {key!r} for optimizer {self.name!r}{hint}; allowed: {choices}")
        self._set_hyper(given)

    # subclasses override to validate and store their hyperparameters
    def _set_hyper(self, hyper: dict[str, object]) -> None:
        """Validate and store hyperparameters other than ``lr``."""

    @property
    def hyperparams(self) -> dict[str, HyperValue]:
        """Full dict of the effective hyperparameters, ``lr`` first."""
        return {"lr": self.lr}

    @classmethod
    def default_hyperparams(cls) -> dict[str, HyperValue]:
        """A fresh copy of the default hyperparameters (``lr`` included)."""
        return dict(cls.defaults)

    # ------------------------------------------------------------------ #
    # the pure interface
    # ------------------------------------------------------------------ #
    def init(self, params: ArrayLike) -> OptState:
        """Zero state shaped like ``params`` (``(2,)`` or ``(N, 2)``), count 0."""
        return init_state(self.state_names, params)

    def update(
        self, grad: ArrayLike, state: OptState, params: ArrayLike, *, lr: float | None = None, hessian: ArrayLike | None = None
    ) -> Update:
        r"""One update from :math:`\theta_k` = ``params`` with gradient ``grad``, pure.

        ``lr`` replaces the learning rate for this update only (a schedule's
        :math:`\eta_k`); ``hessian`` (``params.shape + (d,)``) is the exact
        Hessian at ``params``, needed by optimizers with ``needs_hessian``
        (newton) and ignored by the others.

        Returns
        -------
        step : ndarray
            :math:`\theta_{k+1} - \theta_k`, so that ``params + step`` is the new iterate.
        new_state : OptState
            The state after the update (``count`` one higher); ``state`` is unchanged.
        internals : dict[str, ndarray]
            Derived quantities of this update, keys ``internal_names``:
            ``precond`` is the effective per-coordinate step, the factor the
            update multiplies its direction by (``lr`` for gd and momentum,
            ``lr / (sqrt(v_hat) + eps)`` for Adam); Adam also gives the
            bias-corrected moments ``m_hat`` and ``v_hat``.
        """
        g = np.asarray(grad, dtype=np.float64)
        p = np.asarray(params, dtype=np.float64)
        hyper = self.hyperparams if lr is None else {**self.hyperparams, "lr": float(lr)}
        if self.needs_hessian:
            return type(self).rule(g, state, p, hyper, hessian)  # type: ignore[call-arg]
        return type(self).rule(g, state, p, hyper)

    # ------------------------------------------------------------------ #
    # the stateful interface, kept for callers (runs the pure rule)
    # ------------------------------------------------------------------ #
    def init_state(self, params: ArrayLike) -> dict[str, Array]:
        """Zero-initialised state arrays shaped like ``params``, one per name in ``state_names``."""
        return dict(self.init(params).arrays)

    def step(self, params: ArrayLike, grad: ArrayLike, state: dict[str, Array], k: int) -> Array:
        r"""One update :math:`\theta_k \to \theta_{k+1}`, returning :math:`\theta_{k+1}` (a new array).

        ``state`` (from :meth:`init_state` or a previous step) is updated in
        place: each entry is *replaced* by a new array (arrays previously
        stored in the dict are never written to, so callers may keep them as
        history).  ``k`` is the 0-based index of the update (torch's step
        counter is ``k + 1``).
        """
        k = _check_k(k)
        p = np.asarray(params, dtype=np.float64)
        step, new, _ = self.update(grad, OptState(k, dict(state)), p)
        state.update(new.arrays)
        result: Array = p + step
        return result

    def internals(self, params: ArrayLike, state: Mapping[str, Array], k: int) -> dict[str, Array]:
        r"""Derived quantities of update ``k`` at ``params``, read from the state that update produced.

        The same values :meth:`update` returns as its third item.
        """
        t = _check_k(k) + 1
        return self._internals(np.asarray(params, dtype=np.float64), state, t)

    def _internals(self, params: Array, state: Mapping[str, Array], t: int) -> dict[str, Array]:
        return {"precond": np.full(np.shape(params), self.lr)}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparams.items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Optimizer)
        return self.hyperparams == other.hyperparams

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(self.hyperparams.items())))


# --------------------------------------------------------------------------- #
# the optimizers
# --------------------------------------------------------------------------- #
class GD(Optimizer):
    r"""Plain gradient descent, ``torch.optim.SGD(lr)``.

    Update rule::

        theta_{k+1} = theta_k - lr * grad f(theta_k)

    .. math:: \theta_{k+1} = \theta_k - \eta \nabla f(\theta_k)

    Defaults: ``lr=1e-3`` (torch >= 2.2's SGD default).  State: none.
    """

    name = "gd"
    label = "Gradient descent"
    rule_latex_lines = (r"\theta_{k+1} &= \theta_k - \eta \nabla f(\theta_k)",)
    state_names = ()
    defaults = MappingProxyType({"lr": 1e-3})
    rule = gd_update


class _SGDMomentumBase(Optimizer):
    defaults = MappingProxyType({"lr": 1e-3, "momentum": 0.9})
    state_names = ("velocity",)

    def _set_hyper(self, hyper: dict[str, object]) -> None:
        self.momentum: float = _unit_interval("momentum", hyper.get("momentum", self.defaults["momentum"]))

    @property
    def hyperparams(self) -> dict[str, HyperValue]:
        return {"lr": self.lr, "momentum": self.momentum}


class Momentum(_SGDMomentumBase):
    r"""Heavy-ball momentum, ``torch.optim.SGD(lr, momentum=0.9, dampening=0)``.

    Update rule (``v_0 = 0``, so ``v_1 = grad f(theta_0)`` as in torch)::

        v_{k+1}     = momentum * v_k + grad f(theta_k)
        theta_{k+1} = theta_k - lr * v_{k+1}

    .. math::
        v_{k+1} = \mu v_k + \nabla f(\theta_k), \quad
        \theta_{k+1} = \theta_k - \eta v_{k+1}

    Defaults: ``lr=1e-3``, ``momentum=0.9`` (torch's momentum default is 0;
    0.9 is this project's choice).  ``momentum`` must lie in [0, 1).
    State: ``velocity`` (torch's ``momentum_buffer``).
    """

    name = "momentum"
    label = "Momentum"
    rule_latex_lines = (
        r"v_{k+1} &= \mu v_k + \nabla f(\theta_k)",
        r"\theta_{k+1} &= \theta_k - \eta\, v_{k+1}",
    )
    rule = momentum_update


class Nesterov(_SGDMomentumBase):
    r"""Nesterov momentum, ``torch.optim.SGD(lr, momentum=0.9, nesterov=True)``.

    Update rule (torch's formulation; ``v_0 = 0``)::

        v_{k+1}     = momentum * v_k + grad f(theta_k)
        theta_{k+1} = theta_k - lr * (grad f(theta_k) + momentum * v_{k+1})

    .. math::
        v_{k+1} = \mu v_k + \nabla f(\theta_k), \quad
        \theta_{k+1} = \theta_k - \eta \left(\nabla f(\theta_k) + \mu v_{k+1}\right)

    Defaults: ``lr=1e-3``, ``momentum=0.9``.  ``momentum`` must lie in
    [0, 1) (``momentum=0`` reduces to plain GD).  State: ``velocity``.
    """

    name = "nesterov"
    label = "Nesterov momentum"
    rule_latex_lines = (
        r"v_{k+1} &= \mu v_k + \nabla f(\theta_k)",
        r"\theta_{k+1} &= \theta_k - \eta \left(\nabla f(\theta_k) + \mu v_{k+1}\right)",
    )
    rule = nesterov_update


class Adagrad(Optimizer):
    r"""Adagrad, ``torch.optim.Adagrad(lr=1e-2, lr_decay=0, eps=1e-10)``.

    Update rule (element-wise; ``G_0 = 0`` = ``initial_accumulator_value``)::

        g_k         = grad f(theta_k)
        G_{k+1}     = G_k + g_k**2
        theta_{k+1} = theta_k - lr * g_k / (sqrt(G_{k+1}) + eps)

    .. math::
        G_{k+1} = G_k + g_k^2, \quad
        \theta_{k+1} = \theta_k - \frac{\eta\, g_k}{\sqrt{G_{k+1}} + \epsilon}

    Defaults: ``lr=1e-2``, ``eps=1e-10``; ``lr_decay=0`` and
    ``initial_accumulator_value=0`` are fixed.  State: ``sum_sq``
    (torch's ``sum``).
    """

    name = "adagrad"
    label = "Adagrad"
    rule_latex_lines = (
        r"g_k &= \nabla f(\theta_k)",
        r"G_{k+1} &= G_k + g_k^2",
        r"\theta_{k+1} &= \theta_k - \frac{\eta\, g_k}{\sqrt{G_{k+1}} + \epsilon}",
    )
    state_names = ("sum_sq",)
    defaults = MappingProxyType({"lr": 1e-2, "eps": 1e-10})
    rule = adagrad_update

    def _set_hyper(self, hyper: dict[str, object]) -> None:
        self.eps: float = _positive("eps", hyper.get("eps", self.defaults["eps"]))

    @property
    def hyperparams(self) -> dict[str, HyperValue]:
        return {"lr": self.lr, "eps": self.eps}

    def _internals(self, params: Array, state: Mapping[str, Array], t: int) -> dict[str, Array]:
        return _adagrad_internals(state["sum_sq"], self.hyperparams)


class RMSprop(Optimizer):
    r"""RMSprop, ``torch.optim.RMSprop(lr=1e-2, alpha=0.99, eps=1e-8)``.

    Update rule (element-wise; ``v_0 = 0``; momentum=0, centered=False)::

        g_k         = grad f(theta_k)
        v_{k+1}     = alpha * v_k + (1 - alpha) * g_k**2
        theta_{k+1} = theta_k - lr * g_k / (sqrt(v_{k+1}) + eps)

    .. math::
        v_{k+1} = \alpha v_k + (1-\alpha) g_k^2, \quad
        \theta_{k+1} = \theta_k - \frac{\eta\, g_k}{\sqrt{v_{k+1}} + \epsilon}

    Defaults: ``lr=1e-2``, ``alpha=0.99``, ``eps=1e-8``.  ``alpha`` must lie
    in [0, 1).  State: ``square_avg``.
    """

    name = "rmsprop"
    label = "RMSprop"
    rule_latex_lines = (
        r"g_k &= \nabla f(\theta_k)",
        r"v_{k+1} &= \alpha v_k + (1-\alpha)\, g_k^2",
        r"\theta_{k+1} &= \theta_k - \frac{\eta\, g_k}{\sqrt{v_{k+1}} + \epsilon}",
    )
    state_names = ("square_avg",)
    defaults = MappingProxyType({"lr": 1e-2, "alpha": 0.99, "eps": 1e-8})
    rule = rmsprop_update

    def _set_hyper(self, hyper: dict[str, object]) -> None:
        self.alpha: float = _unit_interval("alpha", hyper.get("alpha", self.defaults["alpha"]))
        self.eps: float = _positive("eps", hyper.get("eps", self.defaults["eps"]))

    @property
    def hyperparams(self) -> dict[str, HyperValue]:
        return {"lr": self.lr, "alpha": self.alpha, "eps": self.eps}

    def _internals(self, params: Array, state: Mapping[str, Array], t: int) -> dict[str, Array]:
        return _rmsprop_internals(state["square_avg"], self.hyperparams)


class Adam(Optimizer):
    r"""Adam, ``torch.optim.Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8)``.

    Update rule (element-wise; ``m_0 = v_0 = 0``; torch step ``t = k + 1``)::

        g_k         = grad f(theta_k)
        m_{k+1}     = beta1 * m_k + (1 - beta1) * g_k
        v_{k+1}     = beta2 * v_k + (1 - beta2) * g_k**2
        step_size   = lr / (1 - beta1**t)
        denom       = sqrt(v_{k+1}) / sqrt(1 - beta2**t) + eps
        theta_{k+1} = theta_k - step_size * m_{k+1} / denom

    which is the textbook form with bias-corrected moments
    ``m_hat = m / (1 - beta1**t)``, ``v_hat = v / (1 - beta2**t)``:

    .. math::
        \theta_{k+1} = \theta_k - \eta \frac{\hat m_{k+1}}{\sqrt{\hat v_{k+1}} + \epsilon}

    The first update moves each coordinate by almost exactly
    ``lr * sign(g_0)``.  Its internals are ``m_hat``, ``v_hat`` and
    ``precond = lr / (sqrt(v_hat) + eps)``: the update is ``-precond * m_hat``
    (textbook form; torch's arithmetic differs from it only by rounding).

    Defaults: ``lr=1e-3``, ``betas=(0.9, 0.999)``, ``eps=1e-8``; no weight
    decay, ``amsgrad=False``.  Each beta must lie in [0, 1).  ``beta1=`` and
    ``beta2=`` are accepted as aliases that set one entry of ``betas``.
    State: ``m`` (torch's ``exp_avg``) and ``v`` (``exp_avg_sq``).
    """

    name = "adam"
    label = "Adam"
    rule_latex_lines = (
        r"g_k &= \nabla f(\theta_k)",
        r"m_{k+1} &= \beta_1 m_k + (1-\beta_1)\, g_k",
        r"v_{k+1} &= \beta_2 v_k + (1-\beta_2)\, g_k^2",
        r"\hat m_{k+1} &= \frac{m_{k+1}}{1-\beta_1^{k+1}}, \quad "
        r"\hat v_{k+1} = \frac{v_{k+1}}{1-\beta_2^{k+1}}",
        r"\theta_{k+1} &= \theta_k - \eta \frac{\hat m_{k+1}}{\sqrt{\hat v_{k+1}} + \epsilon}",
    )
    state_names = ("m", "v")
    internal_names = ("m_hat", "v_hat", "precond")
    defaults = MappingProxyType({"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8})
    rule = adam_update
    _aliases = ("beta1", "beta2")

    def _set_hyper(self, hyper: dict[str, object]) -> None:
        betas = hyper.get("betas", self.defaults["betas"])
        if "betas" in hyper and ("beta1" in hyper or "beta2" in hyper):
            raise ValueError("give either betas or beta1/beta2, not both")
        if not isinstance(betas, Sequence) or isinstance(betas, (str, bytes)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas: tuple[float, float] = (
            _unit_interval("beta1", hyper.get("beta1", betas[0])),
            _unit_interval("beta2", hyper.get("beta2", betas[1])),
        )
        self.eps: float = _positive("eps", hyper.get("eps", self.defaults["eps"]))

    @property
    def hyperparams(self) -> dict[str, HyperValue]:
        return {"lr": self.lr, "betas": self.betas, "eps": self.eps}

    def _internals(self, params: Array, state: Mapping[str, Array], t: int) -> dict[str, Array]:
        return _adam_internals(state["m"], state["v"], t, self.hyperparams)


# --------------------------------------------------------------------------- #
# the newer optimizers: hyperparameters validated from one table
# --------------------------------------------------------------------------- #
def _nonnegative(label: str, value: object) -> float:
    v = real_number(label, value)
    if v < 0.0:
        raise ValueError(f"{label} must be >= 0, got {show_value(v)}")
    return v


def _betas(label: str, value: object) -> tuple[float, float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"{label} must be a pair (beta1, beta2), got {value!r}")
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)) or len(value) != 2:
        raise ValueError(f"{label} must be a pair (beta1, beta2), got {value!r}")
    return (_unit_interval("beta1", value[0]), _unit_interval("beta2", value[1]))


#: how each hyperparameter of the newer optimizers is checked, by torch keyword
_CHECKS: dict[str, Callable[[str, object], HyperValue]] = {
    "betas": _betas,
    "eps": _positive,
    "weight_decay": _nonnegative,
    "momentum_decay": _nonnegative,
    "rho": _unit_interval,
    "damping": _nonnegative,
}


class _TableOptimizer(Optimizer):
    """An optimizer whose hyperparameters (besides ``lr``) are the keys of ``defaults``, checked by ``_CHECKS``."""

    def _set_hyper(self, hyper: dict[str, object]) -> None:
        self._hyper: dict[str, HyperValue] = {
            key: _CHECKS[key](key, hyper.get(key, default)) for key, default in self.defaults.items() if key != "lr"
        }

    @property
    def hyperparams(self) -> dict[str, HyperValue]:
        return {"lr": self.lr, **self._hyper}


class AdamW(_TableOptimizer):
    r"""AdamW, ``torch.optim.AdamW(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2)``.

    Update rule (decoupled weight decay, then Adam's step)::

        m_{k+1}     = beta1 * m_k + (1 - beta1) * g_k;  v_{k+1} = beta2 * v_k + (1 - beta2) * g_k**2
        theta_{k+1} = theta_k * (1 - lr * weight_decay)
                      - lr / (1 - beta1**t) * m_{k+1} / (sqrt(v_{k+1}) / sqrt(1 - beta2**t) + eps)

    Defaults: torch's (above); each beta in [0, 1), ``eps > 0``,
    ``weight_decay >= 0``.  State: ``m``, ``v``.
    """

    name = "adamw"
    label = "AdamW"
    rule_latex_lines = (
        r"m_{k+1} &= \beta_1 m_k + (1-\beta_1)\, g_k, \quad v_{k+1} = \beta_2 v_k + (1-\beta_2)\, g_k^2",
        r"\theta_{k+1} &= \theta_k - \eta \lambda \theta_k - \eta \frac{\hat m_{k+1}}{\sqrt{\hat v_{k+1}} + \epsilon}",
    )
    state_names = ("m", "v")
    internal_names = ("m_hat", "v_hat", "precond")
    defaults = MappingProxyType({"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2})
    rule = adamw_update

    def _internals(self, params: Array, state: Mapping[str, Array], t: int) -> dict[str, Array]:
        return _adam_internals(state["m"], state["v"], t, self.hyperparams)


class Adamax(_TableOptimizer):
    r"""Adamax, ``torch.optim.Adamax(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)``.

    Update rule (``g = grad + weight_decay * theta``)::

        m_{k+1}     = beta1 * m_k + (1 - beta1) * g
        u_{k+1}     = max(beta2 * u_k, |g| + eps)
        theta_{k+1} = theta_k - lr / (1 - beta1**t) * m_{k+1} / u_{k+1}

    Defaults: torch's (above).  State: ``m`` (torch's ``exp_avg``), ``u`` (``exp_inf``).
    """

    name = "adamax"
    label = "Adamax"
    rule_latex_lines = (
        r"m_{k+1} &= \beta_1 m_k + (1-\beta_1)\, g_k",
        r"u_{k+1} &= \max(\beta_2 u_k, |g_k| + \epsilon)",
        r"\theta_{k+1} &= \theta_k - \frac{\eta}{1-\beta_1^{k+1}} \frac{m_{k+1}}{u_{k+1}}",
    )
    state_names = ("m", "u")
    defaults = MappingProxyType({"lr": 2e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0})
    rule = adamax_update

    def _internals(self, params: Array, state: Mapping[str, Array], t: int) -> dict[str, Array]:
        return _adamax_internals(state["u"], t, self.hyperparams)


class NAdam(_TableOptimizer):
    r"""NAdam, ``torch.optim.NAdam(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3)``.

    Update rule (``mu_t = beta1 (1 - 0.5 * 0.96**(t * momentum_decay))``)::

        m_{k+1} = beta1 * m_k + (1 - beta1) * g;  v_{k+1} = beta2 * v_k + (1 - beta2) * g**2
        denom   = sqrt(v_{k+1} / (1 - beta2**t)) + eps
        theta_{k+1} = theta_k - lr (1 - mu_t) / (1 - prod_{i<=t} mu_i) * g / denom
                              - lr mu_{t+1} / (1 - prod_{i<=t+1} mu_i) * m_{k+1} / denom

    Defaults: torch's (above), ``momentum_decay`` (psi) = 4e-3.  State: ``m``, ``v`` (torch's
    ``mu_product`` is a function of ``t``: :func:`nadam_mu_product`).
    """

    name = "nadam"
    label = "NAdam"
    rule_latex_lines = (
        r"\mu_t &= \beta_1 \left(1 - \tfrac12\, 0.96^{t \psi}\right)",
        r"\theta_{k+1} &= \theta_k - \eta \frac{(1-\mu_t)\, g_k / (1 - \prod_{i \le t} \mu_i) "
        r"+ \mu_{t+1} m_{k+1} / (1 - \prod_{i \le t+1} \mu_i)}{\sqrt{\hat v_{k+1}} + \epsilon}",
    )
    state_names = ("m", "v")
    defaults = MappingProxyType(
        {"lr": 2e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "momentum_decay": 4e-3}
    )
    rule = nadam_update

    def _internals(self, params: Array, state: Mapping[str, Array], t: int) -> dict[str, Array]:
        return {"precond": self.lr / _nadam_denom(state["v"], t, self.hyperparams)}


class RAdam(_TableOptimizer):
    r"""RAdam, ``torch.optim.RAdam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)``.

    Update rule (``rho_inf = 2 / (1 - beta2) - 1``, ``rho_t = rho_inf - 2 t beta2**t / (1 - beta2**t)``)::

        m_hat = m_{k+1} / (1 - beta1**t)
        if rho_t > 5:  theta_{k+1} = theta_k - lr * m_hat * r_t * sqrt(1 - beta2**t) / (sqrt(v_{k+1}) + eps)
                       r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
        else:          theta_{k+1} = theta_k - lr * m_hat

    Defaults: torch's (above); with the default beta2 the first five updates
    are the un-adapted ones.  State: ``m``, ``v``.
    """

    name = "radam"
    label = "RAdam"
    rule_latex_lines = (
        r"\rho_t &= \rho_\infty - \frac{2 t \beta_2^t}{1-\beta_2^t}",
        r"\theta_{k+1} &= \theta_k - \eta\, \hat m_{k+1} \cdot \begin{cases} r_t / (\sqrt{\hat v_{k+1}} + \epsilon) "
        r"& \rho_t > 5 \\ 1 & \text{else} \end{cases}",
    )
    state_names = ("m", "v")
    defaults = MappingProxyType({"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0})
    rule = radam_update

    def _internals(self, params: Array, state: Mapping[str, Array], t: int) -> dict[str, Array]:
        return {"precond": _radam_precond(state["v"], t, self.hyperparams)}


class Adadelta(_TableOptimizer):
    r"""Adadelta, ``torch.optim.Adadelta(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0)``.

    Update rule::

        v_{k+1}     = rho * v_k + (1 - rho) * g**2
        delta       = sqrt(u_k + eps) / sqrt(v_{k+1} + eps) * g
        u_{k+1}     = rho * u_k + (1 - rho) * delta**2
        theta_{k+1} = theta_k - lr * delta

    Defaults: torch's (above).  State: ``square_avg`` (v), ``acc_delta`` (u).
    """

    name = "adadelta"
    label = "Adadelta"
    rule_latex_lines = (
        r"v_{k+1} &= \rho v_k + (1-\rho)\, g_k^2",
        r"\Delta_k &= \frac{\sqrt{u_k + \epsilon}}{\sqrt{v_{k+1} + \epsilon}}\, g_k",
        r"u_{k+1} &= \rho u_k + (1-\rho)\, \Delta_k^2, \quad \theta_{k+1} = \theta_k - \eta \Delta_k",
    )
    state_names = ("square_avg", "acc_delta")
    defaults = MappingProxyType({"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.0})
    rule = adadelta_update


class Lion(_TableOptimizer):
    r"""Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms").

    Update rule::

        c           = beta1 * m_k + (1 - beta1) * g
        theta_{k+1} = theta_k - lr * (sign(c) + weight_decay * theta_k)
        m_{k+1}     = beta2 * m_k + (1 - beta2) * g

    Defaults: ``lr=1e-4``, ``betas=(0.9, 0.99)``, ``weight_decay=0``. State: ``m``.
    """

    name = "lion"
    label = "Lion"
    rule_latex_lines = (
        r"c_k &= \beta_1 m_k + (1-\beta_1)\, g_k",
        r"\theta_{k+1} &= \theta_k - \eta \left(\operatorname{sign}(c_k) + \lambda \theta_k\right)",
        r"m_{k+1} &= \beta_2 m_k + (1-\beta_2)\, g_k",
    )
    state_names = ("m",)
    defaults = MappingProxyType({"lr": 1e-4, "betas": (0.9, 0.99), "weight_decay": 0.0})
    rule = lion_update


class Newton(_TableOptimizer):
    r"""Newton's method with the exact Hessian.

    Update rule::

        theta_{k+1} = theta_k - lr * (H(theta_k) + damping * I)^-1 grad f(theta_k)

    Defaults: ``lr=1`` (the full Newton step), ``damping=0``.  Where
    ``H + damping * I`` is singular the point stops as diverged (the step is
    never taken).  State: none.
    """

    name = "newton"
    label = "Newton's method"
    rule_latex_lines = (r"\theta_{k+1} &= \theta_k - \eta \left(\nabla^2 f(\theta_k) + \lambda I\right)^{-1} \nabla f(\theta_k)",)
    state_names = ()
    defaults = MappingProxyType({"lr": 1.0, "damping": 0.0})
    rule = newton_update
    needs_hessian = True

# --------------------------------------------------------------------------- #
# registry
# --------------------------------------------------------------------------- #
OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls
    for cls in (GD, Momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW, Adamax, NAdam, RAdam, Adadelta, Lion, Newton)
}


def make_optimizer(name: str, lr: float | None = None, **hyper: object) -> Optimizer:
    """Build an optimizer by registry name.

    Parameters
    ----------
    name : str
        One of ``OPTIMIZERS`` (``gd momentum nesterov adagrad rmsprop adam adamw adamax nadam radam
        adadelta lion newton``);
        case and surrounding whitespace are ignored.
    lr : float, optional
        Learning rate; ``None`` uses the optimizer's default.
    **hyper
        Optimizer-specific hyperparameters.

    Returns
    -------
    Optimizer

    Raises
    ------
    ValueError
        Unknown name (one line, with a close-match suggestion when there is
        one), or an invalid / unknown hyperparameter.
    """
    key = name.strip().lower() if isinstance(name, str) else ""
    if key not in OPTIMIZERS:
        close = closest(key, OPTIMIZERS)
        hint = f" (did you mean {close!r}?)" if close else ""
        raise ValueError(f"unknown optimizer {name!r}{hint}; choose from: {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[key](lr, **hyper)
