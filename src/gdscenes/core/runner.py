"""Run an optimizer on a loss landscape from one or many start points.

:func:`run` advances all ``N`` start points together: one Python loop over
steps, numpy arrays of shape ``(N, 2)`` inside it.  Read it in this order:

1. :func:`_prepare` checks the arguments and evaluates the loss at the starts;
2. :meth:`_Record.start` allocates the result arrays (row 0: the starts;
   starts already within ``tol`` converge at step 0);
3. each step, :func:`_propose` runs the optimizer's pure update for the
   running points and evaluates the loss where they land;
   :meth:`_Record.accept` writes the valid moves (stopped points stay put)
   and :meth:`_Record.stop` applies the stop tests (diverged, converged);
4. when no point runs, :meth:`_Record.freeze_from` fills the remaining rows;
5. :meth:`_Record.trajectory` assembles the :class:`Trajectory`.

The optimizer state lives in the record's ``state`` arrays (row ``k`` is the
state after update ``k``): each update reads the previous row and returns new
arrays, so nothing is copied to keep a state safe from later steps.

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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gdscenes.core.box import Box, parse_box
from gdscenes.core.optimizers import Array, Optimizer, OptState, make_optimizer, show_value
from gdscenes.core.schedules import Schedule, make_schedule
from gdscenes.core.trajectory import Trajectory

__all__ = ["run", "resolve_bound", "gradient_noise", "noise_stream", "batch_stream", "LossLike", "Box", "BOUND_FACTOR",
           "HARD_LIMIT", "MAX_STEPS"]

#: default bound = domain expanded about its centre to this many half-widths
BOUND_FACTOR: float = 10.0
#: every bound is clipped to |x|, |y| <= HARD_LIMIT
HARD_LIMIT: float = 1e6
#: largest accepted ``steps``
MAX_STEPS: int = 1_000_000


class LossLike(Protocol):
    """What :func:`run` needs from a loss (``gdscenes.core.losses.Loss`` and ``gdscenes.core.data.DataLoss`` have it).

    A loss with a ``dim`` attribute of 1 takes one coordinate (``value(x)``);
    without one it is a surface in ``(x, y)``.  ``hessian`` is needed by
    Newton's method only; ``rows=`` (a data model's samples) by minibatches only.
    """

    name: str
    domain: Box

    def value(self, x: Array, y: Array) -> ArrayLike:
        """Loss values at the points ``(x, y)``, broadcasting."""

    def gradient(self, x: Array, y: Array) -> ArrayLike:
        """Gradients, shape ``broadcast(x, y) + (2,)``."""


def _dim(loss: object) -> int:
    return int(getattr(loss, "dim", 2))


def _names(loss: object) -> tuple[str, ...]:
    names = getattr(loss, "param_names", None)
    return tuple(names) if names is not None else ("x", "y")[: _dim(loss)]


def resolve_bound(domain: object, bound: object = None) -> Box:
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
        d = np.asarray(_parse_bounds(domain, "loss domain"))
        centre = d.mean(axis=1)
        half = (d[:, 1] - d[:, 0]) / 2.0
        b = np.stack([centre - BOUND_FACTOR * half, centre + BOUND_FACTOR * half], axis=1)
    else:
        b = np.asarray(_parse_bounds(bound, "bound"))
        if domain is not None and len(_parse_bounds(domain, "loss domain")) != b.shape[0]:
            raise ValueError(f"bound must have one (min, max) pair per parameter of the loss, got {bound!r}")
    b = np.clip(b, -HARD_LIMIT, HARD_LIMIT)
    if not (b[:, 0] < b[:, 1]).all():
        raise ValueError(f"bound must overlap [-{HARD_LIMIT:g}, {HARD_LIMIT:g}] on each axis, got {bound!r}")
    return tuple((float(lo), float(hi)) for lo, hi in b)  # type: ignore[return-value]


def _parse_bounds(value: object, label: str) -> tuple[tuple[float, float], ...]:
    """A :data:`Box` (two axes), or one ``(min, max)`` pair for a 1D loss: ``((xmin, xmax),)``."""
    try:
        shape = np.shape(np.asarray(value, dtype=np.float64))
    except (TypeError, ValueError):
        shape = ()
    if shape != (1, 2):
        return parse_box(value, label)
    b = np.asarray(value, dtype=np.float64)
    if not np.isfinite(b).all() or not b[0, 0] < b[0, 1]:
        raise ValueError(f"{label} must be ((xmin, xmax),) with finite xmin < xmax, got {value!r}")
    return ((float(b[0, 0]), float(b[0, 1])),)


def _inside(p: Array, box: Array) -> NDArray[np.bool_]:
    """Row mask: finite and inside ``box`` (inclusive), one ``(min, max)`` row of ``box`` per coordinate."""
    with np.errstate(invalid="ignore"):
        return np.asarray(np.isfinite(p).all(axis=-1) & ((p >= box[:, 0]) & (p <= box[:, 1])).all(axis=-1))


def _evaluate(loss: LossLike, p: Array) -> tuple[Array, Array]:
    """Loss values ``(m,)`` and gradients ``(m, dim)`` at the rows of ``p``."""
    m, d = p.shape
    coords = [p[:, j] for j in range(d)]
    f = np.asarray(loss.value(*coords), dtype=np.float64)
    g = np.asarray(loss.gradient(*coords), dtype=np.float64)
    try:
        f = np.broadcast_to(f, (m,))
        g = np.broadcast_to(g, (m, d))
    except ValueError:
        raise ValueError(
            f"loss {getattr(loss, 'name', loss)!r} returned value shape {f.shape} and "
            f"gradient shape {g.shape} for {m} points; expected ({m},) and ({m}, {d})"
        ) from None
    return f, g


def _resolve_optimizer(optimizer: object, lr: float | None, hyper: dict[str, object]) -> Optimizer:
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


def _validate_steps(steps: object) -> int:
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, numbers.Integral):
        raise ValueError(f"steps must be a non-negative int, got {steps!r}")
    if not 0 <= int(steps) <= MAX_STEPS:
        raise ValueError(f"steps must be between 0 and {MAX_STEPS}, got {int(steps)}")
    return int(steps)


def _validate_tol(tol: object) -> float | None:
    if tol is None:
        return None
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, numbers.Real):
        raise ValueError(f"tol must be a non-negative number, got {tol!r}")
    t = float(tol)
    if not math.isfinite(t) or t < 0.0:
        raise ValueError(f"tol must be a finite number >= 0, got {show_value(float(t))}")
    return t


def _validate_start(start: object, box: Array, names: tuple[str, ...] = ("x", "y")) -> tuple[Array, bool]:
    """(N, dim) float array of start points, and whether a single point was given.

    For a 1D loss a number, ``(x,)``, a list of N numbers or an ``(N, 1)`` array.
    """
    d = len(names)
    what = "x, a list of x values or an (N, 1) array" if d == 1 else f"({', '.join(names)}) or an (N, {d}) array"
    try:
        s = np.array(start, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"start must be {what}, got {start!r}") from None
    single = s.shape == (d,) or (d == 1 and s.ndim == 0)
    if single:
        s = s.reshape(1, d)
    elif d == 1 and s.ndim == 1:
        s = s[:, None]
    if s.ndim != 2 or s.shape[1] != d or s.shape[0] < 1:
        raise ValueError(f"start must be {what}, got shape {s.shape}")

    def show(i: int) -> str:
        return f"({', '.join(show_value(float(v)) for v in s[i])})"

    finite = np.isfinite(s).all(axis=1)
    if not finite.all():
        raise ValueError(f"start {show(int(np.flatnonzero(~finite)[0]))} is not finite")
    inside = _inside(s, box)
    if not inside.all():
        ranges = ", ".join(f"{n} in [{box[j, 0]:g}, {box[j, 1]:g}]" for j, n in enumerate(names))
        raise ValueError(f"start {show(int(np.flatnonzero(~inside)[0]))} is outside the domain bound {ranges}")
    return s, single


def _validate_noise(noise: object, seed: object) -> tuple[float, int | None]:
    if isinstance(noise, (bool, np.bool_)) or not isinstance(noise, numbers.Real):
        raise ValueError(f"noise scale must be a number >= 0, got {noise!r}")
    s = float(noise)
    if not math.isfinite(s) or s < 0.0:
        raise ValueError(f"noise scale must be a finite number >= 0, got {show_value(float(s))}")
    if seed is not None and (isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    return s, (None if seed is None else int(seed))


def noise_stream(noise: float, seed: int | None, n: int) -> Iterator[Array]:
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


def batch_stream(m: int, batch_size: int, seed: int | None) -> Iterator[NDArray[np.int64]]:
    """The sample rows of each step's minibatch: ``(batch_size,)`` int arrays, ``-1`` padding the short last batch.

    Each epoch is a fresh ``permutation(m)`` drawn from
    ``numpy.random.default_rng(seed)``, cut into consecutive batches of
    ``batch_size`` (the last one shorter when ``batch_size`` does not divide
    ``m``), like torch's ``DataLoader(shuffle=True, drop_last=False)``.
    """
    rng = np.random.default_rng(seed)
    while True:
        perm = rng.permutation(m)
        for lo in range(0, m, batch_size):
            rows = np.full(batch_size, -1, dtype=np.int64)
            part = perm[lo : lo + batch_size]
            rows[: part.size] = part
            yield rows


def gradient_noise(noise: float, seed: int | None, steps: int, n: int) -> Array:
    """The first ``steps`` arrays of :func:`noise_stream`, shape ``(steps, n, 2)``."""
    stream = noise_stream(noise, seed, n)
    return np.stack([next(stream) for _ in range(steps)]) if steps else np.zeros((0, n, 2))


def run(
    loss: LossLike,
    optimizer: str | Optimizer | type[Optimizer] = "gd",
    start: ArrayLike | None = None,
    lr: float | None = None,
    steps: int = 100,
    tol: float | None = None,
    bound: Box | None = None,
    noise: float = 0.0,
    seed: int | None = None,
    schedule: str | Schedule | None = None,
    schedule_options: Mapping[str, object] | None = None,
    batch_size: int | None = None,
    **hyper: object,
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
        Number of updates, ``0 <= steps <= 1e6`` (``0`` gives the start points alone).
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
        Seed of the noise and of the minibatch shuffles: the same seed gives
        the same trajectory.
    schedule : str or Schedule, optional
        Learning-rate schedule (:mod:`gdscenes.core.schedules`: ``step``,
        ``exponential``, ``cosine``, ``linear``), stepped once after every
        update; ``schedule_options`` are its torch keyword options
        (``{"T_max": 50}``).  ``traj.lrs`` holds the rate of every update.
    batch_size : int, optional
        Minibatch SGD on a data model (:class:`gdscenes.core.data.DataLoss`):
        each update uses the exact mean gradient of one batch of samples
        (``traj.batches``; ``traj.internals["grad_used"]``), the batches
        reshuffled every epoch from ``seed``.  Not with ``noise``.
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
    setup = _prepare(loss, optimizer, start, lr, steps, tol, bound, noise, seed, hyper)
    setup = _prepare_extras(setup, schedule, schedule_options, batch_size)
    rec = _Record.start(setup)
    stream = noise_stream(setup.noise, setup.seed, setup.n) if setup.noise > 0 else None
    batches = batch_stream(int(getattr(loss, "m", 0)), setup.batch_size, setup.seed) if setup.batch_size else None
    for k in range(setup.steps):
        if batches is not None and rec.batches is not None:
            rec.batches[k] = next(batches)  # drawn every step, so the batches never depend on stopping
        if not rec.running.any():
            rec.freeze_from(k)
            if rec.batches is not None and batches is not None:
                for j in range(k + 1, setup.steps):
                    rec.batches[j] = next(batches)
            break
        idx = np.flatnonzero(rec.running)
        xi = next(stream) if stream is not None else None
        proposal = _propose(setup, rec, k, idx, xi)
        rec.accept(k, idx, proposal)
        rec.stop(k, idx, proposal.ok, setup.tol)
    return rec.trajectory(setup)


# --------------------------------------------------------------------------- #
# the steps of run(): prepare, propose, accept, stop, assemble
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class _Setup:
    """Validated inputs of a run and the loss at its start points."""

    loss: LossLike
    opt: Optimizer
    steps: int
    tol: float | None
    bound: Box
    box: Array  # the bound as a (2, 2) array
    noise: float
    seed: int | None
    start: Array  # (N, dim)
    f0: Array  # (N,)
    g0: Array  # (N, dim)
    internal_names: tuple[str, ...]  # the optimizer's, plus grad_used when noisy or minibatched
    names: tuple[str, ...] = ("x", "y")  # the parameters
    lrs: Array | None = None  # (steps,) the scheduled rates; None: the optimizer's constant lr
    schedule: Schedule | None = None
    batch_size: int | None = None

    @property
    def n(self) -> int:
        return int(self.start.shape[0])


def _prepare(
    loss: LossLike,
    optimizer: str | Optimizer | type[Optimizer],
    start: ArrayLike | None,
    lr: float | None,
    steps: object,
    tol: object,
    bound: Box | None,
    noise: object,
    seed: object,
    hyper: dict[str, object],
) -> _Setup:
    """Check every argument (one-line ``ValueError``s) and evaluate the loss at the start points."""
    opt = _resolve_optimizer(optimizer, lr, hyper)
    noise_f, seed_i = _validate_noise(noise, seed)
    n_steps = _validate_steps(steps)
    tol_f = _validate_tol(tol)
    bound_t = resolve_bound(getattr(loss, "domain", None), bound)
    box = np.asarray(bound_t, dtype=np.float64)
    params = _names(loss)
    if box.shape[0] != len(params):
        raise ValueError(f"bound has {box.shape[0]} axes but loss {getattr(loss, 'name', loss)!r} has {len(params)} parameter(s)")
    if opt.needs_hessian and not callable(getattr(loss, "hessian", None)):
        raise ValueError(f"optimizer {opt.name!r} needs the loss's Hessian; loss {getattr(loss, 'name', loss)!r} has none")
    if start is None:
        start = getattr(loss, "start", None)
        if start is None:
            raise ValueError("start is None and the loss has no default start")
    p0, _ = _validate_start(start, box, params)
    with np.errstate(all="ignore"):
        f0, g0 = _evaluate(loss, p0)
    ok0 = np.isfinite(f0) & np.isfinite(g0).all(axis=1)
    if not ok0.all():
        i = int(np.flatnonzero(~ok0)[0])
        raise ValueError(f"loss value or gradient is not finite at start ({', '.join(show_value(float(v)) for v in p0[i])})")
    names = tuple(opt.internal_names) + (("grad_used",) if noise_f > 0 else ())
    return _Setup(loss, opt, n_steps, tol_f, bound_t, box, noise_f, seed_i, p0, f0, g0, names, params)


def _prepare_extras(
    setup: _Setup, schedule: object, options: Mapping[str, object] | None, batch_size: object
) -> _Setup:
    """Check the schedule and the minibatch size; the schedule's rates for every update."""
    sched = None
    lrs = None
    if schedule is not None or options:
        if options and schedule is None:
            raise ValueError("schedule options need a schedule name")
        sched = make_schedule(schedule, **dict(options or {}))  # type: ignore[arg-type]
        lrs = sched.rates(setup.opt.lr, setup.steps)
        bad = ~(np.isfinite(lrs) & (lrs >= 0))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"schedule {sched.name!r} gives learning rate {float(lrs[k])!r} at step {k}; each must be finite and >= 0"
            )
    size = None
    if batch_size is not None:
        m = getattr(setup.loss, "m", None)
        if not isinstance(m, int):
            raise ValueError(
                f"batch_size needs a data model (linear_regression, logistic_regression); "
                f"loss {getattr(setup.loss, 'name', setup.loss)!r} has no data"
            )
        integral = isinstance(batch_size, numbers.Integral) and not isinstance(batch_size, (bool, np.bool_))
        size = int(batch_size) if integral else 0  # type: ignore[call-overload]
        if not 1 <= size <= m:
            raise ValueError(f"batch_size must be an int between 1 and the number of samples ({m}), got {batch_size!r}")
        if setup.noise > 0:
            raise ValueError("give batch_size (real minibatches) or noise (synthetic gradient noise), not both")
    names = setup.internal_names + (("grad_used",) if size else ())
    return _Setup(**{**setup.__dict__, "lrs": lrs, "schedule": sched, "batch_size": size, "internal_names": names})


@dataclass(frozen=True)
class _Proposal:
    """Update ``k`` of the running points: candidates, the loss there, validity, the new state."""

    cand: Array  # (m, dim) proposed points
    f: Array  # (m,) loss there (NaN where not evaluated)
    g: Array  # (m, dim) gradient there
    ok: NDArray[np.bool_]  # (m,) finite, inside the bound, finite loss and gradient
    state: OptState  # state after the update, one row per running point
    internals: dict[str, Array]  # derived quantities, broadcastable to (m, dim)


def _propose(setup: _Setup, rec: _Record, k: int, idx: NDArray[np.intp], xi: Array | None) -> _Proposal:
    """Run update ``k`` (pure) for the running points ``idx`` and evaluate the loss where they land."""
    all_running = idx.size == setup.n
    p, g, state = rec.points[k], rec.grads[k], rec.state_before(k)
    if not all_running:
        p, g = p[idx], g[idx]
        state = OptState(state.count, {name: a[idx] for name, a in state.arrays.items()})
    d = p.shape[1]
    coords = [p[:, j] for j in range(d)]
    rows = {"rows": rec.batches[k]} if rec.batches is not None else {}
    with np.errstate(all="ignore"):
        used = g
        if xi is not None:  # noise 0: the exact gradient, untouched
            used = g + (xi if all_running else xi[idx])
        if rows:  # a minibatch: the exact gradient of this step's batch
            used = np.broadcast_to(np.asarray(setup.loss.gradient(*coords, **rows), dtype=np.float64), p.shape)
        extra: dict[str, object] = {}
        if setup.lrs is not None:
            extra["lr"] = float(setup.lrs[k])
        if setup.opt.needs_hessian:
            hess = setup.loss.hessian(*coords, **rows)  # type: ignore[attr-defined]  # (checked by _prepare)
            extra["hessian"] = np.broadcast_to(np.asarray(hess, dtype=np.float64), p.shape + (d,))
        step, new_state, derived = setup.opt.update(used, state, p, **extra)  # type: ignore[arg-type]
        cand = p + step
        if xi is not None or rows:
            derived["grad_used"] = used
        ok = _inside(cand, setup.box)
        cf = np.full(idx.size, np.nan)
        cg = np.full((idx.size, d), np.nan)
        if ok.any():
            cf[ok], cg[ok] = _evaluate(setup.loss, cand[ok])
        ok &= np.isfinite(cf) & np.isfinite(cg).all(axis=1)
    return _Proposal(cand, cf, cg, ok, new_state, derived)


@dataclass
class _Record:
    """The arrays a run fills in, step by step, and each start's stop state.

    Row ``k + 1`` of ``points``/``losses``/``grads`` and row ``k`` of
    ``state``/``internals`` are written by update ``k``: accepted rows take
    the update's values, the others repeat the previous row (frozen).
    """

    points: Array  # (steps + 1, N, dim)
    losses: Array  # (steps + 1, N)
    grads: Array  # (steps + 1, N, dim)
    state: dict[str, Array]  # (steps, N, dim) each: the state after update k
    internals: dict[str, Array]  # (steps, N, dim) each: the internals of update k
    initial: OptState  # the state before update 0
    status: NDArray[np.str_]  # (N,)
    stop_step: NDArray[np.int64]  # (N,)
    running: NDArray[np.bool_]  # (N,)
    batches: NDArray[np.int64] | None = None  # (steps, batch_size): the sample rows of each update's batch

    @classmethod
    def start(cls, setup: _Setup) -> _Record:
        """Empty arrays with the start points in row 0; starts already within ``tol`` converged at step 0."""
        steps, n, d = setup.steps, setup.n, setup.start.shape[1]
        initial = setup.opt.init(setup.start)
        rec = cls(
            points=np.empty((steps + 1, n, d)),
            losses=np.empty((steps + 1, n)),
            grads=np.empty((steps + 1, n, d)),
            state={name: np.empty((steps, n, d)) for name in initial.arrays},
            internals={name: np.zeros((steps, n, d)) for name in setup.internal_names},
            initial=initial,
            status=np.full(n, "max_steps", dtype="<U9"),
            stop_step=np.full(n, steps, dtype=np.int64),
            running=np.ones(n, dtype=bool),
            batches=np.full((steps, setup.batch_size), -1, dtype=np.int64) if setup.batch_size else None,
        )
        rec.points[0], rec.losses[0], rec.grads[0] = setup.start, setup.f0, setup.g0
        if setup.tol is not None:
            conv = np.linalg.norm(setup.g0, axis=1) <= setup.tol
            rec.status[conv] = "converged"
            rec.stop_step[conv] = 0
            rec.running &= ~conv
        return rec

    def state_before(self, k: int) -> OptState:
        """The state (all N points) that update ``k`` starts from: views into the record, never copied."""
        if k == 0:
            return self.initial
        return OptState(k, {name: h[k - 1] for name, h in self.state.items()})

    def _internals_before(self, name: str, k: int) -> Array | float:
        return self.internals[name][k - 1] if k > 0 else 0.0

    def accept(self, k: int, idx: NDArray[np.intp], prop: _Proposal) -> None:
        """Write update ``k``: the valid proposals of ``idx`` move, every other point stays where it was."""
        good, ok = idx[prop.ok], prop.ok
        for arr, new in ((self.points, prop.cand), (self.losses, prop.f), (self.grads, prop.g)):
            arr[k + 1] = arr[k]
            arr[k + 1][good] = new[ok]
        before = self.state_before(k).arrays
        for name, hist in self.state.items():
            hist[k] = before[name]
            hist[k][good] = prop.state.arrays[name][ok]
        for name, hist in self.internals.items():
            hist[k] = self._internals_before(name, k)
            hist[k][good] = np.broadcast_to(prop.internals[name], (idx.size, hist.shape[2]))[ok]

    def stop(self, k: int, idx: NDArray[np.intp], ok: NDArray[np.bool_], tol: float | None) -> None:
        """Stop tests after update ``k``: invalid proposals diverged, small gradients converged."""
        bad = idx[~ok]
        if bad.size:
            self.running[bad] = False
            self.status[bad] = "diverged"
            self.stop_step[bad] = k + 1
        good = idx[ok]
        if tol is not None and good.size:
            conv = good[np.linalg.norm(self.grads[k + 1][good], axis=1) <= tol]
            self.running[conv] = False
            self.status[conv] = "converged"
            self.stop_step[conv] = k + 1

    def freeze_from(self, k: int) -> None:
        """Every point stopped before update ``k``: the remaining rows repeat the last ones."""
        self.points[k + 1 :] = self.points[k]
        self.losses[k + 1 :] = self.losses[k]
        self.grads[k + 1 :] = self.grads[k]
        before = self.state_before(k).arrays
        for name, hist in self.state.items():
            hist[k:] = before[name]
        for name, hist in self.internals.items():
            hist[k:] = self._internals_before(name, k)

    def trajectory(self, setup: _Setup) -> Trajectory:
        """The finished record as a :class:`Trajectory`."""
        return Trajectory(
            points=self.points,
            losses=self.losses,
            gradients=self.grads,
            updates=np.diff(self.points, axis=0),
            status=self.status,
            stop_step=self.stop_step,
            state=self.state,
            optimizer=setup.opt.name,
            hyperparams=setup.opt.hyperparams,
            loss_name=str(getattr(setup.loss, "name", type(setup.loss).__name__)),
            tol=setup.tol,
            bound=setup.bound,
            internals=self.internals,
            noise=setup.noise,
            seed=setup.seed,
            params=setup.names,
            lrs=setup.lrs if setup.lrs is not None else np.full(setup.steps, setup.opt.lr),
            schedule=None if setup.schedule is None else setup.schedule.to_dict(),
            batch_size=setup.batch_size,
            batches=self.batches,
        )
