"""What a loss is to numpy: compiled value, gradient and Hessian that broadcast like ufuncs.

:class:`NumericLoss` holds everything a loss means to the optimizers and the
scenes except its formula: the name, the parameter names, the domain, a start,
the known minima and saddles, and the numeric methods.  Two classes fill in its
three compiled functions (:attr:`~NumericLoss._value_fn`,
:attr:`~NumericLoss._grad_fns`, :attr:`~NumericLoss._hessian_fns`):

* :class:`gdscenes.core.losses.symbolic.Loss` compiles them from a sympy
  expression with :func:`sympy.lambdify`;
* :class:`gdscenes.core.losses.compiled.CompiledLoss` rebuilds them from the
  numpy source that sympy printed once, so that ``gdscenes trajectory`` runs a
  library loss without importing sympy.

Points where the formula is undefined (``log`` of a negative number, overflow
during a diverging descent, ...) come back as ``nan`` or ``inf``; numpy
floating-point warnings are silenced for them.  This module imports neither
sympy nor manim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from gdscenes.core.box import Box, parse_box

__all__ = ["Minimum", "NumericLoss", "POINT_KINDS", "NumpyFunction"]

#: Allowed values of :attr:`Minimum.kind`. ``"saddle"`` is used only in
#: :attr:`NumericLoss.saddles`; :attr:`NumericLoss.minima` holds true minima only.
POINT_KINDS: tuple[str, ...] = ("global", "local", "saddle")

#: A compiled component: numpy arrays in (one per parameter), an array or a constant out.
NumpyFunction = Callable[..., Any]


@dataclass(frozen=True)
class Minimum:
    """A known critical point of a loss.

    Attributes
    ----------
    x, y : float
        Location of the point.
    f : float
        Loss value at the point.
    kind : str
        ``"global"`` or ``"local"`` for minima; ``"saddle"`` for the entries
        of :attr:`NumericLoss.saddles`.
    """

    x: float
    y: float
    f: float
    kind: str = "global"

    def __post_init__(self) -> None:
        if self.kind not in POINT_KINDS:
            raise ValueError(f"kind must be one of {POINT_KINDS}, got {self.kind!r}")
        for field in ("x", "y", "f"):
            object.__setattr__(self, field, float(getattr(self, field)))

    @property
    def point(self) -> tuple[float, float]:
        """The location ``(x, y)`` as a tuple."""
        return (self.x, self.y)


def _broadcast_inputs(*coords: ArrayLike) -> tuple[list[np.ndarray], tuple[int, ...]]:
    """Convert the coordinates to float64 arrays and return their broadcast shape."""
    arrays = [np.asarray(c, dtype=np.float64) for c in coords]
    return arrays, np.broadcast_shapes(*(a.shape for a in arrays))


def _as_pair(values: Any, what: str, dim: int = 2) -> tuple[float, ...]:
    """Validate ``dim`` finite floats (a bare number is accepted for ``dim == 1``)."""
    if dim == 1 and np.ndim(values) == 0:
        values = (values,)
    pair = tuple(float(v) for v in values)
    if len(pair) != dim or not all(np.isfinite(pair)):
        word = "two finite numbers" if dim == 2 else f"{dim} finite number(s)"
        raise ValueError(f"{what} must be {word}, got {values!r}")
    return pair


def _as_domain(domain: object, dim: int = 2) -> Box:
    """Validate ``((xmin, xmax), (ymin, ymax))`` (``((xmin, xmax),)`` for a 1D loss)."""
    if dim == 2:
        return parse_box(domain, "domain")
    b = np.asarray(domain, dtype=np.float64)
    if b.shape != (dim, 2) or not np.isfinite(b).all() or not (b[:, 0] < b[:, 1]).all():
        raise ValueError(f"domain must be {dim} finite (min, max) pair(s) with min < max, got {domain!r}")
    return tuple((float(lo), float(hi)) for lo, hi in b)  # type: ignore[return-value]


def _check_points(points: Any, kinds: tuple[str, ...]) -> tuple[Minimum, ...]:
    """Validate a tuple of :class:`Minimum` with the allowed ``kinds``."""
    checked: list[Minimum] = []
    for p in points:
        if not isinstance(p, Minimum) or p.kind not in kinds:
            raise ValueError(f"expected Minimum entries of kind {kinds}, got {p!r}")
        checked.append(p)
    return tuple(checked)


class NumericLoss:
    """A loss as numpy sees it: metadata plus compiled value, gradient and Hessian.

    Subclasses provide :attr:`param_names` and the three compiled functions
    ``_value_fn``, ``_grad_fns`` (one per parameter) and ``_hessian_fns``
    (the upper triangle, keyed ``(i, j)`` with ``i <= j``).
    """

    name: str
    domain: Box
    start: tuple[float, float]
    minima: tuple[Minimum, ...]
    saddles: tuple[Minimum, ...]
    description: str
    smooth: bool

    @property
    def _value_fn(self) -> NumpyFunction:
        raise NotImplementedError

    @property
    def _grad_fns(self) -> tuple[NumpyFunction, ...]:
        raise NotImplementedError

    @property
    def _hessian_fns(self) -> dict[tuple[int, int], NumpyFunction]:
        raise NotImplementedError

    def _set_metadata(
        self,
        name: str,
        *,
        domain: object,
        start: object,
        minima: Any = (),
        saddles: Any = (),
        description: str = "",
        smooth: bool = True,
    ) -> None:
        """Validate and store everything but the formula (:attr:`param_names` must already work)."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a loss needs a non-empty name")
        self.name = name
        # typed as a surface's for the 2D callers; a 1D loss has ((xmin, xmax),) and (x,)
        self.domain = _as_domain(domain, self.dim)
        self.start = cast("tuple[float, float]", _as_pair(start, "start", self.dim))
        self.minima = _check_points(minima, ("global", "local"))
        self.saddles = _check_points(saddles, ("saddle",))
        self.description = description
        self.smooth = bool(smooth)

    @property
    def param_names(self) -> tuple[str, ...]:
        """The parameters' names, e.g. ``("x", "y")``, ``("x",)``, ``("theta0", "theta1")``."""
        raise NotImplementedError

    @property
    def dim(self) -> int:
        """Number of parameters: 1 (a curve) or 2 (a surface)."""
        return len(self.param_names)

    def _coords(self, coords: tuple[ArrayLike, ...]) -> tuple[list[np.ndarray], tuple[int, ...]]:
        if len(coords) != self.dim:
            names = ", ".join(self.param_names)
            raise TypeError(f"loss {self.name!r} takes {self.dim} coordinate(s) ({names}), got {len(coords)}")
        return _broadcast_inputs(*coords)

    def value(self, *coords: ArrayLike) -> np.ndarray:
        """Loss value.

        Parameters
        ----------
        *coords : array_like
            One coordinate per parameter (``x, y``; ``x`` for a 1D loss);
            broadcast against each other.

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``broadcast(x, y)`` (0-d for scalars).
        """
        arrays, shape = self._coords(coords)
        out = np.empty(shape, dtype=np.float64)
        with np.errstate(all="ignore"):
            out[...] = self._value_fn(*arrays)
        return out

    def gradient(self, *coords: ArrayLike) -> np.ndarray:
        """Gradient ``(df/dx, df/dy)``.

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``broadcast(x, y) + (dim,)``.
        """
        arrays, shape = self._coords(coords)
        out = np.empty(shape + (self.dim,), dtype=np.float64)
        with np.errstate(all="ignore"):
            for i, fn in enumerate(self._grad_fns):
                out[..., i] = fn(*arrays)  # constants broadcast to the full shape
        return out

    def hessian(self, *coords: ArrayLike) -> np.ndarray:
        """Hessian matrix.

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``broadcast(x, y) + (dim, dim)``; symmetric.
        """
        arrays, shape = self._coords(coords)
        out = np.empty(shape + (self.dim, self.dim), dtype=np.float64)
        with np.errstate(all="ignore"):
            for (i, j), fn in self._hessian_fns.items():
                out[..., i, j] = fn(*arrays)
                out[..., j, i] = out[..., i, j]
        return out

    def hessian_eigenvalues(self, *coords: ArrayLike) -> np.ndarray:
        """Eigenvalues of the Hessian in ascending order.

        Returns
        -------
        numpy.ndarray
            Shape ``(2,)`` for a scalar point, ``broadcast(x, y) + (2,)`` in
            general.

        Raises
        ------
        ValueError
            If the Hessian is not finite at the point(s).
        """
        h = self.hessian(*coords)
        if not np.all(np.isfinite(h)):
            raise ValueError(
                f"the Hessian of loss {self.name!r} is not finite at the given point(s)"
            )
        return np.linalg.eigvalsh(h)

    def max_stable_lr(self, x: float | None = None, y: float | None = None) -> float:
        """Largest stable gradient-descent learning rate near a point.

        Gradient descent on the local quadratic model converges only if
        ``lr < 2 / lambda_max`` where ``lambda_max`` is the largest Hessian
        eigenvalue.

        Parameters
        ----------
        x, y : float, optional
            The point; both or neither. Default: the first global minimum.

        Returns
        -------
        float
            ``2 / lambda_max``.

        Raises
        ------
        ValueError
            If no point is given and no minimum is known, if the Hessian is not
            finite there, or if ``lambda_max <= 0`` (no curvature bound).
        """
        point = self._reference_point(x, y)
        where = ", ".join(f"{v:g}" for v in point)
        h = self.hessian(*point)
        if not np.all(np.isfinite(h)):
            raise ValueError(
                f"loss {self.name!r} is not twice differentiable at ({where}); "
                "pass a different point"
            )
        lam_max = float(np.linalg.eigvalsh(h)[-1])
        if lam_max <= 0.0:
            raise ValueError(
                f"largest Hessian eigenvalue of loss {self.name!r} at ({where}) "
                f"is {lam_max:g} <= 0, so no step-size bound exists there"
            )
        return 2.0 / lam_max

    def _reference_point(self, x: float | None, y: float | None) -> tuple[float, ...]:
        """Resolve the point for :meth:`max_stable_lr` (``(x,)`` for a 1D loss)."""
        if x is None and y is None:
            ranked = [m for m in self.minima if m.kind == "global"] or list(self.minima)
            if not ranked:
                raise ValueError(f"loss {self.name!r} has no known minimum; pass x and y")
            return ranked[0].point[: self.dim]
        if self.dim == 1:
            if x is None or y is not None:
                raise ValueError("a 1D loss takes x alone")
            return (float(x),)
        if x is None or y is None:
            raise ValueError("pass both x and y, or neither")
        return float(x), float(y)

    def refine_critical_point(
        self, x: float, y: float, *, tol: float = 1e-13, max_iter: int = 100
    ) -> tuple[float, float]:
        """Polish an approximate critical point with Newton's method.

        Parameters
        ----------
        x, y : float
            Starting guess close to a critical point (minimum or saddle).
        tol : float
            Stop when the Newton step is below ``tol * (1 + |p|)``.
        max_iter : int
            Iteration cap.

        Returns
        -------
        (float, float)
            The refined point.

        Raises
        ------
        ValueError
            If the Hessian is singular/non-finite or Newton does not converge.
        """
        p = np.array([x, y], dtype=np.float64)
        for _ in range(max_iter):
            h, g = self.hessian(p[0], p[1]), self.gradient(p[0], p[1])
            if not (np.all(np.isfinite(h)) and np.all(np.isfinite(g))):
                raise ValueError(f"derivatives of {self.name!r} not finite at {tuple(p)}")
            try:
                step = np.linalg.solve(h, g)
            except np.linalg.LinAlgError as exc:
                raise ValueError(f"singular Hessian of {self.name!r} at {tuple(p)}") from exc
            p = p - step
            if np.linalg.norm(step) <= tol * (1.0 + np.linalg.norm(p)):
                return float(p[0]), float(p[1])
        raise ValueError(f"Newton did not converge for {self.name!r} from ({x}, {y})")
