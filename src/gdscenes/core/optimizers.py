r"""First-order optimizers on 2-D parameters, vectorised over many points.

Every optimizer follows the update rule and the default hyperparameters
documented for the matching ``torch.optim`` class, restricted to the
options this project uses (no weight decay, no dampening, no ``maximize``,
no AMSGrad, no centred RMSprop, no Adagrad learning-rate decay):

========== ======================================= ==================================
name       torch equivalent                        state (``init_state`` keys)
========== ======================================= ==================================
gd         ``SGD(lr)``                             none
momentum   ``SGD(lr, momentum=0.9)``               ``velocity``
nesterov   ``SGD(lr, momentum=0.9, nesterov=True)`` ``velocity``
adagrad    ``Adagrad(lr=1e-2, eps=1e-10)``         ``sum_sq``
rmsprop    ``RMSprop(lr=1e-2, alpha=0.99)``        ``square_avg``
adam       ``Adam(lr=1e-3, betas=(0.9, 0.999))``   ``m``, ``v``
========== ======================================= ==================================

Step-index convention
---------------------
``step(params, grad, state, k)`` receives the current iterate
:math:`\theta_k` and its gradient :math:`g_k = \nabla f(\theta_k)` and returns
:math:`\theta_{k+1}`.  ``k`` is **0-based**: ``k = 0`` is the first update.
torch's step counter is ``t = k + 1`` (this only matters for Adam's bias
correction).  The ``rule_latex`` strings use the same indexing.

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
>>> s = opt.init_state(p)
>>> opt.step(p, np.array([[2.0, -3.0]]), s, 0).round(6)
array([[ 0.9, -0.9]])
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np

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
]


# --------------------------------------------------------------------------- #
# validation helpers (one-line ValueError messages naming parameter and value)
# --------------------------------------------------------------------------- #
def _fmt(value: Any) -> str:
    """Short, exact text for a value in an error message."""
    if isinstance(value, float):
        return repr(value)
    return repr(value) if isinstance(value, str) else str(value)


def _real(label: str, value: Any) -> float:
    """Return ``value`` as a finite Python float or raise ``ValueError``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{label} must be a real number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{label} must be finite, got {_fmt(v)}")
    return v


def _positive(label: str, value: Any) -> float:
    v = _real(label, value)
    if v <= 0.0:
        raise ValueError(f"{label} must be positive, got {_fmt(v)}")
    return v


def _unit_interval(label: str, value: Any) -> float:
    """A value in the half-open interval [0, 1)."""
    v = _real(label, value)
    if not 0.0 <= v < 1.0:
        raise ValueError(f"{label} must be in [0, 1), got {_fmt(v)}")
    return v


# --------------------------------------------------------------------------- #
# base class
# --------------------------------------------------------------------------- #
class Optimizer:
    r"""Base class of the optimizers.

    Subclasses set the class attributes below and implement :meth:`step`.

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
        Keys of the dict returned by :meth:`init_state`.
    defaults : Mapping[str, Any]
        Default hyperparameters, ``lr`` included.
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    rule_latex: ClassVar[str] = ""
    rule_latex_lines: ClassVar[tuple[str, ...]] = ()
    state_names: ClassVar[tuple[str, ...]] = ()
    defaults: ClassVar[Mapping[str, Any]] = MappingProxyType({"lr": 1e-3})
    #: accepted alternative spellings -> handled in ``_set_hyper``
    _aliases: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.rule_latex_lines:
            cls.rule_latex = r", \quad ".join(line.replace("&", "") for line in cls.rule_latex_lines)

    def __init__(self, lr: float | None = None, **hyper: Any) -> None:
        self.lr: float = _positive(
            "learning rate", self.defaults["lr"] if lr is None else lr
        )
        allowed = [k for k in self.defaults if k != "lr"] + list(self._aliases)
        # ``None`` means "use the default", so front ends can pass unset options
        hyper = {k: v for k, v in hyper.items() if v is not None}
        for key in hyper:
            if key not in allowed:
                choices = ", ".join(["lr", *allowed])
                close = difflib.get_close_matches(key, ["lr", *allowed], n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(
                    f"unknown hyperparameter {key!r} for optimizer {self.name!r}"
                    f"{hint}; allowed: {choices}"
                )
        self._set_hyper(hyper)

    # subclasses override to validate and store their hyperparameters
    def _set_hyper(self, hyper: dict[str, Any]) -> None:
        """Validate and store hyperparameters other than ``lr``."""

    @property
    def hyperparams(self) -> dict[str, Any]:
        """Full dict of the effective hyperparameters, ``lr`` first."""
        return {"lr": self.lr}

    @classmethod
    def default_hyperparams(cls) -> dict[str, Any]:
        """A fresh copy of the default hyperparameters (``lr`` included)."""
        return dict(cls.defaults)

    def init_state(self, params: np.ndarray) -> dict[str, np.ndarray]:
        """Zero-initialised optimizer state shaped like ``params``.

        Parameters
        ----------
        params : ndarray
            Parameters, shape ``(2,)`` or ``(N, 2)``.

        Returns
        -------
        dict[str, ndarray]
            One float64 array of zeros, shaped like ``params``, per name in
            ``state_names`` (empty for plain gradient descent).
        """
        p = np.asarray(params, dtype=np.float64)
        return {n: np.zeros_like(p) for n in self.state_names}

    def step(
        self,
        params: np.ndarray,
        grad: np.ndarray,
        state: dict[str, np.ndarray],
        k: int,
    ) -> np.ndarray:
        r"""One update :math:`\theta_k \to \theta_{k+1}`.

        Parameters
        ----------
        params : ndarray
            Current iterate :math:`\theta_k`, shape ``(2,)`` or ``(N, 2)``.
        grad : ndarray
            :math:`\nabla f(\theta_k)`, same shape as ``params``.
        state : dict[str, ndarray]
            State from :meth:`init_state` or a previous step.  Updated in
            place: each entry is *replaced* by a new array (arrays previously
            stored in the dict are never written to, so callers may keep
            them as history).
        k : int
            0-based index of the current iterate (``0`` for the first update;
            torch's step counter is ``k + 1``).

        Returns
        -------
        ndarray
            :math:`\theta_{k+1}`, a new array.
        """
        raise NotImplementedError

    #: Keys of the dict returned by :meth:`internals` (derived, per-coordinate quantities).
    internal_names: ClassVar[tuple[str, ...]] = ("precond",)

    def internals(self, params: np.ndarray, state: dict[str, np.ndarray], k: int) -> dict[str, np.ndarray]:
        r"""Derived quantities of update ``k`` at ``params`` (:math:`\theta_k`), read from the state that update produced.

        ``precond`` is the effective per-coordinate step: the factor the
        update multiplies its direction by (``lr`` for gd and momentum,
        ``lr / (sqrt(v_hat) + eps)`` for Adam); Adam also gives the
        bias-corrected moments ``m_hat`` and ``v_hat``.  Shapes follow
        ``params``.  Keys: ``internal_names``.
        """
        return {"precond": np.full(np.shape(params), self.lr)}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparams.items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.hyperparams == other.hyperparams  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(self.hyperparams.items())))


def _check_k(k: Any) -> int:
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral) or k < 0:
        raise ValueError(f"step index k must be a non-negative int, got {k!r}")
    return int(k)


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

    def step(  # noqa: D102 - documented on Optimizer.step
        self, params: np.ndarray, grad: np.ndarray, state: dict[str, np.ndarray], k: int
    ) -> np.ndarray:
        _check_k(k)
        return np.asarray(params, np.float64) - self.lr * np.asarray(grad, np.float64)


class _SGDMomentumBase(Optimizer):
    defaults = MappingProxyType({"lr": 1e-3, "momentum": 0.9})
    state_names = ("velocity",)

    def _set_hyper(self, hyper: dict[str, Any]) -> None:
        self.momentum: float = _unit_interval(
            "momentum", hyper.get("momentum", self.defaults["momentum"])
        )

    @property
    def hyperparams(self) -> dict[str, Any]:
        return {"lr": self.lr, "momentum": self.momentum}

    def _velocity(self, grad: np.ndarray, state: dict[str, np.ndarray]) -> np.ndarray:
        # torch: b_1 = g_1, then b_t = mu * b_{t-1} + g_t (dampening = 0).
        # With a zero-initialised buffer mu * 0 + g_1 == g_1 exactly, so one
        # formula covers both cases.
        v = self.momentum * state["velocity"] + grad
        state["velocity"] = v
        return v

    def _direction(self, grad: np.ndarray, velocity: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def step(  # noqa: D102 - documented on Optimizer.step
        self, params: np.ndarray, grad: np.ndarray, state: dict[str, np.ndarray], k: int
    ) -> np.ndarray:
        _check_k(k)
        g = np.asarray(grad, np.float64)
        v = self._velocity(g, state)
        return np.asarray(params, np.float64) - self.lr * self._direction(g, v)


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

    def _direction(self, grad: np.ndarray, velocity: np.ndarray) -> np.ndarray:
        return velocity


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

    def _direction(self, grad: np.ndarray, velocity: np.ndarray) -> np.ndarray:
        return grad + self.momentum * velocity


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

    def _set_hyper(self, hyper: dict[str, Any]) -> None:
        self.eps: float = _positive("eps", hyper.get("eps", self.defaults["eps"]))

    @property
    def hyperparams(self) -> dict[str, Any]:
        return {"lr": self.lr, "eps": self.eps}

    def step(  # noqa: D102 - documented on Optimizer.step
        self, params: np.ndarray, grad: np.ndarray, state: dict[str, np.ndarray], k: int
    ) -> np.ndarray:
        _check_k(k)
        g = np.asarray(grad, np.float64)
        s = state["sum_sq"] + g * g
        state["sum_sq"] = s
        std = np.sqrt(s) + self.eps
        # torch: clr = lr / (1 + (t - 1) * lr_decay) = lr with lr_decay = 0
        return np.asarray(params, np.float64) - self.lr * (g / std)


    def internals(self, params: np.ndarray, state: dict[str, np.ndarray], k: int) -> dict[str, np.ndarray]:  # noqa: D102
        return {"precond": self.lr / (np.sqrt(state["sum_sq"]) + self.eps)}


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

    def _set_hyper(self, hyper: dict[str, Any]) -> None:
        self.alpha: float = _unit_interval("alpha", hyper.get("alpha", self.defaults["alpha"]))
        self.eps: float = _positive("eps", hyper.get("eps", self.defaults["eps"]))

    @property
    def hyperparams(self) -> dict[str, Any]:
        return {"lr": self.lr, "alpha": self.alpha, "eps": self.eps}

    def step(  # noqa: D102 - documented on Optimizer.step
        self, params: np.ndarray, grad: np.ndarray, state: dict[str, np.ndarray], k: int
    ) -> np.ndarray:
        _check_k(k)
        g = np.asarray(grad, np.float64)
        sa = self.alpha * state["square_avg"] + (1.0 - self.alpha) * (g * g)
        state["square_avg"] = sa
        avg = np.sqrt(sa) + self.eps
        return np.asarray(params, np.float64) - self.lr * (g / avg)


    def internals(self, params: np.ndarray, state: dict[str, np.ndarray], k: int) -> dict[str, np.ndarray]:  # noqa: D102
        return {"precond": self.lr / (np.sqrt(state["square_avg"]) + self.eps)}


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
    ``lr * sign(g_0)``.

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
    defaults = MappingProxyType({"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8})
    _aliases = ("beta1", "beta2")

    def _set_hyper(self, hyper: dict[str, Any]) -> None:
        betas = hyper.get("betas", self.defaults["betas"])
        if "betas" in hyper and ("beta1" in hyper or "beta2" in hyper):
            raise ValueError("give either betas or beta1/beta2, not both")
        if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        b1 = hyper.get("beta1", betas[0])
        b2 = hyper.get("beta2", betas[1])
        self.betas: tuple[float, float] = (
            _unit_interval("beta1", b1),
            _unit_interval("beta2", b2),
        )
        self.eps: float = _positive("eps", hyper.get("eps", self.defaults["eps"]))

    @property
    def hyperparams(self) -> dict[str, Any]:
        return {"lr": self.lr, "betas": self.betas, "eps": self.eps}

    def step(  # noqa: D102 - documented on Optimizer.step
        self, params: np.ndarray, grad: np.ndarray, state: dict[str, np.ndarray], k: int
    ) -> np.ndarray:
        t = _check_k(k) + 1
        beta1, beta2 = self.betas
        g = np.asarray(grad, np.float64)
        m = beta1 * state["m"] + (1.0 - beta1) * g
        v = beta2 * state["v"] + (1.0 - beta2) * (g * g)
        state["m"] = m
        state["v"] = v
        bias_correction1 = 1.0 - beta1**t
        bias_correction2 = 1.0 - beta2**t
        step_size = self.lr / bias_correction1
        denom = np.sqrt(v) / math.sqrt(bias_correction2) + self.eps
        return np.asarray(params, np.float64) - step_size * (m / denom)

    internal_names = ("m_hat", "v_hat", "precond")

    def internals(self, params: np.ndarray, state: dict[str, np.ndarray], k: int) -> dict[str, np.ndarray]:
        """Bias-corrected moments and the effective step ``lr / (sqrt(v_hat) + eps)`` of update ``k``.

        The update is ``-precond * m_hat`` (textbook form; torch's arithmetic
        in :meth:`step` differs from it only by rounding).
        """
        t = _check_k(k) + 1
        beta1, beta2 = self.betas
        m_hat = state["m"] / (1.0 - beta1**t)
        v_hat = state["v"] / (1.0 - beta2**t)
        return {"m_hat": m_hat, "v_hat": v_hat, "precond": self.lr / (np.sqrt(v_hat) + self.eps)}


# --------------------------------------------------------------------------- #
# registry
# --------------------------------------------------------------------------- #
OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (GD, Momentum, Nesterov, Adagrad, RMSprop, Adam)
}


def make_optimizer(name: str, lr: float | None = None, **hyper: Any) -> Optimizer:
    """Build an optimizer by registry name.

    Parameters
    ----------
    name : str
        One of ``OPTIMIZERS`` (``gd momentum nesterov adagrad rmsprop adam``);
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
    key = name.strip().lower() if isinstance(name, str) else None
    if key not in OPTIMIZERS:
        choices = ", ".join(OPTIMIZERS)
        close = difflib.get_close_matches(key or "", list(OPTIMIZERS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown optimizer {name!r}{hint}; choose from: {choices}")
    return OPTIMIZERS[key](lr, **hyper)
