"""Run an optimizer on a loss landscape from one or many start points.

:func:`run` advances all ``N`` start points together: one Python loop over
steps, numpy arrays of shape ``(N, 2)`` inside it.

Stopping rules, per start point
-------------------------------
* ``max_steps``: it ran all ``steps`` updates.
* ``converged``: ``tol`` is given and ``||grad f(point)|| <= tol`` at some
  step (checked at step 0 too); ``stop_step`` is that step and
  ``points[stop_step]`` is the converged point.
* ``diverged``: the update at step ``k`` (producing ``points[k]``) gave
  non-finite coordinates, left the bound, or landed where the loss value or
  gradient is non-finite; ``stop_step = k``.  That update is discarded.

After a point stops its rows are frozen at its last valid values (finite,
inside the bound), its updates are zero and its optimizer state is no longer
changed, so no NaN or inf ever reaches drawing code.

The bound
---------
By default the domain box ``((xmin, xmax), (ymin, ymax))`` of the loss is
expanded about its centre to ``BOUND_FACTOR`` (10) times its half-widths.
``bound=`` overrides it.  Either way it is intersected with the hard limit
``|x|, |y| <= HARD_LIMIT`` (1e6).  See :func:`resolve_bound`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from typing import Any, Protocol

import numpy as np

from gdscenes.core.optimizers import Optimizer, make_optimizer
from gdscenes.core.trajectory import Trajectory

__all__ = ["run", "resolve_bound", "gradient_noise", "noise_stream", "LossLike", "BOUND_FACTOR", "HARD_LIMIT", "MAX_STEPS"]

#: default bound = domain expanded about its centre to this many half-widths
BOUND_FACTOR: float = 10.0
#: every bound is clipped to |x|, |y| <= HARD_LIMIT
HARD_LIMIT: float = 1e6
#: largest accepted ``steps``
MAX_STEPS: int = 1_000_000

Box = tuple[tuple[float, float], tuple[float, float]]


class LossLike(Protocol):
    """What :func:`run` needs from a loss (``gdscenes.core.losses.Loss`` has it)."""

    name: str
    domain: Box

    def value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray: ...  # noqa: D102

    def gradient(self, x: np.ndarray, y: np.ndarray) -> np.ndarray: ...  # noqa: D102


def _fmt(v: float) -> str:
    return repr(float(v))


def _box(value: Any, label: str) -> np.ndarray:
    """Parse ``((xmin, xmax), (ymin, ymax))`` into a finite (2, 2) array."""
    try:
        b = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{label} must be ((xmin, xmax), (ymin, ymax)), got {value!r}") from None
    if b.shape != (2, 2):
        raise ValueError(f"{label} must be ((xmin, xmax), (ymin, ymax)), got {value!r}")
    if not np.isfinite(b).all():
        raise ValueError(f"{label} must be finite, got {value!r}")
    if not (b[:, 0] < b[:, 1]).all():
        raise ValueError(f"{label} must have min < max on each axis, got {value!r}")
    return b


def resolve_bound(domain: Any, bound: Any = None) -> Box:
    """The divergence box used by :func:`run`.

    Parameters
    ----------
    domain : ((xmin, xmax), (ymin, ymax))
        The loss's plotting domain.
    bound : ((xmin, xmax), (ymin, ymax)), optional
        Explicit box; ``None`` expands ``domain`` about its centre to
        ``BOUND_FACTOR`` times its half-widths.

    Returns
    -------
    ((xmin, xmax), (ymin, ymax))
        The box, intersected with ``[-HARD_LIMIT, HARD_LIMIT]`` on each axis.

    Raises
    ------
    ValueError
        Malformed box, or one that does not meet the hard limit.
    """
    if bound is None:
        d = _box(domain, "loss domain")
        centre = d.mean(axis=1)
        half = (d[:, 1] - d[:, 0]) / 2.0
        b = np.stack([centre - BOUND_FACTOR * half, centre + BOUND_FACTOR * half], axis=1)
    else:
        b = _box(bound, "bound")
    b = np.clip(b, -HARD_LIMIT, HARD_LIMIT)
    if not (b[:, 0] < b[:, 1]).all():
        raise ValueError(f"bound must overlap [-{HARD_LIMIT:g}, {HARD_LIMIT:g}] on each axis, got {bound!r}")
    return ((float(b[0, 0]), float(b[0, 1])), (float(b[1, 0]), float(b[1, 1])))


def _inside(p: np.ndarray, box: np.ndarray) -> np.ndarray:
    """Row mask: finite and inside ``box`` (inclusive)."""
    with np.errstate(invalid="ignore"):
        return (
            np.isfinite(p).all(axis=-1)
            & (p[..., 0] >= box[0, 0])
            & (p[..., 0] <= box[0, 1])
            & (p[..., 1] >= box[1, 0])
            & (p[..., 1] <= box[1, 1])
        )


def _evaluate(loss: LossLike, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Loss values ``(m,)`` and gradients ``(m, 2)`` at the rows of ``p``."""
    m = p.shape[0]
    x, y = p[:, 0], p[:, 1]
    f = np.asarray(loss.value(x, y), dtype=np.float64)
    g = np.asarray(loss.gradient(x, y), dtype=np.float64)
    try:
        f = np.broadcast_to(f, (m,))
        g = np.broadcast_to(g, (m, 2))
    except ValueError:
        raise ValueError(
            f"loss {getattr(loss, 'name', loss)!r} returned value shape {f.shape} and "
            f"gradient shape {g.shape} for {m} points; expected ({m},) and ({m}, 2)"
        ) from None
    return f, g


def _resolve_optimizer(optimizer: Any, lr: float | None, hyper: dict[str, Any]) -> Optimizer:
    if isinstance(optimizer, Optimizer):
        given = (["lr"] if lr is not None else []) + [k for k, v in hyper.items() if v is not None]
        if given:
            raise ValueError(
                f"cannot pass {', '.join(given)} together with an optimizer instance; "
                "set them on the instance"
            )
        return optimizer
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        return optimizer(lr, **hyper)
    if isinstance(optimizer, str):
        return make_optimizer(optimizer, lr, **hyper)
    raise ValueError(f"optimizer must be a name or an Optimizer instance, got {optimizer!r}")


def _validate_steps(steps: Any) -> int:
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, numbers.Integral):
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_STEPS}, got {int(steps)}")
    return int(steps)


def _validate_tol(tol: Any) -> float | None:
    if tol is None:
        return None
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, numbers.Real):
        raise ValueError(f"tol must be a non-negative number, got {tol!r}")
    t = float(tol)
    if not math.isfinite(t) or t < 0.0:
        raise ValueError(f"tol must be a finite number >= 0, got {_fmt(t)}")
    return t


def _validate_start(start: Any, box: np.ndarray) -> tuple[np.ndarray, bool]:
    """(N, 2) float array of start points, and whether a single (2,) was given."""
    try:
        s = np.array(start, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"start must be (x, y) or an (N, 2) array, got {start!r}") from None
    single = s.shape == (2,)
    if single:
        s = s[None, :]
    if s.ndim != 2 or s.shape[1] != 2 or s.shape[0] < 1:
        raise ValueError(f"start must be (x, y) or an (N, 2) array, got shape {s.shape}")
    finite = np.isfinite(s).all(axis=1)
    if not finite.all():
        i = int(np.flatnonzero(~finite)[0])
        raise ValueError(f"start ({_fmt(s[i, 0])}, {_fmt(s[i, 1])}) is not finite")
    inside = _inside(s, box)
    if not inside.all():
        i = int(np.flatnonzero(~inside)[0])
        raise ValueError(
            f"start ({_fmt(s[i, 0])}, {_fmt(s[i, 1])}) is outside the domain bound "
            f"x in [{box[0, 0]:g}, {box[0, 1]:g}], y in [{box[1, 0]:g}, {box[1, 1]:g}]"
        )
    return s, single


def _validate_noise(noise: Any, seed: Any) -> tuple[float, int | None]:
    if isinstance(noise, (bool, np.bool_)) or not isinstance(noise, numbers.Real):
        raise ValueError(f"noise scale must be a number >= 0, got {noise!r}")
    s = float(noise)
    if not math.isfinite(s) or s < 0.0:
        raise ValueError(f"noise scale must be a finite number >= 0, got {_fmt(s)}")
    if seed is not None and (isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    return s, (None if seed is None else int(seed))


def noise_stream(noise: float, seed: int | None, n: int) -> Iterator[np.ndarray]:
    r"""The minibatch-style noise added to the gradients of a run: one ``(n, 2)`` array per step.

    Step ``k`` of start ``i`` descends along :math:`g_k + \sigma \xi_{k,i}`
    with :math:`\xi_{k,i} \sim \mathcal N(0, I_2)` drawn from
    ``numpy.random.default_rng(seed)`` (one ``standard_normal((n, 2))`` per
    step, frozen starts included, so a start's noise never depends on when
    the others stop): an unbiased gradient estimate with standard deviation
    ``noise`` per coordinate, like a minibatch gradient.
    """
    rng = np.random.default_rng(seed)
    while True:
        yield noise * rng.standard_normal((n, 2))


def gradient_noise(noise: float, seed: int | None, steps: int, n: int) -> np.ndarray:
    """The first ``steps`` arrays of :func:`noise_stream`, shape ``(steps, n, 2)``."""
    stream = noise_stream(noise, seed, n)
    return np.stack([next(stream) for _ in range(steps)]) if steps else np.zeros((0, n, 2))


def run(
    loss: LossLike,
    optimizer: str | Optimizer = "gd",
    start: Any = None,
    lr: float | None = None,
    steps: int = 100,
    tol: float | None = None,
    bound: Box | None = None,
    noise: float = 0.0,
    seed: int | None = None,
    **hyper: Any,
) -> Trajectory:
    """Descend ``loss`` with ``optimizer`` from one or many start points.

    Parameters
    ----------
    loss : LossLike
        Object with ``value(x, y)``, ``gradient(x, y)`` (broadcasting numpy,
        gradient shape ``(..., 2)``), ``domain`` and ``name``; ``start`` is
        read from it when ``start`` is ``None``.
    optimizer : str or Optimizer, default ``"gd"``
        Registry name (see :data:`gdscenes.core.optimizers.OPTIMIZERS`), an
        optimizer class, or a ready instance (then ``lr`` and ``hyper`` must
        not be given).
    start : array-like, shape (2,) or (N, 2), optional
        Start point(s); ``None`` uses ``loss.start``.  Must be finite and
        inside the bound, and the loss must be finite there.
    lr : float, optional
        Learning rate; ``None`` uses the optimizer's (torch) default.
    steps : int, default 100
        Number of updates, ``1 <= steps <= 1e6``.
    tol : float, optional
        Gradient-norm tolerance (>= 0).  A point with
        ``||grad|| <= tol`` is converged at that step and frozen.
    bound : ((xmin, xmax), (ymin, ymax)), optional
        Divergence box; default from ``loss.domain``, see
        :func:`resolve_bound`.
    noise : float, default 0
        Standard deviation of the Gaussian noise added to each gradient the
        optimizer sees (stochastic gradient descent; see
        :func:`gradient_noise`). ``0`` is exact (full-batch) descent.
        ``traj.gradients`` stay exact; the gradients used are
        ``traj.internals["grad_used"]`` when ``noise > 0``.
    seed : int, optional
        Seed of the noise: the same seed gives the same trajectory.
    **hyper
        Optimizer hyperparameters (e.g. ``momentum=0.9``, ``betas=(0.9, 0.999)``).

    Returns
    -------
    Trajectory
        Arrays always have ``steps + 1`` rows and ``N`` columns, also when
        ``start`` was a single point (``N = 1``) and when every point stopped
        early.

    Raises
    ------
    ValueError
        Invalid ``steps``, ``tol``, ``start``, ``bound``, optimizer name or
        hyperparameter (one-line message naming the value).
    """
    opt = _resolve_optimizer(optimizer, lr, hyper)
    noise, seed = _validate_noise(noise, seed)
    steps = _validate_steps(steps)
    tol = _validate_tol(tol)
    box_t = resolve_bound(getattr(loss, "domain", None), bound)
    box = np.asarray(box_t, dtype=np.float64)
    if start is None:
        start = getattr(loss, "start", None)
        if start is None:
            raise ValueError("start is None and the loss has no default start")
    P, _ = _validate_start(start, box)
    n = P.shape[0]

    with np.errstate(all="ignore"):
        F, G = _evaluate(loss, P)
    F, G = F.copy(), G.copy()
    ok0 = np.isfinite(F) & np.isfinite(G).all(axis=1)
    if not ok0.all():
        i = int(np.flatnonzero(~ok0)[0])
        raise ValueError(
            f"loss value or gradient is not finite at start ({_fmt(P[i, 0])}, {_fmt(P[i, 1])})"
        )

    state = opt.init_state(P)
    points = np.empty((steps + 1, n, 2))
    losses = np.empty((steps + 1, n))
    grads = np.empty((steps + 1, n, 2))
    hist = {name: np.empty((steps, n, 2)) for name in state}
    # derived per-step quantities (effective step, Adam's m_hat/v_hat, the noisy gradient)
    names = list(opt.internal_names) + (["grad_used"] if noise > 0 else [])
    inner = {name: np.zeros((steps, n, 2)) for name in names}
    current = {name: np.zeros((n, 2)) for name in names}
    stream = noise_stream(noise, seed, n) if noise > 0 else None
    status = np.full(n, "max_steps", dtype="<U9")
    stop_step = np.full(n, steps, dtype=np.int64)
    running = np.ones(n, dtype=bool)

    if tol is not None:
        conv = np.linalg.norm(G, axis=1) <= tol
        status[conv] = "converged"
        stop_step[conv] = 0
        running &= ~conv
    points[0], losses[0], grads[0] = P, F, G

    for k in range(steps):
        if not running.any():
            # everything stopped: the remaining rows are frozen copies
            points[k + 1 :] = P
            losses[k + 1 :] = F
            grads[k + 1 :] = G
            for name, h in hist.items():
                h[k:] = state[name]
            for name, h in inner.items():
                h[k:] = current[name]
            break
        idx = np.flatnonzero(running)
        all_running = idx.size == n
        with np.errstate(all="ignore"):
            sub = {name: (s if all_running else s[idx]) for name, s in state.items()}
            used = G if all_running else G[idx]
            if stream is not None:  # noise 0: the exact gradient, untouched
                xi = next(stream)
                used = used + (xi if all_running else xi[idx])
            at = P if all_running else P[idx]
            cand = np.asarray(opt.step(at, used, sub, k), dtype=np.float64)
            derived = opt.internals(at, sub, k)
            if noise > 0:
                derived["grad_used"] = used
            ok = _inside(cand, box)
            cf = np.full(idx.size, np.nan)
            cg = np.full((idx.size, 2), np.nan)
            if ok.any():
                cf[ok], cg[ok] = _evaluate(loss, cand[ok])
            ok &= np.isfinite(cf) & np.isfinite(cg).all(axis=1)

        good = idx[ok]
        P[good], F[good], G[good] = cand[ok], cf[ok], cg[ok]
        for name in state:
            new = sub[name]
            state[name] = state[name].copy()
            state[name][good] = new[ok]
        for name in current:
            current[name] = current[name].copy()
            current[name][good] = np.broadcast_to(derived[name], (idx.size, 2))[ok]

        bad = idx[~ok]
        if bad.size:
            running[bad] = False
            status[bad] = "diverged"
            stop_step[bad] = k + 1
        if tol is not None and good.size:
            conv = good[np.linalg.norm(G[good], axis=1) <= tol]
            running[conv] = False
            status[conv] = "converged"
            stop_step[conv] = k + 1

        points[k + 1], losses[k + 1], grads[k + 1] = P, F, G
        for name, h in hist.items():
            h[k] = state[name]
        for name, h in inner.items():
            h[k] = current[name]

    updates = np.diff(points, axis=0)
    return Trajectory(
        points=points,
        losses=losses,
        gradients=grads,
        updates=updates,
        status=status,
        stop_step=stop_step,
        state=hist,
        optimizer=opt.name,
        hyperparams=opt.hyperparams,
        loss_name=str(getattr(loss, "name", type(loss).__name__)),
        tol=tol,
        bound=box_t,
        internals=inner,
        noise=noise,
        seed=seed,
    )
